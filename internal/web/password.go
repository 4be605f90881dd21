package web

import (
	"errors"
	"net/http"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

type passwordPage struct {
	basePage
	Errors repair.FieldErrors
	Forced bool
}

// showChangePassword asks for the current and a new password; a user with
// a start password from the office gets here first.
func (s *server) showChangePassword(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	return s.render(w, r, http.StatusOK, "password.html", &passwordPage{basePage: s.base(r, "Byt lösenord"), Forced: u.MustChangePassword})
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	current, next, again := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("again")
	fe := repair.FieldErrors{}
	if err := auth.CheckPassword(u.PasswordHash, current); err != nil {
		if !errors.Is(err, auth.ErrMismatch) {
			return err
		}
		fe.Add("current", "Fel lösenord.")
	}
	switch msg := repair.PasswordProblem(next); {
	case msg != "":
		fe.Add("new", msg)
	case next == current:
		fe.Add("new", "Välj ett annat lösenord än det nuvarande.")
	}
	if again != next && fe["new"] == "" {
		fe.Add("again", "Lösenorden är inte lika.")
	}
	if len(fe) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "password.html", &passwordPage{basePage: s.base(r, "Byt lösenord"), Errors: fe, Forced: u.MustChangePassword})
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	// SetPassword ends every session of the user, this one too: sign in
	// again with the new password, which also proves it works.
	if err := s.change(r, "user", u.ID, "password", "Lösenord bytt", func(tx *store.Tx) error {
		return tx.SetPassword(ctx, u.ID, hash, false)
	}); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/logga-in?bytt=1", http.StatusSeeOther)
	return nil
}
