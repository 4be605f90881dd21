package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"kundportal/internal/repair"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// basePage is embedded in every page struct: what the layout needs.
type basePage struct {
	Title  string
	User   *repair.User
	Active string // the current tab's path, for aria-current
	Flash  string // a confirmation, shown at the top of the page
	// FlashKey is the key of the confirmation the previous form's redirect
	// left (see flash.go), for a page that shows it in its own way.
	FlashKey string
	Wide     bool // a wide table: let the page use more of a large screen
	// SiteHeader is the header as kept rendered (headercache.go), set by
	// render; the layout renders it itself where it is empty.
	SiteHeader template.HTML
}

// navBar is the navigation of one area of the site; every area ends with
// Logga ut, a POST form because it changes state.
type navBar struct {
	Label, TestID, LogoutTestID string
	Items                       []navItem
}

type navItem struct{ Path, Label, TestID string }

// The portal's tabs are the seed's, word for word and in its order.
var (
	portalNav = navBar{"Portalens flikar", "portal-tabs", "tab-logga-ut", []navItem{
		{"/nytt-arende", "Nytt ärende", "tab-nytt-arende"},
		{"/sok-arende", "Sök ärende", "tab-sok-arende"},
		{"/fakturaspecifikation", "Fakturaspecifikation", "tab-fakturaspecifikation"},
		{"/dashboard", "Dashboard", "tab-dashboard"},
	}}
	staffNav = navBar{"Ordersystemet", "staff-nav", "nav-logga-ut", []navItem{
		{"/order", "Inkorg", "nav-inkorg"},
		{"/order/arenden", "Sök ärenden", "nav-sok-arenden"},
		{"/order/nytt-arende", "Registrera ärende", "nav-nytt-arende"},
		{"/order/arbetsorder", "Arbetsorder", "nav-arbetsorder"},
		{"/order/fakturering", "Fakturering", "nav-fakturering"},
		{"/order/kunder", "Kunder", "nav-kunder"},
		{"/order/utskick", "Utskick", "nav-utskick"},
	}}
	// portalNavNoInvoices is the portal of a customer's user whose
	// customer shows its invoices to its admins only.
	portalNavNoInvoices = navBar{portalNav.Label, portalNav.TestID, portalNav.LogoutTestID,
		slices.DeleteFunc(slices.Clone(portalNav.Items), func(i navItem) bool { return i.Path == "/fakturaspecifikation" })}
	adminNav = navBar{staffNav.Label, staffNav.TestID, staffNav.LogoutTestID,
		append(slices.Clone(staffNav.Items), navItem{"/order/personal", "Personal", "nav-personal"})}
	technicianNav = navBar{"Tekniker", "technician-nav", "nav-logga-ut", []navItem{
		{"/tekniker", "Mina arbetsorder", "nav-mina-arbetsorder"},
	}}
)

// Nav is the navigation for the signed-in user's area, nil when signed out.
func (b basePage) Nav() *navBar {
	switch {
	case b.User == nil:
		return nil
	case b.User.Role.IsCustomer() && !b.User.SeesInvoices():
		return &portalNavNoInvoices
	case b.User.Role.IsCustomer():
		return &portalNav
	case b.User.Role == repair.RoleAdmin:
		return &adminNav
	case b.User.Role.IsStaff():
		return &staffNav
	case b.User.Role == repair.RoleTechnician:
		return &technicianNav
	}
	return nil
}

func (s *server) base(r *http.Request, title string) basePage {
	b := basePage{Title: title, Active: r.URL.Path}
	if sess, ok := sessionFrom(r.Context()); ok {
		u := sess.user
		b.User = &u
	}
	return b
}

// parsePages parses the layout, the partials and every page into one
// template set, so that a broken template stops start-up instead of
// failing a request. Each page is a template named by its path under
// templates/ ("portal/search.html"): a copy of the layout whose "head" and
// "main" are that page's. The partials are parsed once for all pages;
// cloning the layout and partials for each page, as this did before, held
// 37 copies of their parse trees (9 MB of a 15 MB heap at start, more
// once html/template had escaped them).
func parsePages() (*template.Template, error) {
	set, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse partials: %w", err)
	}
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || path.Base(p) == "layout.html" {
			return err
		}
		if d.IsDir() {
			if d.Name() == "partials" {
				return fs.SkipDir
			}
			return nil
		}
		name := p[len("templates/"):]
		page, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		if err := parsePage(set, name, string(layout), string(page)); err != nil {
			return fmt.Errorf("web: parse %s: %w", p, err)
		}
		return nil
	})
	return set, err
}

// parsePage adds one page to the set: the page's own templates, with its
// "main" and "head" renamed to be the page's, and a copy of the layout
// under the page's name that calls them.
func parsePage(set *template.Template, name, layout, page string) error {
	rename := func(block string) string { return name + "#" + block }
	if n := strings.Count(page, `{{define "main"}}`); n != 1 {
		return fmt.Errorf("%d definitions of main, want one", n)
	}
	page = strings.Replace(page, `{{define "main"}}`, `{{define "`+rename("main")+`"}}`, 1)
	page = strings.Replace(page, `{{define "head"}}`, `{{define "`+rename("head")+`"}}`, 1)
	for _, block := range []string{"head", "main"} {
		call := `{{block "` + block + `" .}}`
		if strings.Count(layout, call) != 1 {
			return fmt.Errorf("the layout lacks %s", call)
		}
		layout = strings.Replace(layout, call, `{{block "`+rename(block)+`" .}}`, 1)
	}
	// The pages share the set's names: one that defined a template
	// another page or a partial defines would replace it for all. So the
	// page is parsed on its own, checked, and its templates added.
	parsed, err := template.New(name).Funcs(funcs).Parse(page)
	if err != nil {
		return err
	}
	own := parsed.Templates()
	for _, t := range own {
		if t.Name() != name && set.Lookup(t.Name()) != nil {
			return fmt.Errorf("defines %q, which another page or a partial defines", t.Name())
		}
	}
	if _, err := set.New(name).Parse(layout); err != nil {
		return err
	}
	for _, t := range own {
		if t.Name() == name {
			continue // the text around the page's definitions
		}
		if _, err := set.AddParseTree(t.Name(), t.Tree); err != nil {
			return err
		}
	}
	return nil
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 page rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	if s.pages.Lookup(name) == nil {
		return fmt.Errorf("web: no template %q", name)
	}
	if p, ok := data.(flashPage); ok {
		b := p.base()
		if status == http.StatusOK && r.Method == http.MethodGet && b.FlashKey == "" {
			if b.FlashKey = s.takeFlash(w, r); b.Flash == "" {
				b.Flash = flashMessages[b.FlashKey]
			}
		}
		if b.SiteHeader == "" {
			b.SiteHeader = s.header(b)
		}
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.pages.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	endTurn(r) // the page is ready; writing it is the client's time
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// A failed write means the client went away; the status is sent, so
	// there is nothing left to tell it.
	buf.WriteTo(w)
	return nil
}

// renderFragment executes one named template of a page without the
// layout, for a script that inserts it into the current page.
func (s *server) renderFragment(w http.ResponseWriter, page, name string, data any) error {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.execute(buf, page, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	buf.WriteTo(w) // a failed write means the client went away
	return nil
}

// renderHTML executes one named template of a page into HTML, for a part
// that is kept rendered.
func (s *server) renderHTML(page, name string, data any) (template.HTML, error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.execute(buf, page, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // the template escaped it
}

func (s *server) execute(buf *bytes.Buffer, page, name string, data any) error {
	if s.pages.Lookup(page) == nil {
		return fmt.Errorf("web: no template %q", page)
	}
	if err := s.pages.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", page, name, err)
	}
	return nil
}

// A page is rendered into a buffer first, so that a template error
// becomes an error page rather than half a page. The buffers are reused:
// growing a fresh one to a list's 40 KB copies it ten times over.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer kept for reuse; a rare huge page
// (a month's Fakturaspecifikation) should not pin its memory.
const maxPooledBuffer = 256 << 10

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// errNotFound is the web layer's own not-found, for unknown paths and
// unparsable ids; repair.ErrNotFound from the store maps the same way.
var errNotFound = fmt.Errorf("web: %w", repair.ErrNotFound)

type errorPage struct {
	basePage
	Status  int
	Heading string
	Message string
}

var errorTexts = map[int][2]string{
	http.StatusNotFound:            {"Sidan finns inte", "Sidan eller posten du söker finns inte, eller så har du inte behörighet att se den."},
	http.StatusForbidden:           {"Begäran nekades", "Formuläret skickades från en annan webbplats och togs därför inte emot. Gå tillbaka till Kundportalen och försök igen."},
	http.StatusInternalServerError: {"Något gick fel", "Ett fel uppstod hos oss. Försök igen om en stund. Om felet kvarstår, kontakta kundtjänst."},
}

// serveError maps an error to a status code: the one place that does.
func (s *server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, repair.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, repair.ErrForbidden):
		status = http.StatusNotFound // never reveal what exists
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.renderError(w, r, status)
}

func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int) {
	texts, ok := errorTexts[status]
	if !ok {
		texts = errorTexts[http.StatusInternalServerError]
	}
	// A download that failed before its first byte has set its headers;
	// the error page is a page, not a file to save.
	w.Header().Del("Content-Disposition")
	p := errorPage{basePage: s.base(r, texts[0]), Status: status, Heading: texts[0], Message: texts[1]}
	if err := s.render(w, r, status, "error.html", &p); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, texts[0], status)
	}
}

// pathID parses the {id} path value; anything but a positive integer is
// simply not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}
