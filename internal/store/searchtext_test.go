package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	neturl "net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestFritextIndexFindsTheSame: every Fritext search gives the same cases,
// in the same order, whether its pages read the cases in order or come
// from the text index (FTS5 on SQLite, pg_trgm on PostgreSQL), and its
// count, through the index, is
// the number of cases the pages list; for common and rare
// words, short ones, several at once, with other filters and paging, and
// for text that is FTS syntax; another customer's cases never come back.
// It holds with the older half of the cases in the text index and the
// newer half still waiting for it (found by reading them), and with all
// of them indexed.
func TestFritextIndexFindsTheSame(t *testing.T) {
	defer store.SetTextIndexBatch(1 << 40)()
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine, theirs := storetest.Customer(t, db, "Mine"), storetest.Customer(t, db, "Theirs")
		day0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		titles := []string{"Skövde Diskmaskin läcker", "Hjo Kyl värmer inte", `Tibro Spis "NEAR(" AND * fel`, "Skövde Tvättmaskin stannar", "Mariestad Frys ÅSKA"}
		file := func(from, to int) {
			t.Helper()
			if err := db.Update(ctx, func(tx *store.Tx) error {
				for i := from; i < to; i++ {
					for _, k := range []repair.Customer{mine, theirs} {
						c := repair.Case{CustomerID: k.ID, Type: repair.PortalCaseType, Title: titles[i%len(titles)],
							Description: fmt.Sprintf("Lägenhet %d, ring portkod %d", i, 1000+i), Street: "Storgatan 1",
							RegisteredAt: day0.Add(time.Duration(i) * time.Hour)}
						if i == 77 {
							c.Description = "Unik beskrivning zebrafink"
						}
						if err := tx.CreateCase(ctx, &c); err != nil {
							return err
						}
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		file(0, 60)
		if err := store.IndexText(ctx, db); err != nil {
			t.Fatal(err)
		}
		file(60, 120)
		scope := repair.CustomerScope(mine.ID)
		walk := func(f repair.CaseFilter) ([]string, int) {
			f.Limit = 9
			var got []string
			total := -1
			for {
				res, err := db.SearchCases(ctx, scope, f)
				if err != nil {
					t.Fatalf("%q: %v", f.Text, err)
				}
				if total < 0 {
					total = res.Total
				}
				for _, c := range res.Cases {
					if c.CustomerID != mine.ID {
						t.Fatalf("%q: another customer's case %s", f.Text, c.Number)
					}
					got = append(got, c.Number)
				}
				if res.Next == "" {
					return got, total
				}
				f.Cursor = res.Next
			}
		}
		diskmaskin := 24 // of mine's cases
		check := func(state string) {
			for _, f := range []repair.CaseFilter{
				{Text: "diskmaskin"}, {Text: "zebrafink"}, {Text: "SKÖVDE stannar"}, {Text: "kyl"}, {Text: "åska"},
				{Text: "ab"}, {Text: "portkod 1077"}, {Text: `"near("`}, {Text: "* and"}, {Text: `fel"`},
				{Text: "lägenhet", Statuses: []repair.Status{repair.StatusRegistered}}, {Text: "saknas helt"},
				{Text: "skövde", Sort: repair.SortNumber},
				// The longest word the search form lets through, in
				// letters of two bytes each.
				{Text: strings.Repeat("å", 200)},
			} {
				restore := store.SetTextIndexMax(0)
				ordered, orderedTotal := walk(f)
				// A read in order that stops short of a page
				// (after a twentieth of the matches, or a
				// fifth) and takes the rest from the index.
				var budgeted [][]string
				for _, budget := range []float64{0.05, 0.2} {
					undo := store.SetTextScanPerMatch(budget)
					b, _ := walk(f)
					budgeted = append(budgeted, b)
					undo()
				}
				// A first read in order of one case, then the
				// newest by id or the whole budget.
				undo := store.SetTextFirstRead(1)
				firstRead, _ := walk(f)
				undo()
				restore()
				restore = store.SetTextIndexMax(1 << 30)
				indexed, indexedTotal := walk(f)
				restore()
				if !slices.Equal(ordered, indexed) || orderedTotal != indexedTotal || orderedTotal != len(ordered) {
					t.Errorf("%s, %q: in order %d cases (total %d), by index %d (total %d)", state, f.Text, len(ordered), orderedTotal, len(indexed), indexedTotal)
				}
				if !slices.Equal(firstRead, indexed) {
					t.Errorf("%s, %q: a first read of one case: %d cases, by index %d", state, f.Text, len(firstRead), len(indexed))
				}
				for i, b := range budgeted {
					if !slices.Equal(b, indexed) {
						t.Errorf("%s, %q: read in order with budget %g per match: %d cases, by index %d", state, f.Text, []float64{0.05, 0.2}[i], len(b), len(indexed))
					}
				}
				if f.Text == "zebrafink" && len(indexed) != 1 {
					t.Errorf("%s, zebrafink: %d cases, want the one", state, len(indexed))
				}
				if f.Text == "diskmaskin" && len(indexed) != diskmaskin {
					t.Errorf("%s, diskmaskin: %d cases, want %d", state, len(indexed), diskmaskin)
				}
			}
		}
		check("half indexed")
		if err := store.IndexText(ctx, db); err != nil {
			t.Fatal(err)
		}
		check("all indexed")
		// Cases registered before the newest (as a seed or an import
		// files them) end the run in registration order by id, which
		// many matches are read from the index in (searchtext.go); newer
		// ones after them start a new run, shorter than some words'
		// pages.
		order := func(want string) {
			t.Helper()
			if db.Dialect() != "sqlite" {
				return
			}
			kept, computed, err := store.RegistrationOrder(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if kept != computed {
				t.Errorf("%s: the insert trigger says the run starts at id %d, migration 0019 at %d", want, kept, computed)
			}
		}
		order("in order")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range 3 {
				c := repair.Case{CustomerID: mine.ID, Type: repair.PortalCaseType, Title: titles[1], Description: "Lägenhet, inskickad i efterhand",
					Street: "Storgatan 1", RegisteredAt: day0.Add(time.Duration(10+i) * time.Hour)}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		order("out of order")
		check("out of order, not indexed")
		file(120, 132)
		diskmaskin += 3 // 120, 125, 130
		order("a new run")
		check("a new run, not indexed")
		if err := store.IndexText(ctx, db); err != nil {
			t.Fatal(err)
		}
		check("a new run, indexed")
	})
}

// TestFritextNewestFirstRemembered: on SQLite, a word whose first read in
// order comes short of a page and whose newest matches by id give it
// has its next searches, its next pages too, go to the newest matches
// first, with the same pages; another customer's search of the same
// word still reads in order first.
func TestFritextNewestFirstRemembered(t *testing.T) {
	defer store.SetTextIndexBatch(1 << 40)()
	defer store.SetTextIndexMax(0)()
	defer store.SetTextFirstRead(1)()
	db := storetest.Open(t)
	ctx := context.Background()
	mine, theirs := storetest.Customer(t, db, "Mine"), storetest.Customer(t, db, "Theirs")
	day0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := range 40 {
			for _, k := range []repair.Customer{mine, theirs} {
				title := "Skövde Kyl värmer inte"
				if i%2 == 0 {
					title = "Skövde Diskmaskin läcker"
				}
				c := repair.Case{CustomerID: k.ID, Type: repair.PortalCaseType, Title: title, Street: "Storgatan 1",
					RegisteredAt: day0.Add(time.Duration(i) * time.Hour)}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err := store.IndexText(ctx, db); err != nil {
		t.Fatal(err)
	}
	var inOrder, newest int
	store.TraceReads(db, func(q string, _ []any) {
		if strings.Contains(q, "SELECT c.id, c.search_text") {
			inOrder++
		}
		if strings.Contains(q, "CROSS JOIN cases c ON c.id = t.rowid") {
			newest++
		}
	})
	defer store.TraceReads(db, nil)
	// search runs f and says how many reads in order and of the newest
	// matches it took.
	search := func(k repair.Customer, f repair.CaseFilter) (repair.CaseResult, int, int) {
		t.Helper()
		inOrder, newest = 0, 0
		res, err := db.SearchCases(ctx, repair.CustomerScope(k.ID), f)
		if err != nil {
			t.Fatal(err)
		}
		return res, inOrder, newest
	}
	f := repair.CaseFilter{Text: "diskmaskin", Limit: 5}
	first, o, n := search(mine, f)
	if o != 1 || n != 1 || len(first.Cases) != 5 {
		t.Fatalf("the first search: %d reads in order, %d of the newest, %d cases; want 1, 1, 5", o, n, len(first.Cases))
	}
	again, o, n := search(mine, f)
	if o != 0 || n != 1 || !slices.EqualFunc(again.Cases, first.Cases, func(a, b repair.Case) bool { return a.ID == b.ID }) {
		t.Errorf("the same search again: %d reads in order, %d of the newest; want 0, 1 and the same page", o, n)
	}
	next := f
	next.Cursor = first.Next
	page2, o, n := search(mine, next)
	if o != 0 || n != 1 {
		t.Errorf("the next page: %d reads in order, %d of the newest; want 0, 1", o, n)
	}
	// A page the newest matches cannot give (back, or in another order)
	// still takes the short read in order first, then the budgeted one.
	back := next
	back.Cursor, back.Before = page2.Prev, true
	byNumber := f
	byNumber.Sort = repair.SortNumber
	for _, g := range []repair.CaseFilter{back, byNumber} {
		if _, o, n := search(mine, g); o != 2 || n != 0 {
			t.Errorf("sort %q, back %v: %d reads in order, %d of the newest; want 2, 0", g.Sort, g.Before, o, n)
		}
	}
	// The pages as the index lists and sorts the matches.
	defer store.SetTextIndexMax(1 << 30)()
	for _, p := range []struct {
		f   repair.CaseFilter
		got repair.CaseResult
	}{{f, first}, {next, page2}} {
		want, _, _ := search(mine, p.f)
		if !slices.EqualFunc(p.got.Cases, want.Cases, func(a, b repair.Case) bool { return a.ID == b.ID }) || p.got.Next != want.Next {
			t.Errorf("%+v: the newest matches first give another page than the index", p.f)
		}
	}
	store.SetTextIndexMax(0)
	if _, o, _ := search(theirs, f); o != 1 {
		t.Errorf("another customer's search: %d reads in order, want 1", o)
	}
}

// TestTrigramIndexOnPostgres: a PostgreSQL database whose user may add
// pg_trgm (the test database's owner may) gets the trigram index for
// Fritext, and a rare word's search uses it when the planner may not read
// the table through.
func TestTrigramIndexOnPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	db, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k := storetest.Customer(t, db, "Mine")
	for i := range 50 {
		storetest.Case(t, db, k.ID, 0, fmt.Sprintf("Skövde Kyl %d", i))
	}
	storetest.Case(t, db, k.ID, 0, "Hjo Zebrafink")
	idx, err := store.QueryRows(ctx, db, `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'cases_search_trgm'`)
	if err != nil || len(idx) != 1 || !strings.Contains(idx[0], "gin_trgm_ops") {
		t.Fatalf("trigram index: %v, %v", idx, err)
	}
	res, err := db.SearchCases(ctx, repair.CustomerScope(k.ID), repair.CaseFilter{Text: "zebrafink"})
	if err != nil || res.Total != 1 || len(res.Cases) != 1 {
		t.Fatalf("zebrafink: %d cases, %v", res.Total, err)
	}
	// 51 cases are read through at once; a planner told not to shows
	// what it would use at a million.
	noScan, err := sql.Open("pgx", url+"&options="+strings.ReplaceAll(neturl.QueryEscape("-c enable_seqscan=off"), "+", "%20"))
	if err != nil {
		t.Fatal(err)
	}
	defer noScan.Close()
	var plan []string
	rows, err := noScan.QueryContext(ctx, `EXPLAIN SELECT id FROM cases WHERE search_text LIKE '%zebrafink%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	rows.Close()
	if !strings.Contains(strings.Join(plan, "\n"), "cases_search_trgm") {
		t.Errorf("a rare word's plan does not use the trigram index:\n%s", strings.Join(plan, "\n"))
	}
}

// SQLite's text index has its segments merged by the store, in steps
// after each batch of new cases, FTS5's automatic merge being off: after
// every batch, each a segment of its own, no level of the index holds
// the four segments that FTS5 merges unless their merge is under way,
// where the same batches in an index
// without merging pile up to the 16 at which FTS5 forces a merge. The
// merged index is whole and finds the first batch's cases.
func TestTextIndexMergesInSteps(t *testing.T) {
	defer store.SetTextIndexBatch(1 << 40)() // batches only when the test says
	ctx := context.Background()
	db := storetest.Open(t)
	if v := rows(t, db, `SELECT v FROM cases_text_config WHERE k = 'automerge'`); len(v) != 1 || v[0] != "0" {
		t.Fatalf("FTS5's automerge = %q, want 0", v)
	}
	// The same texts in the same batches, in an index that is not
	// merged.
	for _, q := range []string{`CREATE VIRTUAL TABLE unmerged USING fts5(t, tokenize='trigram')`,
		`INSERT INTO unmerged (unmerged, rank) VALUES ('automerge', 0)`} {
		if err := store.ExecSQL(ctx, db, q); err != nil {
			t.Fatal(err)
		}
	}
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	piled := 0
	for b := range 64 {
		var texts []string
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range 10 {
				c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: fmt.Sprintf("Diskmaskin %d", b),
					Description: fmt.Sprintf("Ord%dx%d läcker vatten", b, i), Street: "Storgatan 1"}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
				texts = append(texts, c.Title+" "+c.Description)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := store.IndexText(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecSQL(ctx, db, `INSERT INTO unmerged (t) SELECT value FROM json_each(?)`, jsonList(t, texts)); err != nil {
			t.Fatal(err)
		}
		s, err := store.ReadTextStructure(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if s.Crowded >= 4 {
			t.Fatalf("after batch %d a level of the text index holds %d segments, want at most 3: not merged (%+v)", b, s.Crowded, s)
		}
		var n int
		fmt.Sscan(rows(t, db, `SELECT count(DISTINCT segid) FROM unmerged_idx`)[0], &n)
		piled = max(piled, n)
	}
	if piled < 15 {
		t.Fatalf("the index without merging held at most %d segments, want 15 or more: the batches did not each write one", piled)
	}
	if err := store.ExecSQL(ctx, db, `INSERT INTO cases_text (cases_text) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("the merged index: %v", err)
	}
	res, err := db.SearchCases(ctx, repair.CustomerScope(cust.ID), repair.CaseFilter{Text: "ord0x7", Limit: 10})
	if err != nil || res.Total != 1 || len(res.Cases) != 1 {
		t.Fatalf("the first batch's word: %d found (%v), want 1", res.Total, err)
	}
}

// The store reads the text index's structure record as SQLite writes
// it: its leaf pages are the index's leaf rows, at every size and while
// a merge is under way.
func TestTextStructureDecodes(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	// Leaf rows: segment id above 0, no doclist index bit, height 0.
	const leaves = `SELECT count(*) FROM cases_text_data WHERE id >> 37 > 0 AND (id >> 31) & 63 = 0`
	for b := range 12 {
		if err := db.Update(ctx, func(tx *store.Tx) error {
			for i := range 40 * (b + 1) {
				c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: fmt.Sprintf("Tvättmaskin %d-%d", b, i),
					Description: strings.Repeat(fmt.Sprintf("Trumman %d låter %d ", i, b), 8), Street: "Storgatan 1"}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := store.IndexText(ctx, db); err != nil {
			t.Fatal(err)
		}
		s, err := store.ReadTextStructure(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := rows(t, db, leaves)[0]
		segs := rows(t, db, `SELECT count(DISTINCT segid) FROM cases_text_idx`)[0]
		if fmt.Sprint(s.Pages) != want || fmt.Sprint(s.Segments) != segs || s.Levels < 1 {
			t.Fatalf("batch %d: the structure says %+v; the index holds %s segments, %s leaf pages", b, s, segs, want)
		}
	}
}

// jsonList is texts as a JSON array.
func jsonList(t *testing.T, texts []string) string {
	b, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
