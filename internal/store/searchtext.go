package store

import (
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
