package store

import (
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"kundportal/internal/repair"
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
	// seedStart and seedEnd are run on the connection that writes a seeded
	// data set (seed.go), before and after it: SQLite's durability and
	// cache settings are per connection, so the seed relaxes them for its
	// own connection only and puts them back. seedTx is run first in each
	// of the seed's transactions (PostgreSQL's setting is per transaction).
	seedStart, seedEnd []string
	seedTx             string
	// syncIDs, when set, makes the table's id generator continue after
	// the largest id, once rows were inserted with ids given: PostgreSQL's
	// identity sequences do not follow them, SQLite's rowids do.
	syncIDs func(table string) string
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
	//
	// The seed writes with synchronous OFF: a power cut during it may damage
	// the file, which is acceptable only because the seed runs on a
	// database without cases, made again by running it again. The cache is
	// raised so that its index inserts stay in memory.
	seedStart: []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`},
	seedEnd:   []string{`PRAGMA synchronous = NORMAL`, `PRAGMA cache_size = -2000`, `PRAGMA wal_checkpoint(TRUNCATE)`},
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
	seedTx:         `SET LOCAL synchronous_commit = off`,
	syncIDs: func(table string) string {
		return `SELECT setval(pg_get_serial_sequence('` + table + `', 'id'), COALESCE(max(id), 0) + 1, false) FROM ` + table
	},
}

// The "sv" collation gives SQLite Swedish sort order, which its built-in
// collations (byte order, ASCII-only NOCASE) do not.
func init() {
	sqlite.MustRegisterCollationUtf8("sv", func(a, b string) int {
		c := swedishCollators.Get().(*collate.Collator)
		defer swedishCollators.Put(c)
		return c.CompareString(a, b)
	})
}

// swedishCollators are reused across comparisons: a collator is not safe
// for concurrent use, and a new one for each comparison was 12 KB of
// garbage (sorting the office's 20 customers by name allocated 1 MB).
var swedishCollators = sync.Pool{New: func() any { return collate.New(language.Swedish) }}

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

// byValue marks a condition whose best plan depends on its value: a LIKE
// pattern (a rare word is read from the trigram index, a common one by
// walking the cases in date order) or a prefix range (a few streets
// against most of them). PostgreSQL's connections plan every other
// statement once, without its values (plan_cache_mode, OpenPostgres); a
// read that holds this mark runs on connections that plan it for each
// call's values (DB.reader). Such reads are the pages' own, outside any
// write transaction.
const byValue = "/* planned by value */ "

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

// statusIs is the condition that col holds one of statuses. Known
// statuses, a fixed few words, are written into the SQL, as limitRows
// writes its numbers: PostgreSQL then keeps a generic plan for each
// status, where a parameter has it plan every run afresh for the value
// (a status's share of the cases differs a hundredfold). Anything else
// stays a parameter, and matches nothing.
func statusIs(col string, statuses ...repair.Status) (string, []any) {
	var lits []string
	var args []any
	for _, s := range statuses {
		if s.Valid() {
			lits = append(lits, "'"+string(s)+"'")
		} else {
			lits, args = append(lits, "?"), append(args, s)
		}
	}
	if len(lits) == 1 {
		return col + " = " + lits[0], args
	}
	return col + " IN (" + strings.Join(lits, ", ") + ")", args
}

// limitRows is a LIMIT clause with n written into the SQL rather than
// passed as a parameter. With LIMIT a parameter, PostgreSQL cannot cost a
// generic plan and plans every execution afresh for good (0.35–0.5 ms over
// the cases table's many indexes, longer than a page's query runs);
// written in, a statement whose other values do not change its plan gets
// the generic plan after its first five runs (hotplan_test.go checks).
// The few page sizes make few texts. n is an int, never request text.
func limitRows(n int) string { return "LIMIT " + strconv.Itoa(n) }

// inIDs is the condition that column is one of ids, and its arguments:
// on PostgreSQL one array, so that one prepared statement serves every
// number of ids (each length of an IN list is a statement of its own,
// planned and cached apart); on SQLite an IN list.
func (d dialect) inIDs(column string, ids []int64) (string, []any) {
	if d.name == "postgres" {
		return column + " = ANY(?)", []any{ids}
	}
	marks, args := idList(ids)
	return column + " IN (" + marks + ")", args
}

// idList is the placeholders and arguments of an IN list of ids.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return placeholders(len(ids)), args
}

// placeholders is n placeholders, separated by commas.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
