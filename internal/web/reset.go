package web

import (
	"errors"
	"net/http"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

// Glömt lösenord: the request for a link, and the link's page, where the
// new password is chosen (orders/reset.go).

type forgotPage struct {
	basePage
	Email  string
	Sent   bool
	Error  string
	Errors repair.FieldErrors
}

func (s *server) showForgot(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "forgot.html", &forgotPage{basePage: s.base(r, "Glömt lösenord")})
}

// forgot answers the same whether the address has an account or not.
func (s *server) forgot(w http.ResponseWriter, r *http.Request) error {
	email := r.PostFormValue("email")
	p := forgotPage{basePage: s.base(r, "Glömt lösenord"), Email: truncate(email, 254)}
	err := s.ops.RequestPasswordReset(r.Context(), orders.ResetRequest{Email: email, Address: s.clientAddress(r)})
	if fe, ok := fieldErrors(err); ok {
		p.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "forgot.html", &p)
	}
	switch {
	case errors.Is(err, orders.ErrThrottled):
		p.Error = "För många försök. Vänta 15 minuter och försök igen."
		return s.render(w, r, http.StatusTooManyRequests, "forgot.html", &p)
	case err != nil:
		return err
	}
	p.Sent = true
	return s.render(w, r, http.StatusOK, "forgot.html", &p)
}

type resetPage struct {
	basePage
	Token  string
	Email  string
	Gone   bool // the link no longer works
	Errors repair.FieldErrors
}

// showReset is a reset link's page: the new password's form, or the word
// that the link no longer works.
func (s *server) showReset(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	p := resetPage{basePage: s.base(r, "Nytt lösenord"), Token: token}
	u, err := s.ops.PasswordResetUser(r.Context(), token)
	return s.renderReset(w, r, &p, u, err, http.StatusOK)
}

func (s *server) reset(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	p := resetPage{basePage: s.base(r, "Nytt lösenord"), Token: token}
	u, err := s.ops.ResetForgottenPassword(r.Context(), token, repair.NewPasswordInput{New: r.PostFormValue("new"), Again: r.PostFormValue("again")})
	if fe, ok := fieldErrors(err); ok {
		p.Errors = fe
		return s.renderReset(w, r, &p, u, nil, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return s.renderReset(w, r, &p, u, err, 0)
	}
	// The user's sessions have ended, in this browser too.
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/logga-in?bytt=1", http.StatusSeeOther)
	return nil
}

// renderReset shows p for u, or, when err says the link no longer works,
// the page that says so (404, like a page that is not there).
func (s *server) renderReset(w http.ResponseWriter, r *http.Request, p *resetPage, u repair.User, err error, status int) error {
	switch {
	case errors.Is(err, repair.ErrNotFound):
		p.Gone, p.Token = true, ""
		return s.render(w, r, http.StatusNotFound, "reset.html", p)
	case err != nil:
		return err
	}
	p.Email = u.Email
	return s.render(w, r, status, "reset.html", p)
}
