package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"kundportal/internal/repair"
)

// Fritext on SQLite. A word many cases hold is found fastest by reading
// the customer's cases newest first and testing each (LIKE), which stops
// after a page; a word few hold would have that read the customer's
// whole list. The trigram index (migration 0011) finds the few at once,
// but a common word it lists by the ten thousand, each to be looked up
// and sorted. So the search counts first, through the index (a count
// there costs less than reading in order, for common words and rare:
// measured at 100 000 cases, 38–67 ms against 45–121 ms, and 0,2 ms
// against 107 ms for a word no case holds), and pages through the index
// only when the count is small.

// New cases join the index in batches, after their saves have committed
// (migration 0014): FTS5 writes a segment at every commit and merges
// segments as they pile up, which in each save's transaction cost the
// writer a quarter of its time. text_index_state.indexed_through says how
// far the index reaches, and a search reads the few cases after it
// directly (textMatch), in the same snapshot as the index, so a case is
// found from the moment its save returns. Once textIndexBatch cases wait,
// one transaction of the writer's adds them; the batch bounds what a
// search reads beside the index.

// textIndexBatch is how many cases wait before they are indexed (a var
// for tests).
var textIndexBatch int64 = 500

// textMatch is the condition that case c's text holds the word: through
// the index up to its watermark, and by reading the cases after it.
const textMatch = `c.id IN (SELECT rowid FROM cases_text WHERE cases_text MATCH ?
	UNION ALL SELECT n.id FROM cases n WHERE n.id > (SELECT indexed_through FROM text_index_state) AND n.search_text LIKE ? ESCAPE '\')`

// execer is a connection or transaction that runs statements.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// indexTextThrough adds the cases after the text index's watermark, up to
// id through, to the index and moves the watermark there, in ex; it
// returns how many it added. On a database without the index it does
// nothing.
func indexTextThrough(ctx context.Context, ex execer, d dialect, through int64) (int64, error) {
	if d.name != "sqlite" {
		return 0, nil
	}
	res, err := ex.ExecContext(ctx, `
		INSERT INTO cases_text (rowid, search_text)
		SELECT id, search_text FROM cases
		WHERE id > (SELECT indexed_through FROM text_index_state) AND id <= ?`, through)
	if err != nil {
		return 0, fmt.Errorf("store: text index: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: text index: %w", err)
	}
	if _, err := ex.ExecContext(ctx, `UPDATE text_index_state SET indexed_through = ? WHERE indexed_through < ?`,
		through, through); err != nil {
		return 0, fmt.Errorf("store: text index: %w", err)
	}
	return n, nil
}

// casesSaved notes n new cases committed, not yet in the text index, and
// has them indexed once a batch waits.
func (db *DB) casesSaved(n int) {
	if db.d.name != "sqlite" || n == 0 {
		return
	}
	if db.unindexed.Add(int64(n)) >= textIndexBatch && db.indexing.CompareAndSwap(false, true) {
		db.background.Add(1)
		go func() {
			defer db.background.Done()
			defer db.indexing.Store(false)
			if err := db.indexText(context.Background()); err != nil {
				// The cases are still found, by reading them; the next
				// batch tries again.
				slog.Warn("store: text index", "err", err)
			}
		}()
	}
}

// indexText adds every case not yet in the text index to it, in one
// write transaction, and then merges the index's segments as FTS5 would
// have (textmerge.go).
func (db *DB) indexText(ctx context.Context) error {
	m := &db.textMerge
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		if db.d.name == "sqlite" && !m.seen {
			// What the index holds before this batch: the batch's
			// merging is owed. Without it the batch is still indexed,
			// and only its merging is not owed.
			if err := m.note(ctx, tx.tx); err != nil {
				slog.Warn("store: text index", "err", err)
			}
		}
		var last int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(max(id), 0) FROM cases`).Scan(&last); err != nil {
			return err
		}
		var err error
		n, err = indexTextThrough(ctx, tx.tx, tx.d, last)
		return err
	})
	if err != nil {
		return err
	}
	db.unindexed.Add(-n)
	return db.mergeText(ctx, m)
}

// textIndexMax is the most matches a page is read through the text index
// for; more are read in order.
var textIndexMax = 3000

// textScanPerMatch sets how many cases, in order, a page with many
// Fritext matches reads for them: this many per match counted (a var for
// tests). Many matches need not be among the newest: a word of the older
// cases alone (a machine replaced years ago, a street renamed) would have
// the read go through the customer's whole list. Where the cases read do
// not fill the page, the text index lists the matches and they are
// sorted. Reading a case in order and testing it costs about a third of
// looking a match up and sorting it (measured at 100 000 cases), so the
// read stops where it has cost what the index would have, and a page
// costs at most twice the cheaper way, bound by the matches, not by the
// customer's cases.
var textScanPerMatch = 3.0

// textBudget is how many cases in order a page reads for total matches.
func textBudget(total int) int { return max(1, int(textScanPerMatch*float64(total))) }

// indexedWord reports whether the trigram index can find w: three
// characters or more.
func indexedWord(w string) bool { return utf8.RuneCountInString(Fold(w)) >= 3 }

// ftsPhrase is w as an FTS5 phrase, which the trigram tokenizer matches
// anywhere in the text: quoted, with its own quotes doubled.
func ftsPhrase(w string) string { return `"` + strings.ReplaceAll(Fold(w), `"`, `""`) + `"` }

// textIndexed reports whether f's Fritext can use the trigram index on
// this database: FTS5's on SQLite, pg_trgm's on PostgreSQL where the
// extension could be had.
func (db *DB) textIndexed(f repair.CaseFilter) bool {
	if db.d.name != "sqlite" && !db.trigram {
		return false
	}
	return slices.ContainsFunc(searchWords(f.Text), indexedWord)
}

// Fritext on PostgreSQL goes the same ways, through a trigram index on
// search_text (pg_trgm), which LIKE '%word%' uses by itself: counted
// first, a common word read in order within its budget, a word of few
// cases found through the index and sorted (pageQuery). Left to itself
// the planner reads in order for any word it guesses common from its
// statistics, and for a word of the older cases alone that read went
// through the customer's whole list (0.30 s a page at 440 000 cases).
// pg_trgm is an extension: trusted since
// PostgreSQL 13, so the database's owner may add it, but not every
// database user is the owner. So each start that finds no index tries to
// add the extension and the index, once the migrations are done and
// under their lock; where the extension cannot be added the product runs
// without the index, says so in the log, and makes the index at a later
// start, once an administrator has added the extension.

// trigramIndex makes cases_search_trgm if it is not there and pg_trgm can
// be had, and reports whether the index is there; on SQLite it does
// nothing.
func (tx *Tx) trigramIndex(ctx context.Context) (bool, error) {
	if tx.d.name != "postgres" {
		return false, nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname = 'cases_search_trgm'`).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	if err := tx.exec(ctx, `SAVEPOINT trigram`); err != nil {
		return false, err
	}
	if err := tx.exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		slog.Warn("store: no trigram index for Fritext: the database user may not add pg_trgm; "+
			"an administrator can run CREATE EXTENSION pg_trgm, and the next start makes the index", "err", err)
		return false, tx.exec(ctx, `ROLLBACK TO SAVEPOINT trigram`)
	}
	// The extension may have been added before, in another schema.
	var schema string
	if err := tx.queryRow(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm'`).Scan(&schema); err != nil {
		return false, err
	}
	if err := tx.exec(ctx, `CREATE INDEX cases_search_trgm ON cases USING gin (search_text `+
		quoteIdent(schema)+`.gin_trgm_ops)`); err != nil {
		return false, fmt.Errorf("store: trigram index: %w", err)
	}
	return true, tx.exec(ctx, `RELEASE SAVEPOINT trigram`)
}

// quoteIdent is name as a PostgreSQL identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// A word of many cases read in order finds a page of them in the first
// rows, unless none of the newest hold it: after tens of thousands of
// cases without it (a machine type no longer serviced), reading in order
// goes through all of those, and listing the matches by the index and
// sorting them costs as many lookups as there are matches (more than a
// second at a million cases). The index itself lists its matches newest
// id first at no such cost, and ids are registration order over the run
// of cases from text_index_state.ordered_from (migration 0019): every
// case there was registered no earlier than any case with a lower id.
// So on SQLite a page in the default order, newest first, is the first
// matches by id within that run; where the run holds fewer than a page,
// the search takes its other ways.

// textFirstRead is how many cases in order a page of many Fritext
// matches reads first on SQLite: a common word is mostly among the newest
// cases, and these find its page where a tenth of them hold it.
var textFirstRead = 500

// manyTextMatches reads a page of f, whose Fritext words the text index
// counts total matches of (or more, the count capped): a short read in
// order; then, on SQLite, the newest matches by id; then a read in order
// bounded by what listing the matches would cost; and only where that
// does not fill the page, every match listed and sorted.
//
// Each way gives the page exactly or says it cannot, so which goes first
// is a matter of cost alone: a word the short read finds too few of (in
// a tenth or less of the newest cases) costs that read on every page, a
// fifth of the page at a million cases. Where the newest matches gave
// the page after it, the search's next pages, for a minute, try them
// first.
func (db *DB) manyTextMatches(ctx context.Context, scope repair.Scope, f repair.CaseFilter, r resolved, total int) ([]repair.Case, error) {
	r.textIndex = false
	if !singlePass(f, r) {
		// Several statuses or streets, merged: each read in order.
		return db.searchPage(ctx, scope, f, r)
	}
	budget := textBudget(total)
	r.textBudget = budget
	if !r.postgres {
		r.textBudget = min(budget, textFirstRead)
	}
	// Kept only for the searches the newest matches can serve, so that
	// the key need not hold the order.
	key, now := countKey(scope, f), db.now()
	newestFirst := false
	if db.newestServes(f) {
		newestFirst, _ = db.newestFirst.get(key, 0, now)
	}
	if !newestFirst {
		cases, err := db.searchPage(ctx, scope, f, r)
		if err != nil || len(cases) > f.Limit {
			return cases, err
		}
	}
	newest, ok, err := db.newestTextMatches(ctx, scope, f, r)
	if err != nil || ok {
		if ok && !newestFirst {
			db.newestFirst.put(key, true, 0, now)
		}
		return newest, err
	}
	if budget > r.textBudget || newestFirst {
		r.textBudget = budget
		if cases, err := db.searchPage(ctx, scope, f, r); err != nil || len(cases) > f.Limit {
			return cases, err
		}
	}
	r.textIndex, r.textBudget = true, 0
	return db.searchPage(ctx, scope, f, r)
}

// newestServes reports whether newestTextMatches can give f's page: on
// SQLite, newest first, on the way forward.
func (db *DB) newestServes(f repair.CaseFilter) bool {
	return db.d.name == "sqlite" && f.Sort == repair.SortRegistered && !f.Asc && !f.Before
}

// newestTextMatches reads the page of f, whose Fritext has many matches,
// as the newest matches by id: the cases not yet indexed (by reading
// them), then the text index's, within the run of cases in registration
// order. f is one read in order (singlePass), and at least one of its
// words is indexed (textIndexed). ok is false where it cannot give the
// page: on PostgreSQL, in another order, on the way back, or where the
// run holds less than a page.
func (db *DB) newestTextMatches(ctx context.Context, scope repair.Scope, f repair.CaseFilter, r resolved) (cases []repair.Case, ok bool, err error) {
	if !db.newestServes(f) {
		return nil, false, nil
	}
	noText := f
	noText.Text = ""
	where, args := caseFilterWhere(scope, noText, resolved{streets: r.streets})
	// The index's words are its MATCH for the indexed cases and read as
	// LIKE in the others; shorter words are read in both.
	var phrases, likes []string
	for _, w := range searchWords(f.Text) {
		if indexedWord(w) {
			phrases, likes = append(phrases, ftsPhrase(w)), append(likes, likeContains(w))
			continue
		}
		where, args = append(where, textLike), append(args, likeContains(w))
	}
	// The state and the newest id in one snapshot: the run reaches that
	// id, and a case filed after this read is not on this page.
	var indexedThrough, orderedFrom, newest int64
	if err := db.queryRow(ctx, `SELECT indexed_through, ordered_from, (SELECT COALESCE(max(id), 0) FROM cases)
		FROM text_index_state`).Scan(&indexedThrough, &orderedFrom, &newest); err != nil {
		return nil, false, fmt.Errorf("store: search cases: %w", err)
	}
	if orderedFrom > indexedThrough {
		return nil, false, nil
	}
	// Within the run, after the cursor's case is below its id: the read
	// of the index starts there.
	below := newest + 1
	if f.Cursor != "" {
		v, id, err := decodeCursor(f.Sort, f.Cursor)
		if err != nil {
			return nil, false, err
		}
		where, args = append(where, "(c.registered_at, c.id) < (?, ?)"), append(args, v, id)
		below = min(below, id)
	}
	want := f.Limit + 1
	// The cases after the index's watermark, a few hundred at most, read
	// by id (NOT INDEXED keeps the planner from the customer's index,
	// which would test all the customer's cases for an id above it).
	unindexed, uArgs := append(slices.Clone(where), "c.id > ?", "c.id < ?"), append(slices.Clone(args), indexedThrough, below)
	for _, l := range likes {
		unindexed, uArgs = append(unindexed, textLike), append(uArgs, l)
	}
	rows, err := db.query(ctx, `
		SELECT `+caseColumns+`
		FROM cases c NOT INDEXED
		`+caseAsset+`
		WHERE `+strings.Join(unindexed, "\n\t\t  AND ")+`
		ORDER BY c.id DESC
		`+limitRows(want), uArgs...)
	cases, err = collectN(rows, err, want, newCaseScanner().scan)
	if err != nil {
		return nil, false, fmt.Errorf("store: search cases: %w", err)
	}
	if len(cases) < want {
		// The index's newest matches, in its own order (CROSS JOIN keeps
		// it the outer loop), within the run in registration order.
		iArgs := append([]any{strings.Join(phrases, " "), orderedFrom, min(indexedThrough+1, below)}, args...)
		rows, err := db.query(ctx, `
		SELECT `+caseColumns+`
		FROM cases_text t
		CROSS JOIN cases c ON c.id = t.rowid
		`+caseAsset+`
		WHERE cases_text MATCH ? AND t.rowid >= ? AND t.rowid < ?
		  AND `+strings.Join(where, "\n\t\t  AND ")+`
		ORDER BY t.rowid DESC
		`+limitRows(want-len(cases)), iArgs...)
		more, err := collectN(rows, err, want-len(cases), newCaseScanner().scan)
		if err != nil {
			return nil, false, fmt.Errorf("store: search cases: %w", err)
		}
		cases = append(cases, more...)
	}
	if len(cases) < want && orderedFrom > 1 {
		// Fewer than a page and the next in the run: the rest are older
		// than the run, found the other ways. (A run from the first case
		// holds them all: this is the last page.)
		return nil, false, nil
	}
	return cases, true, nil
}
