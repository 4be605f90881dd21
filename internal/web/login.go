package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

const (
	msgBadLogin  = "Fel e-postadress eller lösenord."
	msgThrottled = "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen."
)

type loginPage struct {
	basePage
	Email string
	Next  string
	// Error is the one message for a refused login, whatever was wrong
	// with it; Errors ask for the fields left empty, each next to its own.
	Error  string
	Errors repair.FieldErrors
}

func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	target := "/logga-in"
	if sess, ok := sessionFrom(r.Context()); ok {
		target = homeFor(sess.user.Role)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func (s *server) showLogin(w http.ResponseWriter, r *http.Request) error {
	if sess, ok := sessionFrom(r.Context()); ok {
		http.Redirect(w, r, homeFor(sess.user.Role), http.StatusSeeOther)
		return nil
	}
	p := loginPage{basePage: s.base(r, "Logga in"), Next: safeNext(r.URL.Query().Get("next"))}
	switch q := r.URL.Query(); {
	case q.Has("utloggad"):
		p.Flash = "Du är utloggad."
	case q.Has("bytt"):
		p.Flash = "Lösenordet är bytt. Logga in med det nya lösenordet."
	case q.Has("igen"):
		p.Flash = "Inloggningen tog för lång tid. Logga in igen."
	}
	return s.render(w, r, http.StatusOK, "login.html", &p)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	email := r.PostFormValue("email")
	p := loginPage{basePage: s.base(r, "Logga in"), Email: truncate(email, 254), Next: safeNext(r.PostFormValue("next"))}
	in := orders.LoginInput{Email: email, Password: r.PostFormValue("password"), Address: s.clientAddress(r)}
	if old, ok := sessionFrom(r.Context()); ok {
		in.OldTokenHash = old.tokenHash
	}
	login, err := s.ops.SignIn(r.Context(), in)
	if fe, ok := fieldErrors(err); ok {
		p.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "login.html", &p)
	}
	switch {
	case errors.Is(err, orders.ErrThrottled):
		s.metrics.LoginFailed("throttled")
		p.Error = msgThrottled
		return s.render(w, r, http.StatusTooManyRequests, "login.html", &p)
	case errors.Is(err, orders.ErrBadLogin):
		s.metrics.LoginFailed("password")
		p.Error = msgBadLogin
		return s.render(w, r, http.StatusUnauthorized, "login.html", &p)
	case err != nil:
		return err
	}
	if login.Challenge != "" {
		s.toCode(w, r, login, p.Next)
		return nil
	}
	s.enter(w, r, login, p.Next)
	return nil
}

// enter starts login's session in the browser and sends it on: to next,
// or to the user's start page.
func (s *server) enter(w http.ResponseWriter, r *http.Request, login orders.Login, next string) {
	s.setSessionCookie(w, r, login.Token, login.Expires)
	if next == "" {
		next = homeFor(login.User.Role)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if sess, ok := sessionFrom(r.Context()); ok {
		if err := s.ops.SignOut(r.Context(), sess.tokenHash); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/logga-in?utloggad=1", http.StatusSeeOther)
	return nil
}

// clientAddress is the client's IP address for throttling. By default it
// is the connection's address; X-Forwarded-For, which any client can
// forge, counts only behind a trusted proxy, and then only its last entry:
// the one that proxy appended.
func (s *server) clientAddress(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return strings.TrimSpace(r.RemoteAddr)
	}
	return host
}
