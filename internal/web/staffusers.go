package web

import (
	"net/http"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

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
	p := &staffUsersPage{basePage: s.base(r, "Personal"), FormState: st, Roles: orders.StaffRoles}
	for _, role := range orders.StaffRoles {
		us, err := s.db.UsersByRole(r.Context(), repair.StaffScope(), role)
		if err != nil {
			return err
		}
		p.Users = append(p.Users, us...)
	}
	return s.render(w, r, status, "order/staff.html", p)
}

func (s *server) createStaffUser(w http.ResponseWriter, r *http.Request) error {
	v := r.PostFormValue
	_, err := s.ops.CreateStaffUser(r.Context(), userOf(r), repair.UserInput{Name: v("name"), Email: v("email"), Phone: v("phone"), Role: v("role"), Password: v("password")})
	if fe, ok := fieldErrors(err); ok {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, failed(r, "staff", fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/order/personal", http.StatusSeeOther)
	return nil
}

// setStaffDisabled blocks or unblocks a staff login.
func (s *server) setStaffDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.ops.SetStaffDisabled(r.Context(), userOf(r), id, r.PostFormValue("disabled") == "1")
	if fe, ok := fieldErrors(err); ok {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, FormState{Form: "block", Errors: fe})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/order/personal", http.StatusSeeOther)
	return nil
}
