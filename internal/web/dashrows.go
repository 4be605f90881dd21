package web

import (
	"html/template"
	"strconv"
	"strings"
)

// A Dashboard month is some thirty bars and thirty table rows of seven
// cells: its template ran every value through html/template's escaper by
// reflection, and its garbage made the page the collector's under load
// (p95 2.6 times the raw limit's at 32 connections). Written here as the
// case lists are (caserows.go); TestDashboardRowsEscape holds them to the
// template's markup.

// chartBars is the chart's bars as HTML.
func chartBars(bars []barView) template.HTML {
	var b strings.Builder
	b.Grow(450 * len(bars))
	esc := template.HTMLEscapeString
	for _, v := range bars {
		b.WriteString(`<li><a class="bar" href="` + esc(v.URL) + `" title="` + esc(v.Title) + `" data-cases="` + strconv.FormatInt(v.Cases, 10) + `" data-testid="bar">`)
		b.WriteString(`<span class="bar-label">` + esc(v.Label) + `</span>`)
		b.WriteString(`<svg class="bar-svg" width="100%" height="22" aria-hidden="true" focusable="false"><rect x="0" y="2" width="` + esc(v.Width) + `" height="18" rx="2"></rect></svg>`)
		b.WriteString(`<span class="bar-value" data-testid="bar-value">` + esc(v.Value) + `</span></a></li>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// tableRows is the Dashboard table's rows as HTML.
func tableRows(rows []barView) template.HTML {
	var b strings.Builder
	b.Grow(400 * len(rows))
	esc := template.HTMLEscapeString
	for _, v := range rows {
		b.WriteString(`<tr data-testid="table-row"><th scope="row">`)
		if v.URL != v.ListURL {
			b.WriteString(`<a href="` + esc(v.URL) + `">` + esc(v.Label) + `</a>`)
		} else {
			b.WriteString(esc(v.Label))
		}
		b.WriteString(`</th>`)
		for _, c := range v.Cells {
			b.WriteString(`<td class="num">` + esc(c) + `</td>`)
		}
		b.WriteString(`<td><a href="` + esc(v.ListURL) + `" data-testid="row-list">Visa ärendena<span class="visually-hidden"> för ` + esc(v.Label) + `</span></a></td></tr>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}
