package web

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
)

// The site's header (template "site-header") is the same on every page a
// user sees but for aria-current on the link to the current page, and
// rendering it was 26 µs and 244 allocations of every page, a tenth of a
// case page. It is kept rendered (s.headers, a formCache) for each kind of
// user: plain, and for each page it links to that was asked for, marking
// that link. A page it does not link to gets the plain header. Whatever
// the header shows of the user (name, role, the tabs of the area) is in
// the key, so a renamed user or another role is a new entry.

// maxHeaders bounds the kept headers: a user's plain header and those of
// the pages of the header the user opened, 2 KB each.
const maxHeaders = 1024

// header is b's site header, rendered by the template the first time it
// is asked for; empty if the template failed, for the layout to render
// the header itself and fail with the error.
func (s *server) header(b *basePage) template.HTML {
	key := "" // signed out
	if u := b.User; u != nil {
		key = string(u.Role) + "\x00" + strconv.FormatBool(u.SeesInvoices()) + "\x00" + u.Name
	}
	render := func(active string) func() (template.HTML, error) {
		return func() (template.HTML, error) {
			var buf bytes.Buffer
			err := s.pages.ExecuteTemplate(&buf, "site-header", basePage{User: b.User, Active: active})
			return template.HTML(buf.String()), err //nolint:gosec // the template escaped it
		}
	}
	plain, err := s.headers.get(key, render(""))
	if err != nil || b.Active == "" || !strings.Contains(string(plain), ` href="`+b.Active+`"`) {
		return plain
	}
	h, err := s.headers.get(key+"\x00"+b.Active, render(b.Active))
	if err != nil {
		return ""
	}
	return h
}
