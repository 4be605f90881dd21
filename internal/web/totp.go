package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

// Two-factor login (orders/totp.go): the login's second step, and the
// page where a user sets it up, sees its recovery codes and, where its
// role allows, turns it off.

// challengeCookie carries a login's challenge from the password to the
// code, on the code's page only.
const challengeCookie = "kp_login"

const codePath = "/logga-in/kod"

func (s *server) setChallengeCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: token, Path: codePath, Expires: expires,
		HttpOnly: true, Secure: s.secureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (s *server) clearChallengeCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: "", Path: codePath, MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

type codePage struct {
	basePage
	Next   string
	Error  string
	Errors repair.FieldErrors
}

// toCode sends a login whose password was right to its code's page.
func (s *server) toCode(w http.ResponseWriter, r *http.Request, login orders.Login, next string) {
	s.setChallengeCookie(w, r, login.Challenge, login.Expires)
	target := codePath
	if next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (s *server) showCode(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(challengeCookie); err != nil || c.Value == "" {
		http.Redirect(w, r, "/logga-in?igen=1", http.StatusSeeOther)
		return nil
	}
	p := codePage{basePage: s.base(r, "Logga in"), Next: safeNext(r.URL.Query().Get("next"))}
	return s.render(w, r, http.StatusOK, "login_code.html", &p)
}

func (s *server) code(w http.ResponseWriter, r *http.Request) error {
	p := codePage{basePage: s.base(r, "Logga in"), Next: safeNext(r.PostFormValue("next"))}
	c, err := r.Cookie(challengeCookie)
	if err != nil {
		http.Redirect(w, r, "/logga-in?igen=1", http.StatusSeeOther)
		return nil
	}
	in := orders.CodeInput{Challenge: c.Value, Code: r.PostFormValue("code"), Address: s.clientAddress(r)}
	if old, ok := sessionFrom(r.Context()); ok {
		in.OldTokenHash = old.tokenHash
	}
	login, err := s.ops.CompleteSignIn(r.Context(), in)
	if fe, ok := fieldErrors(err); ok {
		p.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "login_code.html", &p)
	}
	switch {
	case errors.Is(err, orders.ErrChallengeGone):
		s.clearChallengeCookie(w, r)
		http.Redirect(w, r, "/logga-in?igen=1", http.StatusSeeOther)
		return nil
	case errors.Is(err, orders.ErrThrottled):
		s.metrics.LoginFailed("throttled")
		p.Error = msgThrottled
		return s.render(w, r, http.StatusTooManyRequests, "login_code.html", &p)
	case errors.Is(err, orders.ErrBadCode):
		s.metrics.LoginFailed("code")
		p.Error = "Koden stämmer inte, eller är redan använd. Skriv koden som appen visar nu."
		return s.render(w, r, http.StatusUnauthorized, "login_code.html", &p)
	case err != nil:
		return err
	}
	s.clearChallengeCookie(w, r)
	s.enter(w, r, login, p.Next)
	return nil
}

type totpPage struct {
	basePage
	Required  bool
	Enabled   bool
	CodesLeft int
	// Setting it up: the secret as a QR code and as text, sealed for the
	// form.
	QR     template.URL
	Secret string
	Sealed string
	// Codes are new recovery codes, shown once.
	Codes  []string
	Errors repair.FieldErrors
}

func (s *server) showTOTP(w http.ResponseWriter, r *http.Request) error {
	return s.renderTOTP(w, r, http.StatusOK, &totpPage{})
}

func (s *server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, p *totpPage) error {
	u := userOf(r)
	p.basePage = s.base(r, "Tvåstegsverifiering")
	p.Required, p.Enabled = s.ops.TOTPRequired(u), u.TOTPEnabled
	if p.Enabled {
		n, err := s.ops.RecoveryCodesLeft(r.Context(), u)
		if err != nil {
			return err
		}
		p.CodesLeft = n
	} else {
		e, err := s.ops.StartTOTP(u)
		if err != nil {
			return err
		}
		p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QR)) //nolint:gosec // our own PNG
		p.Secret, p.Sealed = e.Secret, e.Sealed
	}
	return s.render(w, r, status, "totp.html", p)
}

func (s *server) enableTOTP(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	codes, err := s.ops.EnableTOTP(r.Context(), u, r.PostFormValue("sealed"), r.PostFormValue("code"))
	if fe, ok := fieldErrors(err); ok {
		return s.renderTOTP(w, r, http.StatusUnprocessableEntity, &totpPage{Errors: fe})
	}
	if err != nil {
		return err
	}
	u.TOTPEnabled = true
	return s.renderCodes(w, r, u, codes)
}

// renderCodes shows new recovery codes, once: the page is not cached.
func (s *server) renderCodes(w http.ResponseWriter, r *http.Request, u repair.User, codes []string) error {
	p := &totpPage{basePage: s.base(r, "Tvåstegsverifiering"), Required: s.ops.TOTPRequired(u), Enabled: true, Codes: codes,
		CodesLeft: len(codes)}
	p.User = &u
	return s.render(w, r, http.StatusOK, "totp.html", p)
}

func (s *server) newRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	codes, err := s.ops.NewRecoveryCodes(r.Context(), u)
	if fe, ok := fieldErrors(err); ok {
		return s.renderTOTP(w, r, http.StatusUnprocessableEntity, &totpPage{Errors: fe})
	}
	if err != nil {
		return err
	}
	return s.renderCodes(w, r, u, codes)
}

func (s *server) disableTOTP(w http.ResponseWriter, r *http.Request) error {
	err := s.ops.DisableTOTP(r.Context(), userOf(r))
	if fe, ok := fieldErrors(err); ok {
		return s.renderTOTP(w, r, http.StatusUnprocessableEntity, &totpPage{Errors: fe})
	}
	return s.answer(w, r, err, "/tvastegs", "tvastegs-av", nil)
}
