package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// shot saves a full-page screenshot when KUNDPORTAL_SHOTS names a
// directory: for looking at the pages as a person would.
func shot(t *testing.T, b *Browser, name string) {
	t.Helper()
	dir := os.Getenv("KUNDPORTAL_SHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// printedPages prints the current page to A4 as the browser would and
// counts the pages.
func printedPages(t *testing.T, b *Browser) int {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.Action[*page.PrintToPDFResult](func(ctx context.Context, tg *chromedp.Target) (*page.PrintToPDFResult, error) {
		r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
		return &r, err
	}))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(res.Data, -1))
}

// clickBusiestBar follows the bar with the most cases behind it and
// returns that number.
func clickBusiestBar(t *testing.T, b *Browser) int {
	t.Helper()
	n := Eval[int](t, b, `(() => {
		const bars = Array.from(document.querySelectorAll('[data-testid=bar]'));
		let best = null;
		for (const a of bars) if (!best || +a.dataset.cases > +best.dataset.cases) best = a;
		if (!best || +best.dataset.cases === 0) return 0;
		best.setAttribute('data-testid', 'bar-chosen');
		return +best.dataset.cases;
	})()`)
	if n == 0 {
		t.Fatalf("no bar with cases on %s", b.Path(t))
	}
	b.Follow(t, "[data-testid=bar-chosen]")
	return n
}

var leadingNumber = regexp.MustCompile(`^\D*([\d\x{a0} ]+)`)

// listCount is the number Sök ärende says it found.
func listCount(t *testing.T, b *Browser) int {
	t.Helper()
	txt := b.Text(t, "[data-testid=result-count]")
	m := leadingNumber.FindStringSubmatch(txt)
	if m == nil {
		t.Fatalf("result count %q has no number", txt)
	}
	n, err := strconv.Atoi(strings.NewReplacer("\u00a0", "", " ", "").Replace(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDashboardDrillDownToList: a customer chooses Kostnader over all
// years, clicks from a year to a month to a day and into the list, and
// the list holds exactly the cases the day's bar counted. Every view
// passes axe-core.
func TestDashboardDrillDownToList(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "anna@solgarden.example", demoPassword)
	b.Visit(t, "/dashboard")
	if b.Count(t, "[data-testid=bar]") != 12 {
		t.Errorf("the default view has %d bars, want this year's 12 months", b.Count(t, "[data-testid=bar]"))
	}
	shot(t, b, "dashboard-default")
	if n := printedPages(t, b); n != 1 {
		t.Errorf("the year's view prints on %d A4 pages, want 1", n)
	}

	b.Do(t,
		chromedp.SetValue(chromedp.ID("matt"), "kostnader"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('period').value = 'alla'`),
	)
	b.Follow(t, "[data-testid=dashboard-submit]")
	if p := b.Path(t); !strings.Contains(p, "matt=kostnader") || !strings.Contains(p, "period=alla") {
		t.Fatalf("the view is not in the URL: %s", p)
	}
	if !strings.HasSuffix(b.Text(t, "[data-testid=bar-value]"), "kr") {
		t.Errorf("a Kostnader bar says %q, want an amount in kr", b.Text(t, "[data-testid=bar-value]"))
	}
	shot(t, b, "dashboard-costs-years")

	year := clickBusiestBar(t, b)
	if !regexp.MustCompile(`period=\d{4}(&|$)`).MatchString(b.Path(t)) {
		t.Fatalf("a year bar led to %s", b.Path(t))
	}
	month := clickBusiestBar(t, b)
	if !regexp.MustCompile(`period=\d{4}-\d{2}(&|$)`).MatchString(b.Path(t)) {
		t.Fatalf("a month bar led to %s", b.Path(t))
	}
	if month > year {
		t.Errorf("a month has %d cases, more than its year's %d", month, year)
	}
	crumbs := b.Count(t, "[data-testid=breadcrumb] a")
	if crumbs != 3 {
		t.Errorf("the breadcrumb on a month has %d links, want Alla år, the year and the month", crumbs)
	}
	shot(t, b, "dashboard-costs-days")
	day := clickBusiestBar(t, b)
	if !strings.HasPrefix(b.Path(t), "/sok-arende?") {
		t.Fatalf("a day bar led to %s, want Sök ärende", b.Path(t))
	}
	if got := listCount(t, b); got != day {
		t.Errorf("the day's bar counts %d cases, its list has %d", day, got)
	}
	if rows := b.Count(t, "[data-testid=case-row]"); rows != min(day, 50) {
		t.Errorf("the list shows %d rows for %d cases", rows, day)
	}
	shot(t, b, "dashboard-list")
}

// TestDashboardViews: every grouping and measure renders, passes axe-core,
// and each table row's Visa ärendena list is as long as its bar.
func TestDashboardViews(t *testing.T) {
	b := NewBrowser(t)
	b.Visit(t, "/logga-in")
	b.Login(t, "anna@solgarden.example", demoPassword)
	for _, view := range []string{
		"/dashboard?grupp=plats&period=alla",
		"/dashboard?grupp=maskin&period=alla&matt=arbetsorder",
		"/dashboard?grupp=fakturamarkning&period=alla&matt=genomloppstider",
		"/dashboard?grupp=tid&period=alla&matt=genomloppstider",
		"/dashboard?grupp=tid&period=2026&vecka=1&matt=arbetsorder",
	} {
		b.Visit(t, view)
		if b.Count(t, "[data-testid=bar]") == 0 {
			t.Errorf("%s: no bars", view)
			continue
		}
		shot(t, b, "dashboard-"+regexp.MustCompile(`\W+`).ReplaceAllString(view[11:], "-"))
		bar := clickBusiestBar(t, b)
		if strings.HasPrefix(b.Path(t), "/dashboard") {
			// One level down: the busiest bar again, into its list.
			bar = clickBusiestBar(t, b)
		}
		for strings.HasPrefix(b.Path(t), "/dashboard") {
			bar = clickBusiestBar(t, b)
		}
		if got := listCount(t, b); got != bar {
			t.Errorf("%s: the bar counts %d cases, its list has %d (%s)", view, bar, got, b.Path(t))
		}
	}
	// A broken link gets a message, not an error page.
	if status := b.Visit(t, "/dashboard?matt=okant&period=2026-13"); status != 400 {
		t.Errorf("bad parameters answered %d, want 400", status)
	}
	if !strings.Contains(b.Text(t, "[data-testid=error-summary]"), "Perioden finns inte") {
		t.Errorf("bad period: %q", b.Text(t, "[data-testid=error-summary]"))
	}
}

// TestDashboardOnPhone: at 360 px the chart and table fit or scroll
// inside their box; the page itself does not scroll sideways.
func TestDashboardOnPhone(t *testing.T) {
	b := NewBrowserAt(t, Phone)
	b.Visit(t, "/logga-in")
	b.Login(t, "anna@solgarden.example", demoPassword)
	b.Visit(t, "/dashboard?matt=kostnader&grupp=plats&period=alla")
	if w := Eval[int](t, b, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %d px wide on a 360 px phone", w)
	}
	shot(t, b, "dashboard-phone")
}

// TestPortalFitsLaptopAndPhone: at 1366 × 900 a Sök ärende row is whole
// (Filer included) without scrolling sideways and the results start above
// the fold once a search has run; at 360 × 800 no portal page scrolls
// sideways and the five tabs take at most two rows.
func TestPortalFitsLaptopAndPhone(t *testing.T) {
	laptop := NewBrowserAt(t, Viewport{Width: 1366, Height: 900})
	laptop.Visit(t, "/logga-in")
	laptop.Login(t, "anna@solgarden.example", demoPassword)
	laptop.Visit(t, "/sok-arende?status=invoiced")
	fits := Eval[bool](t, laptop, `(() => {
		const box = document.querySelector('.table-scroll');
		return box.scrollWidth <= box.clientWidth + 1;
	})()`)
	if !fits {
		t.Error("at 1366 px the case list is wider than its box")
	}
	if top := Eval[float64](t, laptop, `document.querySelector('[data-testid=case-row]').getBoundingClientRect().top`); top > 900*0.6 {
		t.Errorf("at 1366 × 900 the first result starts at %.0f px, below the fold's first half", top)
	}
	shot(t, laptop, "search-laptop")

	phone := NewBrowserAt(t, Viewport{Width: 360, Height: 800, Mobile: true})
	phone.Visit(t, "/logga-in")
	phone.Login(t, "anna@solgarden.example", demoPassword)
	for _, path := range []string{"/nytt-arende", "/sok-arende", "/sok-arende?status=invoiced", "/dashboard", "/objekt", "/fakturaspecifikation"} {
		phone.Visit(t, path)
		if w := Eval[int](t, phone, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", path, w)
		}
		rows := Eval[int](t, phone, `(() => {
			const tops = new Set(Array.from(document.querySelectorAll('nav.tabs li')).map(li => Math.round(li.getBoundingClientRect().top)));
			return tops.size;
		})()`)
		if rows > 2 {
			t.Errorf("%s: the tabs take %d rows on a phone", path, rows)
		}
	}
	phone.Visit(t, "/sok-arende?status=invoiced")
	phone.Follow(t, `[data-testid=case-row] a[href^="/arenden/"]`)
	if w := Eval[int](t, phone, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("a case page is %d px wide on a phone", w)
	}
	if hidden := Eval[int](t, phone, `Array.from(document.querySelectorAll('[data-testid=case-work] td')).filter(td => td.getBoundingClientRect().right > 360).length`); hidden != 0 {
		t.Errorf("%d cells of the case's work and costs reach past the phone's edge", hidden)
	}
	shot(t, phone, "case-phone")
}
