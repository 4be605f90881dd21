// Package store keeps Kundportal's data in SQL: SQLite by default, with the
// dialect differences held in dialect.go. Every query a customer can reach
// takes a repair.Scope and filters by it, so tenant isolation does not rely
// on handlers remembering to check.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kundportal/internal/repair"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// DB is the store. Reads go to a pool of connections; writes go through
// one connection so that concurrent saves queue instead of failing with
// SQLITE_BUSY.
type DB struct {
	read  *sql.DB
	write *sql.DB
	// valueReads reads, on PostgreSQL, the statements planned for their
	// values (byValue): its connections keep PostgreSQL's default
	// plan_cache_mode, which plans such a statement for each call's
	// values; nil on SQLite.
	valueReads *sql.DB
	d          dialect
	now        func() time.Time
	// group queues SQLite's saves into group transactions (group.go);
	// nil on PostgreSQL, which takes concurrent writers itself.
	group *groupWriter
	// filings are the lanes in which PostgreSQL's new cases queue to be
	// saved together (filing.go), taken in turn (nextLane); nil on SQLite.
	filings       []*turns[fileReq]
	nextLane      atomic.Uint64
	filedTogether atomic.Int64 // batches saved together, for tests
	// readStmts and writeStmts keep SQLite's statements prepared
	// (stmts.go); nil on PostgreSQL.
	readStmts, writeStmts *stmtCache
	// ckpt copies SQLite's WAL into the database file, which the writer
	// never does (checkpoint.go); nil on PostgreSQL.
	ckpt *checkpointer
	// changes numbers the committed changes to each customer's cases;
	// counts, refs, figures, streets and dashboards keep what is
	// derived from them until the next one (countcache.go).
	changes    changeLog
	counts     derivedCache[countEntry]
	refs       derivedCache[[]string]
	figures    derivedCache[AssetFigures]
	streets    derivedCache[[]string] // street_name_keys by customer and prefix
	dashboards derivedCache[[]repair.Bucket]
	// recipients are the candidates for each customer's and event's
	// mails, at the customer's mail version (MailRecipientsAt).
	recipients derivedCache[[]mailCandidate]
	// newestFirst names the Fritext searches whose first read in order
	// came short of a page and whose newest matches by id gave it
	// (manyTextMatches): for a minute, whatever changes.
	newestFirst derivedCache[bool]
	// unindexed counts the committed cases not yet in the text index;
	// indexing is set while a batch is being indexed, by a goroutine
	// that background tracks (searchtext.go).
	unindexed  atomic.Int64
	indexing   atomic.Bool
	textMerge  textMerger
	background sync.WaitGroup
	// trigram says PostgreSQL has the trigram index for Fritext
	// (searchtext.go), found or made at the start.
	trigram bool
	// sequences are the case-number sequences known to be there, by
	// name.
	sequences sync.Map
	// mailQueued is signalled after a commit that wrote to the outbox
	// (outbox.go).
	mailQueued chan struct{}
	// readTime and writeTime, when set, are told how long each read
	// query and write transaction took (observe.go).
	readTime, writeTime Observer
	// trace, set by tests, sees every read query before it runs, for
	// checking the plans of all of them (plan_test.go).
	trace func(q string, args []any)
}

// OpenSQLite opens (creating if needed) the SQLite database at path and
// brings its schema up to date.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := privateFile(path); err != nil {
		return nil, err
	}
	// Pragma order matters: busy_timeout first so that switching to WAL
	// waits for another process instead of failing; WAL before synchronous,
	// since NORMAL is only crash-safe in WAL mode; foreign keys on every
	// connection because SQLite defaults them off.
	pragmas := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		pragmas.Add("_pragma", p)
	}
	base := "file:" + path + "?"
	// The writer starts every transaction IMMEDIATE so that a read that
	// later writes never deadlocks against another writer. Its temporary
	// files are in memory: each save of a group commit is a savepoint,
	// whose sub-journal of the pages it changes was a file written
	// through a system call per page (BenchmarkFileCaseConcurrent); the
	// readers' sorts, which can be large, keep theirs on disk. It leaves
	// the checkpoints to a connection of its own (checkpoint.go).
	write, err := sql.Open("sqlite", base+pragmas.Encode()+"&_pragma=temp_store(MEMORY)&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", base+pragmas.Encode()+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	// Keep the readers open: a new connection opens the file, runs the
	// pragmas and prepares every statement again.
	read.SetMaxIdleConns(8)
	db := newDB(read, write, sqliteDialect)
	db.group = &groupWriter{}
	ckpt, err := startCheckpointer(base+pragmas.Encode(), db.betweenGroups)
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.ckpt = ckpt
	db.readStmts, db.writeStmts = newStmtCache(read, false), newStmtCache(write, true)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Cases a crash or a stop left out of the text index: indexed with
	// the next batch.
	var unindexed int
	if err := db.read.QueryRowContext(ctx, unindexedCases).Scan(&unindexed); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: text index: %w", err)
	}
	db.casesSaved(unindexed)
	if err := db.releaseMailClaims(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// unindexedCases counts the cases after the last one in the text index,
// a range of the primary key.
const unindexedCases = `SELECT count(*) FROM cases WHERE id > (SELECT indexed_through FROM text_index_state)`

// privateFile makes the database file at path, and its directory if
// missing, readable by this process's user only: the file holds password
// hashes, sessions and customers' door codes. SQLite gives its -wal and
// -shm files the database file's mode. A file or directory left more
// open by an older version is tightened, the directory only if this
// user owns it (a mount point may be the operator's).
func privateFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: create data directory: %w", err)
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("store: make %s private: %w", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("store: make %s private: %w", path, err)
		}
	}
	return nil
}

// OpenPostgres connects to the PostgreSQL database at url
// (postgres://...) and brings its schema up to date. Several app instances
// may share one database: sessions, throttling and counters all live in it.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	// The reads planned for their values (DB.reader) keep the
	// database's own plan_cache_mode.
	valueReads := stdlib.OpenDB(*cfg.Copy())
	valueReads.SetMaxOpenConns(8)
	valueReads.SetMaxIdleConns(8)
	valueReads.SetConnMaxIdleTime(5 * time.Minute)
	// Every statement planned once per connection, without its values:
	// by default PostgreSQL plans a prepared statement again for each
	// call's values whenever its estimate for them is cheaper than the
	// generic plan's, which for a page of 50 newest rows of a common
	// value it always is, and the planning then cost as much as running
	// the statement (docs/PERFORMANCE.md). The store's statements name
	// the index order they read in and write customers, statuses and
	// limits into their text; a condition whose plan does depend on its
	// value is marked byValue. A URL that sets the mode keeps its own.
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	// A generic plan counts a machine's cases as the average machine's
	// (6 at 100 000 cases), and at the default random_page_cost (4, a
	// spinning disk's) it then read the busiest machine's 97 cases whole
	// through a bitmap and sorted them, 16 times the time of reading its
	// page in the index's order. Pages read at random cost little more than
	// in sequence on the SSDs and in the cache this runs on: 1.1, as
	// PostgreSQL's documentation suggests for them.
	if _, set := cfg.RuntimeParams["random_page_cost"]; !set {
		cfg.RuntimeParams["random_page_cost"] = "1.1"
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(20)
	// As many kept as may be open: with fewer, a burst of requests
	// closes the connections it opened beyond them, and the next burst
	// opens them again, a backend started each time (PostgreSQL then
	// spent most of the filings' time starting backends,
	// docs/PERFORMANCE.md).
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	// A database that does not answer stops the start soon, with a line
	// that says so, rather than after the system's connect timeout.
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err = pool.PingContext(pingCtx)
	cancel()
	if err != nil {
		pool.Close()
		valueReads.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	// PostgreSQL handles concurrent writers itself: one pool serves both.
	db := newDB(pool, pool, postgresDialect)
	db.valueReads = valueReads
	db.filings = make([]*turns[fileReq], filingLanes)
	for i := range db.filings {
		db.filings[i] = &turns[fileReq]{}
	}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		valueReads.Close()
		return nil, err
	}
	return db, nil
}

// newDB is a store on the read and write pools, with its caches bounded.
func newDB(read, write *sql.DB, d dialect) *DB {
	db := &DB{read: read, write: write, d: d, now: time.Now, mailQueued: make(chan struct{}, 1)}
	db.dashboards.limit = maxDashboards
	return db
}

// Open opens the database the URL names: PostgreSQL for postgres:// or
// postgresql:// URLs, otherwise the SQLite file at sqlitePath.
func Open(ctx context.Context, url, sqlitePath string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return OpenPostgres(ctx, url)
	}
	if url != "" {
		return nil, fmt.Errorf("store: unsupported database URL (want postgres://...): %.12q", url)
	}
	return OpenSQLite(ctx, sqlitePath)
}

// Close releases the database.
func (db *DB) Close() error {
	db.background.Wait()
	stmts := errors.Join(db.readStmts.close(), db.writeStmts.close())
	if db.ckpt != nil {
		stmts = errors.Join(stmts, db.ckpt.close())
	}
	if db.valueReads != nil {
		stmts = errors.Join(stmts, db.valueReads.Close())
	}
	if db.read == db.write {
		return errors.Join(stmts, db.write.Close())
	}
	return errors.Join(stmts, db.read.Close(), db.write.Close())
}

// Dialect names the SQL dialect in use: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// SetClock replaces the store's clock; tests use it to control time.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

func (db *DB) utcNow() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// migrationSteps are the parts of migrations written in Go, run right
// after the migration's SQL in the same transaction.
var migrationSteps = map[string]func(*Tx, context.Context) error{
	"0006_dashboard.sql":   (*Tx).RebuildDashboard,
	"0010_street_name.sql": (*Tx).fillStreetNames,
	"0013_case_extras.sql": (*Tx).countCaseExtras,
}

// migrate applies the embedded migrations that have not run yet, in
// file-name order, in one transaction: a failed migration leaves the schema
// as it was.
func (db *DB) migrate(ctx context.Context) error {
	dir := "migrations/" + db.d.name
	names, err := KnownMigrations(db.d.name)
	if err != nil {
		return err
	}
	applied := 0
	err = db.Update(ctx, func(tx *Tx) error {
		if db.d.lockMigrations != "" {
			if err := tx.exec(ctx, db.d.lockMigrations); err != nil {
				return err
			}
		}
		if err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at `+db.d.timestamp+` NOT NULL)`); err != nil {
			return err
		}
		for _, name := range names {
			var n int
			if err := tx.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			body, err := fs.ReadFile(migrations, dir+"/"+name)
			if err != nil {
				return err
			}
			if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if step := migrationSteps[name]; step != nil {
				if err := step(tx, ctx); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			if err := tx.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, tx.now); err != nil {
				return err
			}
			applied++
		}
		trigram, err := tx.trigramIndex(ctx)
		db.trigram = trigram
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if applied > 0 {
		return db.refreshStats(ctx)
	}
	return nil
}

// refreshStats brings SQLite's planner statistics up to date after a
// migration. A database analysed before a migration added an index has no
// statistics for it, and the planner then takes the new index for every
// query its first column fits: at a million cases the new street index
// won every customer's search and sorted 600 000 rows. PRAGMA optimize
// analyses what needs it, each index from a sample (analysis_limit), so
// this costs milliseconds at any size. PostgreSQL keeps its own
// statistics (autovacuum).
func (db *DB) refreshStats(ctx context.Context) error {
	if db.d.name != "sqlite" {
		return nil
	}
	for _, q := range []string{`PRAGMA analysis_limit = 1000`, `PRAGMA optimize = 0x10002`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: planner statistics: %w", err)
		}
	}
	// The readers plan with the statistics they loaded when they opened.
	db.read.SetMaxIdleConns(0)
	db.read.SetMaxIdleConns(8)
	return nil
}

// Tx is a write transaction. Every mutation is a method on Tx, so several
// can be combined atomically with DB.Update; DB has one-call shortcuts for
// the common single mutations.
type Tx struct {
	tx    *sql.Tx
	d     dialect
	stmts *stmtCache // the writer's prepared statements; nil on PostgreSQL
	// local holds the statements bound to this transaction, which
	// closes them when it ends.
	local map[string]*sql.Stmt
	now   time.Time // one timestamp for everything the transaction writes
	// changed holds the cases the transaction changed, in order, with
	// their Dashboard share before the first change; they are settled
	// once, just before the commit (see changeCase).
	changed []changedCase
	// touched holds the customers whose cases the transaction changed,
	// for the change log once it has committed (countcache.go).
	touched []int64
	// newCases are the cases the transaction created, counted for the
	// text index once it has committed (searchtext.go).
	newCases []int64
	// mailQueued is set when the transaction wrote to the outbox.
	mailQueued bool
	// sequences are the database's case-number sequences known to be
	// there (PostgreSQL; see nextCaseNumber); madeSequences those this
	// transaction made or found, known to all once it has committed.
	sequences     *sync.Map // name → true
	madeSequences []string
	// numbers, in a group transaction, are the counters' numbers the
	// group has taken (groupnumbers.go).
	numbers groupNumbers
}

// Update runs fn in a write transaction, committing if fn returns nil and
// rolling back otherwise; it returns once the commit is done. On SQLite,
// saves that queue behind one another share a transaction, each in its
// own savepoint (see group.go): fn's work is committed or dropped as a
// whole either way.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	if db.writeTime != nil {
		defer observeSince(db.writeTime, time.Now())
	}
	if db.group != nil {
		return db.updateGrouped(ctx, fn)
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := db.newTx(sqlTx)
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.settleChanged(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.committed(tx)
	db.writeStmts.preparePending()
	return nil
}

// execAlone runs a write of one statement that needs nothing of Update's
// bookkeeping (no case, customer or mail it makes known). On PostgreSQL
// it is autocommitted: one round trip, where BEGIN and COMMIT around it
// are two more. On SQLite it goes with the next group (Update).
func (db *DB) execAlone(ctx context.Context, q string, args ...any) error {
	_, err := db.execCount(ctx, q, args...)
	return err
}

// execCount is execAlone that reports the rows changed.
func (db *DB) execCount(ctx context.Context, q string, args ...any) (int64, error) {
	if db.group != nil {
		var n int64
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			n, err = tx.execCount(ctx, q, args...)
			return err
		})
		return n, err
	}
	if db.writeTime != nil {
		defer observeSince(db.writeTime, time.Now())
	}
	res, err := db.write.ExecContext(ctx, db.d.rebind(q), args...)
	return rowsChanged(res, db.d.mapErr(err))
}

// newTx is a store transaction on sqlTx.
func (db *DB) newTx(sqlTx *sql.Tx) *Tx {
	return &Tx{tx: sqlTx, d: db.d, stmts: db.writeStmts, now: db.utcNow(), sequences: &db.sequences}
}

// committed makes known what tx did, now that it has committed: the
// customers whose cases changed (countcache.go), and the case-number
// sequences it made or found.
func (db *DB) committed(tx *Tx) {
	db.changes.record(tx.touched)
	db.casesSaved(len(tx.newCases))
	if tx.mailQueued {
		select {
		case db.mailQueued <- struct{}{}:
		default:
		}
	}
	for _, s := range tx.madeSequences {
		db.sequences.Store(s, true)
	}
}

// at is t in UTC, or the transaction's time when t is zero: for records
// whose time a caller (an import of history) may set.
func (tx *Tx) at(t time.Time) time.Time {
	if t.IsZero() {
		return tx.now
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) error {
	_, err := tx.execCount(ctx, q, args...)
	return err
}

// execCount is exec that reports the rows changed.
func (tx *Tx) execCount(ctx context.Context, q string, args ...any) (int64, error) {
	q = tx.d.rebind(q)
	if st := tx.stmt(ctx, q); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return rowsChanged(res, tx.d.mapErr(err))
	}
	res, err := tx.tx.ExecContext(ctx, q, args...)
	return rowsChanged(res, tx.d.mapErr(err))
}

// rowsChanged is the count of rows a statement's result changed, or err.
func rowsChanged(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = tx.d.rebind(q)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.tx.QueryRowContext(ctx, q, args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = tx.d.rebind(q)
	if st := tx.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.tx.QueryContext(ctx, q, args...)
}

// insert runs an INSERT ... RETURNING id and gives the new id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, tx.d.mapErr(err)
}

// stmt is q prepared, bound to the transaction, or nil to run q as it is
// (PostgreSQL, a full cache, or a statement that does not prepare, whose
// error running it unprepared then reports).
func (tx *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	if st := tx.local[q]; st != nil {
		return st
	}
	st, err := tx.stmts.get(ctx, q)
	if err != nil {
		return nil
	}
	if st != nil {
		st = tx.tx.StmtContext(ctx, st)
	} else if !tx.stmts.full() {
		// Not kept yet (it will be once the transaction ends): prepared
		// for this transaction, which may run it many times (a demo load,
		// an invoice run, a migration).
		if st, err = tx.tx.PrepareContext(ctx, q); err != nil {
			return nil
		}
	}
	if st != nil {
		if tx.local == nil {
			tx.local = map[string]*sql.Stmt{}
		}
		tx.local[q] = st
	}
	return st
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = db.d.rebind(q)
	if db.readTime != nil {
		defer observeSince(db.readTime, time.Now())
	}
	if db.trace != nil {
		db.trace(q, args)
	}
	if st, err := db.readStmts.get(ctx, q); st != nil && err == nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.reader(q).QueryRowContext(ctx, q, args...)
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = db.d.rebind(q)
	if db.readTime != nil {
		defer observeSince(db.readTime, time.Now())
	}
	if db.trace != nil {
		db.trace(q, args)
	}
	if st, err := db.readStmts.get(ctx, q); st != nil && err == nil {
		return st.QueryContext(ctx, args...)
	}
	return db.reader(q).QueryContext(ctx, q, args...)
}

// reader is the pool that runs the read q: on PostgreSQL a statement
// planned for its values goes to valueReads.
func (db *DB) reader(q string) *sql.DB {
	if db.valueReads != nil && strings.Contains(q, byValue) {
		return db.valueReads
	}
	return db.read
}

// mapErr turns driver errors into the domain's sentinels.
func (d dialect) mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return repair.ErrNotFound
	case d.isUniqueViolation(err):
		return fmt.Errorf("%w: %v", repair.ErrConflict, err)
	}
	return err
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// rowScanner is what *sql.Row and *sql.Rows have in common, so one scanX
// per entity serves single-row and list queries.
type rowScanner interface {
	Scan(dest ...any) error
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	return collectN(rows, err, 0, scan)
}

// collectN is collect for about n rows, made room for at once: a page of
// cases would otherwise be copied as it grows, each case some 500 bytes.
// n is room, not a limit (that is the query's LIMIT): room for rows that
// never come is allocated and cleared all the same.
func collectN[T any](rows *sql.Rows, err error, n int, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return collectRows(rows, n, scan)
}

// collectRows scans every row of rows with scan, making room for n.
func collectRows[T any](rows rowsReader, n int, scan func(rowScanner) (T, error)) ([]T, error) {
	out := make([]T, 0, n)
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
