package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Reads together. A page that shows several lists of one thing (a case's
// history, work orders, actions, costs and files) pays a round trip for
// each list on PostgreSQL, where SQLite, in the process, pays none: the
// case page was seven statements and 2.6× SQLite's time. readTogether
// sends such reads at once. On PostgreSQL they go as one pipeline on one
// connection (pgx's batch: one round trip, each statement prepared once
// per connection as database/sql's are), and up to its Sync they are one
// implicit transaction. On SQLite they run one after the other through
// the statement cache, as db.query runs any read.

// rowsReader is what *sql.Rows and pgx.Rows have in common.
type rowsReader interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// aRead is one read of readTogether: its query, and what takes its rows.
type aRead struct {
	q    string
	args []any
	take func(rowsReader) error
}

// readList reads rows of q into *out, each with scan.
func readList[T any](out *[]T, scan func(rowScanner) (T, error), q string, args ...any) aRead {
	return aRead{q: q, args: args, take: func(rows rowsReader) error {
		v, err := collectRows(rows, 0, scan)
		*out = v
		return err
	}}
}

// readOne reads the one row of q into *out; without a row it is
// sql.ErrNoRows, which mapErr makes repair.ErrNotFound.
func readOne[T any](out *T, scan func(rowScanner) (T, error), q string, args ...any) aRead {
	return aRead{q: q, args: args, take: func(rows rowsReader) error {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return sql.ErrNoRows
		}
		v, err := scan(rows)
		*out = v
		return err
	}}
}

// readTogether runs reads, each read's rows taken by its take, in order;
// it stops at the first error.
func (db *DB) readTogether(ctx context.Context, reads ...aRead) error {
	if db.readTime != nil {
		defer observeSince(db.readTime, time.Now())
	}
	for i := range reads {
		reads[i].q = db.d.rebind(reads[i].q)
		if db.trace != nil {
			db.trace(reads[i].q, reads[i].args)
		}
	}
	if db.d.name != "postgres" || len(reads) == 1 {
		for _, r := range reads {
			if err := db.readOneByOne(ctx, r); err != nil {
				return err
			}
		}
		return nil
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: read together: a %T is not pgx's", driverConn)
		}
		var b pgx.Batch
		for _, r := range reads {
			b.Queue(r.q, r.args...)
		}
		results := pc.Conn().SendBatch(ctx, &b)
		for _, r := range reads {
			if err := takeBatched(results, r); err != nil {
				return errors.Join(err, results.Close())
			}
		}
		return results.Close()
	})
}

// readOneByOne runs r as any read runs (db.query).
func (db *DB) readOneByOne(ctx context.Context, r aRead) error {
	var rows *sql.Rows
	var err error
	if st, serr := db.readStmts.get(ctx, r.q); st != nil && serr == nil {
		rows, err = st.QueryContext(ctx, r.args...)
	} else {
		rows, err = db.reader(r.q).QueryContext(ctx, r.q, r.args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := r.take(rows); err != nil {
		return err
	}
	return rows.Err()
}

// takeBatched hands the next result of a batch to r.
func takeBatched(results pgx.BatchResults, r aRead) error {
	rows, err := results.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := r.take(rows); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}
