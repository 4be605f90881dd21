package orders

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// Mail about cases. An operation that changes a case in a way the
// customer wants to hear of writes the mails in its own transaction
// (store.Tx.EnqueueMail), rendered and addressed: a change and its mails
// are saved together or not at all, and the outbox worker sends them
// after the commit. Who gets them: each user of the case's customer who
// chose all of the customer's cases for the event, and the reporter,
// unless it chose none (repair.MailSettings). Links are absolute, built
// from the site's public address alone (UseMail), never from a request.

// doneGrace is how long the mail that the work is done waits before it
// is sent: the delivery note is signed on the technician's phone right
// after the work is marked done, and the mail then links to it.
const doneGrace = 10 * time.Minute

// UseMail sets the site's public address (KUNDPORTAL_BASE_URL), from
// which the mails' links are made.
func (o *Ops) UseMail(baseURL string) { o.baseURL = strings.TrimRight(baseURL, "/") }

// link is path on the site, absolute.
func (o *Ops) link(path string) string {
	base := o.baseURL
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + path
}

// mailExtra is what a case's mail tells beyond the case itself.
type mailExtra struct {
	window string // the planned visit
	note   string // the part waited for, the reason for cancelling
	noteID int64  // the signed delivery note's file
}

// caseMails writes the mails of event e about case c to the outbox, in
// tx. c is the case as the operation has it (its status may be the one
// before the change; a mail does not show it).
func (o *Ops) caseMails(ctx context.Context, tx *store.Tx, e repair.MailEvent, c repair.Case, extra mailExtra) error {
	users, err := tx.MailRecipients(ctx, c.CustomerID, c.ReportedBy, e)
	if err != nil {
		return err
	}
	d, err := o.draft(e, c, strconv.FormatInt(c.ID, 10), users, extra)
	if err != nil {
		return err
	}
	return d.write(ctx, tx)
}

// A mailDraft is the mails of an event about a case, rendered and
// addressed, ready to be written to the outbox or the digest.
type mailDraft struct {
	mails   []repair.Mail
	digests []store.DigestItem
	delay   time.Duration
}

// draft renders event e's mail about case c, whose id is id, for each of
// users: a mail, or a line of the day's digest for a user who gathers
// them.
func (o *Ops) draft(e repair.MailEvent, c repair.Case, id string, users []repair.User, extra mailExtra) (mailDraft, error) {
	var d mailDraft
	if e == repair.MailDone {
		d.delay = doneGrace
	}
	for _, u := range users {
		m, err := o.caseMail(e, c, id, u, extra)
		if err != nil {
			return d, err
		}
		if u.MailDigest {
			// Gathered into the day's digest instead.
			d.digests = append(d.digests, store.DigestItem{UserID: u.ID, CaseID: c.ID, Event: e, Line: m.Subject,
				Link: o.link("/arenden/" + id)})
			continue
		}
		d.mails = append(d.mails, m)
	}
	return d, nil
}

// write writes the draft in tx.
func (d mailDraft) write(ctx context.Context, tx *store.Tx) error {
	return tx.QueueMails(ctx, d.mails, d.digests, d.delay)
}

// A newCaseMail is the received mail of a case not yet created, drafted
// before the transaction that creates it: SQLite's one writer runs every
// save in turn, and addressing and rendering the mail in it took two
// fifths of a filed case's time there (BenchmarkFileCaseConcurrent). The
// case's number and id, which only the transaction gives, stand in the
// draft as marks, random per process so that no text a user typed can
// hold them; the store puts the real ones in once it has them (mails).
type newCaseMail struct{ draft mailDraft }

// draftReceived drafts the received mail of c, which u files, before it
// is created. The recipients are read outside the transaction: a user
// who changes a mail setting, or is blocked, while the case is being
// saved may get or miss this one mail. When u is the customer's own user
// they are the store's kept ones at the mail version u's session read.
func (o *Ops) draftReceived(ctx context.Context, u repair.User, c repair.Case) (newCaseMail, error) {
	var users []repair.User
	var err error
	if u.CustomerID != 0 && u.CustomerID == c.CustomerID {
		users, err = o.db.MailRecipientsAt(ctx, u.MailVersion, c.CustomerID, c.ReportedBy, repair.MailReceived)
	} else {
		users, err = o.db.MailRecipients(ctx, c.CustomerID, c.ReportedBy, repair.MailReceived)
	}
	if err != nil {
		return newCaseMail{}, err
	}
	c.Number = caseMarks.number
	d, err := o.draft(repair.MailReceived, c, caseMarks.id, users, mailExtra{})
	return newCaseMail{d}, err
}

// mails are the mails and digest lines of the case c, now created, with
// its number and id in place of the marks.
func (n newCaseMail) mails(c repair.Case) ([]repair.Mail, []store.DigestItem) {
	// Two plain replacements: a strings.Replacer built for each case was
	// a quarter of this in the writer's transaction. Neither mark can
	// come out of the other's replacement.
	id := strconv.FormatInt(c.ID, 10)
	marks := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, caseMarks.number, c.Number), caseMarks.id, id)
	}
	var mails []repair.Mail
	for _, m := range n.draft.mails {
		m.CaseID, m.Subject, m.Text, m.HTML = c.ID, marks(m.Subject), marks(m.Text), marks(m.HTML)
		mails = append(mails, m)
	}
	var digests []store.DigestItem
	for _, item := range n.draft.digests {
		item.CaseID, item.Line, item.Link = c.ID, marks(item.Line), marks(item.Link)
		digests = append(digests, item)
	}
	return mails, digests
}

// caseMarks stand for a new case's number and id in a draft: letters and
// digits, which neither HTML nor a URL escapes.
var caseMarks = func() struct{ number, id string } {
	b := make([]byte, 24)
	rand.Read(b)
	h := hex.EncodeToString(b)
	return struct{ number, id string }{"kpnr" + h[:24], "kpid" + h[24:]}
}()

// caseMail is the mail of event e about case c, whose id is id, to user u.
func (o *Ops) caseMail(e repair.MailEvent, c repair.Case, id string, u repair.User, extra mailExtra) (repair.Mail, error) {
	cm := notify.CaseMail{
		Event: e, Company: o.company.Name, Name: u.Name, CaseNumber: c.Number, Title: c.Title,
		Address: strings.TrimPrefix(strings.TrimSpace(c.Street+", "+strings.TrimSpace(c.PostalCode+" "+c.City)), ", "),
		Window:  extra.window, Note: extra.note,
		CaseURL:        o.link("/arenden/" + id),
		SettingsURL:    o.link("/e-post"),
		UnsubscribeURL: o.link("/avregistrera/" + o.UnsubscribeToken(u.ID, e)),
	}
	if c.AssetNumber != "" {
		cm.Machine = "Objekt " + c.AssetNumber
	}
	if extra.noteID != 0 {
		cm.NoteURL = o.link("/filer/" + strconv.FormatInt(extra.noteID, 10))
	}
	subject, text, html, err := cm.Render()
	if err != nil {
		return repair.Mail{}, fmt.Errorf("orders: render mail: %w", err)
	}
	return repair.Mail{
		MessageID: o.messageID(), Event: e, CustomerID: c.CustomerID, CaseID: c.ID, UserID: u.ID,
		Recipient: u.Email, Subject: subject, Text: text, HTML: html, UnsubscribeURL: cm.UnsubscribeURL,
	}, nil
}

// messageID is a new Message-ID at the site's host, in the order of
// time (auth.NewFormID): the outbox's unique key on it then grows at its
// end.
func (o *Ops) messageID() string {
	host := "kundportal.invalid"
	if u, err := url.Parse(o.link("/")); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return auth.NewFormID() + "@" + host
}

// statusMail is the mail event of a case's move to status s, if any.
func statusMail(s repair.Status) (repair.MailEvent, bool) {
	switch s {
	case repair.StatusAwaitingPart:
		return repair.MailAwaitingPart, true
	case repair.StatusCompleted:
		return repair.MailDone, true
	case repair.StatusCancelled:
		return repair.MailCancelled, true
	}
	return "", false
}

// linkDeliveryNote gives the mails that the work on case caseID is done,
// not sent yet, the link to its signed delivery note noteID.
func (o *Ops) linkDeliveryNote(ctx context.Context, tx *store.Tx, caseID, noteID int64) error {
	pending, err := tx.PendingMails(ctx, caseID, repair.MailDone)
	if err != nil || len(pending) == 0 {
		return err
	}
	c, err := tx.Case(ctx, caseID)
	if err != nil {
		return err
	}
	for _, p := range pending {
		u, err := tx.User(ctx, p.UserID)
		if errors.Is(err, repair.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		m, err := o.caseMail(repair.MailDone, c, strconv.FormatInt(c.ID, 10), u, mailExtra{noteID: noteID})
		if err != nil {
			return err
		}
		if err := tx.RewriteMail(ctx, p.ID, m.Subject, m.Text, m.HTML); err != nil {
			return err
		}
	}
	return nil
}

// The unsubscribe link carries its own permission: the user and the event,
// tagged with the site's key, so that a mail client's one-click POST
// (RFC 8058) needs no login.

const unsubscribePurpose = "unsubscribe"

// UnsubscribeToken is the token of the link that stops user userID's
// mails of event e.
func (o *Ops) UnsubscribeToken(userID int64, e repair.MailEvent) string {
	msg := strconv.FormatInt(userID, 10) + "|" + string(e)
	return base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + o.box.Tag(unsubscribePurpose, msg)
}

// Unsubscription is what an unsubscribe link stops.
type Unsubscription struct {
	UserID int64
	Email  string
	Event  repair.MailEvent
}

// CheckUnsubscribe reads an unsubscribe link's token; a token this site
// did not make, or for a user no longer there, is repair.ErrNotFound.
func (o *Ops) CheckUnsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	raw, tag, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
		return Unsubscription{}, repair.ErrNotFound
	}
	msg, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || !o.box.ValidTag(unsubscribePurpose, string(msg), tag) {
		return Unsubscription{}, repair.ErrNotFound
	}
	id, event, _ := strings.Cut(string(msg), "|")
	userID, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !repair.MailEvent(event).Valid() && repair.MailEvent(event) != repair.MailDigest && repair.MailEvent(event) != repair.MailInvoice {
		return Unsubscription{}, repair.ErrNotFound
	}
	u, err := o.db.User(ctx, repair.StaffScope(), userID)
	if err != nil {
		return Unsubscription{}, err
	}
	return Unsubscription{UserID: u.ID, Email: u.Email, Event: repair.MailEvent(event)}, nil
}

// Unsubscribe stops the mails an unsubscribe link names.
func (o *Ops) Unsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	us, err := o.CheckUnsubscribe(ctx, token)
	if err != nil {
		return us, err
	}
	return us, o.db.Update(ctx, func(tx *store.Tx) error {
		if us.Event == repair.MailDigest {
			// The digest's link ends every case mail, and the digest.
			for _, e := range repair.MailEvents {
				if err := tx.SetMailSetting(ctx, us.UserID, e, repair.MailNone); err != nil {
					return err
				}
			}
			if err := tx.SetMailDigest(ctx, us.UserID, false); err != nil {
				return err
			}
			return tx.Audit(ctx, us.UserID, "user", us.UserID, "mail settings", "Alla e-postmeddelanden avslutade (avregistrering från sammandraget)")
		}
		if err := tx.SetMailSetting(ctx, us.UserID, us.Event, repair.MailNone); err != nil {
			return err
		}
		return tx.Audit(ctx, us.UserID, "user", us.UserID, "mail settings", us.Event.Label()+": "+repair.MailNone.Label()+" (avregistrering från e-post)")
	})
}

// MailSettings are u's choices of mail.
func (o *Ops) MailSettings(ctx context.Context, u repair.User) (repair.MailSettings, error) {
	if !u.Role.IsCustomer() {
		return nil, repair.ErrNotFound
	}
	return o.db.MailSettings(ctx, u.ID)
}

// SetMailSettings records u's choices of mail, and whether they come
// gathered into one digest a day; every event must have a valid choice.
func (o *Ops) SetMailSettings(ctx context.Context, u repair.User, s repair.MailSettings, digest bool) error {
	if !u.Role.IsCustomer() {
		return repair.ErrNotFound
	}
	fe := repair.FieldErrors{}
	for _, e := range repair.MailEvents {
		if !s.For(e).Valid() {
			fe.Add(string(e), "Välj ett av alternativen.")
		}
	}
	if err := invalid(fe); err != nil {
		return err
	}
	var changed []string
	old, err := o.db.MailSettings(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, e := range repair.MailEvents {
		if old.For(e) != s.For(e) {
			changed = append(changed, e.Label()+": "+s.For(e).Label())
		}
	}
	if digest != u.MailDigest {
		changed = append(changed, map[bool]string{true: "Dagligt sammandrag", false: "Ett meddelande i taget"}[digest])
	}
	// A new invoice's mail: yes (all) or no (none), for those who see
	// invoices.
	invoice, setInvoice := s[repair.MailInvoice]
	switch {
	case !setInvoice:
	case invoice != repair.MailAll && invoice != repair.MailNone:
		return repair.FieldErrors{string(repair.MailInvoice): "Välj ja eller nej."}
	case (invoice == repair.MailAll) != WantsInvoiceMail(u, old):
		changed = append(changed, repair.MailInvoice.Label()+": "+map[bool]string{true: "ja", false: "nej"}[invoice == repair.MailAll])
	default:
		setInvoice = false
	}
	if len(changed) == 0 {
		return nil
	}
	return o.change(ctx, u, fixed("user", u.ID, "mail settings", strings.Join(changed, "; ")), func(tx *store.Tx) error {
		for _, e := range repair.MailEvents {
			if old.For(e) != s.For(e) {
				if err := tx.SetMailSetting(ctx, u.ID, e, s.For(e)); err != nil {
					return err
				}
			}
		}
		if setInvoice {
			if err := tx.SetMailSetting(ctx, u.ID, repair.MailInvoice, invoice); err != nil {
				return err
			}
		}
		return tx.SetMailDigest(ctx, u.ID, digest)
	})
}

// WantsInvoiceMail reports whether u, with its settings s, gets the mail
// of each new invoice.
func WantsInvoiceMail(u repair.User, s repair.MailSettings) bool {
	if c, ok := s[repair.MailInvoice]; ok {
		return c == repair.MailAll
	}
	return repair.InvoiceMailDefault(u)
}

// invoiceMails writes the mails of a new invoice or credit note inv, in
// tx, to those of its customer who want them.
func (o *Ops) invoiceMails(ctx context.Context, tx *store.Tx, inv repair.Invoice) error {
	users, err := tx.InvoiceMailRecipients(ctx, inv.CustomerID)
	if err != nil {
		return err
	}
	for _, u := range users {
		im := notify.InvoiceMail{Company: o.company.Name, Name: u.Name, Number: inv.Number, Credit: inv.CreditsID != 0,
			Credits: inv.CreditsNumber, Period: inv.PeriodFrom + "–" + inv.PeriodTo, ToPay: sv.Money(inv.Totals.ToPayOre),
			Due: inv.DueDate, SpecURL: o.link("/fakturaspecifikation?faktura=" + strconv.FormatInt(inv.ID, 10)),
			SettingsURL: o.link("/e-post"), UnsubscribeURL: o.link("/avregistrera/" + o.UnsubscribeToken(u.ID, repair.MailInvoice))}
		subject, text, html, err := im.Render()
		if err != nil {
			return err
		}
		m := repair.Mail{MessageID: o.messageID(), Event: repair.MailInvoice, CustomerID: inv.CustomerID, UserID: u.ID,
			Recipient: u.Email, Subject: subject, Text: text, HTML: html, UnsubscribeURL: im.UnsubscribeURL}
		if err := tx.EnqueueMail(ctx, &m, 0); err != nil {
			return err
		}
	}
	return nil
}

// DigestHour is when, in Swedish time, the day's digests go: each with
// the lines from before then.
const DigestHour = 7

// digestCutoff is the last DigestHour at or before now.
func digestCutoff(now time.Time) time.Time {
	l := now.In(repair.Stockholm)
	c := time.Date(l.Year(), l.Month(), l.Day(), DigestHour, 0, 0, 0, repair.Stockholm)
	if l.Before(c) {
		c = c.AddDate(0, 0, -1)
	}
	return c
}

// SendDigests writes each digest due to the outbox: one mail per user
// with the lines kept before the last DigestHour, which it takes in the
// same transaction. It reports how many digests it wrote.
func (o *Ops) SendDigests(ctx context.Context) (int, error) {
	cutoff := digestCutoff(o.now())
	ids, err := o.db.DigestUsers(ctx, cutoff)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		err := o.db.Update(ctx, func(tx *store.Tx) error {
			items, err := tx.TakeDigestItems(ctx, id, cutoff)
			if err != nil || len(items) == 0 {
				return err
			}
			u, err := tx.User(ctx, id)
			if err != nil {
				return err
			}
			if u.Disabled {
				return nil // the lines go with the login
			}
			dm := notify.DigestMail{Company: o.company.Name, Name: u.Name, Date: sv.Date(cutoff),
				SettingsURL: o.link("/e-post"), UnsubscribeURL: o.link("/avregistrera/" + o.UnsubscribeToken(u.ID, repair.MailDigest))}
			for _, it := range items {
				dm.Lines = append(dm.Lines, notify.DigestLine{Text: it.Line, Link: it.Link, At: sv.DateTime(it.CreatedAt)})
			}
			subject, text, html, err := dm.Render()
			if err != nil {
				return err
			}
			m := repair.Mail{MessageID: o.messageID(), Event: repair.MailDigest, CustomerID: u.CustomerID, UserID: u.ID,
				Recipient: u.Email, Subject: subject, Text: text, HTML: html, UnsubscribeURL: dm.UnsubscribeURL}
			sent++
			return tx.EnqueueMail(ctx, &m, 0)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// RetryMail puts a mail the outbox worker gave up on back in the queue;
// staff only. It reports false for a mail that had not failed, which it
// leaves as it is.
func (o *Ops) RetryMail(ctx context.Context, u repair.User, id int64) (bool, error) {
	if err := staffOnly(u); err != nil {
		return false, err
	}
	var retried bool
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if retried, err = tx.RetryMail(ctx, id); err != nil || !retried {
			return err
		}
		return tx.Audit(ctx, u.ID, "mail", id, "retry", "Nytt försök att skicka")
	})
	return retried, err
}

// visitWindow is the planned visit of wo as a mail says it.
func visitWindow(wo repair.WorkOrder) string { return sv.Window(wo.PlannedStart, wo.PlannedEnd) }

// WriteCaseMails writes the mails of event e about case caseID to the
// outbox as the operation that made the change does: for demo data,
// whose history is loaded without the operations.
func (o *Ops) WriteCaseMails(ctx context.Context, caseID int64, e repair.MailEvent) error {
	return o.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Case(ctx, caseID)
		if err != nil {
			return err
		}
		return o.caseMails(ctx, tx, e, c, mailExtra{})
	})
}
