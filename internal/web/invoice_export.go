package web

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"time"

	"kundportal/internal/docs"
	"kundportal/internal/export"
	"kundportal/internal/orders"
	"kundportal/internal/peppol"
	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// The files of a specification: the portal's (/fakturaspecifikation/
// export.*, with the view's query) and the office's for an invoice
// (/order/fakturor/{id}/export.*). Excel and CSV carry one row per line
// with every column the specification groups by, for the customer's own
// accounting to sort and sum.

// exportSpec writes the portal's specification, as the query chooses it,
// in format.
func (s *server) exportSpec(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, fe, err := s.portalDoc(r.Context(), userOf(r), r.URL.Query())
		if err != nil {
			return err
		}
		if len(fe) > 0 {
			// The page explains what is wrong with the choice.
			http.Redirect(w, r, "/fakturaspecifikation?"+r.URL.RawQuery, http.StatusSeeOther)
			return nil
		}
		return s.writeSpec(w, d, format)
	}
}

// exportInvoice writes one invoice, for the office, in format.
func (s *server) exportInvoice(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		d, err := s.invoiceDoc(r.Context(), repair.StaffScope(), id)
		if err != nil {
			return err
		}
		return s.writeSpec(w, d, format)
	}
}

// writeSpec writes d in format: csv, xlsx, pdf, or xml for an invoice's
// e-invoice.
func (s *server) writeSpec(w http.ResponseWriter, d specDoc, format string) error {
	switch format {
	case "csv", "xlsx":
		return writeTable(w, specTable(d), d.filename(), s.db.Now(), format)
	case "pdf":
		var buf bytes.Buffer
		if err := docs.RenderInvoiceSpec(&buf, specPDF(d, s.ops.Company(), s.db.Now())); err != nil {
			return err
		}
		// The product's own PDF opens in the browser.
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.filename() + ".pdf"}))
		w.Header().Set("Cache-Control", "private, no-store")
		_, err := buf.WriteTo(w)
		return err
	case "xml":
		if d.View != specInvoice {
			return errNotFound // only an issued invoice is an e-invoice
		}
		var buf bytes.Buffer
		if err := peppol.Write(&buf, *d.Invoice, orders.Seller(s.ops.Company())); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.filename() + ".xml"}))
		w.Header().Set("Cache-Control", "private, no-store")
		_, err := buf.WriteTo(w)
		return err
	}
	return errNotFound
}

// specPDF is d as the PDF prints it, dated now unless it is an issued
// invoice, which is dated by its issue so that it renders the same bytes
// every time.
func specPDF(d specDoc, company repair.Company, now time.Time) docs.InvoiceSpec {
	v := newSpec(d.Lines, d.Totals, false)
	spec := docs.InvoiceSpec{Company: orders.Letterhead(company), FSkatt: company.FSkatt, Title: d.Title(), Customer: d.Customer.Name,
		InvoiceAddress: strings.Join(repair.AddressLines(d.Customer.InvoiceAddress), "\n"), At: now}
	if spec.InvoiceAddress == "" {
		spec.InvoiceAddress = d.Customer.Name
	}
	fact := func(label, value string) {
		if value != "" {
			spec.Facts = append(spec.Facts, docs.Fact{Label: label, Value: value})
		}
	}
	switch d.View {
	case specInvoice:
		inv := d.Invoice
		spec.At = inv.CreatedAt
		fact("Fakturanummer", inv.Number)
		fact("Fakturadatum", inv.InvoiceDate)
		fact("Förfallodatum", inv.DueDate)
		fact("Period", inv.PeriodFrom+" – "+inv.PeriodTo)
		fact("Krediterar faktura", d.Invoice.CreditsNumber)
		fact("Ert org.nr", inv.OrgNumber)
		fact("Att betala", sv.Money(inv.Totals.ToPayOre))
	case specPeriod:
		fact("Period", d.Period.Label())
		fact("Utdrag", sv.Date(now))
		fact("Ert org.nr", d.Customer.OrgNumber)
		spec.Note = "Ärenden utförda i " + d.Period.Label() + ", med den faktura som tar upp dem."
	default:
		fact("Utdrag", sv.Date(now))
		fact("Ert org.nr", d.Customer.OrgNumber)
		spec.Note = "Utförda ärenden som ännu inte fakturerats. De kommer med på fakturan för månaden då ärendet utfördes."
	}
	for _, g := range v.Groups {
		sg := docs.SpecGroup{Reference: g.Reference, SubtotalOre: g.Subtotal}
		for _, c := range g.Cases {
			wos := c.WOs
			if d.View == specPeriod {
				inv := c.Invoices
				if inv == "" {
					inv = "kommande"
				}
				wos += " (" + inv + ")"
			}
			sg.Cases = append(sg.Cases, docs.SpecCase{Number: c.Number, CompletedOn: c.CompletedOn, Title: c.Title,
				Asset: c.Asset, Street: c.Street, WorkOrders: wos, LabourMilli: c.LabourMilli, LabourOre: c.Labour,
				PartsOre: c.Parts, TravelOre: c.Travel, FeesOre: c.Fees, TotalOre: c.Total})
		}
		spec.Groups = append(spec.Groups, sg)
	}
	t := d.Totals
	spec.Totals = &docs.SpecTotals{NetOre: t.NetOre, VATOre: t.VATOre, RoundingOre: t.RoundingOre, ToPayOre: t.ToPayOre,
		Summary: d.View != specInvoice}
	for _, r := range t.ByRate {
		spec.Totals.ByRate = append(spec.Totals.ByRate, docs.RateTotal{Label: r.Rate.Label(), AmountOre: r.AmountOre, VATOre: r.VATOre})
	}
	return spec
}

// specTable is d as a table: one row per line.
func specTable(d specDoc) export.Table {
	t := export.Table{Sheet: "Fakturaspecifikation", Header: []string{
		"Fakturamärkning", "Ärende", "Utförd", "Ort / Titel", "Objekt", "Gata", "Avtal", "Arbetsorder",
		"Typ", "Beskrivning", "Antal", "À-pris exkl. moms", "Belopp exkl. moms", "Moms", "Faktura", "Fakturadatum",
	}}
	number, date := "", ""
	if d.Invoice != nil {
		number, date = d.Invoice.Number, d.Invoice.InvoiceDate
	}
	for _, l := range d.Lines {
		n := number
		if d.Invoice == nil {
			n = l.InvoiceNumber
			if n == "" {
				n = "Kommande"
			}
		}
		t.Rows = append(t.Rows, []string{
			l.InvoiceReference, l.CaseNumber, l.CompletedOn, l.CaseTitle, l.AssetNumber, l.Street, l.ContractNumber,
			l.WorkOrderNumber, l.Kind.Label(), l.Description, sv.Quantity(l.QuantityMilli), sv.Amount(l.UnitPriceOre),
			sv.Amount(l.AmountOre), l.Rate.Label(), n, date,
		})
	}
	return t
}
