package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// casePartialsBefore are the case page's partials as they were before
// casehtml.go wrote their values: the markup the Go writers must keep.
const casePartialsBefore = `{{/* A case's heading, every field of Nytt ärende, and its status history (a caseFactsView). */}}
{{define "case-facts"}}
{{with .Case}}
<p class="crumbs"><a href="{{$.BackURL}}">← Tillbaka</a></p>
<h1>Ärende {{.Number}} <span class="status s-{{.Status}}" data-testid="case-status">{{.Status.Label}}</span></h1>
<p class="lead">{{.Title}}</p>
<dl class="facts" data-testid="case-fields">
  <div><dt>Ort / Titel</dt><dd>{{.Title}}</dd></div>
  <div class="wide"><dt>Beskrivning</dt><dd class="pre">{{.Description}}</dd></div>
  <div><dt>Objekt</dt><dd>{{if .AssetID}}{{with $.AssetURL}}<a href="{{.}}">{{$.Case.AssetNumber}}</a>{{else}}{{.AssetNumber}}{{end}}{{else}}–{{end}}</dd></div>
  <div><dt>Typ</dt><dd>{{.Type}}</dd></div>
  <div><dt>Kund</dt><dd>{{.SiteName}}</dd></div>
  <div><dt>Gata</dt><dd>{{.Street}}</dd></div>
  <div><dt>Anmälare</dt><dd>{{.ReporterName}}</dd></div>
  <div><dt>Tel anmälare</dt><dd>{{phone .ReporterPhone}}</dd></div>
  <div><dt>Tel 1 kund</dt><dd>{{phone .SitePhone1}}</dd></div>
  <div><dt>Tel 2 kund</dt><dd>{{phone .SitePhone2}}</dd></div>
  <div><dt>Postnr / ort</dt><dd>{{.PostalCode}} {{.City}}</dd></div>
  <div><dt>Huvudnyckel</dt><dd data-testid="case-access">{{with $.Access}}<strong>{{.}}</strong>{{else}}{{.Access}}{{end}}{{if and $.RevealURL .Access (not $.Access)}}
    <form method="post" action="{{$.RevealURL}}" class="inline-form"><button type="submit" class="link" data-testid="reveal-access">Visa</button></form>{{end}}</dd></div>
  <div><dt>Avtal</dt><dd>{{.ContractNumber}}</dd></div>
  <div><dt>Fakturamärkning</dt><dd>{{.InvoiceReference}}</dd></div>
  <div><dt>Registrerad</dt><dd>{{datetime .RegisteredAt}}</dd></div>
  <div><dt>Utförd</dt><dd>{{with datetime .CompletedAt}}{{.}}{{else}}–{{end}}</dd></div>
</dl>
{{end}}

<h2>Statushistorik</h2>
<ol class="history" data-testid="status-history">
{{range .History}}<li><span class="status s-{{.Status}}">{{.Status.Label}}</span> <time>{{datetime .ChangedAt}}</time>{{with .ChangedBy}} · {{.}}{{end}}{{with .Note}} – {{.}}{{end}}</li>{{end}}
</ol>

{{end}}
{{/* A case's work orders with their actions and costs, and the totals (a caseWorkView); for the office, each work order's forms. */}}
{{define "case-work"}}
<div class="case-work" data-testid="case-work">
<h2>Arbetsorder och åtgärder</h2>
{{range .WorkOrders}}
<section class="card" data-testid="work-order" id="wo-{{.ID}}">
  <h3>Arbetsorder {{.Number}} <span class="muted">· {{.Status.Label}}{{with .TechnicianName}} · {{.}}{{end}}{{with datetime .PlannedStart}} · planerad {{.}}{{end}}</span></h3>
  {{if .Actions}}
  <div class="table-scroll" tabindex="0" role="region" aria-label="Åtgärder på {{.Number}}">
  <table class="cards">
    <thead><tr><th scope="col">Datum</th><th scope="col">Tekniker</th><th scope="col">Åtgärd</th><th scope="col" class="num">Tid</th></tr></thead>
    <tbody>{{range .Actions}}<tr><td data-label="Datum">{{.PerformedOn}}</td><td data-label="Tekniker">{{.TechnicianName}}</td><td data-label="Åtgärd">{{.Description}}</td><td class="num" data-label="Tid">{{duration .Minutes}}</td></tr>{{end}}</tbody>
  </table>
  </div>
  {{else}}<p class="muted">Inga åtgärder registrerade.</p>{{end}}
  {{if .Costs}}
  <div class="table-scroll" tabindex="0" role="region" aria-label="Kostnader på {{.Number}}">
  <table class="cards">
    <thead><tr><th scope="col">Typ</th><th scope="col">Beskrivning</th><th scope="col" class="num">Antal</th><th scope="col" class="num">À-pris</th><th scope="col" class="num">Belopp exkl. moms</th></tr></thead>
    <tbody>{{range .Costs}}<tr><td data-label="Typ">{{.Kind.Label}}</td><td data-label="Beskrivning">{{.Description}}{{with .Article}} <span class="muted">({{.}})</span>{{end}}</td><td class="num" data-label="Antal">{{qty .QuantityMilli}}</td><td class="num" data-label="À-pris">{{money .UnitPriceOre}}</td><td class="num" data-label="Belopp exkl. moms">{{money .AmountOre}}</td></tr>{{end}}</tbody>
  </table>
  </div>
  {{end}}
  {{with .Forms}}{{template "wo-forms" .}}{{end}}
</section>
{{else}}
<p class="muted">Ingen arbetsorder ännu.</p>
{{end}}
{{if .TotalOre}}
<table class="totals" data-testid="case-totals">
  <tbody>
    <tr><th scope="row">Summa exkl. moms</th><td class="num">{{money .TotalOre}}</td></tr>
    <tr><th scope="row">Moms 25 %</th><td class="num">{{money (vat .TotalOre)}}</td></tr>
    <tr><th scope="row">Summa inkl. moms</th><td class="num">{{money (add .TotalOre (vat .TotalOre))}}</td></tr>
  </tbody>
</table>
{{end}}

</div>
{{end}}
{{/* A case's files ([]repair.File): thumbnails for images, the signed delivery note. */}}
{{define "case-files"}}
<h2 id="files">Filer</h2>
{{if .}}
<ul class="files" data-testid="case-files">
{{range .}}<li>{{if isImage .ContentType}}<a href="/filer/{{.ID}}" class="thumb"><img src="/filer/{{.ID}}{{if .ThumbSHA256}}/miniatyr{{end}}" alt="Foto: {{.Name}}" loading="lazy" width="160"></a>{{end}}<a href="/filer/{{.ID}}"{{if eq .Kind "delivery_note"}} data-testid="delivery-note"{{end}}>{{if eq .Kind "delivery_note"}}Öppna fil signatur: {{end}}{{.Name}}</a> <span class="muted">· {{.Kind.Label}} · {{bytes .Size}} · {{date .CreatedAt}}</span></li>{{end}}
</ul>
{{else}}<p class="muted">Inga filer.</p>{{end}}
{{end}}
`

// TestCaseHTMLEscapes: the case-facts, case-work and case-files
// partials write what they wrote as templates, for cases with and
// without a machine, a link to it, a sealed Huvudnyckel, a completion,
// history notes, articles and every kind of file, with text that would
// be markup if it were not escaped.
func TestCaseHTMLEscapes(t *testing.T) {
	now, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/partials/*.html")
	if err != nil {
		t.Fatal(err)
	}
	before, err := template.Must(now.Clone()).Funcs(template.FuncMap{
		"isImage": func(ct string) bool { return strings.HasPrefix(ct, "image/") },
	}).Parse(casePartialsBefore)
	if err != nil {
		t.Fatal(err)
	}
	hostile := `<script>alert("x")</script> & 'Åsa' "lgh 1102"`
	day := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	full := repair.Case{ID: 7, Number: "2026-00007", Status: repair.StatusCompleted, Title: hostile, Description: hostile + "\nrad två",
		AssetID: 3, AssetNumber: hostile, Type: hostile, SiteName: hostile, Street: hostile, ReporterName: hostile,
		ReporterPhone: "+46701234567", SitePhone1: "+46500123456", SitePhone2: "", PostalCode: "541 30", City: hostile,
		Access: "12••", ContractNumber: hostile, InvoiceReference: hostile, RegisteredAt: day, CompletedAt: day.Add(50 * time.Hour)}
	bare := repair.Case{ID: 8, Number: "2026-00008", Status: repair.StatusRegistered, Title: "Kyl", Access: hostile, RegisteredAt: day}
	history := []repair.StatusChange{
		{Status: repair.StatusRegistered, ChangedAt: day},
		{Status: repair.StatusPlanned, ChangedAt: day.Add(time.Hour), ChangedBy: hostile, Note: hostile},
		{Status: repair.StatusCompleted, ChangedAt: day.Add(50 * time.Hour), Note: "Klart"},
	}
	facts := []caseFactsView{
		{Case: full, History: history, BackURL: "/sok-arende", AssetURL: "/objekt/3"},
		{Case: full, History: history, BackURL: "/order", AssetURL: "/order/objekt/3", RevealURL: "/order/arenden/7/huvudnyckel"},
		{Case: full, BackURL: "/order", AssetURL: "/order/objekt/3", Access: hostile, RevealURL: "/order/arenden/7/huvudnyckel"},
		{Case: full, BackURL: "/tekniker"},
		{Case: bare, BackURL: "/sok-arende", RevealURL: "/order/arenden/8/huvudnyckel"},
	}
	wo := workOrderView{
		WorkOrder: repair.WorkOrder{ID: 11, Number: "2026-00007-1", Status: repair.WorkOrderDone, TechnicianName: hostile, PlannedStart: day},
		Actions: []repair.Action{
			{PerformedOn: "2026-03-14", TechnicianName: hostile, Description: hostile, Minutes: 95},
			{PerformedOn: "2026-03-15", TechnicianName: "Erik", Description: "Bytt pump", Minutes: 30},
		},
		Costs: []repair.CostLine{
			{Kind: repair.CostPart, Description: hostile, Article: hostile, QuantityMilli: 2500, UnitPriceOre: 12345, AmountOre: 30863},
			{Kind: repair.CostLabour, Description: "Arbete", QuantityMilli: -1000, UnitPriceOre: 65000, AmountOre: -65000},
		},
	}
	work := []caseWorkView{
		{WorkOrders: []workOrderCard{{workOrderView: wo}, {workOrderView: workOrderView{WorkOrder: repair.WorkOrder{ID: 12, Number: "2026-00007-2"}}}}, TotalOre: -34137},
		{},
	}
	files := [][]repair.File{
		{
			{ID: 21, Kind: repair.FilePhoto, Name: hostile + ".jpg", ContentType: "image/jpeg", Size: 2_400_000, ThumbSHA256: "ab", CreatedAt: day},
			{ID: 22, Kind: repair.FilePhoto, Name: "utan miniatyr.png", ContentType: "image/png", Size: 999, CreatedAt: day},
			{ID: 23, Kind: repair.FileAttachment, Name: hostile + ".pdf", ContentType: "application/pdf", Size: 12_000, CreatedAt: day},
			{ID: 24, Kind: repair.FileDeliveryNote, Name: "Följesedel 2026-00007-1.pdf", ContentType: "application/pdf", Size: 40_000, CreatedAt: day},
		},
		nil,
	}
	check := func(name string, data any) {
		t.Helper()
		var got, want bytes.Buffer
		if err := now.ExecuteTemplate(&got, name, data); err != nil {
			t.Fatal(err)
		}
		if err := before.ExecuteTemplate(&want, name, data); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", name, got.String(), want.String())
		}
		if strings.Contains(got.String(), "<script>") {
			t.Errorf("%s: unescaped markup in %s", name, got.String())
		}
	}
	for _, v := range facts {
		check("case-facts", v)
	}
	for _, v := range work {
		check("case-work", v)
	}
	for _, v := range files {
		check("case-files", v)
	}
}
