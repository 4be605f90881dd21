package web

import (
	"html/template"
	"strings"

	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

var funcs = template.FuncMap{
	"date":        sv.Date,
	"datetime":    sv.DateTime,
	"money":       sv.Money,
	"amountInput": sv.AmountInput,
	"duration":    sv.Minutes,
	"vat":         repair.VAT,
	"add":         func(a, b int64) int64 { return a + b },
	"qty":         sv.Quantity,
	"bytes":       sv.Bytes,
	"phone":       sv.Phone,
	"field":       newField,
	"fileItems":   fileItems,
	"roles":       func(f fieldView, roles []repair.Role) roleSelect { return roleSelect{f, roles} },
	"tel":         telURL,
	"options":     options,
	// Pick-lists (picklists.go).
	"technicianOptions": technicianOptions,
	"statusOptions":     labelOptions[repair.Status],
	"woStatusOptions":   labelOptions[repair.WorkOrderStatus],
	"costKindOptions":   labelOptions[repair.CostKind],
}

// options is a <datalist>'s entries, one <option> per value: written
// here in one call rather than a template range that runs the escaper
// for every value (the Fakturamärkning list has 50).
func options(values []string) template.HTML {
	var b strings.Builder
	for _, v := range values {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(v))
		b.WriteString(`"></option>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every value is escaped
}

// roleSelect is the role picker's view: the field and the roles offered.
type roleSelect struct {
	Field fieldView
	Roles []repair.Role
}

// telURL is a tel: link for a stored E.164 number. html/template refuses
// the tel: scheme in an href unless it is marked safe; only digits and a
// leading + are let through.
func telURL(e164 string) template.URL {
	for i, r := range e164 {
		if !(r >= '0' && r <= '9' || r == '+' && i == 0) {
			return ""
		}
	}
	return template.URL("tel:" + e164)
}
