// Package mailtest runs a real SMTP server (emersion/go-smtp) on a
// loopback port for tests, and reads what it received: each message
// parsed into its headers and its plain-text and HTML parts.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From   string   // the envelope sender
	To     []string // the envelope recipients
	Header mail.Header
	Text   string // the text/plain part
	HTML   string // the text/html part
	Raw    []byte
}

// Subject is the message's decoded Subject header.
func (m Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// Server is an SMTP server on a loopback port.
type Server struct {
	Addr string // host:port
	Port int

	mu       sync.Mutex
	messages []Message
	// failures is how many more DATA commands are refused with a
	// temporary error (451); refuse lists recipients refused for good
	// (550); stall, when set, holds every DATA until it is closed.
	failures int
	refuse   map[string]bool
	stall    chan struct{}
	arrived  chan struct{}
	srv      *smtp.Server
}

// Start starts a server, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), Port: ln.Addr().(*net.TCPAddr).Port, refuse: map[string]bool{}, arrived: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.AllowInsecureAuth = true
	go s.srv.Serve(ln)
	t.Cleanup(func() {
		s.Unstall()
		s.srv.Close()
	})
	return s
}

// URL is the server's address as KUNDPORTAL_SMTP_URL names it.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// FailNext makes the next n messages fail with a temporary error.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failures = n
	s.mu.Unlock()
}

// Refuse makes the server refuse addr as a recipient, for good.
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	s.refuse[strings.ToLower(addr)] = true
	s.mu.Unlock()
}

// Stall holds every message's DATA until Unstall.
func (s *Server) Stall() {
	s.mu.Lock()
	if s.stall == nil {
		s.stall = make(chan struct{})
	}
	s.mu.Unlock()
}

// Unstall lets held and later messages through.
func (s *Server) Unstall() {
	s.mu.Lock()
	if s.stall != nil {
		close(s.stall)
		s.stall = nil
	}
	s.mu.Unlock()
}

// Messages are the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait waits up to timeout until n messages have been accepted in all,
// and returns them.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("%d messages arrived within %v, want %d", len(s.Messages()), timeout, n)
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	refused := x.s.refuse[strings.ToLower(to)]
	x.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	stall := x.s.stall
	fail := x.s.failures > 0
	if fail {
		x.s.failures--
	}
	x.s.mu.Unlock()
	if stall != nil {
		<-stall
	}
	if fail {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Cannot parse: " + err.Error()}
	}
	m.From, m.To = x.from, x.to
	x.s.mu.Lock()
	x.s.messages = append(x.s.messages, m)
	x.s.mu.Unlock()
	x.s.arrived <- struct{}{}
	return nil
}

// parse reads a message and its text and HTML parts (one level of
// multipart, as the product sends).
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw}
	ct, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return m, err
	}
	if !strings.HasPrefix(ct, "multipart/") {
		body, err := decode(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return m, err
		}
		m.set(ct, body)
		return m, nil
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return m, err
		}
		pct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body, err := decode(p, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return m, err
		}
		m.set(pct, body)
	}
}

func (m *Message) set(contentType, body string) {
	switch contentType {
	case "text/plain":
		m.Text = body
	case "text/html":
		m.HTML = body
	}
}

func decode(r io.Reader, encoding string) (string, error) {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		b, err := io.ReadAll(r)
		if err != nil {
			return "", err
		}
		dec, err := decodeBase64(b)
		return string(dec), err
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

func decodeBase64(b []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
}
