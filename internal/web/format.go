package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// stockholm is the time zone every date is shown in.
var stockholm = repair.Stockholm

var funcs = template.FuncMap{
	"date":     formatDate,
	"datetime": formatDateTime,
	"money":    formatMoney,
	"duration": formatMinutes,
	"age":      formatAge,
	"vat":      repair.VAT,
	"add":      func(a, b int64) int64 { return a + b },
	"qty":      formatQuantity,
	"bytes":    formatBytes,
	"phone":    repair.FormatPhone,
	"field":    newField,
	"ffield":   formField,
	"fieldv": func(form, name, label, value, msg string) fieldView {
		return fieldView{ID: form + "-" + name, Name: name, Label: label, Value: value, Error: msg}
	},
	"isImage": func(ct string) bool { return strings.HasPrefix(ct, "image/") },
	"woForm":  func(p *orderCasePage, w workOrderView) woFormView { return woFormView{p, w} },
}

// woFormView is what the order system's work-order forms need: the page
// (for messages and technicians) and the work order.
type woFormView struct {
	Page *orderCasePage
	WO   workOrderView
}

// fieldView is one labelled form field with its value, message and help,
// for the shared field templates. ID is the element id; it differs from
// Name where several forms on one page share field names.
type fieldView struct {
	ID, Name, Label, Value, Error, Help string
}

func newField(name, label, value string, errs repair.FieldErrors, help string) fieldView {
	return fieldView{ID: name, Name: name, Label: label, Value: value, Error: errs[name], Help: help}
}

// formField is a field of one of several forms on a page: its id carries
// the form's name, and its value and message come from that form's state.
func formField(st FormState, form, name, label, help string) fieldView {
	return fieldView{ID: form + "-" + name, Name: name, Label: label, Value: st.Value(form, name), Error: st.Err(form, name), Help: help}
}

// FormState is what a page with several forms needs to show one of them
// again after it failed: which form, its messages and what was entered.
type FormState struct {
	Form   string
	Errors repair.FieldErrors
	Values map[string]string
}

// Value is what was entered in field name of form, if that form failed.
func (st FormState) Value(form, name string) string {
	if st.Form != form {
		return ""
	}
	return st.Values[name]
}

// Err is the message for field name of form, if that form failed.
func (st FormState) Err(form, name string) string {
	if st.Form != form {
		return ""
	}
	return st.Errors[name]
}

// formatDate shows a date as 2026-03-14 in Swedish time; zero is empty.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(stockholm).Format("2006-01-02")
}

// formatDateTime shows 2026-03-14 09:05 in Swedish time; zero is empty.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(stockholm).Format("2006-01-02 15:04")
}

// groupThousands writes digits with a no-break space between thousands,
// as Swedish does (1 234 567).
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatMoney shows öre as "1 234,50 kr".
func formatMoney(ore int64) string {
	sign := ""
	if ore < 0 {
		sign, ore = "−", -ore
	}
	return fmt.Sprintf("%s%s,%02d\u00a0kr", sign, groupThousands(ore/100), ore%100)
}

// amountInput shows öre as a form field's value, "1 234,50" with plain
// spaces and no unit, which ParseAmount reads back; zero is empty.
func amountInput(ore int64) string {
	if ore == 0 {
		return ""
	}
	return strings.ReplaceAll(strings.TrimSuffix(formatMoney(ore), "\u00a0kr"), "\u00a0", " ")
}

// formatMinutes shows 95 minutes as "1 h 35 min".
func formatMinutes(m int) string {
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// formatAge shows how long ago t was, coarsely, for queues.
func formatAge(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d dagar", int(d.Hours()/24))
}

// formatQuantity shows thousandths as a Swedish decimal: 1500 → "1,5".
func formatQuantity(milli int64) string {
	s := strconv.FormatInt(milli/1000, 10)
	if frac := milli % 1000; frac != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	return s
}

// formatBytes shows a file size as "12 kB" or "1,4 MB".
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d byte", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	mb := (n + 50000) / 100000
	return fmt.Sprintf("%d,%d MB", mb/10, mb%10)
}
