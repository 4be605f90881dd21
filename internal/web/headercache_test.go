package web

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
	"testing"

	"kundportal/internal/repair"
)

// TestSiteHeaderKept checks that the kept header is, for every kind of
// user and every page, exactly what the template renders: with
// aria-current on the link to the page it is on, on none elsewhere, and
// the user's name as it is now.
func TestSiteHeaderKept(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{pages: pages, headers: formCache{size: maxHeaders}}
	direct := func(u *repair.User, active string) template.HTML {
		var buf bytes.Buffer
		if err := pages.ExecuteTemplate(&buf, "site-header", basePage{User: u, Active: active}); err != nil {
			t.Fatal(err)
		}
		return template.HTML(buf.String())
	}
	users := map[string]*repair.User{
		"signed out":            nil,
		"customer user":         {Name: "Anna Kund", Role: repair.RoleCustomerUser},
		"no invoices":           {Name: "Anna Kund", Role: repair.RoleCustomerUser, InvoicesAdminsOnly: true},
		"customer admin":        {Name: "Bo <Admin> & co", Role: repair.RoleCustomerAdmin},
		"dispatcher":            {Name: "Disa Pons", Role: repair.RoleDispatcher},
		"admin":                 {Name: "Ada Min", Role: repair.RoleAdmin},
		"technician":            {Name: "Tea Kniker", Role: repair.RoleTechnician},
		"dispatcher, same name": {Name: "Anna Kund", Role: repair.RoleDispatcher},
	}
	for name, u := range users {
		paths := append(linkedPaths(string(direct(u, ""))), "", "/arenden/5", "/objekt/3", "/order/arenden/7", "/finns-inte")
		if u != nil && len(paths) < 8 {
			t.Errorf("%s: the header links to only %v", name, paths)
		}
		for _, active := range paths {
			got := s.header(&basePage{User: u, Active: active})
			if want := direct(u, active); got != want {
				t.Errorf("%s on %q: kept header\n%s\nwant\n%s", name, active, got, want)
			}
		}
	}
	// Asked for at once, on a fresh cache, by many requests.
	s = &server{pages: pages, headers: formCache{size: maxHeaders}}
	u0 := users["customer admin"]
	var wg sync.WaitGroup
	want := map[string]template.HTML{}
	for _, active := range []string{"", "/sok-arende", "/dashboard", "/arenden/9"} {
		want[active] = direct(u0, active)
	}
	for i := range 16 {
		active := []string{"", "/sok-arende", "/dashboard", "/arenden/9"}[i%4]
		wg.Go(func() {
			if got, want := s.header(&basePage{User: u0, Active: active}), want[active]; got != want {
				t.Errorf("at once, on %q: kept header\n%s\nwant\n%s", active, got, want)
			}
		})
	}
	wg.Wait()
	// The tabs say which page is current, and a renamed user is shown by
	// the new name.
	u := *users["customer user"]
	if h := s.header(&basePage{User: &u, Active: "/sok-arende"}); !strings.Contains(string(h), `href="/sok-arende" data-testid="tab-sok-arende" aria-current="page"`) ||
		strings.Count(string(h), "aria-current") != 1 {
		t.Errorf("Sök ärende's header does not mark its tab, and only it:\n%s", h)
	}
	u.Name = "Anna <Ny>"
	if h := s.header(&basePage{User: &u}); !strings.Contains(string(h), "Anna &lt;Ny&gt;") {
		t.Errorf("a renamed user's header:\n%s", h)
	}
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
