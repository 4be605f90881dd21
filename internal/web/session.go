package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

const sessionCookie = "kp_session"

// maxNext bounds the page a login sends back to; a longer address is not
// carried through the login page.
const maxNext = 2000

type ctxKey int

const userKey ctxKey = iota

// session is the signed-in user of a request.
type session struct {
	user      repair.User
	tokenHash string
}

func sessionFrom(ctx context.Context) (session, bool) {
	s, ok := ctx.Value(userKey).(session)
	return s, ok
}

// withSession attaches the signed-in user, if the cookie names a live
// session. A missing, expired or tampered cookie simply means "not signed
// in"; it is never an error page.
func (s *server) withSession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || len(c.Value) > 100 || !repair.CleanText(c.Value) {
			h.ServeHTTP(w, r)
			return
		}
		hash := auth.HashToken(c.Value)
		_, u, err := s.ops.Session(r.Context(), hash)
		switch {
		case errors.Is(err, orders.ErrSessionNotExtended):
			s.log.Error("session", "err", err)
		case errors.Is(err, repair.ErrNotFound):
			h.ServeHTTP(w, r)
			return
		case err != nil:
			s.log.Error("session lookup", "err", err)
			h.ServeHTTP(w, r)
			return
		}
		ctx := context.WithValue(r.Context(), userKey, session{user: u, tokenHash: hash})
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// access says who may use a route.
type access int

const (
	public access = iota
	signedIn
	customer
	staff
	technician
	adminOnly
	customerAdmin
)

func (a access) allows(role repair.Role) bool {
	switch a {
	case signedIn:
		return role.Valid()
	case customer:
		return role.IsCustomer()
	case staff:
		return role.IsStaff()
	case technician:
		return role == repair.RoleTechnician || role == repair.RoleAdmin
	case adminOnly:
		return role == repair.RoleAdmin
	case customerAdmin:
		return role == repair.RoleCustomerAdmin
	}
	return true
}

// require enforces a route's access. Without a session the user is sent to
// the login page and back afterwards; a signed-in user without the right
// role gets 404, so that the staff area's existence is not revealed.
func (s *server) require(a access, h http.Handler) http.Handler {
	if a == public {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := sessionFrom(r.Context())
		if !ok {
			target := "/logga-in"
			if r.Method == http.MethodGet && r.URL.Path != "/" && len(r.URL.RequestURI()) <= maxNext {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		// A start password from the office must be replaced before
		// anything else.
		if sess.user.MustChangePassword && r.URL.Path != "/byt-losenord" && r.URL.Path != "/logga-ut" {
			http.Redirect(w, r, "/byt-losenord", http.StatusSeeOther)
			return
		}
		// So must two-factor login, where the role needs it.
		if !sess.user.TOTPEnabled && s.ops.TOTPRequired(sess.user) && !strings.HasPrefix(r.URL.Path, "/tvastegs") && r.URL.Path != "/logga-ut" {
			http.Redirect(w, r, "/tvastegs", http.StatusSeeOther)
			return
		}
		if !a.allows(sess.user.Role) {
			s.serveError(w, r, errNotFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// homeFor is where a user lands after login.
func homeFor(role repair.Role) string {
	switch {
	case role.IsCustomer():
		return "/nytt-arende"
	case role.IsStaff():
		return "/order"
	case role == repair.RoleTechnician:
		return "/tekniker"
	}
	return "/logga-in"
}

// safeNext accepts only a local path as a post-login target, so the login
// page cannot be used to send users to another site.
func safeNext(next string) string {
	if next == "" || len(next) > maxNext || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

func (s *server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		Expires:  expires,
		HttpOnly: true,
		Secure:   s.secureCookies || r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.secureCookies || r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}
