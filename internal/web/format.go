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
	"isImage":  func(ct string) bool { return strings.HasPrefix(ct, "image/") },
	"roles":    func(f fieldView, roles []repair.Role) roleSelect { return roleSelect{f, roles} },
}

// roleSelect is the role picker's view: the field and the roles offered.
type roleSelect struct {
	Field fieldView
	Roles []repair.Role
}
