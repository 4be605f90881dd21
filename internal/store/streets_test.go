package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestGataMatchesStreetsWithoutApartments: a Gata prefix finds every
// apartment of the streets it starts, newest first across streets and
// pages, counted exactly; a prefix naming more streets than are merged
// gives the same answer by range; a quoted address is the one apartment;
// another customer's streets never show; the pick-list names the streets
// without apartments; the migration's fill gives what a new case gets.
func TestGataMatchesStreetsWithoutApartments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine, theirs := storetest.Customer(t, db, "Mine"), storetest.Customer(t, db, "Theirs")
		day0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		streets := []string{"Vasagatan 21, lgh 1102", "Vasagatan 21 lgh 1103", "Vasagatan 210", "Vasagatan 3", "Storgatan 1", "VASAGATAN 21"}
		// Thirty more streets beginning "Ekvägen", to pass the merge's limit.
		for i := range 30 {
			streets = append(streets, fmt.Sprintf("Ekvägen %d, lgh %d", i+1, 1000+i))
		}
		var cases []repair.Case // mine, oldest first
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range 3 * len(streets) {
				c := repair.Case{CustomerID: mine.ID, Type: repair.PortalCaseType, Title: fmt.Sprintf("Skövde fel %d", i),
					Street: streets[i%len(streets)], RegisteredAt: day0.Add(time.Duration(i) * time.Hour)}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
				cases = append(cases, c)
				o := c
				o.ID, o.CustomerID = 0, theirs.ID
				if err := tx.CreateCase(ctx, &o); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := func(keep func(street string) bool) []string {
			var out []string
			for i := len(cases) - 1; i >= 0; i-- {
				if keep(cases[i].Street) {
					out = append(out, cases[i].Number)
				}
			}
			return out
		}
		scope := repair.CustomerScope(mine.ID)
		// walk reads every page of the search, 7 cases a page.
		walk := func(f repair.CaseFilter) ([]string, int) {
			f.Limit = 7
			var got []string
			total := -1
			for {
				res, err := db.SearchCases(ctx, scope, f)
				if err != nil {
					t.Fatal(err)
				}
				if total < 0 {
					total = res.Total
				}
				for _, c := range res.Cases {
					if c.CustomerID != mine.ID {
						t.Fatalf("another customer's case %s", c.Number)
					}
					got = append(got, c.Number)
				}
				if res.Next == "" {
					return got, total
				}
				f.Cursor = res.Next
			}
		}
		vasa21 := func(s string) bool {
			return slices.Contains([]string{"Vasagatan 21, lgh 1102", "Vasagatan 21 lgh 1103", "Vasagatan 210", "VASAGATAN 21"}, s)
		}
		for _, tt := range []struct {
			name string
			f    repair.CaseFilter
			keep func(string) bool
		}{
			{"a house and its apartments, and 210 by prefix", repair.CaseFilter{Street: "vasagatan 21"}, vasa21},
			{"the prefix of three streets", repair.CaseFilter{Street: "Vasa"}, func(s string) bool { return vasa21(s) || s == "Vasagatan 3" }},
			{"an apartment typed is the house", repair.CaseFilter{Street: "Vasagatan 21, lgh 9999"}, vasa21},
			{"the prefix of thirty streets, by range", repair.CaseFilter{Street: "Ekv"}, func(s string) bool { return strings.HasPrefix(s, "Ekvägen") }},
			{"the prefix with two statuses", repair.CaseFilter{Street: "Vasa", Statuses: []repair.Status{repair.StatusRegistered, repair.StatusReceived}},
				func(s string) bool { return vasa21(s) || s == "Vasagatan 3" }},
			{"quoted: the one apartment", repair.CaseFilter{Street: "Vasagatan 21, lgh 1102", StreetExact: true}, func(s string) bool { return s == "Vasagatan 21, lgh 1102" }},
			{"no such street", repair.CaseFilter{Street: "Okändgatan"}, func(string) bool { return false }},
		} {
			got, total := walk(tt.f)
			if w := want(tt.keep); !slices.Equal(got, w) || total != len(w) {
				t.Errorf("%s: %d cases (total %d) %v, want %d %v", tt.name, len(got), total, got, len(w), w)
			}
		}

		names, err := db.Streets(ctx, scope, repair.CaseFilter{Street: "vasa"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names, []string{"Vasagatan 21", "Vasagatan 210", "Vasagatan 3"}) &&
			!slices.Equal(names, []string{"VASAGATAN 21", "Vasagatan 210", "Vasagatan 3"}) {
			t.Errorf("the pick-list for vasa: %q", names)
		}
		if names, _ := db.Streets(ctx, scope, repair.CaseFilter{Street: "Vasagatan 21", StreetExact: true}, 10); len(names) != 0 {
			t.Errorf("a quoted address is offered streets %q", names)
		}
		if names, _ := db.Streets(ctx, repair.CustomerScope(theirs.ID+1000), repair.CaseFilter{Street: "vasa"}, 10); len(names) != 0 {
			t.Errorf("a customer without these streets is offered %q", names)
		}
	})
}
