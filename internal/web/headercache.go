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
// case page. headerCache keeps it rendered for each kind of user: plain,
// and for each page it links to that the user has been on, marking that
// link. A page it does not link to gets the plain header. Whatever the
// header shows of the user (name, role, the tabs of the area) is in the
// key, so a renamed user or another role is a new entry.
type headerCache struct {
	mu sync.Mutex
	m  map[headerKey]*headerEntry
}

// maxHeaders bounds the kept headers, one per user name and role in
// practice, each 2 KB plain and as much for each page it links to that
// was asked for; past it they are all dropped.
const maxHeaders = 1024

type headerKey struct {
	signedIn bool
	role     repair.Role
	invoices bool // the Fakturaspecifikation tab (User.SeesInvoices)
	name     string
}

// headerEntry is one kind of user's header. Its maps are the cache's,
// read and written under its mutex.
type headerEntry struct {
	plain template.HTML
	links map[string]bool // the paths the header links to
	// current is the header on each page it links to, by path, as far
	// as they were asked for.
	current map[string]template.HTML
}

// header is b's site header, rendered by the template the first time it
// is asked for; empty if the template failed, for the layout to render
// the header itself and fail with the error.
func (s *server) header(b *basePage) template.HTML {
	var k headerKey
	if b.User != nil {
		k = headerKey{true, b.User.Role, b.User.SeesInvoices(), b.User.Name}
	}
	c := &s.headers
	c.mu.Lock()
	e := c.m[k]
	var h template.HTML
	if e != nil {
		if h = e.plain; e.links[b.Active] {
			h = e.current[b.Active]
		}
	}
	c.mu.Unlock()
	if h != "" {
		return h
	}
	if e == nil {
		plain, err := s.renderHeader(b.User, "")
		if err != nil {
			return ""
		}
		e = &headerEntry{plain: plain, links: map[string]bool{}, current: map[string]template.HTML{}}
		for _, p := range linkedPaths(string(plain)) {
			e.links[p] = true
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxHeaders {
			c.m = map[headerKey]*headerEntry{}
		}
		c.m[k] = e
		c.mu.Unlock()
		if !e.links[b.Active] {
			return plain
		}
	}
	h, err := s.renderHeader(b.User, b.Active)
	if err != nil {
		return ""
	}
	c.mu.Lock()
	e.current[b.Active] = h
	c.mu.Unlock()
	return h
}

// renderHeader renders u's header on the page at path active.
func (s *server) renderHeader(u *repair.User, active string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, "site-header", basePage{User: u, Active: active}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // the template escaped it
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
