package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/links"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
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
		if c.WOs == "" {
			c.WOs = l.WorkOrderNumber
		} else if !slices.Contains(strings.Split(c.WOs, ", "), l.WorkOrderNumber) {
			c.WOs += ", " + l.WorkOrderNumber
		}
		switch l.Kind {
		case repair.CostLabour:
			c.Labour += l.AmountOre
			c.LabourMilli += l.QuantityMilli
		case repair.CostPart:
			c.Parts += l.AmountOre
		case repair.CostTravel:
			c.Travel += l.AmountOre
		default:
			c.Fees += l.AmountOre
		}
		c.Total += l.AmountOre
		g.Subtotal += l.AmountOre
	}
	return v
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
	p.Run, p.Spec = &run, newSpec(run.Lines, run.Totals, true)
	if p.Invoices, err = s.db.Invoices(ctx, repair.StaffScope(), customerID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "order/invoicing.html", p)
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
	Spec    specView
	Errors  repair.FieldErrors
}

func (s *server) showInvoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	inv, err := s.db.Invoice(r.Context(), repair.StaffScope(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "order/invoice.html", &invoicePage{basePage: s.base(r, "Faktura "+inv.Number),
		Invoice: inv, Spec: newSpec(inv.Lines, inv.Totals, true)})
}

func (s *server) creditInvoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	credit, err := s.ops.CreditInvoice(r.Context(), userOf(r), id)
	return s.answer(w, r, err, "/order/fakturor/"+strconv.FormatInt(credit.ID, 10), "kreditfaktura", func(fe repair.FieldErrors) error {
		inv, err := s.db.Invoice(r.Context(), repair.StaffScope(), id)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "order/invoice.html", &invoicePage{basePage: s.base(r, "Faktura "+inv.Number),
			Invoice: inv, Spec: newSpec(inv.Lines, inv.Totals, true), Errors: fe})
	})
}

type specPage struct {
	basePage
	Invoices []repair.Invoice
	Chosen   *repair.Invoice
	Upcoming bool
	Spec     specView
}

// invoiceSpec is the portal's Fakturaspecifikation: an invoice the
// customer chooses (the newest by default), or Kommande, the work done
// but not yet invoiced.
func (s *server) invoiceSpec(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	scope := repair.ScopeFor(u)
	p := &specPage{basePage: s.base(r, "Fakturaspecifikation")}
	p.Wide = true
	var err error
	if p.Invoices, err = s.db.Invoices(ctx, scope, u.CustomerID); err != nil {
		return err
	}
	q := r.URL.Query()
	switch {
	case q.Get("visa") == "kommande" || (q.Get("faktura") == "" && len(p.Invoices) == 0):
		p.Upcoming = true
		_, lines, err := s.db.UninvoicedWork(ctx, scope, u.CustomerID, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), s.now().AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		plain := make([]repair.InvoiceLine, len(lines))
		for i, l := range lines {
			plain[i] = l.InvoiceLine
		}
		t, err := repair.Totals(plain)
		if err != nil {
			return err
		}
		p.Spec = newSpec(lines, t, false)
	default:
		var id int64
		if v := q.Get("faktura"); v != "" {
			if id, err = strconv.ParseInt(v, 10, 64); err != nil {
				return errNotFound
			}
		} else {
			id = p.Invoices[0].ID // the newest; there is one, or Kommande was shown
		}
		inv, err := s.db.Invoice(ctx, scope, id)
		if err != nil {
			return err
		}
		p.Chosen, p.Spec = &inv, newSpec(inv.Lines, inv.Totals, false)
	}
	return s.render(w, r, http.StatusOK, "portal/invoice_spec.html", p)
}
