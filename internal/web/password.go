package web

import (
	"net/http"

	"kundportal/internal/repair"
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
	u := userOf(r)
	err := s.ops.ChangePassword(r.Context(), u, repair.PasswordChangeInput{
		Current: r.PostFormValue("current"), New: r.PostFormValue("new"), Again: r.PostFormValue("again")})
	if fe, ok := fieldErrors(err); ok {
		return s.render(w, r, http.StatusUnprocessableEntity, "password.html", &passwordPage{basePage: s.base(r, "Byt lösenord"), Errors: fe, Forced: u.MustChangePassword})
	}
	if err != nil {
		return err
	}
	// The operation ended every session of the user, this one too.
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/logga-in?bytt=1", http.StatusSeeOther)
	return nil
}
