package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// addWork gives the case a work order with a visible and a hidden action
// and cost, so the customer views can be checked for what they show.
func (f *fixture) addWork(c repair.Case) {
	f.t.Helper()
	storetest.Write(f.t, f.db, func(ctx context.Context, tx *store.Tx) error {
		w := repair.WorkOrder{CaseID: c.ID, TechnicianID: f.tech.ID}
		if err := tx.CreateWorkOrder(ctx, &w); err != nil {
			return err
		}
		for _, a := range []repair.Action{
			{WorkOrderID: w.ID, PerformedOn: "2026-03-14", TechnicianID: f.tech.ID, Description: "Bytt avloppspump", Minutes: 90, CustomerVisible: true},
			{WorkOrderID: w.ID, PerformedOn: "2026-03-14", TechnicianID: f.tech.ID, Description: "Intern anteckning", Minutes: 5},
		} {
			if err := tx.AddAction(ctx, &a); err != nil {
				return err
			}
		}
		for _, l := range []repair.CostLine{
			{WorkOrderID: w.ID, Kind: repair.CostPart, Description: "Avloppspump", QuantityMilli: 1000, UnitPriceOre: 89000, CustomerVisible: true},
			{WorkOrderID: w.ID, Kind: repair.CostFee, Description: "Intern", QuantityMilli: 1000, UnitPriceOre: 1000},
		} {
			if err := tx.AddCostLine(ctx, &l); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestSearchPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase)
		anna := f.login(f.anna.Email)
		d := doc(t, f.get(anna, "/sok-arende"))
		rows := d.Find("[data-testid=case-row]")
		if rows.Length() != 1 || !strings.Contains(rows.Text(), f.myCase.Number) {
			t.Fatalf("Sök with nothing filled in: %d rows %q, want the customer's one case", rows.Length(), rows.Text())
		}
		if got := d.Find("[data-testid=result-count]").Text(); !strings.Contains(got, "1 ärende") {
			t.Errorf("count = %q", got)
		}
		for _, sel := range []string{"[data-testid=see-actions]", "[data-testid=see-files]", "[data-testid=open-signature]"} {
			if rows.Find(sel).Length() != 1 {
				t.Errorf("row lacks %s", sel)
			}
		}
		href, _ := rows.Find("[data-testid=open-signature]").Attr("href")
		if href != "/filer/"+itoa(f.myFile.ID) {
			t.Errorf("Öppna fil signatur → %q, want the delivery note", href)
		}
		// Filters in the URL are shown in the form.
		d = doc(t, f.get(anna, "/sok-arende?gata=storg&status=registered&status=received&fran=2020-01-01"))
		if v, _ := d.Find("#gata").Attr("value"); v != "storg" {
			t.Errorf("gata field = %q", v)
		}
		if d.Find("#status-registered[checked]").Length() != 1 || d.Find("#status-received[checked]").Length() != 1 || d.Find("#status-completed[checked]").Length() != 0 {
			t.Error("status boxes do not show the active filter")
		}
		if d.Find("[data-testid=case-row]").Length() != 1 || d.Find("[data-testid=search-reset]").Length() != 1 {
			t.Error("filtered search lost the case or the reset link")
		}
		d = doc(t, f.get(anna, "/sok-arende?gata=ingen+s%C3%A5dan+gata"))
		if d.Find("[data-testid=no-results]").Length() != 1 {
			t.Error("no-match search does not say so")
		}
	})
}

func TestSearchBadParameters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna := f.login(f.anna.Email)
		tests := []struct{ query, testid string }{
			{"status=flying", "error-status"},
			{"fran=2026-03-14&till=2026-03-01", "error-till"},
			{"fran=14/3", "error-fran"},
			{"till=2026-02-30", "error-till"},
			{"utford_fran=2026-13-01", "error-utford_fran"},
			{"utford_fran=2026-03-14&utford_till=2026-03-01", "error-utford_till"},
			{"sort=title%3B+DROP+TABLE", "error-summary"},
			{"efter=garbage", "error-summary"},
			{"fore=" + strings.Repeat("A", 300), "error-summary"},
		}
		for _, tt := range tests {
			resp := f.get(anna, "/sok-arende?"+tt.query)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", tt.query, resp.StatusCode)
			}
			d := doc(t, resp)
			if d.Find("[data-testid="+tt.testid+"]").Length() == 0 {
				t.Errorf("%s: no %s message", tt.query, tt.testid)
			}
			if strings.Contains(d.Text(), f.theirCase.Number) {
				t.Errorf("%s: another customer's case shown", tt.query)
			}
		}
	})
}

func TestSeeActionsShowsOnlyVisible(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase)
		anna := f.login(f.anna.Email)
		for _, path := range []string{"/arenden/" + itoa(f.myCase.ID) + "/atgarder", "/arenden/" + itoa(f.myCase.ID) + "/atgarder?del=1"} {
			resp := f.get(anna, path)
			body, _ := io.ReadAll(resp.Body)
			s := string(body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(s, "Bytt avloppspump") || !strings.Contains(s, "890,00") {
				t.Errorf("%s: %d, lacks the visible action or cost", path, resp.StatusCode)
			}
			if strings.Contains(s, "Intern") {
				t.Errorf("%s shows an internal action or cost", path)
			}
		}
		frag := f.get(anna, "/arenden/"+itoa(f.myCase.ID)+"/atgarder?del=1")
		body, _ := io.ReadAll(frag.Body)
		if strings.Contains(string(body), "<html") || !strings.Contains(string(body), `data-testid="case-work"`) {
			t.Error("the inline fragment is not a bare fragment")
		}
		// Staff see the internal ones on their own case view.
		resp := f.get(f.login(f.disp.Email), "/order/arenden/"+itoa(f.myCase.ID))
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), "Intern anteckning") {
			t.Error("staff case view hides internal actions")
		}
	})
}

func TestAssetPageHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addWork(f.myCase)
		old := repair.Case{CustomerID: f.mine.ID, AssetID: f.myAsset.ID, Type: repair.PortalCaseType, Title: "Gammalt fel",
			RegisteredAt: time.Now().AddDate(-2, 0, 0)}
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateCase(ctx, &old) })
		f.addWork(old)
		d := doc(t, f.get(f.login(f.anna.Email), "/objekt/"+itoa(f.myAsset.ID)))
		if got := d.Find("[data-testid=faults-12m]").Text(); got != "1" {
			t.Errorf("faults in 12 months = %q, want 1 (the two-year-old case does not count)", got)
		}
		if got := d.Find("[data-testid=total-cost]").Text(); got != "1\u00a0780,00\u00a0kr" {
			t.Errorf("total cost = %q, want 1 780,00 kr (visible costs of both cases)", got)
		}
		if n := d.Find("[data-testid=cost-per-year] tbody tr").Length(); n != 2 {
			t.Errorf("cost per year has %d rows, want 2", n)
		}
		cases := d.Find("[data-testid=asset-cases] tbody tr")
		if cases.Length() != 2 || !strings.Contains(cases.First().Text(), f.myCase.Number) {
			t.Errorf("case history = %q, want 2 cases, newest first", cases.Text())
		}
		if n := d.Find("[data-testid=asset-actions] tbody tr").Length(); n != 2 {
			t.Errorf("actions = %d, want the 2 visible ones", n)
		}
		// The Objekt list is searchable and scoped.
		list := doc(t, f.get(f.login(f.anna.Email), "/objekt?q="+url.QueryEscape(f.myAsset.Number)))
		if !strings.Contains(list.Find("[data-testid=asset-list]").Text(), f.myAsset.Number) {
			t.Error("Objekt list lacks the machine")
		}
		list = doc(t, f.get(f.login(f.anna.Email), "/objekt?q="+url.QueryEscape(f.theirAsset.Number)))
		if list.Find("[data-testid=asset-list]").Length() != 0 {
			t.Error("Objekt list shows another customer's machine")
		}
	})
}

// TestAssetPagePaged: a machine with 60 cases shows the figures over all
// of them, the 25 newest with their actions, and a Visa äldre link to the
// next 25, and so on to the end; a cursor that is not one answers 404.
func TestAssetPagePaged(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := storetest.Asset(t, f.db, f.mine.ID)
		cases := storetest.History(t, f.db, f.mine.ID, a.ID, f.tech.ID, 60)
		anna := f.login(f.anna.Email)
		path := "/objekt/" + itoa(a.ID)
		d := doc(t, f.get(anna, path))

		// 100 kr + i kr visible on case i; the internal 50 kr are not counted.
		if got, want := d.Find("[data-testid=total-cost]").Text(), "7\u00a0770,00\u00a0kr"; got != want {
			t.Errorf("total cost = %q, want %q", got, want)
		}
		// The 12 months run from the start of the date a year ago.
		faults := 0
		for _, c := range cases {
			if c.RegisteredAt.After(repair.Midnight(time.Now()).AddDate(-1, 0, 0)) && c.Status != repair.StatusCancelled {
				faults++
			}
		}
		if got := d.Find("[data-testid=faults-12m]").Text(); got != itoa(int64(faults)) {
			t.Errorf("faults in 12 months = %q, want %d", got, faults)
		}
		if n := d.Find("[data-testid=cost-per-year] tbody tr").Length(); n < 5 {
			t.Errorf("cost per year has %d rows, want one for each of the five or six years", n)
		}

		var seen []string
		for page := 1; ; page++ {
			rows := d.Find("[data-testid=asset-cases] tbody tr")
			if want := min(25, 60-len(seen)); rows.Length() != want {
				t.Fatalf("page %d lists %d cases, want %d", page, rows.Length(), want)
			}
			rows.Each(func(_ int, r *goquery.Selection) { seen = append(seen, r.Find("td a").First().Text()) })
			if n := d.Find("[data-testid=asset-actions] tbody tr").Length(); n != rows.Length() {
				t.Errorf("page %d lists %d actions, want the %d visible ones of its cases", page, n, rows.Length())
			}
			if strings.Contains(d.Find("[data-testid=asset-actions]").Text(), "Intern") {
				t.Errorf("page %d shows an internal action", page)
			}
			if page > 1 && d.Find("[data-testid=newest-cases]").AttrOr("href", "") != path+"#arenden" {
				t.Errorf("page %d has no link back to the newest cases", page)
			}
			older := d.Find("[data-testid=older-cases]")
			if len(seen) == 60 {
				if older.Length() != 0 {
					t.Errorf("the last page has a Visa äldre link")
				}
				break
			}
			href, ok := older.Attr("href")
			if !ok || older.Text() != "Visa äldre" || !strings.HasPrefix(href, path+"?fore=") {
				t.Fatalf("page %d: Visa äldre = %q %q, want a link to %s?fore=", page, older.Text(), href, path)
			}
			d = doc(t, f.get(anna, href))
		}
		for i, c := range cases {
			if seen[i] != c.Number {
				t.Fatalf("case %d listed is %s, want %s: every case once, newest first", i, seen[i], c.Number)
			}
		}

		for _, bad := range []string{"garbage", "%00", strings.Repeat("A", 300), "bnVtbWVyfDIwMjYtMDAwMDF8NQ"} {
			if resp := f.get(anna, path+"?fore="+bad); resp.StatusCode != http.StatusNotFound {
				t.Errorf("cursor %q: status %d, want 404", bad, resp.StatusCode)
			}
		}
		// Another customer's cursor-bearing link is no way in.
		if resp := f.get(f.login(f.olle.Email), d.Find("[data-testid=newest-cases]").AttrOr("href", path)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another customer: status %d, want 404", resp.StatusCode)
		}
	})
}

func TestExport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// 120 cases, more than a page, one with a formula-like title.
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error {
			for i := 0; i < 120; i++ {
				c := repair.Case{CustomerID: f.mine.ID, Type: repair.PortalCaseType, Title: "Skövde Kyl", Street: "Åsgatan 1", PostalCode: "541 30", City: "Skövde"}
				if i == 0 {
					c.Title = "=HYPERLINK(\"http://evil\")"
				}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
			}
			return nil
		})
		anna := f.login(f.anna.Email)
		resp := f.get(anna, "/sok-arende/export.csv?gata=%C3%A5sg")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
			t.Fatalf("CSV: %d, want 200 with a BOM", resp.StatusCode)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		r := csv.NewReader(bytes.NewReader(body[3:]))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 121 || recs[0][0] != "Ärende" {
			t.Errorf("CSV has %d records, want header + 120 (all pages)", len(recs))
		}
		for _, rec := range recs {
			if rec[0] == f.theirCase.Number || rec[0] == f.myCase.Number {
				t.Errorf("CSV holds %s, which the filter (or the customer) excludes", rec[0])
			}
			if strings.HasPrefix(rec[2], "=") {
				t.Errorf("formula not neutralised: %q", rec[2])
			}
		}
		resp = f.get(anna, "/sok-arende/export.xlsx")
		body, _ = io.ReadAll(resp.Body)
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("XLSX: %v", err)
		}
		rows, err := x.GetRows("Ärenden")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 122 { // header + 120 + the fixture's own case
			t.Errorf("XLSX has %d rows, want 122", len(rows))
		}
		for _, row := range rows {
			if row[0] == f.theirCase.Number {
				t.Error("XLSX holds another customer's case")
			}
		}
		// Bad filters send the person to the search page, which explains.
		if resp := f.get(anna, "/sok-arende/export.csv?status=nope"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("export with a bad filter = %d, want a redirect to the search page", resp.StatusCode)
		}
	})
}

// TestExportAssetsPages: the Objekt export reads the machines a page at
// a time; across the pages every machine of the customer matching the
// search comes once, in number order, and none of another customer's.
func TestExportAssetsPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n := 2*exportPage + 7
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error {
			for i := range n {
				for _, k := range []repair.Customer{f.mine, f.theirs} {
					kind := "Tvättmaskin"
					if i%2 == 1 {
						kind = "Torktumlare"
					}
					a := repair.Asset{CustomerID: k.ID, Number: fmt.Sprintf("E%d-%05d", k.ID, n-i), Kind: kind, Street: "Åsgatan 1"}
					if err := tx.CreateAsset(ctx, &a); err != nil {
						return err
					}
				}
			}
			return nil
		})
		anna := f.login(f.anna.Email)
		for _, tc := range []struct {
			q    string
			want int
		}{{"", n + 1}, {"torktum åsg", n / 2}} {
			resp := f.get(anna, "/objekt/export.csv?q="+url.QueryEscape(tc.q))
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("q=%q: %d", tc.q, resp.StatusCode)
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
			r.Comma = ';'
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, rec := range recs[1:] {
				numbers = append(numbers, rec[0])
				if rec[0] == f.theirAsset.Number || strings.HasPrefix(rec[0], fmt.Sprintf("E%d-", f.theirs.ID)) {
					t.Errorf("q=%q: the export holds another customer's machine %s", tc.q, rec[0])
				}
			}
			if len(numbers) != tc.want || !slices.IsSorted(numbers) || len(slices.Compact(slices.Clone(numbers))) != len(numbers) {
				t.Errorf("q=%q: %d machines (sorted %v), want %d, each once, by number", tc.q, len(numbers), slices.IsSorted(numbers), tc.want)
			}
		}
	})
}

// TestSearchStreetList: a Gata prefix offers the customer's streets it
// starts, without apartments, as the field's list; more than fit say so.
func TestSearchStreetList(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			for i := range 25 {
				for _, k := range []repair.Customer{f.mine, f.theirs} {
					c := repair.Case{CustomerID: k.ID, Type: repair.PortalCaseType, Title: "Skövde fel",
						Street: fmt.Sprintf("Vasagatan %d, lgh 1%03d", i+1, i)}
					if err := tx.CreateCase(ctx, &c); err != nil {
						return err
					}
				}
			}
			return nil
		})
		anna := f.login(f.anna.Email)
		page := doc(t, f.get(anna, "/sok-arende?gata=vasagatan+1"))
		var got []string
		page.Find("[data-testid=street-list] option").Each(func(_ int, o *goquery.Selection) { got = append(got, o.AttrOr("value", "")) })
		want := []string{"Vasagatan 1"}
		for i := 10; i <= 19; i++ {
			want = append(want, fmt.Sprintf("Vasagatan %d", i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("the street list for vasagatan 1: %q, want %q", got, want)
		}
		if list, _ := page.Find("#gata").Attr("list"); list != "gata-list" {
			t.Errorf("the Gata field is not tied to its list (list=%q)", list)
		}
		if n := page.Find("[data-testid=case-row]").Length(); n != 11 {
			t.Errorf("vasagatan 1 lists %d cases, want the 11 of its streets", n)
		}
		if doc(t, f.get(anna, "/sok-arende?gata=vasa")).Find("[data-testid=many-streets]").Length() != 1 {
			t.Error("25 streets for vasa do not say that more start so than are listed")
		}
	})
}

// TestSearchFormFollowsFiltersAndLists: the portal's filter form is kept
// rendered (formcache.go), so it must still show each search's own
// filters, a Fakturamärkning the customer has just used, and never
// another customer's references.
func TestSearchFormFollowsFiltersAndLists(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		anna, olle := f.login(f.anna.Email), f.login(f.olle.Email)
		checked := func(c *http.Client, path string) []string {
			t.Helper()
			var ids []string
			doc(t, f.get(c, path)).Find(".statuses input[checked]").Each(func(_ int, s *goquery.Selection) {
				ids = append(ids, s.AttrOr("id", ""))
			})
			return ids
		}
		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/sok-arende?status=completed", []string{"status-completed"}},
			{"/sok-arende", nil},
			{"/sok-arende?status=completed", []string{"status-completed"}},
			{"/sok-arende?status=completed&status=invoiced", []string{"status-completed", "status-invoiced"}},
			{"/sok-arende", nil},
		} {
			if got := checked(anna, tc.path); !slices.Equal(got, tc.want) {
				t.Errorf("%s: ticked %q, want %q", tc.path, got, tc.want)
			}
		}
		if v := doc(t, f.get(anna, "/sok-arende?gata=storg")).Find("#gata").AttrOr("value", ""); v != "storg" {
			t.Errorf("Gata after other searches = %q, want storg", v)
		}
		references := func(c *http.Client) []string {
			t.Helper()
			var vs []string
			doc(t, f.get(c, "/sok-arende")).Find("#reference-options option").Each(func(_ int, s *goquery.Selection) {
				vs = append(vs, s.AttrOr("value", ""))
			})
			return vs
		}
		before := references(anna)
		storetest.Write(t, f.db, func(ctx context.Context, tx *store.Tx) error {
			return tx.RememberInvoiceReference(ctx, f.mine.ID, "KST <9911>")
		})
		if got := references(anna); !slices.Contains(got, "KST <9911>") || len(got) != len(before)+1 {
			t.Errorf("references after one was used: %q, want %q and the new one", got, before)
		}
		if got := references(olle); slices.Contains(got, "KST <9911>") {
			t.Errorf("the other customer is offered %q", got)
		}
	})
}
