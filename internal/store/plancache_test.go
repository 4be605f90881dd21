package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestPostgresPlansOnce: on PostgreSQL the store's statements are planned
// once per connection, not again for each call's values (a Sök ärende page
// from a date, eight times, from one generic plan); a statement whose plan
// follows its value (a Fritext word) is not prepared but sent with the
// word in its text, quoted, and finds what it should.
func TestPostgresPlansOnce(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	k := storetest.Customer(t, db, "Planbolaget")
	a := storetest.Asset(t, db, k.ID)
	want := storetest.Case(t, db, k.ID, a.ID, "Läcker vatten hos O'Brien")
	storetest.Case(t, db, k.ID, a.ID, "Trasig lucka")
	store.OneConnection(db)
	scope := repair.CustomerScope(k.ID)
	for i := range 8 {
		res, err := db.SearchCases(ctx, scope, repair.CaseFilter{From: time.Now().AddDate(0, 0, -1-i)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Cases) != 2 {
			t.Fatalf("search from a day: %d cases, want 2", len(res.Cases))
		}
	}
	for _, word := range []string{"o'brien", "O'BRIEN"} {
		res, err := db.SearchCases(ctx, scope, repair.CaseFilter{Text: word})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Cases) != 1 || res.Cases[0].ID != want.ID {
			t.Fatalf("Fritext %q: %+v, want case %d only", word, res.Cases, want.ID)
		}
	}
	prepared, err := store.QueryRows(ctx, db, `SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements
		WHERE statement NOT LIKE '%pg_prepared_statements%'`)
	if err != nil {
		t.Fatal(err)
	}
	var page bool
	for _, p := range prepared {
		f := strings.SplitN(p, " | ", 3)
		if f[1] != "0" {
			t.Errorf("planned for its values %s times: %s", f[1], f[2])
		}
		if strings.Contains(f[2], "search_text LIKE") {
			t.Errorf("a Fritext statement prepared: %s", f[2])
		}
		if strings.Contains(f[2], "c.registered_at >= $") && strings.Contains(f[2], "ORDER BY c.registered_at DESC") && f[0] == "8" {
			page = true
		}
	}
	if !page {
		t.Errorf("no prepared statement ran the page from a date 8 times from its generic plan:\n%s", strings.Join(prepared, "\n"))
	}
}

// TestPostgresHotPlans: every statement of the pages a person uses often
// is served by an index on PostgreSQL in the plan it runs with.
func TestPostgresHotPlans(t *testing.T) {
	store.CheckGenericPlans(t, storetest.OpenPostgres(t))
}
