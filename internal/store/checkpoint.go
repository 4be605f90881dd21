package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite's checkpoints, off the writer. In WAL mode a commit appends the
// pages it changed to the WAL, and a checkpoint copies them back into the
// database file and syncs it. By default the connection whose commit
// takes the WAL past 1 000 pages runs the checkpoint, inside that commit:
// the one writer, so every save queued behind it waited for the copy and
// the sync. At a million cases, 32 writers saving through the Nytt ärende
// form, that put the p95 of a save at 2.4–2.8 s right after the database
// was copied (the sync waiting for the copy's writes) and was the tail of
// every run (docs/PERFORMANCE.md). The writer now never checkpoints
// (wal_autocheckpoint 0); a connection of its own does, every
// checkpointEvery, as far as the readers allow (PASSIVE: it waits for
// nobody), and the WAL starts over from its beginning at the next commit
// once all of it is copied and no reader needs it (below, when it has
// grown to walLimit pages). A crash loses nothing either way: the WAL is
// the saves' record until it is copied.
//
// Under a steady stream of saves the WAL did not start over: a group
// commits every few milliseconds, so by the time a checkpoint had copied
// the WAL a commit had added to it, and a write transaction starts the
// WAL over only if it began with all of it copied. So the WAL grew to
// walLimit every 6–9 s, and the RESTART held the writer for 0.2–2.9 s
// (its busy handler sleeping while it waited for the readers), all 32
// waiting saves with it (docs/PERFORMANCE.md). Now, once the WAL holds
// walLimit pages, the checkpointer takes a turn of the writer's between
// two groups (DB.betweenGroups) and copies the few pages committed since
// its last pass, with no save under way: the WAL is then copied whole,
// and the next group starts it over if no reader still reads from it.
// Only if that has not happened by twice walLimit does it RESTART: wait
// for the readers and the writer, as the writer did on every checkpoint
// before.

const checkpointEvery = 200 * time.Millisecond

// walLimit is the WAL's size in pages of 4 KiB (256 MiB) at which the
// checkpointer has it start over (a var for tests).
var walLimit = 64 << 10

// checkpointer copies the WAL of a SQLite database into its file from a
// connection of its own.
type checkpointer struct {
	conn    *sql.DB
	stop    chan struct{}
	done    chan struct{}
	stopped sync.Once
	// version is the database's data_version at the last checkpoint,
	// and settled whether that checkpoint copied the whole WAL: if both
	// still hold, nothing has been committed since and there is nothing
	// to copy (an idle server's ticks touch no WAL).
	version int64
	settled bool
	// inTurn runs a function in the writer's turn between its groups
	// (DB.betweenGroups).
	inTurn   func(func() error) error
	passes   atomic.Int64 // checkpoints run, for tests
	turns    atomic.Int64 // of them in the writer's turn
	restarts atomic.Int64 // RESTARTs
	walPages atomic.Int64 // the WAL's pages at the last checkpoint
}

// startCheckpointer opens dsn, the database as the writer opens it, for
// checkpoints and starts them; inTurn runs a function in the writer's
// turn.
func startCheckpointer(dsn string, inTurn func(func() error) error) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetConnMaxIdleTime(0)
	c := &checkpointer{conn: conn, inTurn: inTurn, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
		if err := c.checkpoint(); err != nil {
			// The WAL keeps the saves; the next tick tries again.
			slog.Warn("store: checkpoint", "err", err)
		}
	}
}

// checkpoint copies what it can of the WAL now, and waits for the others
// to copy all of it if the WAL has grown to walLimit pages.
func (c *checkpointer) checkpoint() error {
	ctx := context.Background()
	var version int64
	if err := c.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	if version == c.version && c.settled {
		return nil
	}
	c.version = version
	c.passes.Add(1)
	var busy, pages, copied int
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &pages, &copied); err != nil {
		c.settled = false
		return fmt.Errorf("passive: %w", err)
	}
	c.settled = busy == 0 && copied == pages
	c.walPages.Store(int64(pages))
	if pages < walLimit {
		return nil
	}
	if pages < 2*walLimit {
		c.turns.Add(1)
		return c.inTurn(func() error {
			_, err := c.conn.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			if err != nil {
				return fmt.Errorf("passive in the writer's turn: %w", err)
			}
			return nil
		})
	}
	c.restarts.Add(1)
	if err := c.conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(RESTART)`).Scan(&busy, &pages, &copied); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// close stops the checkpoints and closes their connection; again, it
// does nothing (as DB.Close).
func (c *checkpointer) close() error {
	c.stopped.Do(func() { close(c.stop) })
	<-c.done
	return c.conn.Close()
}
