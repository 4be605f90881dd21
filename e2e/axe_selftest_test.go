package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// selfTestPages are two small pages that differ only in what axe-core must
// find: the bad one has an input without a label and light grey text on
// white (about 1.9:1, under the 4.5:1 that WCAG 1.4.3 asks for).
var selfTestPages = map[string]string{
	"/bad": `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Självtest</title></head>
<body><main><h1>Självtest</h1>
<p id="ljus" style="color:#c0c0c0;background:#fff">Ljusgrå text som knappt syns.</p>
<input id="namn" name="namn" type="text">
</main></body></html>`,
	"/good": `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Självtest</title></head>
<body><main><h1>Självtest</h1>
<p id="ljus" style="color:#222;background:#fff">Mörk text som syns.</p>
<label for="namn">Namn</label>
<input id="namn" name="namn" type="text">
</main></body></html>`,
}

// recorder is a testing.TB that keeps what is reported with Error and
// Errorf instead of failing the test, so a test can check that the harness
// would have failed. Everything else goes to the real test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestAxeSelfTest checks the accessibility check itself: on a page with
// known violations, axe-core as the harness runs it must report them, and
// CheckA11y must fail the test; on the same page without them it must pass.
// Without this, a harness that ran no rules (no font, a wrong tag list, an
// axe that never loaded) would pass every page.
func TestAxeSelfTest(t *testing.T) {
	mux := http.NewServeMux()
	for path, html := range selfTestPages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		})
	}
	site := httptest.NewServer(mux)
	t.Cleanup(site.Close)
	b := NewBrowser(t)
	open := func(path string) {
		t.Helper()
		b.do(t, "open the self-test page "+path,
			chromedp.Navigate(site.URL+path),
			chromedp.WaitReady(chromedp.CSS("body")))
	}

	open("/bad")
	found := map[string][]string{} // rule id → failing elements
	for _, v := range b.axeViolations(t) {
		found[v.ID] = v.Targets
	}
	for rule, target := range map[string]string{"label": "#namn", "color-contrast": "#ljus"} {
		if !slices.Contains(found[rule], target) {
			t.Errorf("axe on /bad: rule %s reports %q, want %s among them (all: %v)", rule, found[rule], target, found)
		}
	}
	rec := &recorder{TB: t}
	b.CheckA11y(rec)
	if len(rec.errors) != 1 {
		t.Fatalf("CheckA11y on /bad reported %d errors, want 1: %q", len(rec.errors), rec.errors)
	}
	for _, want := range []string{"on /bad", "- label [", "- color-contrast [", "#namn", "#ljus"} {
		if !strings.Contains(rec.errors[0], want) {
			t.Errorf("CheckA11y's report lacks %q:\n%s", want, rec.errors[0])
		}
	}

	open("/good")
	if vs := b.axeViolations(t); len(vs) != 0 {
		t.Errorf("axe on /good = %+v, want no violations", vs)
	}
	rec = &recorder{TB: t}
	b.CheckA11y(rec)
	if len(rec.errors) != 0 {
		t.Errorf("CheckA11y on /good reported %q, want nothing", rec.errors)
	}
}
