package notify

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"

	"kundportal/internal/repair"
)

// CaseMail is what a mail about a case tells: the event and the case as
// the customer knows it, with absolute links into the portal.
type CaseMail struct {
	Event      repair.MailEvent
	Company    string // the repair company, who the mail is from
	Name       string // the recipient's name
	CaseNumber string
	Title      string
	Machine    string // e.g. "Tvättmaskin Electrolux (Objekt 100234)"; "" if none
	Address    string // e.g. "Storgatan 1, 541 30 Skövde"
	// Window is the planned visit (MailPlanned), e.g. "måndag 2026-03-16
	// kl. 08:00–12:00".
	Window string
	Note   string // what the office or the technician wrote, if anything
	// CaseURL is the case in the portal; NoteURL the signed delivery note
	// (MailDone), if there is one; SettingsURL where the recipient
	// chooses its mails; UnsubscribeURL stops this event's mails.
	CaseURL, NoteURL, SettingsURL, UnsubscribeURL string
}

//go:embed templates
var templateFS embed.FS

var (
	textMails = texttemplate.Must(texttemplate.New("").ParseFS(templateFS, "templates/*.txt"))
	htmlMails = htmltemplate.Must(htmltemplate.New("").ParseFS(templateFS, "templates/*.html"))
)

// Subject is the mail's subject line.
func (m CaseMail) Subject() string {
	s := "Ärende " + m.CaseNumber + ": "
	switch m.Event {
	case repair.MailReceived:
		s += "mottaget"
	case repair.MailPlanned:
		s += "besök " + m.Window
	case repair.MailAwaitingPart:
		s += "väntar på reservdel"
	case repair.MailDone:
		s += "arbetet är utfört"
	case repair.MailCancelled:
		s += "avbrutet"
	}
	if m.Title != "" {
		s += " – " + m.Title
	}
	return oneLine(s)
}

// NextStep is what happens next, as the mail says it.
func (m CaseMail) NextStep() string {
	switch m.Event {
	case repair.MailReceived:
		return "Vi planerar ett besök och skickar ett nytt meddelande med dag och tid."
	case repair.MailPlanned:
		return "Teknikern kommer " + m.Window + ". Se till att maskinen går att komma åt."
	case repair.MailAwaitingPart:
		return "Vi beställer delen och planerar ett nytt besök när den har kommit."
	case repair.MailDone:
		if m.NoteURL != "" {
			return "Följesedeln är signerad och finns i portalen."
		}
		return "Vad som gjordes finns i portalen."
	case repair.MailCancelled:
		return "Inget mer görs i ärendet. Hör av dig om felet finns kvar."
	}
	return ""
}

// Headline is the event as the mail's first line says it.
func (m CaseMail) Headline() string { return m.Event.Label() }

// Render gives the mail's subject and its plain-text and HTML bodies.
func (m CaseMail) Render() (subject, text, html string, err error) {
	subject = m.Subject()
	return subject, m.caseText(), m.caseHTML(subject), nil
}

// render executes the templates name.txt and name.html with data.
func render(name string, data any) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := textMails.ExecuteTemplate(&t, name+".txt", data); err != nil {
		return "", "", err
	}
	if err := htmlMails.ExecuteTemplate(&h, name+".html", data); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}

// oneLine is s with line breaks as spaces, for a header.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ResetMail is the mail with a link that sets a new password.
type ResetMail struct {
	Company, Name, Email string
	Link                 string
}

// Render gives the mail's subject and its plain-text and HTML bodies.
func (m ResetMail) Render() (subject, text, html string, err error) {
	text, html, err = render("reset", m)
	return "Nytt lösenord till kundportalen", text, html, err
}

// InviteMail is a customer admin's invitation of a colleague, with the
// link that sets the colleague's password.
type InviteMail struct {
	Company, Name, Email, InvitedBy string
	Link                            string
}

// Render gives the mail's subject and its plain-text and HTML bodies.
func (m InviteMail) Render() (subject, text, html string, err error) {
	text, html, err = render("invite", m)
	return "Inbjudan till kundportalen", text, html, err
}

// DigestMail is a day's case mails for one user, a line each.
type DigestMail struct {
	Company, Name string
	Date          string // the day it is sent, 2026-03-14
	Lines         []DigestLine
	SettingsURL   string
	// UnsubscribeURL ends the digest and every case mail.
	UnsubscribeURL string
}

// DigestLine is one case mail in a digest: its subject, when, and the
// case's link.
type DigestLine struct{ Text, Link, At string }

// Render gives the mail's subject and its plain-text and HTML bodies.
func (m DigestMail) Render() (subject, text, html string, err error) {
	text, html, err = render("digest", m)
	n := len(m.Lines)
	word := "händelser"
	if n == 1 {
		word = "händelse"
	}
	return oneLine("Dagligt sammandrag " + m.Date + ": " + strconv.Itoa(n) + " " + word + " i era ärenden"), text, html, err
}

// InvoiceMail tells of a new invoice or credit note and links to its
// Fakturaspecifikation.
type InvoiceMail struct {
	Company, Name  string
	Number         string
	Credit         bool   // a credit note
	Credits        string // the credited invoice's number
	Period         string // "2026-03-01–2026-03-31"
	ToPay          string // "12 345,00 kr"
	Due            string // the due date
	SpecURL        string
	SettingsURL    string
	UnsubscribeURL string
}

// Render gives the mail's subject and its plain-text and HTML bodies.
func (m InvoiceMail) Render() (subject, text, html string, err error) {
	text, html, err = render("invoice", m)
	what := "Faktura "
	if m.Credit {
		what = "Kreditfaktura "
	}
	return oneLine(what + m.Number + " från " + m.Company + ", " + m.ToPay), text, html, err
}
