package web

import (
	"net/http"
	"strconv"
	"strings"

	"kundportal/internal/auth"
	"kundportal/internal/links"
	"kundportal/internal/orders"
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

// phoneCaseErrorOrder lists the office form's fields in page order, for
// the summary at the top; each links to its field's id.
var phoneCaseErrorOrder = []struct{ field, label string }{
	{"customer_id", "Kund"}, {"type", "Typ"}, {repair.FieldTitle, "Ort / Titel"}, {repair.FieldDescription, "Beskrivning"},
	{"asset_number", "Objekt"}, {repair.FieldSiteName, "Kund (plats)"}, {repair.FieldStreet, "Gata"},
	{repair.FieldPostalCode, "Postnr"}, {repair.FieldCity, "Ort"}, {repair.FieldReporterName, "Anmälare"},
	{repair.FieldReporterPhone, "Tel anmälare"}, {repair.FieldSitePhone1, "Tel 1 kund"}, {repair.FieldSitePhone2, "Tel 2 kund"},
	{repair.FieldAccess, "Huvudnyckel"}, {repair.FieldDoorCode, "Portkod"}, {repair.FieldContractNumber, "Avtal"},
	{repair.FieldInvoiceReference, "Fakturamärkning"},
}

// ErrorList is the page's messages in field order, for the summary at the
// top that links to each field, as the portal's Nytt ärende has it.
func (p *phoneCasePage) ErrorList() []errorLink {
	var out []errorLink
	for _, f := range phoneCaseErrorOrder {
		if msg, ok := p.Errors[f.field]; ok {
			out = append(out, errorLink{f.field, f.label, msg})
		}
	}
	return out
}

// newPhoneCase is the office's form for a case reported by phone or
// e-mail: the customer and the type are chosen, the rest is as in the
// portal.
func (s *server) newPhoneCase(w http.ResponseWriter, r *http.Request) error {
	return s.renderPhoneCase(w, r, http.StatusOK, &phoneCasePage{Form: caseForm{Token: auth.NewFormID()}, Type: repair.CaseTypes[0], Errors: repair.FieldErrors{}})
}

func (s *server) renderPhoneCase(w http.ResponseWriter, r *http.Request, status int, p *phoneCasePage) error {
	var err error
	p.basePage = s.base(r, "Registrera ärende")
	p.Types = repair.CaseTypes
	if p.Customers, err = s.db.Customers(r.Context(), repair.StaffScope()); err != nil {
		return err
	}
	return s.render(w, r, status, "order/new_case.html", p)
}

func (s *server) createPhoneCase(w http.ResponseWriter, r *http.Request) error {
	form := parseCaseForm(r)
	p := &phoneCasePage{Form: form, Type: r.PostFormValue("type"), AssetNo: truncate(strings.TrimSpace(r.PostFormValue("asset_number")), 40), Errors: repair.FieldErrors{}}
	p.CustomerID, _ = strconv.ParseInt(r.PostFormValue("customer_id"), 10, 64)
	if form.Token == "" {
		form.Token = auth.NewFormID()
	}
	id, err := s.ops.FileCase(r.Context(), userOf(r), orders.CaseInput{
		CaseInput: form.CaseInput, CustomerID: p.CustomerID, Type: p.Type, AssetNumber: p.AssetNo, Token: form.Token})
	return s.answer(w, r, err, links.StaffCase(id, ""), "arende", func(fe repair.FieldErrors) error {
		p.Errors = fe
		return s.renderPhoneCase(w, r, http.StatusUnprocessableEntity, p)
	})
}
