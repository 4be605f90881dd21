package web

import (
	"html/template"
	"strconv"
	"strings"

	"kundportal/internal/repair"
)

// The order system's case page has a pick-list of technicians on each
// work order's action form and on the new work order form, and lists of
// statuses and cost kinds beside them. As template ranges each option
// ran the escaper and an eq by reflection, and the office's case page
// spent most of its template time in them (BenchmarkPagesOnData); they
// are written here in one call each. TestPickListsMatchTemplates holds
// them to the ranges they replaced.

// selectOptions is a <select>'s n <option>s, entry giving each one's
// value and label; the one whose value is selected is marked selected.
func selectOptions(n int, entry func(i int) (value, label string), selected string) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(48 * n)
	for i := range n {
		v, label := entry(i)
		b.WriteString(`<option value="` + esc(v) + `"`)
		if v == selected {
			b.WriteString(" selected")
		}
		b.WriteString(">" + esc(label) + "</option>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// technicianOptions is a technician pick-list, the one whose id is
// selected (as the form holds it) selected.
func technicianOptions(techs []repair.User, selected string) template.HTML {
	return selectOptions(len(techs), func(i int) (string, string) {
		return strconv.FormatInt(techs[i].ID, 10), techs[i].Name
	}, selected)
}

// labelled is a value offered by its label: a status or a kind.
type labelled interface {
	~string
	Label() string
}

// labelOptions is a pick-list of values by their labels, selected
// selected.
func labelOptions[T labelled](values []T, selected string) template.HTML {
	return selectOptions(len(values), func(i int) (string, string) {
		return string(values[i]), values[i].Label()
	}, selected)
}
