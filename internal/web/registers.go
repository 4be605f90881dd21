package web

import (
	"net/http"
	"slices"
	"strings"

	"kundportal/internal/links"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// The registers of the order system: customers with their users,
// contracts and machines. Every change is audited on the customer.

// pathCustomer loads the customer named by the path's {id}; staff only.
func (s *server) pathCustomer(r *http.Request) (repair.Customer, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.Customer{}, err
	}
	return s.db.Customer(r.Context(), repair.StaffScope(), id)
}

type customersPage struct {
	basePage
	New       form[repair.CustomerInput]
	Query     string
	Customers []repair.Customer
}

func (s *server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	return s.renderCustomers(w, r, http.StatusOK, newForm("new", repair.CustomerInput{}))
}

func (s *server) renderCustomers(w http.ResponseWriter, r *http.Request, status int, nf form[repair.CustomerInput]) error {
	cs, err := s.db.Customers(r.Context(), repair.StaffScope())
	if err != nil {
		return err
	}
	// A company has hundreds of customers, not millions: filtering the
	// sorted list here is simpler than another query and as fast.
	q := truncate(strings.TrimSpace(r.URL.Query().Get("q")), 100)
	if q != "" {
		cs = slices.DeleteFunc(cs, func(c repair.Customer) bool {
			return !strings.Contains(store.Fold(c.Name+" "+c.Number+" "+c.OrgNumber), store.Fold(q))
		})
	}
	return s.render(w, r, status, "order/customers.html", &customersPage{basePage: s.base(r, "Kunder"), New: nf, Query: q, Customers: cs})
}

func customerInput(r *http.Request) repair.CustomerInput {
	v := r.PostFormValue
	return repair.CustomerInput{Number: v("number"), Name: v("name"), OrgNumber: v("org_number"), InvoiceAddress: v("invoice_address"), HourlyRate: v("hourly_rate"),
		InvoicesAdminsOnly: v("invoices_admins_only") == "1"}
}

func (s *server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	in := customerInput(r)
	c, err := s.ops.CreateCustomer(r.Context(), userOf(r), in)
	return s.answer(w, r, err, links.Customer(c.ID, ""), "kund-ny", func(fe repair.FieldErrors) error {
		return s.renderCustomers(w, r, http.StatusUnprocessableEntity, failedForm("new", in, fe))
	})
}

type customerPage struct {
	basePage
	Customer    repair.Customer
	Edit        form[repair.CustomerInput]
	NewUser     form[repair.UserInput]
	NewContract form[repair.ContractInput]
	// Reset is the start-password form of the login it names, when it
	// failed.
	Reset     form[resetInput]
	Users     []repair.User
	Contracts []repair.Contract
	Assets    int
	Audit     []repair.AuditEntry
	Roles     []repair.Role
}

// resetInput is a new start password for one login.
type resetInput struct{ UserID int64 }

// ResetErr is the message for the start password of user id.
func (p *customerPage) ResetErr(id int64) string {
	if p.Reset.In.UserID != id {
		return ""
	}
	return p.Reset.Err("password")
}

func (s *server) showCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.renderCustomer(w, r, id, http.StatusOK, nil)
}

// renderCustomer shows a customer's page; failed, when not nil, puts back
// the form that failed.
func (s *server) renderCustomer(w http.ResponseWriter, r *http.Request, customerID int64, status int, failed func(*customerPage)) error {
	ctx := r.Context()
	c, err := s.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return err
	}
	p := &customerPage{basePage: s.base(r, c.Name), Customer: c, Roles: []repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin},
		Edit: newForm("edit", c.Input()), NewUser: newForm("user", repair.UserInput{Role: string(repair.RoleCustomerUser)}),
		NewContract: newForm("contract", repair.ContractInput{}), Reset: newForm("reset", resetInput{})}
	if failed != nil {
		failed(p)
	}
	if p.Users, err = s.db.CustomerUsers(ctx, repair.StaffScope(), c.ID); err != nil {
		return err
	}
	if p.Contracts, err = s.db.Contracts(ctx, repair.StaffScope(), c.ID); err != nil {
		return err
	}
	if p.Assets, err = s.db.CountAssets(ctx, repair.StaffScope(), c.ID); err != nil {
		return err
	}
	if p.Audit, err = s.db.AuditLog(ctx, repair.StaffScope(), "customer", c.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "order/customer.html", p)
}

// customerFormDone answers an operation on a customer's page: the page
// again with the failed form (422) when the input was wrong, otherwise
// back to the customer at anchor.
func (s *server) customerFormDone(w http.ResponseWriter, r *http.Request, customerID int64, anchor, flash string, err error, failed func(*customerPage, repair.FieldErrors)) error {
	return s.answer(w, r, err, links.Customer(customerID, anchor), flash, func(fe repair.FieldErrors) error {
		return s.renderCustomer(w, r, customerID, http.StatusUnprocessableEntity, func(p *customerPage) { failed(p, fe) })
	})
}

func (s *server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := customerInput(r)
	_, err = s.ops.UpdateCustomer(r.Context(), userOf(r), id, in)
	return s.customerFormDone(w, r, id, "", "kund", err, func(p *customerPage, fe repair.FieldErrors) { p.Edit = failedForm("edit", in, fe) })
}

func userInput(r *http.Request) repair.UserInput {
	v := r.PostFormValue
	return repair.UserInput{Name: v("name"), Email: v("email"), Phone: v("phone"), Role: v("role"), Password: v("password")}
}

// createCustomerUser gives a customer's person a login with a start
// password that must be changed at the first login.
func (s *server) createCustomerUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := userInput(r)
	_, err = s.ops.CreateCustomerUser(r.Context(), userOf(r), id, in)
	return s.customerFormDone(w, r, id, "users", "inloggning", err, func(p *customerPage, fe repair.FieldErrors) {
		p.NewUser = failedForm("user", withoutPassword(in), fe)
	})
}

// setUserDisabled blocks or unblocks a customer's login.
func (s *server) setUserDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.ops.SetCustomerUserDisabled(r.Context(), userOf(r), id, r.PostFormValue("disabled") == "1")
	if err != nil {
		return err
	}
	s.setFlash(w, r, "inloggning-sparrad")
	http.Redirect(w, r, links.Customer(u.CustomerID, "users"), http.StatusSeeOther)
	return nil
}

// resetPassword sets a new start password that must be changed at the
// next login, and ends the user's sessions.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.ops.ResetPassword(r.Context(), userOf(r), id, r.PostFormValue("password"))
	return s.customerFormDone(w, r, u.CustomerID, "users", "losenord", err, func(p *customerPage, fe repair.FieldErrors) {
		p.Reset = failedForm("reset", resetInput{UserID: u.ID}, fe)
	})
}

func contractInput(r *http.Request) repair.ContractInput {
	v := r.PostFormValue
	return repair.ContractInput{Number: v("number"), Name: v("name"), ValidFrom: v("valid_from"), ValidTo: v("valid_to"), HourlyRate: v("hourly_rate")}
}

func (s *server) createContract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := contractInput(r)
	_, err = s.ops.CreateContract(r.Context(), userOf(r), id, in)
	return s.customerFormDone(w, r, id, "contracts", "avtal", err, func(p *customerPage, fe repair.FieldErrors) {
		p.NewContract = failedForm("contract", in, fe)
	})
}

type contractPage struct {
	basePage
	Form     form[repair.ContractInput]
	Contract repair.Contract
	Customer repair.Customer
}

func (s *server) editContract(w http.ResponseWriter, r *http.Request) error {
	return s.renderContract(w, r, http.StatusOK, nil)
}

// renderContract shows a contract's edit form: its saved values, or what
// was entered when saving failed.
func (s *server) renderContract(w http.ResponseWriter, r *http.Request, status int, failed *form[repair.ContractInput]) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	k, err := s.db.Contract(r.Context(), repair.StaffScope(), id)
	if err != nil {
		return err
	}
	c, err := s.db.Customer(r.Context(), repair.StaffScope(), k.CustomerID)
	if err != nil {
		return err
	}
	p := &contractPage{basePage: s.base(r, "Avtal "+k.Number), Form: newForm("contract", k.Input()), Contract: k, Customer: c}
	if failed != nil {
		p.Form = *failed
	}
	return s.render(w, r, status, "order/contract.html", p)
}

func (s *server) updateContract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := contractInput(r)
	k, err := s.ops.UpdateContract(r.Context(), userOf(r), id, in)
	return s.answer(w, r, err, links.Customer(k.CustomerID, "contracts"), "avtal", func(fe repair.FieldErrors) error {
		f := failedForm("contract", in, fe)
		return s.renderContract(w, r, http.StatusUnprocessableEntity, &f)
	})
}
