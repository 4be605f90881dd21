package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// Backups. An online backup of SQLite is a snapshot taken with VACUUM INTO
// on a read-only connection of its own: in WAL mode it reads one
// consistent state of the database while saves go on (a reader never
// blocks the writer, nor the writer a reader), and the store's one write
// connection and its group commits are never touched. The copy is compact,
// in rollback-journal mode and complete without a -wal file.
//
// A backup next to a running server opens the database with
// OpenSQLiteReadOnly, which neither migrates nor writes: OpenSQLite would
// migrate under a server of another version and end the outbox's claims
// of the server's mails in flight.

// ErrPostgresBackup is the answer of the SQLite-only backup functions on
// PostgreSQL, whose own tools do it.
var ErrPostgresBackup = errors.New("store: the database is PostgreSQL: back it up with pg_dump (see the README, Backup and restore)")

// readOnlyDSN opens the SQLite file at path for reading only, waiting
// for a writer of another process rather than failing.
func readOnlyDSN(path string) string { return "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)" }

// OpenSQLiteReadOnly opens the existing SQLite database at path for
// reading only: no migration, no write, the file and its data untouched,
// whether a server has it open or not (SQLite may make its -wal and -shm
// files beside it). It is for a backup of a live database and for reading
// a snapshot; every save on it fails.
func OpenSQLiteReadOnly(ctx context.Context, path string) (*DB, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("store: open %s: not a file", path)
	}
	ro, err := sql.Open("sqlite", readOnlyDSN(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	ro.SetMaxOpenConns(4)
	db := newDB(ro, ro, sqliteDialect)
	var n int
	if err := ro.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		ro.Close()
		return nil, fmt.Errorf("store: open %s: not a Kundportal database: %w", path, err)
	}
	return db, nil
}

// SnapshotSQLite writes a consistent copy of the database, as it is at one
// moment, to path, which must not exist or be empty; the copy is made
// readable by this user only and synced. It reads on a connection of its
// own, so saves go on meanwhile and are not in the copy. On PostgreSQL it
// returns ErrPostgresBackup.
func (db *DB) SnapshotSQLite(ctx context.Context, path string) (err error) {
	if db.d.name != "sqlite" {
		return ErrPostgresBackup
	}
	var src string
	if err := db.read.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&src); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	if src == "" {
		return errors.New("store: snapshot: the database has no file")
	}
	// SQLite writes into an empty file as into a new one; made here, so
	// that it is private from the start.
	out, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	if fi, err := out.Stat(); err != nil || fi.Size() != 0 {
		out.Close()
		if err == nil {
			err = fmt.Errorf("%s exists and is not empty", path)
		}
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// From here on the file is the snapshot's, removed if it fails.
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	err = out.Chmod(0o600)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// Read-only: VACUUM INTO writes the copy only, and query_only, which
	// the read pool has, refuses it.
	conn, err := sql.Open("sqlite", readOnlyDSN(src))
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// VACUUM INTO does not sync what it wrote.
	out, err = os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	err = out.Sync()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	return nil
}

// blobSums are the file-store blobs the database refers to: every file's
// bytes and thumbnail, and the PDF each seal-log entry sealed (its note's
// file, unless the log was changed, which kundportal verify reports).
// A delivery note's snapshot_sha256 is the hash of a JSON document that is
// not stored, so it names no blob.
const blobSums = `SELECT sha256 FROM files
	UNION SELECT thumb_sha256 FROM files WHERE thumb_sha256 <> ''
	UNION SELECT file_sha256 FROM seal_log
	ORDER BY 1`

// Blobs calls fn with the SHA-256 of every blob in the file store that the
// database refers to, each once, in order, reading the rows as fn goes; an
// error from fn stops it and is returned. It reads the whole files table,
// for a backup, not for a page.
func (db *DB) Blobs(ctx context.Context, fn func(sum string) error) error {
	rows, err := db.read.QueryContext(ctx, blobSums)
	if err != nil {
		return fmt.Errorf("store: blobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return fmt.Errorf("store: blobs: %w", err)
		}
		if err := fn(sum); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: blobs: %w", err)
	}
	return nil
}

// Inventory is what a database holds, in numbers, for a backup's manifest
// and for checking a restored copy against it.
type Inventory struct {
	Migrations    []string // the schema migrations applied, by name, in order
	Customers     int64
	Users         int64
	Cases         int64
	Files         int64
	DeliveryNotes int64
	SealEntries   int64
	// LastSealHash is the newest seal-log entry's hash ("" for none):
	// kept outside the database, it shows whether entries were later
	// removed from the end of the log, which the chain cannot.
	LastSealHash string
}

// Inventory counts the database's records. It counts whole tables, for a
// backup, not for a page.
func (db *DB) Inventory(ctx context.Context) (Inventory, error) {
	var inv Inventory
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	inv.Migrations, err = collect(rows, err, func(r rowScanner) (string, error) {
		var name string
		return name, r.Scan(&name)
	})
	if err != nil {
		return inv, fmt.Errorf("store: inventory: %w", err)
	}
	err = db.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM customers), (SELECT count(*) FROM users), (SELECT count(*) FROM cases),
		(SELECT count(*) FROM files), (SELECT count(*) FROM delivery_notes), (SELECT count(*) FROM seal_log),
		coalesce((SELECT entry_hash FROM seal_log ORDER BY id DESC LIMIT 1), '')`).Scan(
		&inv.Customers, &inv.Users, &inv.Cases, &inv.Files, &inv.DeliveryNotes, &inv.SealEntries, &inv.LastSealHash)
	if err != nil {
		return inv, fmt.Errorf("store: inventory: %w", err)
	}
	return inv, nil
}

// KnownMigrations are the schema migrations of this build for the dialect
// ("sqlite" or "postgres"), by name, in order: a database that has applied
// others was made by a newer Kundportal.
func KnownMigrations(dialect string) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+dialect)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// maxProblems bounds the problems CheckIntegrity reports.
const maxProblems = 100

// CheckIntegrity runs SQLite's integrity_check, which reads every page and
// index, and foreign_key_check, and returns the problems they found (at
// most maxProblems), none when the database is sound. It reads the whole
// database. On PostgreSQL it returns ErrPostgresBackup.
func (db *DB) CheckIntegrity(ctx context.Context) ([]string, error) {
	if db.d.name != "sqlite" {
		return nil, ErrPostgresBackup
	}
	rows, err := db.read.QueryContext(ctx, fmt.Sprintf(`PRAGMA integrity_check(%d)`, maxProblems))
	problems, err := collect(rows, err, func(r rowScanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	if err != nil {
		return nil, fmt.Errorf("store: integrity check: %w", err)
	}
	if len(problems) == 1 && problems[0] == "ok" {
		problems = nil
	}
	rows, err = db.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("store: foreign key check: %w", err)
	}
	defer rows.Close()
	for rows.Next() && len(problems) < maxProblems {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, fmt.Errorf("store: foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s row", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: foreign key check: %w", err)
	}
	return problems, nil
}
