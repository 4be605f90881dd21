package store

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// TestSearchPlansUseIndexes asks SQLite how it would run each filter the
// Sök ärende page offers, on an empty schema with statistics that say
// "a million cases": every plan must search an index (no full scan of
// cases) and none may sort the result in a temporary tree, except where
// noted, so a page costs the same at any size.
func TestSearchPlansUseIndexes(t *testing.T) {
	db := largePlanDB(t)
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		f         repair.CaseFilter
		allowSort bool     // a bounded set of rows may be sorted
		streets   []string // what a Gata prefix was resolved into
	}{
		{"all", repair.CaseFilter{}, false, nil},
		{"Fakturamärkning", repair.CaseFilter{InvoiceReference: "KST 4410"}, false, nil},
		{"Objekt", repair.CaseFilter{AssetNumber: "100001"}, false, nil},
		{"Gata, a prefix matching too many streets", repair.CaseFilter{Street: "Å"}, true, nil},
		{"Gata, one street", repair.CaseFilter{Street: "Åsgatan 12"}, false, []string{"åsgatan 12"}},
		{"Gata, three streets", repair.CaseFilter{Street: "Åsgatan 1"}, true, []string{"åsgatan 1", "åsgatan 12", "åsgatan 14"}},
		{"Gata and two statuses", repair.CaseFilter{Street: "Åsgatan 1", Statuses: []repair.Status{repair.StatusCompleted, repair.StatusInvoiced}},
			true, []string{"åsgatan 1", "åsgatan 12"}},
		{"Gata, the whole address", repair.CaseFilter{Street: "Åsgatan 12, lgh 1101", StreetExact: true}, false, nil},
		{"status", repair.CaseFilter{Statuses: []repair.Status{repair.StatusCompleted}}, false, nil},
		{"two statuses", repair.CaseFilter{Statuses: []repair.Status{repair.StatusCompleted, repair.StatusInvoiced}}, true, nil},
		{"two statuses, next page", repair.CaseFilter{Statuses: []repair.Status{repair.StatusCompleted, repair.StatusInvoiced},
			Cursor: encodeCursor(repair.SortRegistered, repair.Case{ID: 5, RegisteredAt: day})}, true, nil},
		{"dates", repair.CaseFilter{From: day, To: day.AddDate(0, 1, 0)}, false, nil},
		{"text", repair.CaseFilter{Text: "diskmaskin"}, false, nil},
		{"by number", repair.CaseFilter{Sort: repair.SortNumber}, false, nil},
		{"next page", repair.CaseFilter{Cursor: encodeCursor(repair.SortRegistered, repair.Case{ID: 5, RegisteredAt: day})}, false, nil},
	}
	// The lists behind the Dashboard's bars: completed in a period, by
	// completion, with each drill-down's filter.
	done := func(f repair.CaseFilter) repair.CaseFilter {
		f.Sort, f.CompletedFrom, f.CompletedTo = repair.SortCompleted, day, day.AddDate(0, 1, 0)
		return f
	}
	for _, tt := range []struct {
		name string
		f    repair.CaseFilter
	}{
		{"completed in a month", done(repair.CaseFilter{})},
		{"completed, all time", repair.CaseFilter{Sort: repair.SortCompleted}},
		{"completed, Ort", done(repair.CaseFilter{City: "Skövde"})},
		{"completed, Ort and Gata", done(repair.CaseFilter{City: "Skövde", Street: "Storgatan 1", StreetExact: true})},
		{"completed, Objekttyp", done(repair.CaseFilter{Kind: "Kyl"})},
		{"completed, Objekttyp and Fabrikat", done(repair.CaseFilter{Kind: "Kyl", Brand: "Miele"})},
		{"completed, Fakturamärkning", done(repair.CaseFilter{InvoiceReference: "KST 4410"})},
		{"completed, repeat faults", done(repair.CaseFilter{Repeat: true})},
	} {
		tests = append(tests, struct {
			name      string
			f         repair.CaseFilter
			allowSort bool
			streets   []string
		}{tt.name, tt.f, false, nil})
	}
	for _, tt := range tests {
		plan := explainSearch(t, db, repair.CustomerScope(7), tt.f, tt.streets)
		if strings.Contains(plan, "SCAN c\n") || strings.Contains(plan, "SCAN c ") && !strings.Contains(plan, "INDEX") {
			t.Errorf("%s: full scan of cases:\n%s", tt.name, plan)
		}
		if !strings.Contains(plan, "USING INDEX") && !strings.Contains(plan, "USING COVERING INDEX") {
			t.Errorf("%s: no index used:\n%s", tt.name, plan)
		}
		if !tt.allowSort && strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: sorts instead of reading in index order:\n%s", tt.name, plan)
		}
		if n := unboundedSorts(plan); n > 1 {
			t.Errorf("%s: the parts of a merge sort (%d sorts) instead of reading in index order:\n%s", tt.name, n, plan)
		}
		t.Logf("%s:\n%s", tt.name, plan)
	}

	// Fritext through the text index: the trigram table finds the cases.
	q, args, err := pageQuery(repair.CustomerScope(7), repair.CaseFilter{Text: "zebrafink", Sort: repair.SortRegistered, Limit: 50}, resolved{textIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	if plan := explain(t, db, q, args...); !strings.Contains(plan, "cases_text VIRTUAL TABLE INDEX") {
		t.Errorf("Fritext by index does not ask the trigram index:\n%s", plan)
	} else {
		t.Logf("Fritext by index:\n%s", plan)
	}

	// A Gata prefix is resolved into streets by one index seek each.
	plan := explain(t, db, streetSkip, 7, "ås", "ås\U0010FFFF", 7, "ås\U0010FFFF", 20)
	if strings.Count(plan, "SEARCH c USING COVERING INDEX cases_customer_street_name") != 2 {
		t.Errorf("resolving a Gata prefix does not seek the street index:\n%s", plan)
	}

	// The office's search over every customer.
	for _, tt := range []struct {
		name      string
		f         repair.CaseFilter
		allowSort bool // a bounded set of rows (a technician's, a day's) may be sorted
	}{
		{"staff: all", repair.CaseFilter{}, false},
		{"staff: status", repair.CaseFilter{Statuses: []repair.Status{repair.StatusRegistered}}, false},
		{"staff: received without work order", repair.CaseFilter{Statuses: []repair.Status{repair.StatusReceived}, NoWorkOrder: true}, false},
		{"staff: Kund", repair.CaseFilter{CustomerID: 7}, false},
		{"staff: older than", repair.CaseFilter{To: day}, false},
		{"staff: Tekniker", repair.CaseFilter{TechnicianID: 3}, true},
		{"staff: planned on a day", repair.CaseFilter{PlannedFrom: day, PlannedTo: day.AddDate(0, 0, 1)}, true},
	} {
		plan := explainSearch(t, db, repair.StaffScope(), tt.f, nil)
		if strings.Contains(plan, "SCAN c\n") || strings.Contains(plan, "SCAN c ") && !strings.Contains(plan, "INDEX") {
			t.Errorf("%s: full scan of cases:\n%s", tt.name, plan)
		}
		if strings.Contains(plan, "SCAN w") && !strings.Contains(plan, "SCAN w USING") {
			t.Errorf("%s: full scan of work orders:\n%s", tt.name, plan)
		}
		if !tt.allowSort && strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: sorts instead of reading in index order:\n%s", tt.name, plan)
		}
		t.Logf("%s:\n%s", tt.name, plan)
	}
}

// largePlanDB is an empty SQLite schema with statistics that say "a million
// cases", as ANALYZE would on a million cases of a few hundred customers,
// so that the planner chooses as it would at that size.
func largePlanDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	stats := map[string]string{
		"cases_customer_registered":  "1000000 3000 1 1",
		"cases_customer_status":      "1000000 3000 400 1 1",
		"cases_customer_ref":         "1000000 3000 100 1 1",
		"cases_customer_street":      "1000000 3000 30 1 1",
		"cases_customer_street_name": "1000000 3000 60 1 1",
		"cases_customer_number":      "1000000 3000 1",
		"cases_asset_registered":     "1000000 20 1 1",
		"cases_status_registered":    "1000000 125000 1 1",
		"cases_registered":           "1000000 1 1",
		"cases_done":                 "900000 3000 1 1",
		"cases_done_city":            "900000 3000 100 1 1",
		"cases_done_street":          "900000 3000 100 10 1 1",
		"cases_done_kind":            "900000 3000 600 1 1",
		"cases_done_brand":           "900000 3000 600 100 1 1",
		"cases_done_ref":             "900000 3000 100 1 1",
		"cases_done_asset":           "900000 20 1 1",
	}
	for idx, stat := range stats {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('cases', ?, ?)`, idx, stat); err != nil {
			t.Fatal(err)
		}
	}
	// A case has a work order or two, each a few actions and cost lines.
	for _, st := range []struct{ tbl, idx, stat string }{
		{"work_orders", "work_orders_case", "1200000 2"},
		{"work_orders", "work_orders_technician", "1200000 20000 10"},
		{"actions", "actions_work_order", "3000000 3 2"},
		{"cost_lines", "cost_lines_work_order", "3000000 3"},
	} {
		if _, err := db.write.ExecContext(ctx, `INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)`, st.tbl, st.idx, st.stat); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.write.ExecContext(ctx, `ANALYZE sqlite_schema`); err != nil {
		t.Fatal(err)
	}
	db.read.SetMaxIdleConns(0) // fresh connections read the new statistics
	return db
}

// explainSearch returns SQLite's plan for the page query of a search.
func explainSearch(t *testing.T, db *DB, scope repair.Scope, f repair.CaseFilter, streets []string) string {
	t.Helper()
	if f.Sort == "" {
		f.Sort = repair.SortRegistered
	}
	f.Limit = 50
	q, args, err := pageQuery(scope, f, resolved{streets: streets})
	if err != nil {
		t.Fatal(err)
	}
	return explain(t, db, q, args...)
}

// unboundedSorts counts the sorts in plan other than those of a merge's
// parts: a part (s0, s1, ...) is one page of its index, at most a page's
// rows, which SQLite sorts again to merge the parts.
func unboundedSorts(plan string) int {
	n := 0
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		if l != "USE TEMP B-TREE FOR ORDER BY" {
			continue
		}
		if i > 0 && regexp.MustCompile(`^SCAN s[0-9]+$`).MatchString(lines[i-1]) {
			continue
		}
		n++
	}
	return n
}

// explain returns SQLite's plan for q, one step a line.
func explain(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain: %v\n%s", err, q)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestTechnicianScopePlans: a technician's scope on a case, a file or a
// machine is checked from the record's own work orders (a few rows), never
// by walking the technician's whole history through its index.
func TestTechnicianScopePlans(t *testing.T) {
	db, err := OpenSQLite(context.Background(), t.TempDir()+"/plan.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	scope := repair.TechnicianScope(5)
	for name, q := range map[string]string{
		"case":    `SELECT c.id FROM cases c WHERE c.id = 1 AND ` + scopeCase(scope, "c"),
		"file":    `SELECT f.id FROM files f WHERE f.id = 1 AND ` + scopeFile(scope, "f"),
		"machine": `SELECT c.id FROM cases c JOIN assets a ON a.id = c.asset_id WHERE c.asset_id = 1 AND ` + scopeAsset(scope, "a") + ` ORDER BY c.registered_at DESC LIMIT 3`,
	} {
		plan := explain(t, db, q)
		if !strings.Contains(plan, "work_orders_case") || strings.Contains(plan, "work_orders_technician") {
			t.Errorf("%s: plan\n%s\nwant the work orders found by case, not by technician", name, plan)
		}
	}
}

// TestPlainAccessPlan: the start-up's search for door codes still stored
// readable reads only the partial index of such cases, not every case.
func TestPlainAccessPlan(t *testing.T) {
	db, err := OpenSQLite(context.Background(), t.TempDir()+"/plan.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	plan := explain(t, db, plainAccess, "%x", 500)
	if !strings.Contains(plan, "cases_access_plain") {
		t.Errorf("plan\n%s\nwant the partial index cases_access_plain", plan)
	}
}

// TestDashboardAssetPlan: the Objekt level under a street or a make is
// summed from a covering index, one entry per case and no table reads.
func TestDashboardAssetPlan(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	year, _ := repair.ParsePeriod("2026")
	for _, tt := range []struct {
		q     repair.DashboardQuery
		index string
	}{
		{repair.DashboardQuery{Grouping: repair.GroupPlace, Period: year, City: "Skövde", Street: "Storgatan 1"}, "cases_done_street"},
		{repair.DashboardQuery{Grouping: repair.GroupMachine, Period: year, Kind: "Kyl", Brand: "Miele"}, "cases_done_brand"},
	} {
		where, args := dashboardWhere(7, tt.q)
		plan := explain(t, db, assetSums(where), args...)
		if !strings.Contains(plan, "USING COVERING INDEX "+tt.index) {
			t.Errorf("%s: not summed from the covering index %s:\n%s", tt.q.Level(), tt.index, plan)
		}
	}
}

// TestAssetPagePlans: a machine's page reads its history a page at a time
// in the order of cases_asset_registered, and its figures, costs and
// actions through indexes, at a million cases.
func TestAssetPagePlans(t *testing.T) {
	CheckAssetPagePlans(t, largePlanDB(t))
}

// TestShowMailReadsTheDueOnes: the mails shown on the Utskick page are
// found through outbox_due, which holds only those waiting, not the
// outbox's whole history.
func TestShowMailReadsTheDueOnes(t *testing.T) {
	plan := explain(t, largePlanDB(t), showMail(sqliteDialect, 50), time.Now(), "utskick", time.Now(), time.Now())
	if rest := strings.Replace(plan, "SCAN outbox USING INDEX outbox_due", "", 1); !strings.Contains(plan, "outbox_due") ||
		strings.Contains(rest, "SCAN ") || strings.Contains(rest, "TEMP B-TREE") {
		t.Errorf("the mails to show, not through outbox_due alone:\n%s", plan)
	}
}

// TestStartReadsNoHistory: what SQLite runs at every start reads only
// what it must, never a whole table that grows with the years (the
// outbox holds every mail ever sent).
func TestStartReadsNoHistory(t *testing.T) {
	db := largePlanDB(t)
	for name, q := range map[string]string{
		"release mail claims": releaseClaims,
		"unindexed cases":     unindexedCases,
	} {
		plan := explain(t, db, q)
		// text_index_state is one row; outbox_due holds only the mails
		// waiting to be sent, which the worker keeps few.
		rest := strings.NewReplacer("SCAN text_index_state", "", "SCAN outbox USING INDEX outbox_due", "").Replace(plan)
		if strings.Contains(rest, "SCAN ") {
			t.Errorf("%s reads a whole table:\n%s", name, plan)
		}
	}
}
