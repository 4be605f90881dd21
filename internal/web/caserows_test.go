package web

import (
	"html/template"
	"regexp"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/sv"
)

// rowTemplate is the portal's row as a template wrote it before
// portalRows: the Go-written row must be the same HTML.
const rowTemplate = `
  <tr data-testid="case-row">
    <td data-label="Ärende" class="card-head"><a href="/arenden/{{.ID}}">{{.Number}}</a></td>
    <td data-label="Registrerad">{{date .RegisteredAt}}</td>
    <td data-label="Ort / Titel" class="title-cell">{{.Title}}</td>
    <td data-label="Objekt">{{if .AssetID}}<a href="/objekt/{{.AssetID}}">{{.AssetNumber}}</a>{{end}}</td>
    <td data-label="Gata">{{.Street}}</td>
    <td data-label="Status"><span class="status s-{{.Status}}">{{.Status.Label}}</span></td>
    <td data-label="Fakturamärkning">{{.InvoiceReference}}</td>
    <td data-label="Utförd">{{date .CompletedAt}}</td>
    <td data-label="Åtgärder">{{if .VisibleActions}}<a href="/arenden/{{.ID}}/atgarder" class="inline-actions" data-testid="see-actions" aria-expanded="false">Se åtgärder</a>{{else}}<span class="muted">–</span>{{end}}</td>
    <td class="files-cell" data-label="Filer">{{if .Files}}<a href="/arenden/{{.ID}}/filer" data-testid="see-files">Se filer</a>{{end}}{{if .DeliveryNoteID}} <a href="/filer/{{.DeliveryNoteID}}" data-testid="open-signature">Öppna fil signatur</a>{{end}}{{if not .Files}}<span class="muted">–</span>{{end}}</td>
  </tr>`

// TestPortalRowsEscape: portalRows writes what the template wrote, for
// rows with and without a machine, actions, files and a delivery note,
// and with text that would be markup if it were not escaped.
func TestPortalRowsEscape(t *testing.T) {
	tmpl := template.Must(template.New("row").Funcs(template.FuncMap{"date": sv.Date}).Parse(rowTemplate))
	hostile := `<script>alert("x")</script> & 'Åsa' "lgh"`
	day := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	cases := []repair.Case{
		{ID: 7, Number: "2026-00007", RegisteredAt: day, Title: hostile, Street: hostile, InvoiceReference: hostile,
			Status: repair.StatusRegistered},
		{ID: 8, Number: "2026-00008", RegisteredAt: day, CompletedAt: day.Add(48 * time.Hour), Title: "Skövde Kyl",
			AssetID: 3, AssetNumber: `100<3>`, Status: repair.StatusInvoiced, VisibleActions: 2, Files: 1, DeliveryNoteID: 44},
		{ID: 9, Number: "2026-00009", RegisteredAt: day, Status: repair.StatusCompleted, DeliveryNoteID: 5},
	}
	space := regexp.MustCompile(`>\s*\n\s*<`) // the template's line breaks, not its spaces
	for _, tc := range cases {
		var want strings.Builder
		if err := tmpl.Execute(&want, tc); err != nil {
			t.Fatal(err)
		}
		w := space.ReplaceAllString(strings.TrimSpace(want.String()), "><")
		got := string(portalRows([]repair.Case{tc}))
		if got != w {
			t.Errorf("case %d:\n got %s\nwant %s", tc.ID, got, w)
		}
		if strings.Contains(got, "<script>") {
			t.Errorf("case %d: unescaped markup in %s", tc.ID, got)
		}
	}
}

// TestAssetRowsEscape: a machine's case and action rows are what the
// template wrote before assetCaseRows and assetActionRows, escaped.
func TestAssetRowsEscape(t *testing.T) {
	funcs := template.FuncMap{"date": sv.Date, "money": sv.Money, "duration": sv.Minutes}
	caseTmpl := template.Must(template.New("c").Funcs(funcs).Parse(`{{range .}}<tr><td><a href="/arenden/{{.ID}}">{{.Number}}</a></td><td>{{date .RegisteredAt}}</td><td>{{.Title}}</td><td><span class="status s-{{.Status}}">{{.Status.Label}}</span></td><td>{{date .CompletedAt}}</td><td class="num">{{if .CostOre}}{{money .CostOre}}{{end}}</td></tr>{{end}}`))
	actionTmpl := template.Must(template.New("a").Funcs(funcs).Parse(`{{range .}}<tr><td>{{.PerformedOn}}</td><td><a href="/arenden/{{.CaseID}}">{{.CaseNumber}}</a></td><td>{{.WorkOrderNumber}}</td><td>{{.TechnicianName}}</td><td>{{.Description}}</td><td class="num">{{duration .Minutes}}</td></tr>{{end}}`))
	hostile := `<script>alert("x")</script> & 'Åsa'`
	day := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	cases := []assetCase{
		{Case: repair.Case{ID: 7, Number: "2026-00007", RegisteredAt: day, Title: hostile, Status: repair.StatusRegistered}},
		{Case: repair.Case{ID: 8, Number: "2026-00008", RegisteredAt: day, CompletedAt: day.Add(48 * time.Hour), Title: "Skövde Kyl",
			Status: repair.StatusInvoiced}, CostOre: 123450},
	}
	actions := []store.AssetAction{
		{Action: repair.Action{PerformedOn: "2026-03-14", TechnicianName: hostile, Description: hostile, Minutes: 95}, CaseID: 7, CaseNumber: "2026-00007", WorkOrderNumber: "2026-00007-1"},
		{Action: repair.Action{PerformedOn: "2026-03-16", TechnicianName: "Erik", Description: "Bytt pump", Minutes: 30}, CaseID: 8, CaseNumber: "2026-00008", WorkOrderNumber: "2026-00008-1"},
	}
	for _, tc := range []struct {
		name string
		tmpl *template.Template
		data any
		got  template.HTML
	}{
		{"cases", caseTmpl, cases, assetCaseRows(cases)},
		{"actions", actionTmpl, actions, assetActionRows(actions)},
	} {
		var want strings.Builder
		if err := tc.tmpl.Execute(&want, tc.data); err != nil {
			t.Fatal(err)
		}
		if string(tc.got) != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, want.String())
		}
		if strings.Contains(string(tc.got), "<script>") {
			t.Errorf("%s: unescaped markup in %s", tc.name, tc.got)
		}
	}
}

// TestStaffRowsEscape: the office's case rows and the Inkorg's rows are
// what their templates wrote before staffRows and newCaseRows, for rows
// with and without a machine, a city and a known customer, and with text
// that would be markup if it were not escaped.
func TestStaffRowsEscape(t *testing.T) {
	funcs := template.FuncMap{"date": sv.Date, "datetime": sv.DateTime, "age": sv.Age}
	staffTmpl := template.Must(template.New("s").Funcs(funcs).Parse(`{{range .Rows}}
  <tr data-testid="case-row">
    <td class="nowrap"><a href="/order/arenden/{{.ID}}">{{.Number}}</a></td>
    <td class="nowrap">{{date .RegisteredAt}}</td>
    <td class="nowrap">{{age .RegisteredAt $.Now}}</td>
    <td>{{index $.CustomerOf .CustomerID}}</td>
    <td>{{.Title}}</td>
    <td>{{if .AssetID}}<a href="/order/objekt/{{.AssetID}}">{{.AssetNumber}}</a>{{end}}</td>
    <td>{{.Street}}{{with .City}}, {{.}}{{end}}</td>
    <td><span class="status s-{{.Status}}">{{.Status.Label}}</span></td>
    <td>{{.InvoiceReference}}</td>
  </tr>
  {{end}}`))
	intakeTmpl := template.Must(template.New("i").Funcs(funcs).Parse(`{{range .Rows}}
  <tr><td><a href="/order/arenden/{{.ID}}">{{.Number}}</a></td><td>{{datetime .RegisteredAt}}</td><td>{{age .RegisteredAt $.Now}}</td><td>{{.Title}}</td><td>{{.Street}}, {{.City}}</td><td>{{.ReporterName}}</td><td>{{.Type}}</td></tr>
  {{end}}`))
	hostile := `<script>alert("x")</script> & 'Åsa' "lgh"`
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	rows := []repair.Case{
		{ID: 7, Number: "2026-00007", CustomerID: 1, RegisteredAt: now.Add(-20 * time.Minute), Title: hostile, Street: hostile,
			City: hostile, InvoiceReference: hostile, ReporterName: hostile, Type: hostile, Status: repair.StatusRegistered},
		{ID: 8, Number: "2026-00008", CustomerID: 2, RegisteredAt: now.Add(-5 * time.Hour), Title: "Skövde Kyl", Street: "Storgatan 1",
			AssetID: 3, AssetNumber: `100<3>`, Status: repair.StatusInvoiced, Type: "Service"},
		{ID: 9, Number: "2026-00009", CustomerID: 99, RegisteredAt: now.AddDate(0, 0, -12), Status: repair.StatusCompleted},
	}
	customerOf := map[int64]string{1: hostile, 2: "Solgårdens Bostäder AB"}
	for _, tc := range []struct {
		name string
		tmpl *template.Template
		got  template.HTML
	}{
		{"staff", staffTmpl, staffRows(rows, customerOf, now)},
		{"intake", intakeTmpl, newCaseRows(rows, now)},
	} {
		sameAsTemplate(t, tc.name, tc.tmpl, map[string]any{"Rows": rows, "CustomerOf": customerOf, "Now": now}, tc.got)
	}
}

// sameAsTemplate checks that got, rows written in Go, is what tmpl writes
// of data but for the template's line breaks between tags, and that it
// holds no unescaped markup.
func sameAsTemplate(t *testing.T, name string, tmpl *template.Template, data any, got template.HTML) {
	t.Helper()
	var want strings.Builder
	if err := tmpl.Execute(&want, data); err != nil {
		t.Fatal(err)
	}
	w := regexp.MustCompile(`>\s*\n\s*<`).ReplaceAllString(strings.TrimSpace(want.String()), "><")
	if string(got) != w {
		t.Errorf("%s:\n got %s\nwant %s", name, got, w)
	}
	if strings.Contains(string(got), "<script>") {
		t.Errorf("%s: unescaped markup in %s", name, got)
	}
}

// specRowTemplate is a specification's case row as the template wrote it
// before specView.Rows.
const specRowTemplate = `{{range .Cases}}<tr data-testid="spec-case">
      <td data-label="Ärende" class="card-head nowrap"><a href="{{$.CaseURL .CaseID}}">{{.Number}}</a></td><td data-label="Utförd" class="nowrap">{{.CompletedOn}}</td><td data-label="Ort / Titel">{{.Title}}</td>
      <td data-label="Objekt">{{.Asset}}</td><td data-label="Gata">{{.Street}}</td><td data-label="Arbetsorder">{{.WOs}}</td>{{if $.ShowInvoice}}<td data-label="Faktura" data-testid="spec-invoice">{{with .Invoices}}{{.}}{{else}}<span class="muted">Kommande</span>{{end}}</td>{{end}}
      <td class="num" data-label="Arbete, timmar">{{if .LabourMilli}}{{qty .LabourMilli}}{{end}}</td><td class="num" data-label="Arbete">{{money .Labour}}</td>
      <td class="num" data-label="Reservdelar">{{money .Parts}}</td><td class="num" data-label="Resor">{{money .Travel}}</td><td class="num" data-label="Avgifter">{{money .Fees}}</td>
      <td class="num" data-label="Belopp exkl. moms">{{money .Total}}</td></tr>{{end}}`

// TestSpecRowsEscape: specView.Rows writes what the template wrote, with
// and without the Faktura column, for the portal's and the office's case
// links, with and without hours of labour and an invoice, and with text
// that would be markup if it were not escaped.
func TestSpecRowsEscape(t *testing.T) {
	tmpl := template.Must(template.New("spec").Funcs(template.FuncMap{"money": sv.Money, "qty": sv.Quantity}).Parse(specRowTemplate))
	hostile := `<script>alert("x")</script> & 'Åsa' "lgh"`
	cases := []specCase{
		{CaseID: 7, Number: "2026-00007", CompletedOn: "2026-03-14", Title: hostile, Asset: hostile, Street: hostile, WOs: hostile,
			Invoices: hostile, LabourMilli: 1500, Labour: 123450, Parts: -2500, Travel: 0, Fees: 99, Total: 121049},
		{CaseID: 8, Number: "2026-00008", CompletedOn: "2026-03-15", Title: "Skövde Kyl", WOs: "2026-00008-1, 2026-00008-2", Total: 100},
	}
	space := regexp.MustCompile(`>\s*\n\s*<`)
	for _, v := range []specView{{}, {ShowInvoice: true}, {Staff: true, ShowInvoice: true}} {
		var want strings.Builder
		if err := tmpl.Execute(&want, struct {
			specView
			Cases []specCase
		}{v, cases}); err != nil {
			t.Fatal(err)
		}
		w := space.ReplaceAllString(strings.TrimSpace(want.String()), "><")
		got := string(v.Rows(cases))
		if got != w {
			t.Errorf("%+v:\n got %s\nwant %s", v, got, w)
		}
		if strings.Contains(got, "<script>") {
			t.Errorf("unescaped markup in %s", got)
		}
	}
}

// specSummaryTemplate is the specification's sums per Fakturamärkning as
// its template wrote them before SummaryRows.
const specSummaryTemplate = `{{range .Summary}}<tr data-testid="spec-summary-row">
    <td data-label="Fakturamärkning" class="card-head"><a href="{{$.ReferenceURL .Reference}}">{{with .Reference}}{{.}}{{else}}utan fakturamärkning{{end}}</a></td><td class="num" data-label="Ärenden">{{.Cases}}</td>
    <td class="num" data-label="Arbete">{{money .Labour}}</td><td class="num" data-label="Reservdelar">{{money .Parts}}</td><td class="num" data-label="Resor">{{money .Travel}}</td><td class="num" data-label="Avgifter">{{money .Fees}}</td>
    <td class="num" data-label="Belopp exkl. moms" data-testid="spec-summary-total">{{money .Total}}</td></tr>{{end}}`

// TestSpecSummaryRowsEscape: SummaryRows writes what the template wrote,
// for the portal's month and Kommande and the office's invoice run, with
// the cases without a Fakturamärkning, negative sums, and a
// Fakturamärkning that would be markup, or break its link, if it were not
// escaped.
func TestSpecSummaryRowsEscape(t *testing.T) {
	tmpl := template.Must(template.New("summary").Funcs(template.FuncMap{"money": sv.Money}).Parse(specSummaryTemplate))
	summary := []store.ReferenceWork{
		{Reference: "", Cases: 3, Labour: 150000, Total: 150000},
		{Reference: `<script>alert("x")</script> & 'Åsa' "lgh" ?a=1&b=2 #x`, Cases: 12, Labour: 123450, Parts: -2500, Travel: 4900, Fees: 99, Total: 125949},
		{Reference: "KST 4620-2", Cases: 1_204, Labour: 987654321, Total: 987654321},
	}
	space := regexp.MustCompile(`>\s*\n\s*<`)
	for _, url := range []string{"/fakturaspecifikation?period=2026-11", "/fakturaspecifikation?kommande=1", "/order/fakturering?kund=4&fran=2026-11-01&till=2026-12-01"} {
		v := specView{Summary: summary, PageURL: url}
		var want strings.Builder
		if err := tmpl.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		// The template wrote a link's + as &#43;, the same attribute value.
		w := strings.ReplaceAll(space.ReplaceAllString(want.String(), "><"), "&#43;", "+")
		got := string(v.SummaryRows())
		if got != w {
			t.Errorf("%s:\n got %s\nwant %s", url, got, w)
		}
		if strings.Contains(got, "<script>") {
			t.Errorf("unescaped markup in %s", got)
		}
	}
}

// TestSpecOptionsEscape: the Fakturaspecifikation's month and invoice
// lists are what its template wrote before MonthOptions and
// InvoiceOptions, with a month shown or an invoice shown or neither, a
// credit note, and a number that would be markup if it were not escaped.
func TestSpecOptionsEscape(t *testing.T) {
	months := template.Must(template.New("m").Parse(`{{range .Months}}<option value="{{.}}"{{if and (eq $.Doc.View "period") (eq . $.Doc.Period.String)}} selected{{end}}>{{.}}</option>{{end}}`))
	invoices := template.Must(template.New("i").Parse(`{{range .Invoices}}<option value="{{.ID}}"{{if $.Doc.Invoice}}{{if eq .ID $.Doc.Invoice.ID}} selected{{end}}{{end}}>{{.Number}} · {{.PeriodLabel}}{{if .CreditsID}} (kredit){{end}}</option>{{end}}`))
	list := []repair.Invoice{
		{ID: 3, Number: `<script>alert("x")</script> & 'F'`, PeriodFrom: "2026-11-01", PeriodTo: "2026-11-30"},
		{ID: 4, Number: "K-2026-0004", CreditsID: 3, PeriodFrom: "2026-10-01", PeriodTo: "2026-10-31"},
		{ID: 5, Number: "2026-0005", PeriodFrom: "2026-01-01", PeriodTo: "2026-03-31"},
	}
	november := repair.Period{Kind: repair.PeriodMonth, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, repair.Stockholm)}
	for _, p := range []*specPage{
		{Months: []string{"2026-12", "2026-11", "2026-10"}, Invoices: list, Doc: specDoc{View: specPeriod, Period: november}},
		{Months: []string{"2026-12", "2026-11"}, Invoices: list, Doc: specDoc{View: specInvoice, Invoice: &list[1], Period: november}},
		{Months: []string{"2026-12"}, Doc: specDoc{View: specUpcoming}},
	} {
		for _, tc := range []struct {
			name string
			tmpl *template.Template
			got  template.HTML
		}{{"months", months, p.MonthOptions()}, {"invoices", invoices, p.InvoiceOptions()}} {
			var want strings.Builder
			if err := tc.tmpl.Execute(&want, p); err != nil {
				t.Fatal(err)
			}
			if string(tc.got) != want.String() {
				t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, want.String())
			}
			if strings.Contains(string(tc.got), "<script>") {
				t.Errorf("%s: unescaped markup in %s", tc.name, tc.got)
			}
		}
	}
}
