package store_test

import (
	"context"
	"strconv"
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
// follows its value (a Fritext word of few cases) is planned for each
// word, on connections of its own, and finds what it should; a common
// word's page, read in order, is planned once.
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
	// A word of many cases read in order within a budget: the words
	// filter the derived table's rows, a plan that holds for any word.
	restore := store.SetTextIndexMax(0)
	for range 8 {
		res, err := db.SearchCases(ctx, scope, repair.CaseFilter{Text: "lucka"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Cases) != 1 || res.Cases[0].Title != "Trasig lucka" {
			t.Fatalf("Fritext lucka, read in order: %+v, want the case Trasig lucka", res.Cases)
		}
	}
	restore()
	reads, byValue, err := store.PreparedStatements(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var page, inOrder bool
	for _, p := range reads {
		f := strings.SplitN(p, " | ", 3)
		if f[1] != "0" {
			t.Errorf("planned for its values %s times: %s", f[1], f[2])
		}
		budgeted := strings.Contains(f[2], "SELECT c.*")
		if strings.Contains(f[2], "search_text LIKE") && !budgeted {
			t.Errorf("a Fritext statement prepared among the generic ones: %s", f[2])
		}
		if budgeted && strings.Contains(f[2], "search_text LIKE") && f[0] == "8" {
			inOrder = true
		}
		if strings.Contains(f[2], "c.registered_at >= $") && strings.Contains(f[2], "ORDER BY c.registered_at DESC") && f[0] == "8" {
			page = true
		}
	}
	if !page {
		t.Errorf("no prepared statement ran the page from a date 8 times from its generic plan:\n%s", strings.Join(reads, "\n"))
	}
	if !inOrder {
		t.Errorf("no prepared statement read a common word's page in order 8 times from its generic plan:\n%s", strings.Join(reads, "\n"))
	}
	var text bool
	for _, p := range byValue {
		f := strings.SplitN(p, " | ", 3)
		if custom, _ := strconv.Atoi(f[1]); strings.Contains(f[2], "search_text LIKE") && custom >= 2 {
			text = true
		}
	}
	if !text {
		t.Errorf("no Fritext statement planned for each of its two words:\n%s", strings.Join(byValue, "\n"))
	}
}

// TestPostgresHotPlans: every statement of the pages a person uses often
// is served by an index on PostgreSQL in the plan it runs with.
func TestPostgresHotPlans(t *testing.T) {
	store.CheckGenericPlans(t, storetest.OpenPostgres(t))
}

// TestPostgresPlannerSettings: the store's connections plan once and
// price random reads as on SSDs, the reads planned for their values keep
// the database's own mode, and a URL that sets either keeps its own.
func TestPostgresPlannerSettings(t *testing.T) {
	ctx := context.Background()
	show := func(db *store.DB) string {
		t.Helper()
		r, err := store.QueryRows(ctx, db, `SELECT current_setting('plan_cache_mode') || ' ' || current_setting('random_page_cost')`)
		if err != nil {
			t.Fatal(err)
		}
		return r[0]
	}
	db := storetest.OpenPostgres(t)
	if got := show(db); got != "force_generic_plan 1.1" {
		t.Errorf("store's connections: %q, want force_generic_plan 1.1", got)
	}
	if got := store.ValueReadsSetting(ctx, t, db, "plan_cache_mode"); got != "auto" {
		t.Errorf("the reads planned for their values: plan_cache_mode %q, want auto", got)
	}
	own, err := store.OpenPostgres(ctx, storetest.PostgresURL(t)+"&plan_cache_mode=force_custom_plan&random_page_cost=2")
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if got := show(own); got != "force_custom_plan 2" {
		t.Errorf("a URL's own settings: %q, want force_custom_plan 2", got)
	}
}
