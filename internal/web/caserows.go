package web

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// Sök ärende's rows are the portal's hottest HTML: 50 rows of eleven
// cells, each value a template pipeline that html/template runs through
// its escaper by reflection. Written here into one string instead, with
// every value escaped, they cost a fraction of that (BenchmarkPages).
// The markup is the same as a template would write; TestPortalRowsEscape
// holds it to that.

// portalRows is the rows of the portal's list as HTML.
func portalRows(rows []repair.Case) template.HTML {
	var b strings.Builder
	b.Grow(1100 * len(rows))
	for _, c := range rows {
		writePortalRow(&b, c)
	}
	return template.HTML(b.String()) //nolint:gosec // writePortalRow escapes every value
}

// writePortalRow writes one case of the portal's list.
func writePortalRow(b *strings.Builder, c repair.Case) {
	id := strconv.FormatInt(c.ID, 10)
	esc := template.HTMLEscapeString
	b.WriteString(`<tr data-testid="case-row">`)
	b.WriteString(`<td data-label="Ärende" class="card-head"><a href="/arenden/` + id + `">` + esc(c.Number) + `</a></td>`)
	b.WriteString(`<td data-label="Registrerad">` + esc(sv.Date(c.RegisteredAt)) + `</td>`)
	b.WriteString(`<td data-label="Ort / Titel" class="title-cell">` + esc(c.Title) + `</td>`)
	b.WriteString(`<td data-label="Objekt">`)
	if c.AssetID != 0 {
		b.WriteString(`<a href="/objekt/` + strconv.FormatInt(c.AssetID, 10) + `">` + esc(c.AssetNumber) + `</a>`)
	}
	b.WriteString(`</td><td data-label="Gata">` + esc(c.Street) + `</td>`)
	b.WriteString(`<td data-label="Status"><span class="status s-` + esc(string(c.Status)) + `">` + esc(c.Status.Label()) + `</span></td>`)
	b.WriteString(`<td data-label="Fakturamärkning">` + esc(c.InvoiceReference) + `</td>`)
	b.WriteString(`<td data-label="Utförd">` + esc(sv.Date(c.CompletedAt)) + `</td>`)
	b.WriteString(`<td data-label="Åtgärder">`)
	if c.VisibleActions > 0 {
		b.WriteString(`<a href="/arenden/` + id + `/atgarder" class="inline-actions" data-testid="see-actions" aria-expanded="false">Se åtgärder</a>`)
	} else {
		b.WriteString(`<span class="muted">–</span>`)
	}
	b.WriteString(`</td><td class="files-cell" data-label="Filer">`)
	if c.Files > 0 {
		b.WriteString(`<a href="/arenden/` + id + `/filer" data-testid="see-files">Se filer</a>`)
	}
	if c.DeliveryNoteID != 0 {
		b.WriteString(` <a href="/filer/` + strconv.FormatInt(c.DeliveryNoteID, 10) + `" data-testid="open-signature">Öppna fil signatur</a>`)
	}
	if c.Files == 0 {
		b.WriteString(`<span class="muted">–</span>`)
	}
	b.WriteString(`</td></tr>`)
}

// A machine's page lists 25 cases and their actions, some 500 values:
// written here too, for the same reason (BenchmarkPagesOnData, the
// machine with the most cases). TestAssetRowsEscape holds them to the
// template's markup.

// assetCaseRows is the rows of a machine's case list.
func assetCaseRows(cases []assetCase) template.HTML {
	var b strings.Builder
	b.Grow(300 * len(cases))
	esc := template.HTMLEscapeString
	for _, c := range cases {
		b.WriteString(`<tr><td><a href="/arenden/` + strconv.FormatInt(c.ID, 10) + `">` + esc(c.Number) + `</a></td>`)
		b.WriteString(`<td>` + esc(sv.Date(c.RegisteredAt)) + `</td><td>` + esc(c.Title) + `</td>`)
		b.WriteString(`<td><span class="status s-` + esc(string(c.Status)) + `">` + esc(c.Status.Label()) + `</span></td>`)
		b.WriteString(`<td>` + esc(sv.Date(c.CompletedAt)) + `</td><td class="num">`)
		if c.CostOre != 0 {
			b.WriteString(esc(sv.Money(c.CostOre)))
		}
		b.WriteString(`</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// assetActionRows is the rows of a machine's action list.
func assetActionRows(actions []store.AssetAction) template.HTML {
	var b strings.Builder
	b.Grow(250 * len(actions))
	esc := template.HTMLEscapeString
	for _, a := range actions {
		b.WriteString(`<tr><td>` + esc(a.PerformedOn) + `</td><td><a href="/arenden/` + strconv.FormatInt(a.CaseID, 10) + `">` + esc(a.CaseNumber) + `</a></td>`)
		b.WriteString(`<td>` + esc(a.WorkOrderNumber) + `</td><td>` + esc(a.TechnicianName) + `</td><td>` + esc(a.Description) + `</td>`)
		b.WriteString(`<td class="num">` + esc(sv.Minutes(a.Minutes)) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// The office's Sök ärenden lists 50 rows of nine cells and the Inkorg 50
// of seven: written here as well (TestStaffRowsEscape holds them to the
// templates' markup).

// staffRows is the rows of the office's case list; customerOf names each
// row's customer, now is what Ålder counts from.
func staffRows(rows []repair.Case, customerOf map[int64]string, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(700 * len(rows))
	esc := template.HTMLEscapeString
	for _, c := range rows {
		b.WriteString(`<tr data-testid="case-row"><td class="nowrap"><a href="/order/arenden/` + strconv.FormatInt(c.ID, 10) + `">` + esc(c.Number) + `</a></td>`)
		b.WriteString(`<td class="nowrap">` + esc(sv.Date(c.RegisteredAt)) + `</td><td class="nowrap">` + esc(sv.Age(c.RegisteredAt, now)) + `</td>`)
		b.WriteString(`<td>` + esc(customerOf[c.CustomerID]) + `</td><td>` + esc(c.Title) + `</td><td>`)
		if c.AssetID != 0 {
			b.WriteString(`<a href="/order/objekt/` + strconv.FormatInt(c.AssetID, 10) + `">` + esc(c.AssetNumber) + `</a>`)
		}
		b.WriteString(`</td><td>` + esc(c.Street))
		if c.City != "" {
			b.WriteString(`, ` + esc(c.City))
		}
		b.WriteString(`</td><td><span class="status s-` + esc(string(c.Status)) + `">` + esc(c.Status.Label()) + `</span></td>`)
		b.WriteString(`<td>` + esc(c.InvoiceReference) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// newCaseRows is the rows of the Inkorg's list of new cases.
func newCaseRows(rows []repair.Case, now time.Time) template.HTML {
	var b strings.Builder
	b.Grow(400 * len(rows))
	esc := template.HTMLEscapeString
	for _, c := range rows {
		b.WriteString(`<tr><td><a href="/order/arenden/` + strconv.FormatInt(c.ID, 10) + `">` + esc(c.Number) + `</a></td>`)
		b.WriteString(`<td>` + esc(sv.DateTime(c.RegisteredAt)) + `</td><td>` + esc(sv.Age(c.RegisteredAt, now)) + `</td><td>` + esc(c.Title) + `</td>`)
		b.WriteString(`<td>` + esc(c.Street) + `, ` + esc(c.City) + `</td><td>` + esc(c.ReporterName) + `</td><td>` + esc(c.Type) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// Rows is the rows of a specification's cases as HTML, written as the
// rows of Sök ärende are: a page of one Fakturamärkning is 50 rows of
// twelve cells, seven of them a formatted amount.
func (v specView) Rows(cases []specCase) template.HTML {
	var b strings.Builder
	b.Grow(900 * len(cases))
	esc := template.HTMLEscapeString
	num := func(label, value string) {
		put(&b, `<td class="num" data-label="`, label, `">`, value, `</td>`)
	}
	for _, c := range cases {
		put(&b, `<tr data-testid="spec-case"><td data-label="Ärende" class="card-head nowrap"><a href="`, esc(v.CaseURL(c.CaseID)), `">`, esc(c.Number), `</a></td>`,
			`<td data-label="Utförd" class="nowrap">`, esc(c.CompletedOn), `</td><td data-label="Ort / Titel">`, esc(c.Title), `</td>`,
			`<td data-label="Objekt">`, esc(c.Asset), `</td><td data-label="Gata">`, esc(c.Street), `</td><td data-label="Arbetsorder">`, esc(c.WOs), `</td>`)
		if v.ShowInvoice {
			b.WriteString(`<td data-label="Faktura" data-testid="spec-invoice">`)
			if c.Invoices != "" {
				b.WriteString(esc(c.Invoices))
			} else {
				b.WriteString(`<span class="muted">Kommande</span>`)
			}
			b.WriteString(`</td>`)
		}
		hours := ""
		if c.LabourMilli != 0 {
			hours = esc(sv.Quantity(c.LabourMilli))
		}
		num("Arbete, timmar", hours)
		num("Arbete", esc(sv.Money(c.Labour)))
		num("Reservdelar", esc(sv.Money(c.Parts)))
		num("Resor", esc(sv.Money(c.Travel)))
		num("Avgifter", esc(sv.Money(c.Fees)))
		num("Belopp exkl. moms", esc(sv.Money(c.Total)))
		b.WriteString(`</tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// put writes parts to b one after another, without joining them first.
func put(b *strings.Builder, parts ...string) {
	for _, s := range parts {
		b.WriteString(s)
	}
}

// SummaryRows is the rows of a specification's sums per Fakturamärkning
// as HTML: a large customer's month has a row for each of its hundreds
// of Fakturamärkning values, six cells of them formatted amounts, which
// as a template range were two thirds of the page's CPU.
func (v specView) SummaryRows() template.HTML {
	var b strings.Builder
	b.Grow(700 * len(v.Summary))
	esc := template.HTMLEscapeString
	num := func(label string, ore int64) {
		b.WriteString(`<td class="num" data-label="` + label + `">` + esc(sv.Money(ore)) + `</td>`)
	}
	for _, w := range v.Summary {
		name := esc(w.Reference)
		if w.Reference == "" {
			name = "utan fakturamärkning"
		}
		b.WriteString(`<tr data-testid="spec-summary-row"><td data-label="Fakturamärkning" class="card-head"><a href="` + esc(v.ReferenceURL(w.Reference)) + `">` + name + `</a></td>`)
		b.WriteString(`<td class="num" data-label="Ärenden">` + strconv.Itoa(w.Cases) + `</td>`)
		num("Arbete", w.Labour)
		num("Reservdelar", w.Parts)
		num("Resor", w.Travel)
		num("Avgifter", w.Fees)
		b.WriteString(`<td class="num" data-label="Belopp exkl. moms" data-testid="spec-summary-total">` + esc(sv.Money(w.Total)) + `</td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// The Fakturaspecifikation's two pick-lists, the last 24 months and every
// invoice of the customer (one a month, more each year), were a quarter
// of the page's CPU as template ranges: written by selectOptions
// (picklists.go) instead (TestSpecOptionsEscape).

// MonthOptions is the period list's <option>s, the shown month selected.
func (p *specPage) MonthOptions() template.HTML {
	shown := ""
	if p.Doc.View == specPeriod {
		shown = p.Doc.Period.String()
	}
	return selectOptions(len(p.Months), func(i int) (string, string) { return p.Months[i], p.Months[i] }, shown)
}

// InvoiceOptions is the invoice list's <option>s, the shown invoice
// selected.
func (p *specPage) InvoiceOptions() template.HTML {
	shown := ""
	if p.Doc.Invoice != nil {
		shown = strconv.FormatInt(p.Doc.Invoice.ID, 10)
	}
	return selectOptions(len(p.Invoices), func(i int) (string, string) {
		inv := p.Invoices[i]
		label := inv.Number + " · " + inv.PeriodLabel()
		if inv.CreditsID != 0 {
			label += " (kredit)"
		}
		return strconv.FormatInt(inv.ID, 10), label
	}, shown)
}
