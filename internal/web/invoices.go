package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Invoicing: the office's invoice run (/order/fakturering) and invoices
// (/order/fakturor/{id}), and the customer's Fakturaspecifikation, all
// showing one specification: lines grouped by Fakturamärkning, then by
// case, with subtotals and the invoice's totals.

// specView is a specification: the groups and the totals.
type specView struct {
	Groups []specGroup
	Totals repair.InvoiceTotals
	Staff  bool // case links lead to the office's case page
	// Invoice is set for an issued invoice, whose totals end in
	// öresavrundning and Att betala; the other views end in the total
	// with VAT.
	Invoice bool
	// ShowInvoice adds the column that says which invoice billed a case,
	// or that it is still to come.
	ShowInvoice bool
	// Summary, for a specification too large for a page, is its sums per
	// Fakturamärkning instead of its cases (SummaryCases in all).
	Summary      []store.ReferenceWork
	SummaryCases int
	// Reference is the Fakturamärkning chosen from a summary; Partial
	// says the groups are not the whole specification.
	Reference string
	Partial   bool
	// Next and Prev, when the cases are one page of a Fakturamärkning's,
	// are the cases its Nästa and Föregående links continue from.
	Next, Prev int64
	// PageURL is the page of the whole specification, for links to its
	// parts: a path and, for the portal's views, the view's query.
	PageURL string
}

// ReferenceURL is the page of one Fakturamärkning's cases.
func (v specView) ReferenceURL(ref string) string {
	if ref == "" {
		ref = noReference
	}
	sep := "?"
	if strings.Contains(v.PageURL, "?") {
		sep = "&"
	}
	return v.PageURL + sep + url.Values{"fakturamarkning": {ref}}.Encode()
}

// WholeURL is the whole specification's page.
func (v specView) WholeURL() string { return v.PageURL }

// PageSize is the most cases a page lists.
func (v specView) PageSize() int { return specPageCases }

// Paged says the cases are one page of several.
func (v specView) Paged() bool { return v.Next != 0 || v.Prev != 0 }

// FirstURL, NextURL and PrevURL are the pages of a paged list.
func (v specView) FirstURL() string { return v.listURL("", 0) }
func (v specView) NextURL() string  { return v.listURL("efter", v.Next) }
func (v specView) PrevURL() string  { return v.listURL("fore", v.Prev) }

// listURL is the page of the list's cases key (efter or fore) the case
// id, or its first page; "" when there is no such page.
func (v specView) listURL(key string, id int64) string {
	if key != "" && id == 0 {
		return ""
	}
	u := v.PageURL
	if v.Partial {
		u = v.ReferenceURL(v.Reference)
	}
	if key == "" {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + key + "=" + strconv.FormatInt(id, 10)
}

type specGroup struct {
	Reference string
	Cases     []specCase
	Subtotal  int64
}

// specCase is one case's part of a specification.
type specCase struct {
	CaseID                                          int64
	Number, CompletedOn, Title, Asset, Street, WOs  string
	Invoices                                        string // the invoices that billed it, "" when none yet
	LabourMilli, Labour, Parts, Travel, Fees, Total int64
}

// newSpec groups lines (in Fakturamärkning, case order) into a
// specification.
func newSpec(lines []repair.InvoicedLine, t repair.InvoiceTotals, staff bool) specView {
	v := specView{Totals: t, Staff: staff}
	for _, l := range lines {
		if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Reference != l.InvoiceReference {
			v.Groups = append(v.Groups, specGroup{Reference: l.InvoiceReference})
		}
		g := &v.Groups[len(v.Groups)-1]
		if len(g.Cases) == 0 || g.Cases[len(g.Cases)-1].CaseID != l.CaseID {
			g.Cases = append(g.Cases, specCase{CaseID: l.CaseID, Number: l.CaseNumber, CompletedOn: l.CompletedOn,
				Title: l.CaseTitle, Asset: l.AssetNumber, Street: l.Street})
		}
		c := &g.Cases[len(g.Cases)-1]
		c.WOs = addDistinct(c.WOs, l.WorkOrderNumber)
		c.Invoices = addDistinct(c.Invoices, l.InvoiceNumber)
		if l.Kind == repair.CostLabour {
			c.LabourMilli += l.QuantityMilli
		}
		addByKind(l.Kind, l.AmountOre, &c.Labour, &c.Parts, &c.Travel, &c.Fees)
		c.Total += l.AmountOre
		g.Subtotal += l.AmountOre
	}
	return v
}

// addByKind adds ore to the column its kind is summed in: Arbete,
// Reservdelar, Resor, or Avgifter for every other kind.
func addByKind(kind repair.CostKind, ore int64, labour, parts, travel, fees *int64) {
	switch kind {
	case repair.CostLabour:
		*labour += ore
	case repair.CostPart:
		*parts += ore
	case repair.CostTravel:
		*travel += ore
	default:
		*fees += ore
	}
}

// Gross is the total with VAT.
func (v specView) Gross() int64 { return v.Totals.NetOre + v.Totals.VATOre }

// addDistinct adds v to the list, unless it is empty or listed.
func addDistinct(list, v string) string {
	switch {
	case v == "" || slices.Contains(strings.Split(list, ", "), v):
		return list
	case list == "":
		return v
	}
	return list + ", " + v
}

// CaseURL is where a specification's case number leads.
func (v specView) CaseURL(id int64) string {
	if v.Staff {
		return links.StaffCase(id, "")
	}
	return links.Case(id)
}

type invoiceRunPage struct {
	basePage
	Customers []repair.Customer
	Customer  string // the chosen customer's id
	From, To  string // YYYY-MM-DD, To inclusive
	Errors    repair.FieldErrors
	Run       *orders.InvoiceRun
	Spec      specView
	Invoices  []repair.Invoice
}

// runParams reads the run's customer and period; the period defaults to
// last month.
func (s *server) runParams(v url.Values, p *invoiceRunPage) (customerID int64, from, to time.Time) {
	now := s.now().In(repair.Stockholm)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, repair.Stockholm)
	p.Customer, p.From, p.To = v.Get("kund"), v.Get("fran"), v.Get("till")
	if p.From == "" && p.To == "" {
		p.From, p.To = first.AddDate(0, -1, 0).Format(time.DateOnly), first.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	day := func(field, s string) time.Time {
		t, err := time.ParseInLocation(time.DateOnly, s, repair.Stockholm)
		if err != nil {
			p.Errors.Add(field, "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-14.")
		}
		return t
	}
	from, to = day("fran", p.From), day("till", p.To).AddDate(0, 0, 1)
	if p.Customer != "" {
		var err error
		if customerID, err = strconv.ParseInt(p.Customer, 10, 64); err != nil || customerID <= 0 {
			p.Errors.Add("kund", "Välj en kund i listan.")
		}
	}
	return customerID, from, to
}

func (s *server) invoiceRun(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	p := &invoiceRunPage{basePage: s.base(r, "Fakturering"), Errors: repair.FieldErrors{}}
	var err error
	if p.Customers, err = s.db.Customers(ctx, repair.StaffScope()); err != nil {
		return err
	}
	customerID, from, to := s.runParams(r.URL.Query(), p)
	if customerID == 0 || len(p.Errors) > 0 {
		status := http.StatusOK
		if len(p.Errors) > 0 {
			status = http.StatusBadRequest
		}
		return s.render(w, r, status, "order/invoicing.html", p)
	}
	run, err := s.ops.PreviewInvoiceRun(ctx, u, customerID, from, to)
	if fe, ok := fieldErrors(err); ok {
		p.Errors = fe
		return s.render(w, r, http.StatusBadRequest, "order/invoicing.html", p)
	}
	if err != nil {
		return err
	}
	p.Run = &run
	p.Spec = officeSpec(r.URL.Query(), run.Lines, run.Totals,
		"/order/fakturering?"+url.Values{"kund": {p.Customer}, "fran": {p.From}, "till": {p.To}}.Encode(), p.Errors)
	if p.Invoices, err = s.db.Invoices(ctx, repair.StaffScope(), customerID); err != nil {
		return err
	}
	return s.render(w, r, statusOf(p.Errors), "order/invoicing.html", p)
}

func (s *server) issueInvoice(w http.ResponseWriter, r *http.Request) error {
	p := &invoiceRunPage{basePage: s.base(r, "Fakturering"), Errors: repair.FieldErrors{}}
	customerID, from, to := s.runParams(r.PostForm, p)
	if len(p.Errors) > 0 || customerID == 0 {
		http.Redirect(w, r, "/order/fakturering?"+r.PostForm.Encode(), http.StatusSeeOther)
		return nil
	}
	inv, err := s.ops.IssueInvoice(r.Context(), userOf(r), customerID, from, to)
	return s.answer(w, r, err, "/order/fakturor/"+strconv.FormatInt(inv.ID, 10), "faktura", func(fe repair.FieldErrors) error {
		p.Errors = fe
		var err error
		if p.Customers, err = s.db.Customers(r.Context(), repair.StaffScope()); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "order/invoicing.html", p)
	})
}

type invoicePage struct {
	basePage
	Invoice repair.Invoice
	Doc     specDoc
	Spec    specView
	Errors  repair.FieldErrors
}

// Exports are the invoice's files.
func (p *invoicePage) Exports() []exportLink {
	// The office's files name the invoice in their path.
	return p.Doc.exports("/order/fakturor/"+strconv.FormatInt(p.Invoice.ID, 10)+"/export", "")
}

// invoicePage is an issued invoice; a large one is shown by
// Fakturamärkning, as the portal's specification is.
func (s *server) invoicePage(r *http.Request, id int64) (*invoicePage, error) {
	d, err := s.invoiceDoc(r.Context(), repair.StaffScope(), id)
	if err != nil {
		return nil, err
	}
	p := &invoicePage{basePage: s.base(r, d.Title()), Invoice: *d.Invoice, Doc: d, Errors: repair.FieldErrors{}}
	p.Spec = officeSpec(r.URL.Query(), d.Lines, d.Totals, "/order/fakturor/"+strconv.FormatInt(id, 10), p.Errors)
	return p, nil
}

func (s *server) showInvoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.invoicePage(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, statusOf(p.Errors), "order/invoice.html", p)
}

func (s *server) creditInvoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	credit, err := s.ops.CreditInvoice(r.Context(), userOf(r), id)
	return s.answer(w, r, err, "/order/fakturor/"+strconv.FormatInt(credit.ID, 10), "kreditfaktura", func(fe repair.FieldErrors) error {
		p, err := s.invoicePage(r, id)
		if err != nil {
			return err
		}
		p.Errors = fe
		return s.render(w, r, http.StatusUnprocessableEntity, "order/invoice.html", p)
	})
}

type specPage struct {
	basePage
	Invoices []repair.Invoice
	Doc      specDoc
	Months   []string // the months to choose from, newest first
	Errors   repair.FieldErrors
	Spec     specView
}

// Exports are the links to the specification's files, each with the
// view's own query.
func (p *specPage) Exports() []exportLink {
	return p.Doc.exports("/fakturaspecifikation/export", "?"+p.Doc.query().Encode())
}

// specDoc is one specification, as its page shows it and its files write
// it: an issued invoice or credit note, the work of the cases completed in
// a month, or Kommande, what is done but not yet invoiced.
type specDoc struct {
	View     string          // specInvoice, specPeriod or specUpcoming
	Invoice  *repair.Invoice // specInvoice
	Period   repair.Period   // specPeriod: a month
	Customer repair.Customer
	Lines    []repair.InvoicedLine
	Totals   repair.InvoiceTotals
}

const (
	specInvoice  = "faktura"
	specPeriod   = "period"
	specUpcoming = "kommande"
)

// Title is the specification's heading, and its files' title.
func (d specDoc) Title() string {
	switch d.View {
	case specInvoice:
		if d.Invoice.CreditsID != 0 {
			return "Kreditfaktura " + d.Invoice.Number
		}
		return "Faktura " + d.Invoice.Number
	case specPeriod:
		return "Fakturaspecifikation " + d.Period.String()
	}
	return "Kommande fakturering"
}

// filename is the base of the specification's file names.
func (d specDoc) filename() string {
	switch d.View {
	case specInvoice:
		return "faktura-" + d.Invoice.Number
	case specPeriod:
		return "fakturaspecifikation-" + d.Period.String()
	}
	return "kommande-fakturering"
}

// query is the view in a URL's query.
func (d specDoc) query() url.Values {
	switch d.View {
	case specInvoice:
		return url.Values{"faktura": {strconv.FormatInt(d.Invoice.ID, 10)}}
	case specPeriod:
		return url.Values{"period": {d.Period.String()}}
	}
	return url.Values{"visa": {specUpcoming}}
}

type exportLink struct{ URL, Label, TestID string }

// exports are the specification's files under base, each with query:
// PDF, Excel and CSV, and for an invoice its e-invoice.
func (d specDoc) exports(base, query string) []exportLink {
	out := []exportLink{
		{base + ".pdf" + query, "PDF", "export-pdf"},
		{base + ".xlsx" + query, "Excel", "export-xlsx"},
		{base + ".csv" + query, "CSV", "export-csv"},
	}
	if d.View == specInvoice {
		out = append(out, exportLink{base + ".xml" + query, "E-faktura (Peppol BIS 3)", "export-xml"})
	}
	return out
}

// invoiceDoc is an issued invoice as a specification.
func (s *server) invoiceDoc(ctx context.Context, scope repair.Scope, id int64) (specDoc, error) {
	inv, err := s.db.Invoice(ctx, scope, id)
	if err != nil {
		return specDoc{}, err
	}
	d := specDoc{View: specInvoice, Invoice: &inv, Lines: inv.Lines, Totals: inv.Totals,
		Customer: repair.Customer{ID: inv.CustomerID, Name: inv.CustomerName, OrgNumber: inv.OrgNumber, InvoiceAddress: inv.InvoiceAddress}}
	return d, nil
}

// portalDoc reads the specification the customer's query asks for, whole:
// an invoice (faktura=id), a month (period=2026-03, last month by default)
// or Kommande (visa=kommande).
func (s *server) portalDoc(ctx context.Context, u repair.User, q url.Values) (specDoc, repair.FieldErrors, error) {
	d, wq, fe, err := s.portalView(ctx, u, q)
	if err != nil || d.View == specInvoice {
		return d, fe, err
	}
	return d, fe, s.readWork(ctx, repair.ScopeFor(u), &d, wq)
}

// readWork reads the lines of wq into d, with their totals.
func (s *server) readWork(ctx context.Context, scope repair.Scope, d *specDoc, wq store.WorkQuery) error {
	var err error
	if _, d.Lines, err = s.db.Work(ctx, scope, wq); err != nil {
		return err
	}
	plain := make([]repair.InvoiceLine, len(d.Lines))
	for i, l := range d.Lines {
		plain[i] = l.InvoiceLine
	}
	d.Totals, err = repair.Totals(plain)
	return err
}

// portalView is the specification the customer's query asks for, with
// an invoice read whole but a month's or Kommande's work only asked for
// (wq), for the caller to read whole or in part.
func (s *server) portalView(ctx context.Context, u repair.User, q url.Values) (specDoc, store.WorkQuery, repair.FieldErrors, error) {
	scope := repair.ScopeFor(u)
	wq := store.WorkQuery{CustomerID: u.CustomerID}
	if !scope.Invoices() {
		return specDoc{}, wq, nil, errNotFound
	}
	if v := q.Get("faktura"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return specDoc{}, wq, nil, errNotFound
		}
		d, err := s.invoiceDoc(ctx, scope, id)
		return d, wq, nil, err
	}
	customer, err := s.db.Customer(ctx, scope, u.CustomerID)
	if err != nil {
		return specDoc{}, wq, nil, err
	}
	d := specDoc{View: specPeriod, Customer: customer}
	var fe repair.FieldErrors
	switch {
	case q.Get("visa") == specUpcoming:
		d.View, wq.Uninvoiced, wq.Status = specUpcoming, true, repair.StatusCompleted
	default:
		now := s.now().In(repair.Stockholm)
		d.Period = repair.Period{Kind: repair.PeriodMonth, Start: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, repair.Stockholm).AddDate(0, -1, 0)}
		if v := q.Get("period"); v != "" {
			p, err := repair.ParsePeriod(v)
			if err != nil || p.Kind != repair.PeriodMonth {
				// The page says what is wrong and shows the default month.
				fe = repair.FieldErrors{"period": "Välj en månad i listan, t.ex. 2026-03."}
			} else {
				d.Period = p
			}
		}
		wq.From, wq.To = d.Period.Start, d.Period.End()
	}
	return d, wq, fe, nil
}

// invoiceSpec is the portal's Fakturaspecifikation.
func (s *server) invoiceSpec(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	scope := repair.ScopeFor(u)
	d, wq, fe, err := s.portalView(ctx, u, r.URL.Query())
	if err != nil {
		return err
	}
	if fe == nil {
		fe = repair.FieldErrors{}
	}
	p := &specPage{basePage: s.base(r, "Fakturaspecifikation"), Errors: fe}
	p.Wide = true
	if p.Spec, err = s.pageSpec(ctx, scope, &d, wq, chooseSpec(r.URL.Query(), p.Errors)); err != nil {
		return err
	}
	p.Doc = d
	p.Spec.PageURL = "/fakturaspecifikation?" + d.query().Encode()
	if p.Invoices, err = s.db.Invoices(ctx, scope, u.CustomerID); err != nil {
		return err
	}
	p.Months = specMonths(s.now(), d)
	p.Spec.Invoice, p.Spec.ShowInvoice = d.View == specInvoice, d.View == specPeriod
	return s.render(w, r, statusOf(p.Errors), "portal/invoice_spec.html", p)
}

// referenceParam is the Fakturamärkning a specification's link chose
// (fakturamarkning=, "-" for none): ref, and byRef if one was chosen, or
// what is wrong with it.
func referenceParam(q url.Values) (ref string, byRef bool, problem string) {
	ref, byRef = truncate(q.Get("fakturamarkning"), 100), q.Has("fakturamarkning")
	switch {
	case strings.ContainsRune(ref, '\uFFFD'):
		// checkInput put U+FFFD where the link had bytes that are not
		// text: no Fakturamärkning holds them. The whole view is shown.
		return "", false, "Fakturamärkningen i länken innehåller ogiltiga tecken. Välj en fakturamärkning i listan."
	case ref == noReference:
		ref = ""
	}
	return ref, byRef, ""
}

// statusOf is a page's status: 400 when it explains what is wrong with
// the request.
func statusOf(fe repair.FieldErrors) int {
	if len(fe) > 0 {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// specChoice is the part of a specification a link chose: one
// Fakturamärkning (byRef) or the whole, and a page of the cases.
type specChoice struct {
	ref   string
	byRef bool
	page  store.CasePage
}

// chooseSpec reads the choice from a link's query; what is wrong with
// it goes in fe, and that part of the choice is left out.
func chooseSpec(q url.Values, fe repair.FieldErrors) specChoice {
	var ch specChoice
	var problem string
	if ch.ref, ch.byRef, problem = referenceParam(q); problem != "" {
		fe.Add("fakturamarkning", problem)
	}
	if ch.page, problem = casePageParam(q); problem != "" {
		fe.Add("sida", problem)
	}
	return ch
}

// casePageParam is the page of a Fakturamärkning's cases a link asks for
// (efter=, fore=: the case the page continues from), or what is wrong
// with it; the first page then.
func casePageParam(q url.Values) (page store.CasePage, problem string) {
	const bad = "Sidan gick inte att visa: länken är ogiltig. Visar första sidan."
	page.Limit = specPageCases
	for key, id := range map[string]*int64{"efter": &page.After, "fore": &page.Before} {
		if v := q.Get(key); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return store.CasePage{Limit: specPageCases}, bad
			}
			*id = n
		}
	}
	if page.After != 0 && page.Before != 0 {
		return store.CasePage{Limit: specPageCases}, bad
	}
	return page, ""
}

// officeSpec is what an office page shows of a specification held in
// lines (an invoice, an invoice run's preview): the Fakturamärkning and
// page its link chose (what is wrong with the choice goes in fe), with
// case links to the office's pages and pageURL the page of the whole.
func officeSpec(q url.Values, lines []repair.InvoicedLine, t repair.InvoiceTotals, pageURL string, fe repair.FieldErrors) specView {
	v := linesSpec(lines, t, chooseSpec(q, fe))
	v.Staff, v.Invoice, v.PageURL = true, true, pageURL
	return v
}

// linesSpec is what a page shows of a specification held whole in lines
// (an invoice, an invoice run's preview), as pageSpec does for the
// portal's views.
func linesSpec(lines []repair.InvoicedLine, t repair.InvoiceTotals, ch specChoice) specView {
	summary := summarize(lines)
	if ch.byRef {
		lines = slices.DeleteFunc(slices.Clone(lines), func(l repair.InvoicedLine) bool {
			return store.Fold(l.InvoiceReference) != store.Fold(ch.ref)
		})
		lines, more := pageOf(lines, ch.page)
		v := referenceSpec(lines, ch.ref, ch.page, more)
		v.Partial = true
		v.sumAll(referenceSum(summary, ch.ref))
		return v
	}
	n, ok := tooManyCases(summary)
	switch {
	case ok && len(summary) == 1:
		lines, more := pageOf(lines, ch.page)
		v := referenceSpec(lines, summary[0].Reference, ch.page, more)
		v.Totals = t
		v.sumAll(summary[0])
		return v
	case ok:
		return specView{Totals: t, Summary: summary, SummaryCases: n}
	}
	return newSpec(lines, t, false)
}

// pageOf is the page p of the cases of lines (in their order, each case's
// lines together), and whether there are more past it.
func pageOf(lines []repair.InvoicedLine, p store.CasePage) ([]repair.InvoicedLine, bool) {
	var starts []int // where each case's lines start
	for i, l := range lines {
		if i == 0 || l.CaseID != lines[i-1].CaseID {
			starts = append(starts, i)
		}
	}
	starts = append(starts, len(lines))
	cases := len(starts) - 1
	at := func(id int64) int { // the case's place, or -1
		return slices.IndexFunc(starts[:cases], func(i int) bool { return lines[i].CaseID == id })
	}
	from, to := 0, min(p.Limit, cases)
	switch {
	case p.After != 0:
		from = at(p.After) + 1
		if from == 0 {
			return nil, false
		}
		to = min(from+p.Limit, cases)
	case p.Before != 0:
		to = at(p.Before)
		if to < 0 {
			return nil, false
		}
		from = max(0, to-p.Limit)
		return lines[starts[from]:starts[to]], from > 0
	}
	return lines[starts[from]:starts[to]], to < cases
}

// referenceSpec is a page of the cases under one Fakturamärkning, ref,
// whose lines are lines, page what was asked for and more whether there
// are more cases past it.
func referenceSpec(lines []repair.InvoicedLine, ref string, page store.CasePage, more bool) specView {
	v := newSpec(lines, repair.InvoiceTotals{}, false)
	v.Reference = ref
	if len(v.Groups) == 0 {
		return v
	}
	// The Nästa and Föregående links, from the page's last and first
	// case: forward there is a next page if there are more, and a
	// previous one if the page continues from one; backward the other
	// way round.
	cases := v.Groups[0].Cases
	first, last := cases[0].CaseID, cases[len(cases)-1].CaseID
	switch {
	case page.Before != 0:
		v.Next = last
		if more {
			v.Prev = first
		}
	default:
		if more {
			v.Next = last
		}
		if page.After != 0 {
			v.Prev = first
		}
	}
	return v
}

// sumAll ends a page's group in sum, what all the Fakturamärkning's cases
// add up to, and names it as sum does, as the summary row that led there:
// a page's lines may not hold its greatest spelling. A list of one page
// has its own sum.
func (v *specView) sumAll(sum store.ReferenceWork) {
	if !v.Paged() {
		return
	}
	v.Groups[0].Subtotal = sum.Total
	if sum.Cases > 0 {
		v.Groups[0].Reference = sum.Reference
	}
}

// referenceSum is ref's row of summary (zero if it has none).
func referenceSum(summary []store.ReferenceWork, ref string) store.ReferenceWork {
	for _, w := range summary {
		if store.Fold(w.Reference) == store.Fold(ref) {
			return w
		}
	}
	return store.ReferenceWork{}
}

// tooManyCases is the number of cases summary sums, and whether they are
// more than a page lists (the page then shows the summary).
func tooManyCases(summary []store.ReferenceWork) (int, bool) {
	n := 0
	for _, w := range summary {
		n += w.Cases
	}
	return n, n > specPageCases
}

// pageSpec is what the page shows of d: a page of the cases of one
// Fakturamärkning when one is chosen (byRef); else, for more cases than a
// page lists, the sums per Fakturamärkning, each leading to its own
// cases, or, when all have the same, a page of them; else every case.
// The files hold d whole. An invoice comes with its lines; a month's or
// Kommande's are read here (wq), as far as shown.
func (s *server) pageSpec(ctx context.Context, scope repair.Scope, d *specDoc, wq store.WorkQuery, ch specChoice) (specView, error) {
	if d.View == specInvoice {
		return linesSpec(d.Lines, d.Totals, ch), nil
	}
	if ch.byRef {
		wq.ByReference, wq.Reference = true, ch.ref
		v, err := s.referencePage(ctx, scope, wq, ch.page)
		v.Partial = true
		if err != nil || !v.Paged() {
			return v, err
		}
		// Only a list of several pages needs the whole one's sum.
		summary, err := s.specSummary(ctx, scope, *d, wq)
		v.sumAll(referenceSum(summary, ch.ref))
		return v, err
	}
	summary, err := s.specSummary(ctx, scope, *d, wq)
	if err != nil {
		return specView{}, err
	}
	if n, ok := tooManyCases(summary); ok {
		if d.Totals, err = summaryTotals(summary); err != nil {
			return specView{}, err
		}
		if len(summary) > 1 {
			return specView{Totals: d.Totals, Summary: summary, SummaryCases: n}, nil
		}
		wq.ByReference, wq.Reference = true, summary[0].Reference
		v, err := s.referencePage(ctx, scope, wq, ch.page)
		v.Totals = d.Totals
		v.sumAll(summary[0])
		return v, err
	}
	if err := s.readWork(ctx, scope, d, wq); err != nil {
		return specView{}, err
	}
	return newSpec(d.Lines, d.Totals, false), nil
}

// referencePage reads the page of wq's cases (one Fakturamärkning's) that
// page asks for.
func (s *server) referencePage(ctx context.Context, scope repair.Scope, wq store.WorkQuery, page store.CasePage) (specView, error) {
	lines, more, err := s.db.WorkPage(ctx, scope, wq, page)
	if err != nil {
		return specView{}, err
	}
	return referenceSpec(lines, wq.Reference, page, more), nil
}

// specSummary is the sums per Fakturamärkning of d, a month (from the
// Dashboard's rollup) or Kommande (from the database; of one
// Fakturamärkning when wq chooses one).
func (s *server) specSummary(ctx context.Context, scope repair.Scope, d specDoc, wq store.WorkQuery) ([]store.ReferenceWork, error) {
	if d.View == specPeriod {
		return s.monthByReference(ctx, scope, d.Period)
	}
	return s.db.WorkByReference(ctx, scope, wq)
}

// specPageCases is the most cases a Fakturaspecifikation page lists: a
// larger one is shown by Fakturamärkning, and a Fakturamärkning's cases
// in pages of this many (a var for tests).
var specPageCases = 50

// noReference names, in fakturamarkning=, the cases without one.
const noReference = "-"

// summarize sums an invoice's lines per Fakturamärkning, as
// WorkByReference does a month's in the database.
func summarize(lines []repair.InvoicedLine) []store.ReferenceWork {
	var out []store.ReferenceWork
	cases := map[int64]bool{}
	for _, l := range lines {
		if len(out) == 0 || store.Fold(out[len(out)-1].Reference) != store.Fold(l.InvoiceReference) {
			out = append(out, store.ReferenceWork{Reference: l.InvoiceReference})
		}
		w := &out[len(out)-1]
		if !cases[l.CaseID] {
			cases[l.CaseID] = true
			w.Cases++
		}
		addByKind(l.Kind, l.AmountOre, &w.Labour, &w.Parts, &w.Travel, &w.Fees)
		w.Total += l.AmountOre
	}
	return out
}

// monthByReference is a month's specification summed per
// Fakturamärkning from the Dashboard's rollup, which holds these sums
// (the same as the month's lines: TestDemoInvoices), so that a month of
// a customer with tens of thousands of lines is summed from a few rows.
// Its case count is the Dashboard's: the cases completed in the month,
// those without costs too.
func (s *server) monthByReference(ctx context.Context, scope repair.Scope, month repair.Period) ([]store.ReferenceWork, error) {
	buckets, err := s.db.Dashboard(ctx, scope, repair.DashboardQuery{Grouping: repair.GroupReference, Period: month})
	if err != nil {
		return nil, err
	}
	out := make([]store.ReferenceWork, len(buckets))
	for i, b := range buckets {
		w := store.ReferenceWork{Reference: b.Label, Cases: int(b.Cases), Labour: b.Costs[0], Parts: b.Costs[1], Travel: b.Costs[2], Fees: b.Costs[3]}
		if b.Key == repair.NoValue {
			w.Reference = ""
		}
		w.Total = w.Labour + w.Parts + w.Travel + w.Fees
		out[i] = w
	}
	// In the order of the lines: by the folded Fakturamärkning.
	slices.SortFunc(out, func(a, b store.ReferenceWork) int {
		return strings.Compare(store.Fold(a.Reference), store.Fold(b.Reference))
	})
	return out, nil
}

// summaryTotals are the totals of the work summed in summary: every line
// is at the standard rate, and VAT is reckoned on each rate's sum.
func summaryTotals(summary []store.ReferenceWork) (repair.InvoiceTotals, error) {
	lines := make([]repair.InvoiceLine, len(summary))
	for i, w := range summary {
		lines[i] = repair.InvoiceLine{QuantityMilli: 1000, UnitPriceOre: w.Total, Rate: repair.VATStandard}
	}
	return repair.Totals(lines)
}

// specMonths are the months the period list offers: the last 24, and the
// one shown if it is older.
func specMonths(now time.Time, d specDoc) []string {
	now = now.In(repair.Stockholm)
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, repair.Stockholm)
	var out []string
	for range 24 {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, -1, 0)
	}
	if d.View == specPeriod && !slices.Contains(out, d.Period.String()) {
		out = append(out, d.Period.String())
	}
	return out
}
