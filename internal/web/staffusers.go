package web

import (
	"net/http"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
)

type staffUsersPage struct {
	basePage
	New   form[repair.UserInput]
	Block form[struct{}] // a refused block, such as of one's own login
	// PasswordFor is the member whose new start password was refused.
	PasswordFor int64
	Users       []repair.User
	Roles       []repair.Role
}

// listStaff is the admins' setting for the company's own logins.
func (s *server) listStaff(w http.ResponseWriter, r *http.Request) error {
	return s.renderStaff(w, r, http.StatusOK, nil)
}

// renderStaff shows the staff logins; failed, when not nil, puts back the
// form that failed.
func (s *server) renderStaff(w http.ResponseWriter, r *http.Request, status int, failed func(*staffUsersPage)) error {
	p := &staffUsersPage{basePage: s.base(r, "Personal"), Roles: orders.StaffRoles,
		New: newForm("staff", repair.UserInput{Role: string(repair.RoleTechnician)}), Block: newForm("block", struct{}{})}
	if failed != nil {
		failed(p)
	}
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
	in := userInput(r)
	_, err := s.ops.CreateStaffUser(r.Context(), userOf(r), in)
	return s.answer(w, r, err, "/order/personal", "personal", func(fe repair.FieldErrors) error {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, func(p *staffUsersPage) { p.New = failedForm("staff", withoutPassword(in), fe) })
	})
}

// setStaffDisabled blocks or unblocks a staff login.
func (s *server) setStaffDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = s.ops.SetStaffDisabled(r.Context(), userOf(r), id, r.PostFormValue("disabled") == "1")
	return s.answer(w, r, err, "/order/personal", "personal", func(fe repair.FieldErrors) error {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, func(p *staffUsersPage) { p.Block = failedForm("block", struct{}{}, fe) })
	})
}

// resetStaffTOTP turns a staff member's two-factor login off, for a lost
// phone; it is set up again at the next login.
func (s *server) resetStaffTOTP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.ops.ResetStaffTOTP(r.Context(), userOf(r), id)
	return s.answer(w, r, err, "/order/personal", "tvastegs-aterstalld", func(fe repair.FieldErrors) error {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, func(p *staffUsersPage) { p.Block = failedForm("block", struct{}{}, fe) })
	})
}

// resetStaffPassword gives a staff member a start password.
func (s *server) resetStaffPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.ops.ResetStaffPassword(r.Context(), userOf(r), id, r.PostFormValue("password"))
	return s.answer(w, r, err, "/order/personal", "losenord", func(fe repair.FieldErrors) error {
		return s.renderStaff(w, r, http.StatusUnprocessableEntity, func(p *staffUsersPage) {
			p.Block = failedForm("block", struct{}{}, fe)
			p.PasswordFor = id
		})
	})
}
