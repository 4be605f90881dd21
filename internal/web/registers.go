package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"kundportal/internal/auth"
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

// conflictTo turns a unique-value conflict from a save into the message
// msg on field; any other error is returned as it is.
func conflictTo(err error, fe repair.FieldErrors, field, msg string) error {
	if errors.Is(err, repair.ErrConflict) {
		fe.Add(field, msg)
		return nil
	}
	return err
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
	cs, err := s.db.Customers(r.Context())
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
	ctx := r.Context()
	c, fe := customerInput(r).Validate()
	if len(fe) == 0 {
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateCustomer(ctx, &c); err != nil {
				return err
			}
			return tx.Audit(ctx, userOf(r).ID, "customer", c.ID, "create", "Kund skapad: "+c.Name)
		})
		if err := conflictTo(err, fe, "number", "Kundnumret finns redan."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderCustomers(w, r, http.StatusUnprocessableEntity, failed(r, "new", fe))
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
	if p.Users, err = s.db.CustomerUsers(ctx, c.ID); err != nil {
		return err
	}
	if p.Contracts, err = s.db.Contracts(ctx, repair.StaffScope(), c.ID); err != nil {
		return err
	}
	if p.Assets, err = s.db.CountAssets(ctx, c.ID); err != nil {
		return err
	}
	if p.Audit, err = s.db.AuditLog(ctx, "customer", c.ID); err != nil {
		return err
	}
	return s.render(w, r, status, "order/customer.html", p)
}

func (s *server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	old, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	c, fe := customerInput(r).Validate()
	c.ID = old.ID
	if len(fe) == 0 {
		err := s.change(r, "customer", c.ID, "update", "Kunduppgifter ändrade", func(tx *store.Tx) error {
			return tx.UpdateCustomer(ctx, c)
		})
		if err := conflictTo(err, fe, "number", "Kundnumret finns redan."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderCustomer(w, r, c.ID, http.StatusUnprocessableEntity, failed(r, "edit", fe))
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d", c.ID), http.StatusSeeOther)
	return nil
}

// createCustomerUser gives a customer's person a login with a start
// password that must be changed at the first login.
func (s *server) createCustomerUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	u, pw, fe := repair.UserInput{Name: v("name"), Email: v("email"), Phone: v("phone"), Role: v("role"), Password: v("password")}.
		Validate([]repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin})
	if len(fe) == 0 {
		u.CustomerID, u.MustChangePassword = c.ID, true
		if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
			return err
		}
		err := s.change(r, "customer", c.ID, "user", "Inloggning skapad: "+u.Email, func(tx *store.Tx) error {
			return tx.CreateUser(ctx, &u)
		})
		if err := conflictTo(err, fe, "email", "E-postadressen används redan."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderCustomer(w, r, c.ID, http.StatusUnprocessableEntity, failed(r, "user", fe))
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#users", c.ID), http.StatusSeeOther)
	return nil
}

// customerUser loads the customer user in the path; staff logins are the
// admins' business and are not found here.
func (s *server) customerUser(r *http.Request) (repair.User, error) {
	id, err := pathID(r)
	if err != nil {
		return repair.User{}, err
	}
	u, err := s.db.User(r.Context(), id)
	if err != nil {
		return u, err
	}
	if !u.Role.IsCustomer() {
		return u, errNotFound
	}
	return u, nil
}

// setUserDisabled blocks or unblocks a customer's login.
func (s *server) setUserDisabled(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.customerUser(r)
	if err != nil {
		return err
	}
	disable := r.PostFormValue("disabled") == "1"
	what := "Inloggning öppnad: "
	if disable {
		what = "Inloggning spärrad: "
	}
	if err := s.change(r, "customer", u.CustomerID, "user", what+u.Email, func(tx *store.Tx) error {
		return tx.SetUserDisabled(ctx, u.ID, disable)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#users", u.CustomerID), http.StatusSeeOther)
	return nil
}

// resetPassword sets a new start password that must be changed at the
// next login, and ends the user's sessions.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.customerUser(r)
	if err != nil {
		return err
	}
	pw := r.PostFormValue("password")
	form := fmt.Sprintf("reset-%d", u.ID)
	if msg := repair.PasswordProblem(pw); msg != "" {
		return s.renderCustomer(w, r, u.CustomerID, http.StatusUnprocessableEntity, failed(r, form, repair.FieldErrors{"password": msg}))
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.change(r, "customer", u.CustomerID, "user", "Nytt startlösenord: "+u.Email, func(tx *store.Tx) error {
		return tx.SetPassword(ctx, u.ID, hash, true)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#users", u.CustomerID), http.StatusSeeOther)
	return nil
}

func (s *server) createContract(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.pathCustomer(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	k, fe := repair.ContractInput{Number: v("number"), Name: v("name"), ValidFrom: v("valid_from"), ValidTo: v("valid_to"), HourlyRate: v("hourly_rate")}.Validate()
	if len(fe) == 0 {
		k.CustomerID = c.ID
		err := s.change(r, "customer", c.ID, "contract", "Avtal skapat: "+k.Number, func(tx *store.Tx) error {
			return tx.CreateContract(ctx, &k)
		})
		if err := conflictTo(err, fe, "number", "Kunden har redan ett avtal med det numret."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderCustomer(w, r, c.ID, http.StatusUnprocessableEntity, failed(r, "contract", fe))
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#contracts", c.ID), http.StatusSeeOther)
	return nil
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
	k, err := s.db.Contract(r.Context(), id)
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
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := s.db.Contract(ctx, id)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	k, fe := repair.ContractInput{Number: v("number"), Name: v("name"), ValidFrom: v("valid_from"), ValidTo: v("valid_to"), HourlyRate: v("hourly_rate")}.Validate()
	k.ID, k.CustomerID = old.ID, old.CustomerID
	if len(fe) == 0 {
		err := s.change(r, "customer", k.CustomerID, "contract", "Avtal ändrat: "+k.Number, func(tx *store.Tx) error {
			return tx.UpdateContract(ctx, k)
		})
		if err := conflictTo(err, fe, "number", "Kunden har redan ett avtal med det numret."); err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.renderContract(w, r, http.StatusUnprocessableEntity, failed(r, "contract", fe))
	}
	http.Redirect(w, r, fmt.Sprintf("/order/kunder/%d#contracts", k.CustomerID), http.StatusSeeOther)
	return nil
}
