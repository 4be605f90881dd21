package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

	"kundportal/internal/repair"
)

// The site's header (template "site-header") is the same on every page a
// user sees but for aria-current on the link to the current page, and
// rendering it was 26 µs and 244 allocations of every page, a tenth of a
// case page. headerCache keeps it rendered for each kind of user: once
// plain, and once for each page it links to, marking that link. A page
// it does not link to gets the plain header. Whatever the header shows
// of the user (name, role, the tabs of the area) is in the key, so a
// renamed user or another role is a new entry.
type headerCache struct {
	mu sync.Mutex
	m  map[headerKey]*headerEntry
}

// maxHeaders bounds the kept headers (one per user name and role in
// practice, a few KB each); past it they are all dropped.
const maxHeaders = 4096

type headerKey struct {
	signedIn bool
	role     repair.Role
	invoices bool // the Fakturaspecifikation tab (User.SeesInvoices)
	name     string
}

type headerEntry struct {
	plain template.HTML
	// current is the header on each page it links to, by path.
	current map[string]template.HTML
}

// header is b's site header, rendered by the template the first time a
// user of its kind asks for it; empty if the template failed, for the
// layout to render the header itself and fail with the error.
func (s *server) header(b *basePage) template.HTML {
	var k headerKey
	if b.User != nil {
		k = headerKey{true, b.User.Role, b.User.SeesInvoices(), b.User.Name}
	}
	s.headers.mu.Lock()
	e := s.headers.m[k]
	s.headers.mu.Unlock()
	if e == nil {
		var err error
		if e, err = s.renderHeaders(b.User); err != nil {
			return ""
		}
		s.headers.mu.Lock()
		if s.headers.m == nil || len(s.headers.m) >= maxHeaders {
			s.headers.m = map[headerKey]*headerEntry{}
		}
		s.headers.m[k] = e
		s.headers.mu.Unlock()
	}
	if h, ok := e.current[b.Active]; ok {
		return h
	}
	return e.plain
}

// renderHeaders renders u's header plain, and then as it is on each page
// it links to.
func (s *server) renderHeaders(u *repair.User) (*headerEntry, error) {
	render := func(active string) (template.HTML, error) {
		var buf bytes.Buffer
		if err := s.pages.ExecuteTemplate(&buf, "site-header", basePage{User: u, Active: active}); err != nil {
			return "", err
		}
		return template.HTML(buf.String()), nil //nolint:gosec // the template escaped it
	}
	plain, err := render("")
	if err != nil {
		return nil, err
	}
	e := &headerEntry{plain: plain, current: map[string]template.HTML{}}
	for _, path := range linkedPaths(string(plain)) {
		if e.current[path], err = render(path); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// linkedPaths are the href values of the links in html.
func linkedPaths(html string) []string {
	var paths []string
	for {
		i := strings.Index(html, ` href="`)
		if i < 0 {
			return paths
		}
		html = html[i+len(` href="`):]
		j := strings.IndexByte(html, '"')
		if j < 0 {
			return paths
		}
		paths, html = append(paths, html[:j]), html[j:]
	}
}
