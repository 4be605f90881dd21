package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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

// New cases join the index at the end of their transaction, all at once
// (migration 0012 says why): the store notes each case it creates
// (Tx.newCases) and adds them after the last save of the group, before
// the commit, so that a case and its index entry commit together.

// indexText adds the cases with ids to the text index, in tx. On a
// database without one it does nothing.
func indexText(ctx context.Context, tx *sql.Tx, d dialect, ids []int64) error {
	if d.name != "sqlite" || len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO cases_text (rowid, search_text)
		SELECT id, search_text FROM cases WHERE id IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return fmt.Errorf("store: text index: %w", err)
	}
	return nil
}

// indexTextRange adds the cases with ids from first to last to the text
// index, in tx: a seeded batch.
func indexTextRange(ctx context.Context, tx *sql.Tx, d dialect, first, last int64) error {
	if d.name != "sqlite" || first > last {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO cases_text (rowid, search_text)
		SELECT id, search_text FROM cases WHERE id BETWEEN ? AND ?`, first, last); err != nil {
		return fmt.Errorf("store: text index: %w", err)
	}
	return nil
}

// textIndexMax is the most matches a page is read through the text index
// for; more are read in order.
var textIndexMax = 3000

// indexedWord reports whether the trigram index can find w: three
// characters or more.
func indexedWord(w string) bool { return utf8.RuneCountInString(Fold(w)) >= 3 }

// ftsPhrase is w as an FTS5 phrase, which the trigram tokenizer matches
// anywhere in the text: quoted, with its own quotes doubled.
func ftsPhrase(w string) string { return `"` + strings.ReplaceAll(Fold(w), `"`, `""`) + `"` }

// textIndexed reports whether f's Fritext can use the trigram index on
// this database.
func (db *DB) textIndexed(f repair.CaseFilter) bool {
	if db.d.name != "sqlite" {
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
