package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Mail pages: the office's Utskick (every mail of the outbox, sent or
// waiting), a customer user's choice of mails, and the unsubscribe link
// of every mail, which needs no login.

type mailsPage struct {
	basePage
	Mails    []repair.Mail
	State    repair.MailState
	States   []repair.MailState
	Next     string // the next page's URL, if there is one
	NoServer bool   // no mail server set: mails are shown here only
}

// listMails is the office's Utskick: the outbox newest first, filtered
// by state, 50 at a time.
func (s *server) listMails(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.MailFilter{State: repair.MailState(q.Get("status"))}
	if !slices.Contains(mailStates, f.State) {
		f.State = ""
	}
	if before, err := strconv.ParseInt(q.Get("fore"), 10, 64); err == nil && before > 0 {
		f.Before = before
	}
	mails, more, err := s.db.Mails(r.Context(), repair.StaffScope(), f)
	if err != nil {
		return err
	}
	p := &mailsPage{basePage: s.base(r, "Utskick"), Mails: mails, State: f.State, States: mailStates, NoServer: !s.mailServer}
	if more {
		v := q
		v.Set("fore", strconv.FormatInt(mails[len(mails)-1].ID, 10))
		p.Next = "/order/utskick?" + v.Encode()
	}
	return s.render(w, r, http.StatusOK, "order/mails.html", p)
}

var mailStates = []repair.MailState{repair.MailWaiting, repair.MailSent, repair.MailShown, repair.MailFailed}

type mailPage struct {
	basePage
	Mail repair.Mail
}

// showMail is one mail of the outbox: its headers, its text, and a link
// to its HTML.
func (s *server) showMail(w http.ResponseWriter, r *http.Request) error {
	m, err := s.staffMail(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "order/mail.html", &mailPage{basePage: s.base(r, "Utskick: "+m.Subject), Mail: m})
}

// mailHTML is a mail's HTML part as the recipient's mail program shows
// it: in a sandbox, so that nothing in it runs or reaches the site.
func (s *server) mailHTML(w http.ResponseWriter, r *http.Request) error {
	m, err := s.staffMail(r)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(m.HTML))
	return nil
}

// retryMail puts a mail the worker gave up on back in the queue.
func (s *server) retryMail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	retried, err := s.ops.RetryMail(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	if retried {
		s.setFlash(w, r, "utskick")
	}
	http.Redirect(w, r, "/order/utskick/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *server) staffMail(r *http.Request) (repair.Mail, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.Mail{}, err
	}
	m, err := s.db.Mail(r.Context(), repair.StaffScope(), id)
	return m.Redacted(), err
}

// mailChoices is the E-post form: a choice per event, and the digest.
type mailChoices struct {
	repair.MailSettings
	Digest  bool
	Invoice bool // a mail for each new invoice (for those who see invoices)
}

type mailSettingsPage struct {
	basePage
	Form    form[mailChoices]
	Events  []repair.MailEvent
	Choices []repair.MailCases
}

// InvoiceLabel names the invoice mail's choice.
func (mailSettingsPage) InvoiceLabel() string { return repair.MailInvoice.Label() }

// mailSettings is a customer user's choice of mails, per event.
func (s *server) mailSettings(w http.ResponseWriter, r *http.Request) error {
	settings, err := s.ops.MailSettings(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	u := userOf(r)
	return s.renderMailSettings(w, r, http.StatusOK, newForm("mail", mailChoices{settings, u.MailDigest, orders.WantsInvoiceMail(u, settings)}))
}

func (s *server) renderMailSettings(w http.ResponseWriter, r *http.Request, status int, f form[mailChoices]) error {
	return s.render(w, r, status, "portal/mail_settings.html", &mailSettingsPage{basePage: s.base(r, "E-post"), Form: f,
		Events: repair.MailEvents, Choices: []repair.MailCases{repair.MailMine, repair.MailAll, repair.MailNone}})
}

func (s *server) setMailSettings(w http.ResponseWriter, r *http.Request) error {
	in := mailChoices{MailSettings: repair.MailSettings{}, Digest: r.PostFormValue("digest") == "1",
		Invoice: r.PostFormValue("invoice") == "1"}
	for _, e := range repair.MailEvents {
		in.MailSettings[e] = repair.MailCases(r.PostFormValue(string(e)))
	}
	if userOf(r).SeesInvoices() {
		in.MailSettings[repair.MailInvoice] = map[bool]repair.MailCases{true: repair.MailAll, false: repair.MailNone}[in.Invoice]
	}
	err := s.ops.SetMailSettings(r.Context(), userOf(r), in.MailSettings, in.Digest)
	return s.answer(w, r, err, "/e-post", "e-post", func(fe repair.FieldErrors) error {
		return s.renderMailSettings(w, r, http.StatusUnprocessableEntity, failedForm("mail", in, fe))
	})
}

type unsubscribePage struct {
	basePage
	Token string
	Email string
	Event repair.MailEvent
	Done  bool
}

// showUnsubscribe asks before it unsubscribes: a link scanner that
// follows the mail's links must not end the user's mails.
func (s *server) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	us, err := s.ops.CheckUnsubscribe(r.Context(), token)
	if err != nil {
		return unsubscribeErr(err)
	}
	return s.render(w, r, http.StatusOK, "unsubscribe.html", &unsubscribePage{basePage: s.base(r, "Avsluta e-post"),
		Token: token, Email: us.Email, Event: us.Event})
}

// unsubscribe is the one-click unsubscribe (RFC 8058): a mail program's
// POST, or the button of the page above.
func (s *server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	us, err := s.ops.Unsubscribe(r.Context(), token)
	if err != nil {
		return unsubscribeErr(err)
	}
	return s.render(w, r, http.StatusOK, "unsubscribe.html", &unsubscribePage{basePage: s.base(r, "Avsluta e-post"),
		Email: us.Email, Event: us.Event, Done: true})
}

func unsubscribeErr(err error) error {
	if errors.Is(err, repair.ErrNotFound) {
		return errNotFound
	}
	return err
}
