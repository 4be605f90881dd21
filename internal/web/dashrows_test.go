package web

import (
	"html/template"
	"testing"
)

// TestDashboardRowsEscape: the chart's bars and the table's rows are what
// the Dashboard's template wrote before chartBars and tableRows, for a
// bar leading a level down and one leading to its list, with text that
// would be markup if it were not escaped.
func TestDashboardRowsEscape(t *testing.T) {
	barsTmpl := template.Must(template.New("b").Parse(`{{range .}}<li><a class="bar" href="{{.URL}}" title="{{.Title}}" data-cases="{{.Cases}}" data-testid="bar">
    <span class="bar-label">{{.Label}}</span>
    <svg class="bar-svg" width="100%" height="22" aria-hidden="true" focusable="false"><rect x="0" y="2" width="{{.Width}}" height="18" rx="2"></rect></svg>
    <span class="bar-value" data-testid="bar-value">{{.Value}}</span>
  </a></li>{{end}}`))
	rowsTmpl := template.Must(template.New("r").Parse(`{{range .}}<tr data-testid="table-row"><th scope="row">{{if ne .URL .ListURL}}<a href="{{.URL}}">{{.Label}}</a>{{else}}{{.Label}}{{end}}</th>{{range .Cells}}<td class="num">{{.}}</td>{{end}}<td><a href="{{.ListURL}}" data-testid="row-list">Visa ärendena<span class="visually-hidden"> för {{.Label}}</span></a></td></tr>
  {{end}}`))
	hostile := `<script>alert("x")</script> & 'Åsa'`
	bars := []barView{
		{Label: "Skövde", Title: "12 ärenden", Value: "12", Width: "100.0%", URL: "/dashboard?grupp=gata&ort=Sk%C3%B6vde&period=2026-03",
			ListURL: "/sok-arende?ort=Sk%C3%B6vde&utford_fran=2026-03-01", Cells: []string{"12", "1 234,50 kr", "3"}, Cases: 12},
		{Label: hostile, Title: hostile, Value: hostile, Width: "8.3%", URL: "/sok-arende?gata=%3Cscript%3E", ListURL: "/sok-arende?gata=%3Cscript%3E",
			Cells: []string{hostile}, Cases: 1},
	}
	sameAsTemplate(t, "bars", barsTmpl, bars, chartBars(bars))
	sameAsTemplate(t, "rows", rowsTmpl, bars, tableRows(bars))
}
