package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// newFixtureAt is newFixture with the site's clock stopped at now.
func newFixtureAt(t *testing.T, db *store.DB, now time.Time) *fixture {
	t.Helper()
	f := newFixture(t, db)
	f.now = func() time.Time { return now }
	f.ops = orders.New(db, f.files, f.now)
	h, err := New(Options{DB: db, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: f.now, Ops: f.ops})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func stockholm(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, repair.Stockholm)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestWorkOrderWeek: the week view runs Monday to Sunday in Swedish time
// whatever day today is, names the ISO week, and moves by whole weeks.
func TestWorkOrderWeek(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		// Wednesday of week 49; the first visit is the Monday before, 00:30.
		f := newFixtureAt(t, db, stockholm(t, "2026-12-02 10:00"))
		planned := map[string]repair.WorkOrder{}
		for _, at := range []string{"2026-11-29 15:00", "2026-11-30 00:30", "2026-12-06 23:00", "2026-12-07 08:00"} {
			start := stockholm(t, at)
			wo := repair.WorkOrder{CaseID: f.myCase.ID, TechnicianID: f.tech.ID, PlannedStart: start, PlannedEnd: start.Add(30 * time.Minute)}
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateWorkOrder(ctx, &wo) })
			planned[at] = wo
		}
		disp := f.login(f.disp.Email)
		numbers := func(d *goquery.Document) []string {
			return d.Find("[data-testid=work-order-number]").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		}
		want := func(at ...string) []string {
			var out []string
			for _, a := range at {
				out = append(out, planned[a].Number)
			}
			return out
		}
		tests := []struct {
			path         string
			label, dates string
			days         []string
			orders       []string
			prev, next   string
		}{
			{"/order/arbetsorder", "Vecka 49", "30 november – 6 december 2026",
				[]string{"Måndag 2026-11-30", "Söndag 2026-12-06"}, want("2026-11-30 00:30", "2026-12-06 23:00"), "2026-W48", "2026-W50"},
			{"/order/arbetsorder?vecka=2026-W50", "Vecka 50", "7–13 december 2026",
				[]string{"Måndag 2026-12-07"}, want("2026-12-07 08:00"), "2026-W49", "2026-W51"},
			{"/order/arbetsorder?vecka=2026-W48", "Vecka 48", "23–29 november 2026",
				[]string{"Söndag 2026-11-29"}, want("2026-11-29 15:00"), "2026-W47", "2026-W49"},
			// A date shows the week it is in.
			{"/order/arbetsorder?fran=2026-12-09", "Vecka 50", "7–13 december 2026",
				[]string{"Måndag 2026-12-07"}, want("2026-12-07 08:00"), "2026-W49", "2026-W51"},
			// Around New Year the week's year is its own: 2026 has 53 weeks.
			{"/order/arbetsorder?vecka=2026-W53", "Vecka 53", "28 december 2026 – 3 januari 2027",
				nil, nil, "2026-W52", "2027-W01"},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				resp := f.get(disp, tt.path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d, want 200", tt.path, resp.StatusCode)
				}
				d := doc(t, resp)
				if got := d.Find("[data-testid=week-label]").Text(); got != tt.label {
					t.Errorf("week label = %q, want %q", got, tt.label)
				}
				if got := d.Find("[data-testid=week-dates]").Text(); got != tt.dates {
					t.Errorf("week dates = %q, want %q", got, tt.dates)
				}
				if got := d.Find("title").Text(); !strings.HasPrefix(got, "Arbetsorder v"+tt.label[1:]) {
					t.Errorf("title = %q, want it to name the week", got)
				}
				days := d.Find("[data-testid=day-heading]").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
				if strings.Join(days, "|") != strings.Join(tt.days, "|") {
					t.Errorf("days = %q, want %q", days, tt.days)
				}
				if got := numbers(d); strings.Join(got, "|") != strings.Join(tt.orders, "|") {
					t.Errorf("work orders = %q, want %q", got, tt.orders)
				}
				for sel, week := range map[string]string{"prev": tt.prev, "next": tt.next, "this": "2026-W49"} {
					href, _ := d.Find("[data-testid=week-" + sel + "]").Attr("href")
					if href != "/order/arbetsorder?vecka="+week {
						t.Errorf("%s link = %q, want week %s", sel, href, week)
					}
				}
				current := d.Find("[data-testid=week-this][aria-current=page]").Length() == 1
				if current != (tt.label == "Vecka 49") {
					t.Errorf("Denna vecka marked current = %v on %s", current, tt.label)
				}
			})
		}

		// The links lead where they say: next from this week is week 50.
		next, _ := doc(t, f.get(disp, "/order/arbetsorder")).Find("[data-testid=week-next]").Attr("href")
		if got := doc(t, f.get(disp, next)).Find("[data-testid=week-label]").Text(); got != "Vecka 50" {
			t.Errorf("following Nästa vecka shows %q, want Vecka 50", got)
		}

		// A cleared date field asks for no week in particular.
		if resp := f.get(disp, "/order/arbetsorder?fran="); resp.StatusCode != http.StatusOK {
			t.Errorf("an empty date = %d, want 200 and this week", resp.StatusCode)
		}
		for _, bad := range []string{"?vecka=2026-W54", "?vecka=2027-W53", "?vecka=vecka49", "?fran=igår", "?fran=2026-02-30", "?fran=0001-01-01"} {
			t.Run("bad "+bad, func(t *testing.T) {
				resp := f.get(disp, "/order/arbetsorder"+bad)
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("GET %s = %d, want 400", bad, resp.StatusCode)
				}
				d := doc(t, resp)
				msg := d.Find("[data-testid=error-summary]").Text()
				if !strings.HasPrefix(msg, "Ange") && !strings.HasPrefix(msg, "Veckan finns inte") || !strings.Contains(msg, "Visar denna vecka.") {
					t.Errorf("message = %q, want a Swedish message that this week is shown", msg)
				}
				if got := d.Find("[data-testid=week-label]").Text(); got != "Vecka 49" {
					t.Errorf("a bad week shows %q, want this week, Vecka 49", got)
				}
			})
		}
	})
}

// TestWeekDates: a week's days in words, within a month, across two and
// across New Year.
func TestWeekDates(t *testing.T) {
	for week, want := range map[string]string{
		"2026-W50": "7–13 december 2026",
		"2026-W49": "30 november – 6 december 2026",
		"2026-W53": "28 december 2026 – 3 januari 2027",
		"2026-W13": "23–29 mars 2026", // clocks go forward on the Sunday
	} {
		p, ok := repair.ParseISOWeek(week)
		if !ok {
			t.Fatalf("ParseISOWeek(%q) failed", week)
		}
		if got := weekDates(p); got != want {
			t.Errorf("weekDates(%s) = %q, want %q", week, got, want)
		}
	}
}

// TestIntakeLinksToWeekView: the Inkorg says where work orders are
// planned and seen, instead of promising a planning view to come.
func TestIntakeLinksToWeekView(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := doc(t, f.get(f.login(f.disp.Email), "/order"))
		if text := d.Find("main").Text(); strings.Contains(text, "kommer här") {
			t.Errorf("the Inkorg still promises what is there already: %q", text)
		}
		if d.Find(`main a[href="/order/arbetsorder"]`).Length() == 0 {
			t.Error("the Inkorg does not link to the week view of work orders")
		}
	})
}
