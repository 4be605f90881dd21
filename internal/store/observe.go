package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Observer takes durations in seconds; a Prometheus histogram is one.
type Observer interface{ Observe(seconds float64) }

// ObserveQueries makes the store report how long its work takes: every
// read query until its first row to read, and every write transaction,
// from the call to Update to its commit (on SQLite including the wait
// for the writer and the group commit), to write. Set it before the
// store is used.
func (db *DB) ObserveQueries(read, write Observer) { db.readTime, db.writeTime = read, write }

// observeSince reports the time since start to o.
func observeSince(o Observer, start time.Time) { o.Observe(time.Since(start).Seconds()) }

// Pools are the store's connection pools by name, for their statistics:
// SQLite's readers and its one writer, or PostgreSQL's one pool.
func (db *DB) Pools() map[string]*sql.DB {
	if db.d.name == "postgres" {
		return map[string]*sql.DB{"postgres": db.write}
	}
	if db.read == db.write { // read-only (OpenSQLiteReadOnly)
		return map[string]*sql.DB{"sqlite_read": db.read}
	}
	return map[string]*sql.DB{"sqlite_read": db.read, "sqlite_write": db.write}
}

// OutboxDepth counts the mails waiting to be sent and those given up on,
// each from its partial index (outbox_due, outbox_failed).
func (db *DB) OutboxDepth(ctx context.Context) (waiting, failed int, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),
		(SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL)`).Scan(&waiting, &failed)
	if err != nil {
		return 0, 0, fmt.Errorf("store: outbox depth: %w", err)
	}
	return waiting, failed, nil
}
