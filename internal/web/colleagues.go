package web

import (
	"net/http"
	"strconv"

	"kundportal/internal/repair"
)

// A customer's admin: its colleagues' logins (orders/colleagues.go) and
// the mail sent to them.

type colleaguesPage struct {
	basePage
	Users  []repair.User
	Invite form[repair.UserInput]
	Change form[struct{}] // a refused block or role change
	Roles  []repair.Role
}

var colleagueRoles = []repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin}

func (s *server) listColleagues(w http.ResponseWriter, r *http.Request) error {
	return s.renderColleagues(w, r, http.StatusOK, nil)
}

func (s *server) renderColleagues(w http.ResponseWriter, r *http.Request, status int, failed func(*colleaguesPage)) error {
	users, err := s.ops.Colleagues(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	p := &colleaguesPage{basePage: s.base(r, "Användare"), Users: users, Roles: colleagueRoles,
		Invite: newForm("invite", repair.UserInput{Role: string(repair.RoleCustomerUser)}), Change: newForm("change", struct{}{})}
	if failed != nil {
		failed(p)
	}
	return s.render(w, r, status, "portal/colleagues.html", p)
}

func (s *server) inviteColleague(w http.ResponseWriter, r *http.Request) error {
	in := userInput(r)
	in.Password = ""
	_, err := s.ops.InviteColleague(r.Context(), userOf(r), in)
	return s.answer(w, r, err, "/anvandare", "inbjudan", func(fe repair.FieldErrors) error {
		return s.renderColleagues(w, r, http.StatusUnprocessableEntity, func(p *colleaguesPage) { p.Invite = failedForm("invite", in, fe) })
	})
}

func (s *server) setColleagueDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.ops.SetColleagueDisabled(r.Context(), userOf(r), id, r.PostFormValue("disabled") == "1")
	return s.answer(w, r, err, "/anvandare", "inloggning-sparrad", func(fe repair.FieldErrors) error {
		return s.renderColleagues(w, r, http.StatusUnprocessableEntity, func(p *colleaguesPage) { p.Change = failedForm("change", struct{}{}, fe) })
	})
}

func (s *server) setColleagueRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.ops.SetColleagueRole(r.Context(), userOf(r), id, repair.Role(r.PostFormValue("role")))
	return s.answer(w, r, err, "/anvandare", "roll", func(fe repair.FieldErrors) error {
		return s.renderColleagues(w, r, http.StatusUnprocessableEntity, func(p *colleaguesPage) { p.Change = failedForm("change", struct{}{}, fe) })
	})
}

type customerMailsPage struct {
	basePage
	Mails []repair.Mail
	Next  string
}

// customerMails is the mail log of the admin's customer: what was sent
// to whom, and when.
func (s *server) customerMails(w http.ResponseWriter, r *http.Request) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("fore"), 10, 64)
	mails, more, err := s.ops.CustomerMails(r.Context(), userOf(r), max(before, 0))
	if err != nil {
		return err
	}
	p := &customerMailsPage{basePage: s.base(r, "E-postlogg"), Mails: mails}
	if more {
		p.Next = "/anvandare/utskick?fore=" + strconv.FormatInt(mails[len(mails)-1].ID, 10)
	}
	return s.render(w, r, http.StatusOK, "portal/customer_mails.html", p)
}
