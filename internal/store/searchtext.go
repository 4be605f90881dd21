package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
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
// write transaction.
func (db *DB) indexText(ctx context.Context) error {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		var last int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(max(id), 0) FROM cases`).Scan(&last); err != nil {
			return err
		}
		var err error
		n, err = indexTextThrough(ctx, tx.tx, tx.d, last)
		return err
	})
	if err == nil {
		db.unindexed.Add(-n)
	}
	return err
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
	for i, w := range strings.Fields(f.Text) {
		if i == maxSearchWords {
			break
		}
		if indexedWord(w) {
			return true
		}
	}
	return false
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
