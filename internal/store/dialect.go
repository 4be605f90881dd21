package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds everything that differs between SQLite and PostgreSQL, so
// that the rest of the store is written once with ? placeholders.
type dialect struct {
	name string
	// rebind turns ? placeholders into the driver's own.
	rebind func(string) string
	// isUniqueViolation reports whether err is a unique-constraint failure.
	isUniqueViolation func(error) bool
	// swedish is the collation clause that sorts names in Swedish order
	// (Å, Ä, Ö after Z).
	swedish string
	// lockMigrations, run first in the migration transaction, keeps two
	// instances starting at once from migrating twice.
	lockMigrations string
	// timestamp is the column type of a point in time.
	timestamp string
	// forUpdate ends a SELECT inside a write transaction that must hold its
	// rows until the transaction ends; SQLite's single writer holds the
	// whole database already.
	forUpdate string
}

var sqliteDialect = dialect{
	name:   "sqlite",
	rebind: func(q string) string { return q },
	isUniqueViolation: func(err error) bool {
		var se *sqlite.Error
		if errors.As(err, &se) {
			code := se.Code()
			return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		}
		return false
	},
	swedish:   `COLLATE sv`,
	timestamp: "TIMESTAMP",
	// The SQLite writer is one connection with immediate transactions:
	// migrations are serialised already.
}

var postgresDialect = dialect{
	name:   "postgres",
	rebind: rebindDollar,
	isUniqueViolation: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
	// ICU's Swedish collation, created by initdb when PostgreSQL is built
	// with ICU (Debian's is).
	swedish:        `COLLATE "sv-x-icu"`,
	lockMigrations: `SELECT pg_advisory_xact_lock(7305417)`,
	timestamp:      "TIMESTAMPTZ",
	forUpdate:      " FOR UPDATE",
}

// The "sv" collation gives SQLite Swedish sort order, which its built-in
// collations (byte order, ASCII-only NOCASE) do not.
func init() {
	sqlite.MustRegisterCollationUtf8("sv", func(a, b string) int {
		// A collator is not safe for concurrent use; one per call is
		// cheap next to a query.
		return collate.New(language.Swedish).CompareString(a, b)
	})
}

// rebindDollar rewrites ? placeholders as $1, $2, ... for PostgreSQL. The
// store's SQL has no ? inside string literals, so a plain scan suffices.
func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Fold is the form in which text is stored for case-insensitive search and
// in which search terms are matched: lower case by Unicode rules, so that
// "ÅSA" finds "åsa" on every database.
func Fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// likeContains turns a search word into a LIKE pattern matching it
// anywhere, with LIKE's own wildcards escaped (use ESCAPE '\').
func likeContains(word string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(Fold(word)) + "%"
}

// forUpdateOf is the locking clause for the rows of alias, or nothing on
// SQLite.
func (d dialect) forUpdateOf(alias string) string {
	if d.forUpdate == "" {
		return ""
	}
	return d.forUpdate + " OF " + alias
}
