package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// TestEveryHotQueryUsesIndexes runs the reads of every page a person
// uses often (Sök ärende with each kind of filter, the case page, the
// machine page, the Dashboard's levels, the Fakturaspecifikation, the
// office's queues and the technician's day) against a schema whose
// statistics say "a million cases", records every statement they send,
// and checks SQLite's plan of each: no table of cases or their work read
// from end to end, no sort of rows that an index could have given in
// order. A query added to a page is checked without being listed here;
// a plan that regresses fails the test. A plan check, not a timing.
func TestEveryHotQueryUsesIndexes(t *testing.T) {
	db := largePlanDB(t)
	queries := hotReads(t, db)

	// A line of a plan that reads a whole table: "SCAN c" or "SCAN c
	// USING INDEX ..." (every entry of an index). Scans of a subquery, a
	// CTE, a list of values or the text index are not tables.
	scan := regexp.MustCompile(`^SCAN (\w+)( USING (COVERING )?INDEX \w+)?$`)
	// The rows of a subquery a plan computes first, which it may then
	// read whole: they are already few.
	rowsOf := regexp.MustCompile(`(?m)^(CO-ROUTINE|MATERIALIZE) (\w+)$`)
	if len(queries) < 60 {
		t.Fatalf("only %d queries traced", len(queries))
	}
	var plans strings.Builder
	budgeted, newest, pages := false, false, 0
	for _, s := range queries {
		plan := explain(t, db, s.q, s.args...)
		plans.WriteString(plan)
		derived := map[string]bool{}
		for _, m := range rowsOf.FindAllStringSubmatch(plan, -1) {
			derived[m[2]] = true
		}
		for line := range strings.SplitSeq(strings.TrimSpace(plan), "\n") {
			line = strings.TrimSpace(line)
			m := scan.FindStringSubmatch(line)
			if m == nil || smallTable[m[1]] || derived[m[1]] {
				continue
			}
			// Every entry of an index, in its order, up to a LIMIT: the
			// newest cases of all customers, a page at a time.
			if m[2] != "" && strings.Contains(s.q, "LIMIT") && !strings.Contains(plan, "TEMP B-TREE") {
				continue
			}
			// The index of the mails waiting to be sent holds those
			// alone, which the worker keeps few.
			if strings.HasSuffix(line, "USING INDEX outbox_due") {
				continue
			}
			// The outbox in its own (rowid) order, newest first, a page at
			// a time: the Utskick page, all or the sent ones.
			if m[2] == "" && m[1] == "m" && strings.Contains(s.q, "ORDER BY m.id DESC") && strings.Contains(s.q, "LIMIT") &&
				!strings.Contains(plan, "TEMP B-TREE") {
				continue
			}
			{
				t.Errorf("reads all of %s:\n%s\n%s", m[1], plan, s.q)
			}
		}
		// The budgeted read of a common Fritext word reads its first
		// cases in order as they come, stopping with the page, and
		// sorts only that page.
		if strings.Contains(s.q, "SELECT c.id, c.search_text") {
			budgeted = true
			if !regexp.MustCompile(`(?s)^SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)\s+LIST SUBQUERY \d+\s+CO-ROUTINE c\s+SEARCH c USING INDEX cases_customer_registered \(customer_id=\?\)\s+SCAN c\s+SEARCH a USING INTEGER PRIMARY KEY \(rowid=\?\)( LEFT-JOIN)?\s+USE TEMP B-TREE FOR ORDER BY\s*$`).MatchString(strings.TrimSpace(plan)) {
				t.Errorf("the budgeted Fritext read is not bounded:\n%s", plan)
			}
		}
		// The newest matches of a common word come from the text index
		// in its own order, newest id first, each case looked up: no
		// sort, and the index's rowid range bounds the read.
		if strings.Contains(s.q, "CROSS JOIN cases c ON c.id = t.rowid") {
			newest = true
			if !regexp.MustCompile(`(?s)^SCAN t VIRTUAL TABLE INDEX \d+:M\d+\S*\s+SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)\s+SEARCH a USING INTEGER PRIMARY KEY \(rowid=\?\)( LEFT-JOIN)?\s*$`).MatchString(strings.TrimSpace(plan)) {
				t.Errorf("the newest matches of a common word are not read in the index's order:\n%s", plan)
			}
		}
		// A page of one Fakturamärkning's work finds its cases in the
		// order of the index of completed cases by Fakturamärkning, a
		// page and one more, and sorts only those; their lines follow by
		// id.
		if workCases.MatchString(s.q) {
			pages++
			if !regexp.MustCompile(`(?s)^SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)\s+LIST SUBQUERY \d+\s+SEARCH c USING COVERING INDEX cases_(done|upcoming)_ref \(customer_id=\? AND ref_key=\? AND [^\n]*\)\n`).MatchString(strings.TrimSpace(plan)) ||
				strings.Count(plan, "TEMP B-TREE") != 1 || !strings.HasSuffix(strings.TrimSpace(plan), "USE TEMP B-TREE FOR ORDER BY") {
				t.Errorf("a page of a Fakturamärkning's work does not read its cases in the index's order:\n%s", plan)
			}
		}
		// A LIMIT passed as a parameter keeps PostgreSQL planning the
		// statement afresh on every run (limitRows). The one allowed is
		// the budget of a common Fritext word's read in order, which
		// follows its count, on SQLite alone.
		if strings.Contains(s.q, "LIMIT ?") && !strings.Contains(s.q, "SELECT c.id, c.search_text") {
			t.Errorf("a LIMIT passed as a parameter (use limitRows):\n%s", s.q)
		}
		if strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") && !sortsFew(s.q) {
			t.Errorf("sorts what an index could give in order:\n%s\n%s", plan, s.q)
		}
	}
	if !budgeted {
		t.Error("no budgeted read of a common Fritext word")
	}
	if !newest {
		t.Error("no read of a common Fritext word's newest matches through the index")
	}
	if pages != 9 {
		t.Errorf("%d pages of a Fakturamärkning's work traced, want 9", pages)
	}
	// The pages above went the ways they are meant to: Fritext through
	// the text index, Gata through its street index, the Dashboard from
	// its rollup, a period's work from the completed cases, a page of
	// Kommande from the cases done and not invoiced.
	for _, way := range []string{"cases_text VIRTUAL TABLE", "cases_customer_street_name", "SEARCH r USING PRIMARY KEY (customer_id=? AND dim=?", "cases_done ", "work_orders_case", "cases_upcoming_ref"} {
		if !strings.Contains(plans.String(), way) {
			t.Errorf("no plan uses %s", way)
		}
	}
}

// sent is a statement a store sent, with its arguments.
type sent struct {
	q    string
	args []any
}

// hotReads runs the reads of every page a person uses often on db, as
// TestEveryHotQueryUsesIndexes lists them, and gives every statement they
// sent.
func hotReads(t *testing.T, db *DB) []sent {
	t.Helper()
	ctx := context.Background()
	var queries []sent
	db.trace = func(q string, args []any) { queries = append(queries, sent{q, args}) }
	defer func() { db.trace = nil }()
	customer, staff, tech := repair.CustomerScope(7), repair.StaffScope(), repair.TechnicianScope(3)
	day := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	must := func(what string, err error) {
		t.Helper()
		if err != nil && !strings.Contains(err.Error(), "not found") {
			t.Fatalf("%s: %v", what, err)
		}
	}
	for _, f := range []repair.CaseFilter{
		{}, {Statuses: []repair.Status{repair.StatusCompleted}}, {Statuses: []repair.Status{repair.StatusRegistered, repair.StatusPlanned}},
		{InvoiceReference: "KST 4410"}, {AssetNumber: "100001"}, {Street: "Åsgatan"}, {From: day, To: day.AddDate(0, 1, 0)},
		{Text: "diskmaskin"}, {Text: "ab"}, {Sort: repair.SortNumber}, {City: "Skövde"}, {Kind: "Kyl", Brand: "Miele"},
		{CompletedFrom: day, CompletedTo: day.AddDate(0, 1, 0), Sort: repair.SortCompleted}, {Repeat: true, CompletedFrom: day, Sort: repair.SortCompleted},
	} {
		_, err := db.SearchCases(ctx, customer, f)
		must(fmt.Sprintf("search %+v", f), err)
		_, err = db.Streets(ctx, customer, f, 21)
		must("streets", err)
	}
	// A word with many matches: its newest through the text index in id
	// order; where the cases are not in registration order by id, read
	// in order, at most textScanBudget cases, then from the text index.
	textIndexMax = -1 // the schema is empty: every count is above it
	_, err := db.SearchCases(ctx, customer, repair.CaseFilter{Text: "diskmaskin"})
	must("search of a common word", err)
	if db.d.name == "sqlite" {
		must("cases out of order", db.Update(ctx, func(tx *Tx) error {
			return tx.exec(ctx, `UPDATE text_index_state SET ordered_from = 1000000000`)
		}))
		_, err = db.SearchCases(ctx, customer, repair.CaseFilter{Text: "diskmaskin"})
		must("search of a common word, cases out of order", err)
	}
	textIndexMax = 3000
	for _, f := range []repair.CaseFilter{
		{}, {Statuses: []repair.Status{repair.StatusRegistered}}, {Statuses: []repair.Status{repair.StatusReceived}, NoWorkOrder: true},
		{CustomerID: 7}, {CustomerNews: true}, {To: day},
	} {
		_, err := db.SearchCases(ctx, staff, f)
		must(fmt.Sprintf("staff search %+v", f), err)
	}
	_, err = db.InvoiceReferences(ctx, customer, 7, 50)
	must("references", err)
	for _, scope := range []repair.Scope{customer, staff, tech} {
		_, err = db.Case(ctx, scope, 1)
		must("case", err)
		_, err = db.StatusHistory(ctx, scope, 1)
		must("history", err)
		_, err = db.WorkOrders(ctx, scope, 1)
		must("work orders", err)
		_, err = db.Actions(ctx, scope, 1)
		must("actions", err)
		_, err = db.CostLines(ctx, scope, 1)
		must("costs", err)
		_, err = db.CaseFiles(ctx, scope, 1)
		must("files", err)
		_, err = db.Asset(ctx, scope, 5)
		must("machine", err)
		_, err = db.AssetFigures(ctx, scope, 5, day)
		must("machine figures", err)
	}
	year, _ := repair.ParsePeriod("2026")
	month, _ := repair.ParsePeriod("2026-03")
	for _, q := range []repair.DashboardQuery{
		{Grouping: repair.GroupTime, Period: year}, {Grouping: repair.GroupTime, Period: month},
		{Grouping: repair.GroupPlace, Period: year}, {Grouping: repair.GroupPlace, Period: year, City: "Skövde"},
		{Grouping: repair.GroupPlace, Period: year, City: "Skövde", Street: "Storgatan 1"},
		{Grouping: repair.GroupMachine, Period: year}, {Grouping: repair.GroupMachine, Period: year, Kind: "Kyl"},
		{Grouping: repair.GroupReference, Period: year},
	} {
		_, err = db.Dashboard(ctx, customer, q)
		must(fmt.Sprintf("dashboard %s", q.Level()), err)
	}
	for _, q := range []WorkQuery{
		{CustomerID: 7, From: day, To: day.AddDate(0, 1, 0)},
		{CustomerID: 7, Uninvoiced: true, Status: repair.StatusCompleted},
		{CustomerID: 7, From: day, To: day.AddDate(0, 1, 0), Uninvoiced: true},
	} {
		_, _, err = db.Work(ctx, customer, q)
		must("work of a period", err)
		_, err = db.WorkByReference(ctx, customer, q)
		must("work by reference", err)
		q.ByReference, q.Reference = true, "KST 4410"
		_, _, err = db.Work(ctx, customer, q)
		must("work of a reference", err)
		for _, p := range []CasePage{{Limit: 50}, {Limit: 50, After: 9}, {Limit: 50, Before: 9}} {
			_, _, err = db.WorkPage(ctx, customer, q, p)
			must(fmt.Sprintf("a page of a reference's work %+v", p), err)
		}
	}
	_, err = db.Invoices(ctx, customer, 7)
	must("invoices", err)
	for _, f := range []MailFilter{{}, {State: repair.MailWaiting}, {State: repair.MailFailed}, {State: repair.MailSent}, {CaseID: 1}, {Before: 1000}} {
		_, _, err = db.Mails(ctx, staff, f)
		must(fmt.Sprintf("mails %+v", f), err)
		_, _, err = db.Mails(ctx, customer, f)
		must(fmt.Sprintf("customer's mails %+v", f), err)
	}
	_, err = db.Mail(ctx, customer, 1)
	must("mail", err)
	_, err = db.OpenWorkOrders(ctx, staff, day, day.AddDate(0, 0, 7))
	must("planning", err)
	_, err = db.Agenda(ctx, tech, day.AddDate(0, 0, 7), day.AddDate(0, 0, -7))
	must("agenda", err)
	// What every save reads before its transaction: the session with
	// its user, and the new case's mail's recipients.
	_, _, err = db.SessionUser(ctx, "no such token")
	must("session", err)
	_, err = db.MailRecipientsAt(ctx, 1, 7, 1, repair.MailReceived)
	must("mail recipients", err)
	return queries
}

// workCases matches the read of a page of work's cases (workCases).
var workCases = regexp.MustCompile(`c\.contract_number, c\.completed_at\s+FROM cases c\s+LEFT JOIN assets a ON a\.id = c\.asset_id\s+WHERE c\.id IN \(`)

// smallTable names what a plan may read whole: tables of a few rows per
// customer or in all (and the names plans give derived rows).
var smallTable = map[string]bool{"customers": true, "text_index_state": true, "k": true, "contracts": true, "users": true, "u": true, "s": true, "v": true}

// sortsFew reports whether q sorts by design, rows there are few of or
// that no index can give in the order asked: one case's history, work
// orders, actions, costs and files; a page of ids already found (merged
// statuses or streets); a dashboard level's groups; a customer's
// invoices and its Fakturamärkning values; the cases with news from the
// customer (cleared as the office reads them); the mails waiting to be
// sent (the outbox worker sends them as they come); Fritext's few matches
// from the text index (searchtext.go); a Gata prefix that starts more
// than 20 streets, read as a range (streets.go); and a period's work,
// grouped by Fakturamärkning for the invoice (docs/PERFORMANCE.md has
// the month of the largest customer).
func sortsFew(q string) bool {
	for _, few := range []string{"case_status_history", "FROM work_orders", "FROM actions", "FROM cost_lines", "FROM files",
		"json_each", "GROUP BY", "FROM invoices", "UNION ALL", "WHERE c.id IN", "c.id = ?", "FROM invoice_references",
		"customer_news_at IS NOT NULL", "m.sent_at IS NULL AND m.failed_at IS NULL", "cases_text MATCH", "street_name_key >=", "ORDER BY c.ref_key"} {
		if strings.Contains(q, few) {
			return true
		}
	}
	return false
}
