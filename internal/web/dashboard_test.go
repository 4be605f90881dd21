package web

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// completeCase moves c to Utförd at the given time.
func (f *fixture) completeCase(c repair.Case, at time.Time) {
	f.t.Helper()
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.SetCaseStatus(ctx, c.ID, repair.StatusPlanned, 0, "", time.Time{}); err != nil {
			return err
		}
		return tx.SetCaseStatus(ctx, c.ID, repair.StatusCompleted, 0, "", at)
	})
}

// TestDashboardBadParameters: a URL the Dashboard cannot show gets a
// Swedish message naming what is wrong, status 400, and never a 500.
func TestDashboardBadParameters(t *testing.T) {
	f := newFixture(t, storetest.Open(t))
	anna := f.login(f.anna.Email)
	for _, tc := range []struct{ query, want string }{
		{"matt=okant", "Okänt mått"},
		{"grupp=okand", "Okänd gruppering"},
		{"period=2026-13", "Perioden finns inte"},
		{"period=2026-02-30", "Perioden finns inte"},
		{"period=99999", "Perioden finns inte"},
		{"period=2026-V54", "Perioden finns inte"},
		{"period=1850", "Perioden finns inte"},
		{"grupp=tid&period=2026-03-14", "En dag delas inte upp vidare"},
		{"grupp=fakturamarkning&fakturamarkning=KST+1", "En fakturamärkning delas inte upp vidare"},
		{"grupp=plats&gata=Storgatan+1", "Välj en ort innan du väljer gata"},
		{"grupp=maskin&fabrikat=Miele", "Välj en objekttyp innan du väljer fabrikat"},
		{"grupp=plats&ort=" + strings.Repeat("x", 130), "för långt"},
		{"grupp=plats&ort=%00", "ogiltiga tecken"},
	} {
		resp := f.get(anna, "/dashboard?"+tc.query)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.query, resp.StatusCode)
		}
		d := doc(t, resp)
		if got := d.Find("[data-testid=error-summary]").Text(); !strings.Contains(got, tc.want) {
			t.Errorf("%s: message %q, want %q", tc.query, got, tc.want)
		}
		if d.Find("[data-testid=chart]").Length() != 0 {
			t.Errorf("%s: a chart beside the error", tc.query)
		}
		// The export of a broken view goes back to the page that explains.
		if resp := f.get(anna, "/dashboard/export.csv?"+tc.query); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("export %s: status %d, want 303", tc.query, resp.StatusCode)
		}
	}
}

// TestDashboardOwnCasesOnly: each customer's Dashboard counts its own
// completed case, not the other's completed the same day in the same
// place; the bar's list is the case; the export has the same numbers.
func TestDashboardOwnCasesOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase)
		done := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
		f.completeCase(f.myCase, done)
		f.completeCase(f.theirCase, done)
		for _, who := range []struct {
			email string
			own   repair.Case
		}{{f.anna.Email, f.myCase}, {f.olle.Email, f.theirCase}} {
			c := f.login(who.email)
			d := doc(t, f.get(c, "/dashboard?matt=kostnader&grupp=tid&period=2026-03"))
			bars := d.Find("[data-testid=bar]")
			if bars.Length() != 31 {
				t.Fatalf("%s: %d bars for March, want 31 days", who.email, bars.Length())
			}
			var busy []string
			bars.Each(func(_ int, s *goquery.Selection) {
				if v, _ := s.Attr("data-cases"); v != "0" {
					busy = append(busy, v+" "+s.Find(".bar-label").Text())
				}
			})
			if len(busy) != 1 || busy[0] != "1 14 mars 2026" {
				t.Errorf("%s: bars with cases %q, want one case on 14 March", who.email, busy)
			}
			if got := d.Find("[data-testid=figure-completed] .stat-value").Text(); got != "1" {
				t.Errorf("%s: Utförda ärenden %q, want 1", who.email, got)
			}
			href, _ := d.Find("[data-testid=bar][data-cases='1']").Attr("href")
			list := doc(t, f.get(c, href))
			rows := list.Find("[data-testid=case-row]")
			if rows.Length() != 1 || !strings.Contains(rows.Text(), who.own.Number) {
				t.Errorf("%s: the bar's list %s holds %q, want case %s", who.email, href, rows.Text(), who.own.Number)
			}
			resp := f.get(c, "/dashboard/export.csv?matt=kostnader&grupp=tid&period=2026-03")
			body, _ := io.ReadAll(resp.Body)
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\ufeff")))
			r.Comma = ';'
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 33 || strings.Join(recs[0], "|") != "Dag|Arbete|Reservdelar|Resor|Avgifter|Totalt ex moms|Ärenden" {
				t.Fatalf("%s: export has %d records, header %q", who.email, len(recs), recs[0])
			}
			total := recs[len(recs)-1]
			want := "0,00\u00a0kr"
			if who.own.ID == f.myCase.ID {
				want = "890,00\u00a0kr" // the visible part; the hidden fee is not the customer's
			}
			if total[0] != "Totalt" || total[5] != want || total[6] != "1" {
				t.Errorf("%s: export total %q, want %s for 1 case", who.email, total, want)
			}
		}
	})
}

// TestDashboardCrumbs: the way back up names each level above the view and
// links to it, with the filters of that level only.
func TestDashboardCrumbs(t *testing.T) {
	year, _ := repair.ParsePeriod("2026")
	for _, tc := range []struct {
		q    repair.DashboardQuery
		want string
	}{
		{repair.DashboardQuery{Measure: "arenden", Grouping: repair.GroupPlace, Period: year, City: "Skövde", Street: repair.NoValue},
			"Alla orter /dashboard?grupp=plats&matt=arenden&period=2026 | Skövde /dashboard?grupp=plats&matt=arenden&ort=Sk%C3%B6vde&period=2026 | Ej angivet /dashboard?gata=-&grupp=plats&matt=arenden&ort=Sk%C3%B6vde&period=2026"},
		{repair.DashboardQuery{Measure: "kostnader", Grouping: repair.GroupMachine, Period: year, Kind: "Kyl"},
			"Alla objekttyper /dashboard?grupp=maskin&matt=kostnader&period=2026 | Kyl /dashboard?grupp=maskin&matt=kostnader&objekttyp=Kyl&period=2026"},
	} {
		var got []string
		for _, c := range dashboardCrumbs(tc.q) {
			got = append(got, c.Label+" "+c.URL)
		}
		if s := strings.Join(got, " | "); s != tc.want {
			t.Errorf("crumbs\n got %s\nwant %s", s, tc.want)
		}
	}
}
