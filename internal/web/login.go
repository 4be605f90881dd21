package web

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Login throttling: after this many failures within the window, further
// attempts for the same account, or from the same client address, are
// refused until the window has passed. The address limit is higher because
// many people of one customer may share an office address.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 5
	maxAddressFailures = 30
)

const (
	msgBadLogin  = "Fel e-postadress eller lösenord."
	msgThrottled = "För många misslyckade inloggningsförsök. Vänta 15 minuter och försök igen."
)

type loginPage struct {
	basePage
	Email string
	Next  string
	Error string
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
	}
	return s.render(w, r, http.StatusOK, "login.html", &p)
}

func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := store.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	p := loginPage{basePage: s.base(r, "Logga in"), Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
	if len(p.Email) > 254 {
		p.Email = p.Email[:254]
	}
	accountKey, addressKey := "account:"+email, "address:"+s.clientAddress(r)

	since := s.db.Now().Add(-throttleWindow)
	accountFails, err := s.db.LoginFailures(ctx, accountKey, since)
	if err != nil {
		return err
	}
	addressFails, err := s.db.LoginFailures(ctx, addressKey, since)
	if err != nil {
		return err
	}
	if accountFails >= maxAccountFailures || addressFails >= maxAddressFailures {
		p.Error = msgThrottled
		return s.render(w, r, http.StatusTooManyRequests, "login.html", &p)
	}

	u, err := s.db.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, repair.ErrNotFound):
		err = auth.CheckNoUser(password)
	case err != nil:
		return err
	case u.Disabled:
		auth.CheckNoUser(password)
		err = auth.ErrMismatch
	default:
		err = auth.CheckPassword(u.PasswordHash, password)
	}
	if err != nil {
		if !errors.Is(err, auth.ErrMismatch) {
			s.log.Error("login: password check", "user", u.ID, "err", err)
		}
		if err := s.db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddLoginFailure(ctx, accountKey, addressKey)
		}); err != nil {
			return err
		}
		p.Error = msgBadLogin
		return s.render(w, r, http.StatusUnauthorized, "login.html", &p)
	}

	// A new token at every login, so a session id planted before login
	// is worth nothing after it.
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	expires := s.db.Now().Add(sessionIdle)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if old, ok := sessionFrom(ctx); ok {
			if err := tx.DeleteSession(ctx, old.tokenHash); err != nil {
				return err
			}
		}
		if err := tx.ClearLoginFailures(ctx, accountKey); err != nil {
			return err
		}
		return tx.CreateSession(ctx, hash, u.ID, expires)
	})
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, expires)
	target := p.Next
	if target == "" {
		target = homeFor(u.Role)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if sess, ok := sessionFrom(r.Context()); ok {
		if err := s.db.Update(r.Context(), func(tx *store.Tx) error {
			return tx.DeleteSession(r.Context(), sess.tokenHash)
		}); err != nil {
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
