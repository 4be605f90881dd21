package web

import (
	"html/template"
	"strings"

	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

var funcs = template.FuncMap{
	"date":     sv.Date,
	"datetime": sv.DateTime,
	"money":    sv.Money,
	"duration": sv.Minutes,
	"vat":      repair.VAT,
	"add":      func(a, b int64) int64 { return a + b },
	"qty":      sv.Quantity,
	"age":      sv.Age,
	"bytes":    sv.Bytes,
	"phone":    sv.Phone,
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
