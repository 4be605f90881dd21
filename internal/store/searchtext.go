package store

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"kundportal/internal/repair"
)

// Fritext on SQLite. A word many cases hold is found fastest by reading
// the customer's cases newest first and testing each (LIKE), which stops
// after a page; a word few hold would have that read the customer's
// whole list. The trigram index (migration 0011) finds the few at once,
// but for a common word it lists hundreds of thousands that must then be
// sorted. Which kind a word is shows in the attempt: the search first
// reads in order within textBudget, and only a search that has not found
// its page by then asks the index. Both give exactly the same cases.

// textBudget is how long an ordered Fritext search may read before the
// index is asked instead.
var textBudget = 15 * time.Millisecond

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

// withTextIndex runs read on r, first reading in order within
// textBudget and then, if that ran out, through the text index; without
// Fritext the index can serve, it just runs read.
func (db *DB) withTextIndex(ctx context.Context, f repair.CaseFilter, r resolved, read func(context.Context, resolved) error) error {
	if !db.textIndexed(f) {
		return read(ctx, r)
	}
	budget, cancel := context.WithTimeout(ctx, textBudget)
	err := read(budget, r)
	ranOut := budget.Err() != nil
	cancel()
	if err == nil || !ranOut || ctx.Err() != nil {
		return err
	}
	r.textIndex = true
	return read(ctx, r)
}
