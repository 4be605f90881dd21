package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
)

type phoneCasePage struct {
	basePage
	Form       caseForm
	CustomerID int64
	Type       string
	AssetNo    string
	Errors     repair.FieldErrors
	Customers  []repair.Customer
	Types      []string
}

// newPhoneCase is the office's form for a case reported by phone or
// e-mail: the customer and the type are chosen, the rest is as in the
// portal.
func (s *server) newPhoneCase(w http.ResponseWriter, r *http.Request) error {
	token, _, err := auth.NewToken()
	if err != nil {
		return err
	}
	return s.renderPhoneCase(w, r, http.StatusOK, &phoneCasePage{Form: caseForm{Token: token}, Type: repair.CaseTypes[0], Errors: repair.FieldErrors{}})
}

func (s *server) renderPhoneCase(w http.ResponseWriter, r *http.Request, status int, p *phoneCasePage) error {
	var err error
	p.basePage = s.base(r, "Registrera ärende")
	p.Types = repair.CaseTypes
	if p.Customers, err = s.db.Customers(r.Context()); err != nil {
		return err
	}
	return s.render(w, r, status, "order/new_case.html", p)
}

func (s *server) createPhoneCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return s.renderPhoneCase(w, r, http.StatusRequestEntityTooLarge, &phoneCasePage{Errors: repair.FieldErrors{"description": "Formuläret är för stort."}})
	}
	form := parseCaseForm(r)
	p := &phoneCasePage{Form: form, Type: r.PostFormValue("type"), AssetNo: strings.TrimSpace(r.PostFormValue("asset_number")), Errors: repair.FieldErrors{}}
	p.CustomerID, _ = strconv.ParseInt(r.PostFormValue("customer_id"), 10, 64)
	cust, err := s.db.Customer(ctx, repair.StaffScope(), p.CustomerID)
	if errors.Is(err, repair.ErrNotFound) {
		p.Errors.Add("customer_id", "Välj kund.")
	} else if err != nil {
		return err
	}
	if !slices.Contains(repair.CaseTypes, p.Type) {
		p.Errors.Add("type", "Välj typ.")
	}
	c, fe := form.Validate()
	for k, v := range fe {
		p.Errors.Add(k, v)
	}
	if p.AssetNo != "" && cust.ID != 0 {
		a, err := s.db.AssetByNumber(ctx, repair.CustomerScope(cust.ID), p.AssetNo)
		if errors.Is(err, repair.ErrNotFound) {
			p.Errors.Add("asset_number", "Kunden har inget objekt med det numret.")
		} else if err != nil {
			return err
		}
		c.AssetID = a.ID
	}
	if len(p.Errors) > 0 {
		return s.renderPhoneCase(w, r, http.StatusUnprocessableEntity, p)
	}
	u := userOf(r)
	c.CustomerID, c.Type, c.ReportedBy = cust.ID, p.Type, u.ID
	if form.Token == "" {
		if form.Token, _, err = auth.NewToken(); err != nil {
			return err
		}
	}
	id, err := s.fileCase(r, &c, form.Token, false)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/order/arenden/%d", id), http.StatusSeeOther)
	return nil
}
