package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"kundportal/internal/auth"
	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// Actions of the Nytt ärende form besides saving. They let a person find
// and choose a machine without JavaScript: the whole form is posted back
// and shown again with its values kept.
const (
	actionSearchAsset = "sok-objekt"
	actionChooseAsset = "valj-objekt"
	actionClearAsset  = "ta-bort-objekt"
)

// caseForm is the Nytt ärende form as entered.
type caseForm struct {
	repair.CaseInput
	AssetID    int64 // 0: none chosen; -1: an unusable id was posted
	AssetQuery string
	Token      string
}

type newCasePage struct {
	basePage
	Form         caseForm
	Errors       repair.FieldErrors
	Asset        *repair.Asset  // the chosen machine
	AssetResults []repair.Asset // matches of a search, without JavaScript
	Searched     bool
	Contracts    []repair.Contract
	InvoiceRefs  []string
	CaseType     string
}

// errorOrder lists the form's fields in page order, for the summary.
var errorOrder = []struct{ field, label string }{
	{repair.FieldTitle, "Ort / Titel"}, {repair.FieldDescription, "Beskrivning"}, {repair.FieldAsset, "Objekt"},
	{repair.FieldSiteName, "Kund"}, {repair.FieldStreet, "Gata"}, {repair.FieldReporterName, "Anmälare"},
	{repair.FieldReporterPhone, "Tel anmälare"}, {repair.FieldSitePhone1, "Tel 1 kund"}, {repair.FieldSitePhone2, "Tel 2 kund"},
	{repair.FieldPostalCode, "Postnr"}, {repair.FieldCity, "Ort"}, {repair.FieldAccess, "Huvudnyckel"},
	{repair.FieldDoorCode, "Portkod"}, {repair.FieldContractNumber, "Avtal"}, {repair.FieldInvoiceReference, "Fakturamärkning"},
}

type errorLink struct{ Field, Label, Message string }

// ErrorList is the page's messages in field order, for the summary at the
// top that links to each field.
func (p *newCasePage) ErrorList() []errorLink {
	var out []errorLink
	for _, f := range errorOrder {
		if msg, ok := p.Errors[f.field]; ok {
			out = append(out, errorLink{f.field, f.label, msg})
		}
	}
	return out
}

func (s *server) newCasePage(r *http.Request, form caseForm) *newCasePage {
	return &newCasePage{basePage: s.base(r, "Nytt ärende"), Form: form, Errors: repair.FieldErrors{}, CaseType: repair.PortalCaseType}
}

// renderNewCase shows the form, with the customer's contracts and earlier
// Fakturamärkning values to choose from. They are read here, only when
// the form is shown, not on a successful save.
func (s *server) renderNewCase(w http.ResponseWriter, r *http.Request, status int, p *newCasePage) error {
	u := userOf(r)
	scope := repair.ScopeFor(u)
	var err error
	if p.Contracts, err = s.db.Contracts(r.Context(), scope, u.CustomerID); err != nil {
		return err
	}
	if p.InvoiceRefs, err = s.db.InvoiceReferences(r.Context(), scope, u.CustomerID, 50); err != nil {
		return err
	}
	return s.render(w, r, status, "portal/new_case.html", p)
}

// newCase shows an empty form, with the user's own name and phone as
// Anmälare, and, for a link from a machine's QR label (?objekt=NUMBER),
// that machine chosen.
func (s *server) newCase(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	token, _, err := auth.NewToken()
	if err != nil {
		return err
	}
	form := caseForm{Token: token}
	form.ReporterName = firstNonEmpty(u.ReporterName, u.Name)
	form.ReporterPhone = sv.Phone(firstNonEmpty(u.ReporterPhone, u.Phone))
	p := s.newCasePage(r, form)
	if number := r.URL.Query().Get("objekt"); number != "" {
		a, err := s.db.AssetByNumber(r.Context(), repair.ScopeFor(u), number)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			p.Form.AssetQuery = truncate(number, 40)
			p.Errors.Add(repair.FieldAsset, "Objektet hittades inte bland era objekt. Sök fram maskinen eller fyll i uppgifterna själv.")
		case err != nil:
			return err
		default:
			p.choose(a)
		}
	}
	return s.renderNewCase(w, r, http.StatusOK, p)
}

// choose makes a the case's machine and fills in what is known about it;
// the fields stay editable.
func (p *newCasePage) choose(a repair.Asset) {
	p.Asset = &a
	p.Form.AssetID = a.ID
	p.Form.AssetQuery = ""
	p.Form.SiteName = a.SiteName
	p.Form.Street = a.Street
	p.Form.PostalCode = a.PostalCode
	p.Form.City = a.City
	if a.ContractNumber != "" {
		p.Form.ContractNumber = a.ContractNumber
	}
}

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func parseCaseForm(r *http.Request) caseForm {
	v := r.PostFormValue
	f := caseForm{
		CaseInput: repair.CaseInput{
			Title: v("title"), Description: v("description"), SiteName: v("site_name"), Street: v("street"),
			ReporterName: v("reporter_name"), ReporterPhone: v("reporter_phone"), SitePhone1: v("site_phone1"),
			SitePhone2: v("site_phone2"), PostalCode: v("postal_code"), City: v("city"), Access: v("access"),
			DoorCode: v("door_code"), ContractNumber: v("contract_number"), InvoiceReference: v("invoice_reference"),
		},
		AssetQuery: truncate(v("asset_query"), 100),
		Token:      v("token"),
	}
	if raw := v("asset_id"); raw != "" {
		// Anything but a positive id reads as a machine that is not found.
		if f.AssetID, _ = strconv.ParseInt(raw, 10, 64); f.AssetID <= 0 {
			f.AssetID = -1
		}
	}
	if !tokenPattern.MatchString(f.Token) {
		f.Token = ""
	}
	return f
}

// createCase handles every button of the form: searching for and choosing
// a machine (the form comes back with its values kept), and Spara.
func (s *server) createCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	scope := repair.ScopeFor(u)
	form := parseCaseForm(r)
	if form.Token == "" {
		token, _, err := auth.NewToken()
		if err != nil {
			return err
		}
		form.Token = token
	}
	p := s.newCasePage(r, form)

	// The chosen machine must be one of the customer's own; another
	// customer's id reads exactly like a missing one.
	if form.AssetID != 0 {
		a, err := s.db.Asset(ctx, scope, form.AssetID)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			p.Form.AssetID = 0
			p.Errors.Add(repair.FieldAsset, "Objektet hittades inte bland era objekt.")
		case err != nil:
			return err
		default:
			p.Asset = &a
		}
	}

	switch r.PostFormValue("action") {
	case actionSearchAsset:
		p.Searched = true
		var err error
		if p.AssetResults, err = s.db.SearchAssets(ctx, scope, form.AssetQuery, 25); err != nil {
			return err
		}
		return s.renderNewCase(w, r, http.StatusOK, p)
	case actionChooseAsset:
		id, _ := strconv.ParseInt(r.PostFormValue("asset_choice"), 10, 64)
		a, err := s.db.Asset(ctx, scope, id)
		switch {
		case errors.Is(err, repair.ErrNotFound):
			p.Errors.Add(repair.FieldAsset, "Välj ett objekt i listan.")
		case err != nil:
			return err
		default:
			p.choose(a)
		}
		return s.renderNewCase(w, r, http.StatusOK, p)
	case actionClearAsset:
		p.Asset, p.Form.AssetID = nil, 0
		return s.renderNewCase(w, r, http.StatusOK, p)
	}

	in := orders.CaseInput{CaseInput: form.CaseInput, AssetID: form.AssetID, Token: form.Token}
	id, err := s.ops.FileCase(ctx, u, in)
	return s.answer(w, r, err, links.Case(id), "ny-arende", func(fe repair.FieldErrors) error {
		for k, v := range fe {
			p.Errors.Add(k, v)
		}
		return s.renderNewCase(w, r, http.StatusUnprocessableEntity, p)
	})
}

// assetJSON is one machine for the picker's script.
type assetJSON struct {
	ID             int64  `json:"id"`
	Label          string `json:"label"`
	SiteName       string `json:"site_name"`
	Street         string `json:"street"`
	PostalCode     string `json:"postal_code"`
	City           string `json:"city"`
	ContractNumber string `json:"contract_number"`
}

// searchAssetsJSON serves the picker's type-ahead: the customer's machines
// matching q.
func (s *server) searchAssetsJSON(w http.ResponseWriter, r *http.Request) error {
	q := truncate(r.URL.Query().Get("q"), 100)
	as, err := s.db.SearchAssets(r.Context(), repair.ScopeFor(userOf(r)), q, 15)
	if err != nil {
		return err
	}
	out := make([]assetJSON, 0, len(as))
	for _, a := range as {
		out = append(out, assetJSON{a.ID, a.Label(), a.SiteName, a.Street, a.PostalCode, a.City, a.ContractNumber})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return json.NewEncoder(w).Encode(out)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
