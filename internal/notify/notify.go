// Package notify renders Kundportal's e-mails and sends them. The mails
// are written to the outbox by the operations (internal/orders), in the
// transaction of the change they tell of, and sent by the outbox worker
// (internal/worker) through a Sender: SMTP when KUNDPORTAL_SMTP_URL is
// set, otherwise none, and the office reads them on the Utskick page.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/wneessen/go-mail"
)

// Message is one e-mail to send.
type Message struct {
	MessageID string // without angle brackets; the same on every attempt
	To        string
	Subject   string
	Text      string
	HTML      string
	// UnsubscribeURL, when set, is the one-click unsubscribe link
	// (RFC 8058) of the List-Unsubscribe header.
	UnsubscribeURL string
}

// Sender sends messages. An error that Permanent reports true for will
// not go away by trying again.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTPConfig is where and how to send: from KUNDPORTAL_SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "ssl" (TLS from the start, smtps://), "starttls" (required),
	// "opportunistic" (STARTTLS where the server offers it) or "none".
	TLS string
}

// ParseSMTPURL reads an SMTP URL:
//
//	smtp://[user[:password]@]host[:port][?tls=starttls|opportunistic|none]
//	smtps://[user[:password]@]host[:port]
//
// smtp:// requires STARTTLS (port 587 by default) unless the host is a
// loopback address, where it is used if offered; ?tls= says otherwise.
// smtps:// speaks TLS from the start (port 465).
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, errors.New("not a URL (want smtp://user:password@host:587)")
	}
	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.Port, c.TLS = 587, "starttls"
		if loopback(u.Hostname()) {
			c.TLS = "opportunistic"
		}
	case "smtps":
		c.Port, c.TLS = 465, "ssl"
	default:
		return SMTPConfig{}, fmt.Errorf("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return SMTPConfig{}, errors.New("no host (want smtp://user:password@host:587)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("port %q is not a port number", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	if t := q.Get("tls"); t != "" {
		if u.Scheme == "smtps" {
			return SMTPConfig{}, errors.New("smtps:// always speaks TLS; leave out ?tls=")
		}
		switch t {
		case "starttls", "opportunistic", "none":
			c.TLS = t
		default:
			return SMTPConfig{}, fmt.Errorf("tls=%q: want starttls, opportunistic or none", t)
		}
		q.Del("tls")
	}
	if len(q) > 0 {
		return SMTPConfig{}, fmt.Errorf("unknown parameters %q", q.Encode())
	}
	return c, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SMTP sends through a mail server, one connection per send.
type SMTP struct {
	cfg      SMTPConfig
	from     string
	fromName string
}

// NewSMTP returns a sender through the server of cfg, with from (an
// address) as the sender and fromName as its name.
func NewSMTP(cfg SMTPConfig, from, fromName string) (*SMTP, error) {
	m := mail.NewMsg()
	if err := m.FromFormat(fromName, from); err != nil {
		return nil, fmt.Errorf("from address %q: %w", from, err)
	}
	return &SMTP{cfg: cfg, from: from, fromName: fromName}, nil
}

// Send sends m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return permanent{err}
	}
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(30 * time.Second)}
	switch s.cfg.TLS {
	case "ssl":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.cfg.Username),
			mail.WithPassword(s.cfg.Password))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason == mail.ErrSMTPRcptTo {
			// The server refused the recipient for good.
			return permanent{err}
		}
		return err
	}
	return nil
}

// message is m as a MIME message: plain text with an HTML alternative.
func (s *SMTP) message(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.FromFormat(s.fromName, s.from); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader(mail.HeaderListUnsubscribe, "<"+m.UnsubscribeURL+">")
		msg.SetGenHeader(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	// A notification: no out-of-office replies.
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(mail.Header("X-Auto-Response-Suppress"), "All")
	return msg, nil
}

// permanent is an error trying again will not mend.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent reports whether err will not go away by trying again: a
// message that cannot be built, a recipient the server refused for good.
func Permanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
