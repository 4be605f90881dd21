package repair

import (
	"slices"
	"strings"
	"time"
)

// MailEvent is something that happened to a case that a customer user
// may be told of by e-mail.
type MailEvent string

const (
	MailReceived     MailEvent = "case_received"      // the case was received
	MailPlanned      MailEvent = "case_planned"       // a visit was planned
	MailAwaitingPart MailEvent = "case_awaiting_part" // the work waits for a part
	MailDone         MailEvent = "case_done"          // the work is done
	MailCancelled    MailEvent = "case_cancelled"     // the case was cancelled
)

// Mails about a login, not a case's, and not for the settings page: a
// Glömt lösenord link, and an invitation from a customer's admin.
const (
	MailPasswordReset MailEvent = "password_reset"
	MailInvitation    MailEvent = "invitation"
	// MailDigest is a day's case mails in one, for who chose so.
	MailDigest MailEvent = "digest"
	// MailInvoice is an invoice or credit note issued to the customer,
	// with its Fakturaspecifikation: for those who see invoices, by
	// default its admins (InvoiceMailDefault).
	MailInvoice MailEvent = "invoice_issued"
)

// InvoiceMailDefault is whether a user who has made no choice gets the
// mail of each new invoice: a customer's admins do.
func InvoiceMailDefault(u User) bool { return u.Role == RoleCustomerAdmin }

// MailEvents are the events in the order the settings page lists them.
var MailEvents = []MailEvent{MailReceived, MailPlanned, MailAwaitingPart, MailDone, MailCancelled}

// Label is the event as the portal names it.
func (e MailEvent) Label() string {
	switch e {
	case MailReceived:
		return "Ärendet är mottaget"
	case MailPlanned:
		return "Besök planerat"
	case MailAwaitingPart:
		return "Väntar på reservdel"
	case MailDone:
		return "Arbetet är utfört"
	case MailCancelled:
		return "Ärendet är avbrutet"
	case MailPasswordReset:
		return "Nytt lösenord"
	case MailInvitation:
		return "Inbjudan"
	case MailDigest:
		return "Dagligt sammandrag"
	case MailInvoice:
		return "Ny faktura"
	}
	return string(e)
}

// Valid reports whether e is one of MailEvents.
func (e MailEvent) Valid() bool { return slices.Contains(MailEvents, e) }

// MailCases says for which cases a user wants the mails of an event.
type MailCases string

const (
	MailNone MailCases = "none" // no mail
	MailMine MailCases = "mine" // the cases the user reported (the default)
	MailAll  MailCases = "all"  // all of the user's customer's cases
)

// Label is the choice as the settings page names it.
func (c MailCases) Label() string {
	switch c {
	case MailNone:
		return "Inga e-postmeddelanden"
	case MailMine:
		return "Ärenden jag har anmält"
	case MailAll:
		return "Alla ärenden för min organisation"
	}
	return string(c)
}

// Valid reports whether c is one of the three choices.
func (c MailCases) Valid() bool { return c == MailNone || c == MailMine || c == MailAll }

// MailSettings are a user's choices per event; an event not in the map
// has the default, MailMine.
type MailSettings map[MailEvent]MailCases

// For is the choice for e.
func (s MailSettings) For(e MailEvent) MailCases {
	if c, ok := s[e]; ok {
		return c
	}
	return MailMine
}

// Mail is one e-mail in the outbox: rendered and addressed when the
// change that sends it committed, then sent by the outbox worker.
type Mail struct {
	ID             int64
	MessageID      string // the Message-ID, without angle brackets
	Event          MailEvent
	CustomerID     int64 // 0: none
	CaseID         int64 // 0: none
	CaseNumber     string
	UserID         int64 // the recipient's account; 0: none
	Recipient      string
	Subject        string
	Text           string
	HTML           string
	UnsubscribeURL string
	CreatedAt      time.Time
	NextAttemptAt  time.Time
	Attempts       int
	LastError      string
	Transport      string // once sent: MailSMTP or MailUtskick
	SentAt         time.Time
	FailedAt       time.Time
}

// How a mail went out.
const (
	MailSMTP    = "smtp"    // through the mail server
	MailUtskick = "utskick" // no mail server set: shown on the Utskick page only
)

// MailState is where a mail in the outbox is.
type MailState string

const (
	MailWaiting MailState = "waiting" // not sent yet (perhaps after failed attempts)
	MailSent    MailState = "sent"
	MailShown   MailState = "shown"  // no mail server: on the Utskick page only
	MailFailed  MailState = "failed" // the worker gave up
)

// State is where m is.
func (m Mail) State() MailState {
	switch {
	case !m.SentAt.IsZero() && m.Transport == MailUtskick:
		return MailShown
	case !m.SentAt.IsZero():
		return MailSent
	case !m.FailedAt.IsZero():
		return MailFailed
	}
	return MailWaiting
}

// Label is the state as the Utskick page shows it.
func (s MailState) Label() string {
	switch s {
	case MailWaiting:
		return "Väntar"
	case MailSent:
		return "Skickat"
	case MailShown:
		return "Visas här (ingen e-postserver)"
	case MailFailed:
		return "Misslyckades"
	}
	return string(s)
}

// ResetPath is where a Glömt lösenord link leads, up to its token.
const ResetPath = "/aterstall-losenord/"

// Redacted is m as the office and a customer's admin may read it: the
// token of a reset or invitation link, which would let the reader choose
// the user's password, is left out.
func (m Mail) Redacted() Mail {
	m.Text, m.HTML = redactResetLinks(m.Text), redactResetLinks(m.HTML)
	return m
}

// redactResetLinks is s with every reset link's token replaced by "…".
func redactResetLinks(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, ResetPath)
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i+len(ResetPath)] + "…")
		s = s[i+len(ResetPath):]
		j := strings.IndexFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		})
		if j < 0 {
			return b.String()
		}
		s = s[j:]
	}
}
