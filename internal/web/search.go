package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// searchForm is Sök ärende's filters as they stand in the URL, so that a
// search can be bookmarked and shared.
type searchForm struct {
	InvoiceReference string   // fakturamarkning
	AssetNumber      string   // objekt
	Street           string   // gata: the beginning, or "in quotes" the whole address
	City             string   // ort
	Kind, Brand      string   // objekttyp, fabrikat
	DoneFrom, DoneTo string   // utford_fran, utford_till: YYYY-MM-DD
	Repeat           bool     // aterkommande=1
	Statuses         []string // status (repeated)
	From, To         string   // fran, till: YYYY-MM-DD
	Text             string   // q
	// The office's filters (parsed only for staff): kund and tekniker are
	// ids, aldre_an days, planerad a day with a work order planned.
	Customer, Technician, OlderThan, Planned string
	NoWorkOrder                              bool   // utan_arbetsorder=1
	CustomerNews                             bool   // nytt_fran_kund=1
	Sort                                     string // sort: registrerad | nummer | utford
	Asc                                      bool   // ordning=stigande
	After, Before                            string // efter, fore: page cursors
}

// parseSearchForm reads Sök ärende's filters from the URL; staff adds the
// office's own.
func parseSearchForm(q url.Values, staff bool) searchForm {
	f := searchForm{
		InvoiceReference: truncate(strings.TrimSpace(q.Get("fakturamarkning")), 100),
		AssetNumber:      truncate(strings.TrimSpace(q.Get("objekt")), 40),
		Street:           truncate(strings.TrimSpace(q.Get("gata")), 120),
		City:             truncate(strings.TrimSpace(q.Get("ort")), 120),
		Kind:             truncate(strings.TrimSpace(q.Get("objekttyp")), 120),
		Brand:            truncate(strings.TrimSpace(q.Get("fabrikat")), 120),
		DoneFrom:         strings.TrimSpace(q.Get("utford_fran")),
		DoneTo:           strings.TrimSpace(q.Get("utford_till")),
		Repeat:           q.Get("aterkommande") == "1",
		Statuses:         q["status"],
		From:             strings.TrimSpace(q.Get("fran")),
		To:               strings.TrimSpace(q.Get("till")),
		Text:             truncate(strings.TrimSpace(q.Get("q")), 200),
		Sort:             q.Get("sort"),
		Asc:              q.Get("ordning") == "stigande",
		After:            q.Get("efter"),
		Before:           q.Get("fore"),
	}
	if staff {
		f.Customer, f.Technician = truncate(q.Get("kund"), 20), truncate(q.Get("tekniker"), 20)
		f.OlderThan, f.Planned = truncate(strings.TrimSpace(q.Get("aldre_an")), 20), strings.TrimSpace(q.Get("planerad"))
		f.NoWorkOrder = q.Get("utan_arbetsorder") == "1"
		f.CustomerNews = q.Get("nytt_fran_kund") == "1"
	}
	return f
}

// values is the form as URL parameters, without the page cursor; links to
// other pages, sort orders and exports add to it.
func (f searchForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("fakturamarkning", f.InvoiceReference)
	set("objekt", f.AssetNumber)
	set("gata", f.Street)
	set("ort", f.City)
	set("objekttyp", f.Kind)
	set("fabrikat", f.Brand)
	set("utford_fran", f.DoneFrom)
	set("utford_till", f.DoneTo)
	if f.Repeat {
		v.Set("aterkommande", "1")
	}
	set("kund", f.Customer)
	set("tekniker", f.Technician)
	set("aldre_an", f.OlderThan)
	set("planerad", f.Planned)
	if f.NoWorkOrder {
		v.Set("utan_arbetsorder", "1")
	}
	if f.CustomerNews {
		v.Set("nytt_fran_kund", "1")
	}
	for _, s := range f.Statuses {
		v.Add("status", s)
	}
	set("fran", f.From)
	set("till", f.To)
	set("q", f.Text)
	if f.Sort != "" && f.Sort != f.defaultSort() {
		v.Set("sort", f.Sort)
	}
	if f.Asc {
		v.Set("ordning", "stigande")
	}
	return v
}

// defaultSort is the order without a sort parameter: by completion when
// the search is for cases completed in a span, else newest registered.
func (f searchForm) defaultSort() string {
	if f.DoneFrom != "" || f.DoneTo != "" {
		return string(repair.SortCompleted)
	}
	return string(repair.SortRegistered)
}

// sortKey is the order the list is in.
func (f searchForm) sortKey() string {
	if f.Sort == "" {
		return f.defaultSort()
	}
	return f.Sort
}

// ByCompletion reports whether the list is in order of completion, which
// lists completed cases only.
func (f searchForm) ByCompletion() bool { return f.sortKey() == string(repair.SortCompleted) }

// Summary is the filters in words, for the folded filter form's heading:
// "Status Utförd, Fakturerad · Gata Storg".
func (f searchForm) Summary() string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+" "+v)
		}
	}
	var statuses []string
	for _, s := range f.Statuses {
		statuses = append(statuses, repair.Status(s).Label())
	}
	add("Status", strings.Join(statuses, ", "))
	add("Fakturamärkning", f.InvoiceReference)
	add("Objekt", f.AssetNumber)
	add("Gata", f.Street)
	add("Ort", f.City)
	add("Objekttyp", f.Kind)
	add("Fabrikat", f.Brand)
	add("Från", f.From)
	add("Till", f.To)
	add("Utförd från", f.DoneFrom)
	add("Utförd till", f.DoneTo)
	add("Fritext", f.Text)
	if f.Repeat {
		parts = append(parts, "återkommande fel")
	}
	return strings.Join(parts, " · ")
}

// Active reports whether any filter is set.
func (f searchForm) Active() bool {
	return f.InvoiceReference != "" || f.AssetNumber != "" || f.Street != "" || len(f.Statuses) > 0 ||
		f.From != "" || f.To != "" || f.Text != "" || f.City != "" || f.Kind != "" || f.Brand != "" ||
		f.DoneFrom != "" || f.DoneTo != "" || f.Repeat ||
		f.Customer != "" || f.Technician != "" || f.OlderThan != "" || f.Planned != "" || f.NoWorkOrder || f.CustomerNews
}

// HasStatus reports whether status s is ticked.
func (f searchForm) HasStatus(s repair.Status) bool { return slices.Contains(f.Statuses, string(s)) }

// filter validates the form into a store filter, with a Swedish message per
// wrong field; now is when "older than" counts from.
func (f searchForm) filter(now time.Time) (repair.CaseFilter, repair.FieldErrors) {
	fe := repair.FieldErrors{}
	for field, v := range map[string]string{"fakturamarkning": f.InvoiceReference, "objekt": f.AssetNumber, "gata": f.Street, "q": f.Text,
		"ort": f.City, "objekttyp": f.Kind, "fabrikat": f.Brand} {
		// checkInput put U+FFFD where the request had bytes that are not
		// text; no case holds it, so the search would find nothing.
		if strings.ContainsRune(v, '\uFFFD') {
			fe.Add(field, "Sökningen innehåller ogiltiga tecken. Skriv om den och sök igen.")
		}
	}
	cf := repair.CaseFilter{InvoiceReference: f.InvoiceReference, AssetNumber: f.AssetNumber, Street: f.Street, Text: f.Text, Asc: f.Asc,
		City: f.City, Kind: f.Kind, Brand: f.Brand, Repeat: f.Repeat}
	// "Storgatan 1" in quotes is that address and not Storgatan 12.
	if n := len(cf.Street); n >= 2 && cf.Street[0] == '"' && cf.Street[n-1] == '"' {
		cf.Street, cf.StreetExact = strings.TrimSpace(cf.Street[1:n-1]), true
	}
	for _, s := range f.Statuses {
		st := repair.Status(s)
		if !st.Valid() {
			fe.Add("status", "Okänd status. Välj bland de listade.")
			continue
		}
		cf.Statuses = append(cf.Statuses, st)
	}
	day := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, repair.Stockholm)
		if err != nil {
			fe.Add(field, "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-14.")
		}
		return t
	}
	cf.From = day("fran", f.From)
	if to := day("till", f.To); !to.IsZero() {
		cf.To = to.AddDate(0, 0, 1) // Till is inclusive: the whole day
	}
	if !cf.From.IsZero() && !cf.To.IsZero() && !cf.From.Before(cf.To) {
		fe.Add("till", "Till-datumet är före från-datumet.")
	}
	id := func(field, v string) int64 {
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fe.Add(field, "Välj i listan.")
		}
		return n
	}
	cf.CustomerID, cf.TechnicianID, cf.NoWorkOrder = id("kund", f.Customer), id("tekniker", f.Technician), f.NoWorkOrder
	cf.CustomerNews = f.CustomerNews
	if f.OlderThan != "" {
		days, err := strconv.Atoi(f.OlderThan)
		if err != nil || days < 0 || days > 3650 {
			fe.Add("aldre_an", "Ange antal dagar som en siffra, t.ex. 14.")
		} else if to := now.In(repair.Stockholm).AddDate(0, 0, -days); cf.To.IsZero() || to.Before(cf.To) {
			cf.To = to
		}
	}
	if planned := day("planerad", f.Planned); !planned.IsZero() {
		cf.PlannedFrom, cf.PlannedTo = planned, planned.AddDate(0, 0, 1)
	}
	cf.CompletedFrom = day("utford_fran", f.DoneFrom)
	if to := day("utford_till", f.DoneTo); !to.IsZero() {
		cf.CompletedTo = to.AddDate(0, 0, 1)
	}
	if !cf.CompletedFrom.IsZero() && !cf.CompletedTo.IsZero() && !cf.CompletedFrom.Before(cf.CompletedTo) {
		fe.Add("utford_till", "Till-datumet är före från-datumet.")
	}
	switch f.Sort {
	case "":
		// Cases completed in a span are listed by completion, which their
		// index gives in order; everything else newest registered first.
		cf.Sort = repair.SortRegistered
		if !cf.CompletedFrom.IsZero() || !cf.CompletedTo.IsZero() {
			cf.Sort = repair.SortCompleted
		}
	case string(repair.SortRegistered):
		cf.Sort = repair.SortRegistered
	case string(repair.SortCompleted):
		cf.Sort = repair.SortCompleted
	case string(repair.SortNumber):
		cf.Sort = repair.SortNumber
	default:
		fe.Add("sort", "Okänd sortering; listan visas i standardordning.")
	}
	cf.Cursor = f.After
	if f.Before != "" {
		cf.Cursor, cf.Before = f.Before, true
	}
	return cf, fe
}

// maxStreetChoices is how many of the streets a Gata prefix starts the
// field offers.
const maxStreetChoices = 20

type searchPage struct {
	basePage
	Form        searchForm
	Errors      repair.FieldErrors
	Rows        []repair.Case
	RowsHTML    template.HTML // Rows as HTML (caserows.go): the portal's, or the office's list
	FormHTML    template.HTML // the portal's filter form, when kept rendered (formcache.go)
	Result      repair.CaseResult
	Statuses    []repair.Status
	InvoiceRefs []string
	// Streets are the customer's streets the Gata prefix starts, offered
	// as the field's list; ManyStreets says there are more than shown.
	Streets     []string
	ManyStreets bool
	Query       string            // the filters as a query string, for export links
	filter      repair.CaseFilter // the search as read from Form
	Base        string            // the search's path: /sok-arende, or the office's /order/arenden
	NextURL     string
	PrevURL     string
	FirstURL    string
}

// SortURL is the link of a sortable column heading: the same search in
// that order, flipping the direction when it is already the order.
func (p *searchPage) SortURL(key string) string {
	v := p.Form.values()
	v.Del("sort")
	v.Del("ordning")
	base := p.Base
	if base == "" {
		base = "/sok-arende"
	}
	if key != p.Form.defaultSort() {
		v.Set("sort", key)
	}
	current := p.Form.sortKey()
	if current == key && !p.Form.Asc {
		v.Set("ordning", "stigande")
	}
	return base + "?" + v.Encode()
}

// AriaSort is the aria-sort value of a column heading.
func (p *searchPage) AriaSort(key string) string {
	current := p.Form.sortKey()
	switch {
	case current != key:
		return "none"
	case p.Form.Asc:
		return "ascending"
	}
	return "descending"
}

func (s *server) searchCases(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	scope := repair.ScopeFor(u)
	p := &searchPage{basePage: s.base(r, "Sök ärende"), Form: parseSearchForm(r.URL.Query(), false), Statuses: repair.Statuses}
	p.Wide = true
	var err error
	if p.InvoiceRefs, err = s.db.InvoiceReferences(r.Context(), scope, u.CustomerID, 50); err != nil {
		return err
	}
	status, err := s.runSearch(r, scope, p)
	if err != nil {
		return err
	}
	p.RowsHTML = portalRows(p.Rows)
	// The streets a Gata prefix starts, for the field's list: only for a
	// search that could be read.
	if len(p.Errors) == 0 {
		if p.Streets, err = s.db.Streets(r.Context(), scope, p.filter, maxStreetChoices+1); err != nil {
			return err
		}
		if len(p.Streets) > maxStreetChoices {
			p.Streets, p.ManyStreets = p.Streets[:maxStreetChoices], true
		}
	}
	if key, ok := searchFormKey(p); ok {
		if p.FormHTML, err = s.searchForms.get(key, func() (template.HTML, error) {
			return s.renderHTML("portal/search.html", "portal-search-form", p)
		}); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "portal/search.html", p)
}

// runSearch runs the search of p.Form for scope and fills in the page:
// the errors, or the result with its extras and the links to the pages
// around it. It returns the page's status.
func (s *server) runSearch(r *http.Request, scope repair.Scope, p *searchPage) (int, error) {
	ctx := r.Context()
	if p.Base == "" {
		p.Base = "/sok-arende"
	}
	filter, fe := p.Form.filter(s.now())
	p.Errors, p.filter = fe, filter
	if len(fe) > 0 {
		// Show what was asked and why it could not be; list nothing rather
		// than something the person did not ask for.
		return http.StatusBadRequest, nil
	}
	status := http.StatusOK
	res, err := s.db.SearchCases(ctx, scope, filter)
	if errors.Is(err, store.ErrBadCursor) {
		p.Errors.Add("sida", "Sidan gick inte att visa: länken är ogiltig eller för gammal. Visar första sidan.")
		filter.Cursor, filter.Before = "", false
		res, err = s.db.SearchCases(ctx, scope, filter)
		status = http.StatusBadRequest
	}
	if err != nil {
		return 0, err
	}
	p.Result = res
	p.Rows = res.Cases
	p.Query = p.Form.values().Encode()
	p.FirstURL = p.Base + "?" + p.Query
	if res.Next != "" {
		nv := p.Form.values()
		nv.Set("efter", res.Next)
		p.NextURL = p.Base + "?" + nv.Encode()
	}
	if res.Prev != "" {
		pv := p.Form.values()
		pv.Set("fore", res.Prev)
		p.PrevURL = p.Base + "?" + pv.Encode()
	}
	return status, nil
}
