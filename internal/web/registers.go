package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
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

// failed returns the state that shows form again with its messages and the
// values the request carried.
func failed(r *http.Request, form string, fe repair.FieldErrors) FormState {
	st := FormState{Form: form, Errors: fe, Values: map[string]string{}}
	for k, v := range r.PostForm {
		if k != "password" {
			st.Values[k] = strings.Join(v, ",")
		}
	}
	return st
}

type customersPage struct {
	basePage
	FormState
	Query     string
	Customers []repair.Customer
}

func (s *server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	return s.renderCustomers(w, r, http.StatusOK, FormState{})
}

func (s *server) renderCustomers(w http.ResponseWriter, r *http.Request, status int, st FormState) error {
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
	return s.render(w, r, status, "order/customers.html", &customersPage{basePage: s.base(r, "Kunder"), FormState: st, Query: q, Customers: cs})
}

func customerInput(r *http.Request) repair.CustomerInput {
	v := r.PostFormValue
	return repair.CustomerInput{Number: v("number"), Name: v("name"), OrgNumber: v("org_number"), InvoiceAddress: v("invoice_address"), HourlyRate: v("hourly_rate")}
}

func (s *server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ops.CreateCustomer(r.Context(), userOf(r), customerInput(r))
	if fe, ok := fieldErrors(err); ok {
		return s.renderCustomers(w, r, http.StatusUnprocessableEntity, failed(r, "new", fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d", c.ID), http.StatusSeeOther)
	return nil
}

type customerPage struct {
	basePage
	FormState
	Customer  repair.Customer
	Users     []repair.User
	Contracts []repair.Contract
	Assets    int
	Audit     []repair.AuditEntry
	Roles     []repair.Role
}

// EditValue is the edit form's value: what was entered if it failed,
// otherwise what is saved.
func (p *customerPage) EditValue(name string) string {
	if p.Form == "edit" {
		return p.Values[name]
	}
	c := p.Customer
	switch name {
	case "number":
		return c.Number
	case "name":
		return c.Name
	case "org_number":
		return c.OrgNumber
	case "invoice_address":
		return c.InvoiceAddress
	case "hourly_rate":
		return sv.AmountInput(c.HourlyRateOre)
	}
	return ""
}

func (s *server) showCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.renderCustomer(w, r, id, http.StatusOK, FormState{})
}

// renderCustomer shows a customer's page; st brings back a form that
// failed.
func (s *server) renderCustomer(w http.ResponseWriter, r *http.Request, customerID int64, status int, st FormState) error {
	ctx := r.Context()
	c, err := s.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return err
	}
	p := &customerPage{basePage: s.base(r, c.Name), FormState: st, Customer: c, Roles: []repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin}}
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
// again with the form's messages (422) when the input was wrong, otherwise
// back to the customer at anchor.
func (s *server) customerFormDone(w http.ResponseWriter, r *http.Request, customerID int64, form, anchor string, err error) error {
	if fe, ok := fieldErrors(err); ok {
		return s.renderCustomer(w, r, customerID, http.StatusUnprocessableEntity, failed(r, form, fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d%s", customerID, anchor), http.StatusSeeOther)
	return nil
}

func (s *server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = s.ops.UpdateCustomer(r.Context(), userOf(r), id, customerInput(r))
	return s.customerFormDone(w, r, id, "edit", "", err)
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
	_, err = s.ops.CreateCustomerUser(r.Context(), userOf(r), id, userInput(r))
	return s.customerFormDone(w, r, id, "user", "#users", err)
}

// setUserDisabled blocks or unblocks a customer's login.
func (s *server) setUserDisabled(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.ops.SetCustomerUserDisabled(r.Context(), userOf(r), id, r.PostFormValue("disabled") == "1")
	return s.customerFormDone(w, r, u.CustomerID, "block", "#users", err)
}

// resetPassword sets a new start password that must be changed at the
// next login, and ends the user's sessions.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := s.ops.ResetPassword(r.Context(), userOf(r), id, r.PostFormValue("password"))
	return s.customerFormDone(w, r, u.CustomerID, fmt.Sprintf("reset-%d", u.ID), "#users", err)
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
	_, err = s.ops.CreateContract(r.Context(), userOf(r), id, contractInput(r))
	return s.customerFormDone(w, r, id, "contract", "#contracts", err)
}

type contractPage struct {
	basePage
	FormState
	Contract repair.Contract
	Customer repair.Customer
}

// Field is a field of the contract form: what was entered if saving
// failed, otherwise what is saved.
func (p *contractPage) Field(name, label, help string) fieldView {
	k := p.Contract
	v := map[string]string{"number": k.Number, "name": k.Name, "valid_from": k.ValidFrom, "valid_to": k.ValidTo, "hourly_rate": sv.AmountInput(k.HourlyRateOre)}[name]
	if p.Form == "contract" {
		v = p.Values[name]
	}
	return fieldView{ID: "contract-" + name, Name: name, Label: label, Value: v, Error: p.Err("contract", name), Help: help}
}

func (s *server) editContract(w http.ResponseWriter, r *http.Request) error {
	return s.renderContract(w, r, http.StatusOK, FormState{})
}

func (s *server) renderContract(w http.ResponseWriter, r *http.Request, status int, st FormState) error {
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
	return s.render(w, r, status, "order/contract.html", &contractPage{basePage: s.base(r, "Avtal "+k.Number), FormState: st, Contract: k, Customer: c})
}

func (s *server) updateContract(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	k, err := s.ops.UpdateContract(r.Context(), userOf(r), id, contractInput(r))
	if fe, ok := fieldErrors(err); ok {
		return s.renderContract(w, r, http.StatusUnprocessableEntity, failed(r, "contract", fe))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#contracts", k.CustomerID), http.StatusSeeOther)
	return nil
}
