package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"strings"
	"testing"
)

// TestParsePage checks that pages sharing one template set each get
// their own "main" and "head" inside the real layout, and that a page
// without exactly one "main" is refused at start-up.
func TestParsePage(t *testing.T) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	set, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/partials/*.html")
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"a.html": `{{define "main"}}<p>page A {{.Title}}</p>{{end}}`,
		"b.html": `{{define "head"}}<meta name="page-b">{{end}}{{define "main"}}<p>page B</p>{{end}}`,
	}
	for name, src := range pages {
		if err := parsePage(set, name, string(layout), src); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	render := func(name string) string {
		var buf bytes.Buffer
		if err := set.ExecuteTemplate(&buf, name, basePage{Title: "<Rubrik>"}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return buf.String()
	}
	a, b := render("a.html"), render("b.html")
	if !strings.Contains(a, "<p>page A &lt;Rubrik&gt;</p>") || strings.Contains(a, "page B") || strings.Contains(a, "page-b") {
		t.Errorf("a.html has the wrong main or head:\n%s", a)
	}
	if !strings.Contains(b, `<meta name="page-b">`) || !strings.Contains(b, "<p>page B</p>") || strings.Contains(b, "page A") {
		t.Errorf("b.html has the wrong main or head:\n%s", b)
	}
	for _, name := range []string{"a.html", "b.html"} {
		if p := render(name); !strings.Contains(p, "<title>&lt;Rubrik&gt; – Kundportal</title>") || !strings.Contains(p, `<main id="main"`) {
			t.Errorf("%s is not inside the layout:\n%s", name, p)
		}
	}

	all, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"none.html": `{{define "content"}}x{{end}}`,
		"two.html":  `{{define "main"}}x{{end}}{{define "main"}}y{{end}}`,
		// A template of a partial, or of another page, redefined.
		"partial.html": `{{define "main"}}x{{end}}{{define "case-facts"}}y{{end}}`,
		"other.html":   `{{define "main"}}x{{end}}{{define "portal-search-form"}}y{{end}}`,
	} {
		if err := parsePage(all, name, string(layout), src); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}
