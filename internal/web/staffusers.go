package web

import (
	"net/http"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// staffRoles are the roles of the company's own people.
var staffRoles = []repair.Role{repair.RoleDispatcher, repair.RoleTechnician, repair.RoleAdmin}

type staffUsersPage struct {
	basePage
	FormState
	Users []repair.User
	Roles []repair.Role
}

// listStaff is the admins' setting for the company's own logins.
func (s *server) listStaff(w http.ResponseWriter, r *http.Request) error {
	return s.renderStaff(w, r, http.StatusOK, FormState{})
}

func (s *server) renderStaff(w http.ResponseWriter, r *http.Request, status int, st FormState) error {
	p := &staffUsersPage{basePage: s.base(r, "Personal"), FormState: st, Roles: staffRoles}
	for _, role := range staffRoles {
		us, err := s.db.UsersByRole(r.Context(), role)
		if err != nil {
			return err
		}
		p.Users = append(p.Users, us...)
	}
	return s.render(w, r, status, "order/staff.html", p)
}

func (s *server) createStaffUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := r.PostFormValue
	u, pw, fe := repair.UserInput{Name: v("name"), Email: v("email"), Phone: v("phone"), Role: v("role"), Password: v("password")}.Validate(staffRoles)
	if len(fe) == 0 {
		var err error
		u.MustChangePassword = true
		if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
			return err
		}
		err = s.db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			return tx.Audit(ctx, userOf(r).ID, "user", u.ID, "create", "Personal skapad: "+u.Email+" ("+u.Role.Label()+")")
		})
		if err := conflictTo(err, fe, "email", "E-postadressen används redan."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, failed(r, "staff", fe))
	}
	http.Redirect(w, r, "/order/personal", http.StatusSeeOther)
	return nil
}

// setStaffDisabled blocks or unblocks a staff login; an admin cannot block
// their own, so the site always keeps one admin who can undo it.
func (s *server) setStaffDisabled(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.db.User(ctx, id)
	if err != nil {
		return err
	}
	if u.Role.IsCustomer() {
		return errNotFound
	}
	me := userOf(r)
	disable := r.PostFormValue("disabled") == "1"
	if disable && u.ID == me.ID {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, FormState{Form: "block", Errors: repair.FieldErrors{"user": "Du kan inte spärra din egen inloggning."}})
	}
	what := "Personal öppnad: "
	if disable {
		what = "Personal spärrad: "
	}
	if err := s.change(r, "user", u.ID, "disable", what+u.Email, func(tx *store.Tx) error {
		return tx.SetUserDisabled(ctx, u.ID, disable)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/order/personal", http.StatusSeeOther)
	return nil
}
