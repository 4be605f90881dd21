package store

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"
	"sync"
)

// Group commit. SQLite takes one writer at a time, and every commit costs
// the same whatever it holds: the pages of the cases table and its many
// indexes are written to the WAL again for each one. So when saves queue
// up, the store runs the waiting ones in one transaction, each in a
// savepoint of its own, and commits once. Every caller is still answered
// only after the commit that holds its work (or with its own error, its
// savepoint rolled back and nothing of it kept), so the crash guarantees
// are those of one transaction per save: what was acknowledged is on
// disk, and what was not is all or nothing. The saves queue and run in
// turns (below): nobody waits to form a group.

// maxGroup bounds the saves of one transaction (and PostgreSQL's new
// cases saved together, filing.go).
const maxGroup = 64

// writeReq is one Update waiting for the writer.
type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
	// tx is the save's transaction once it has run and been kept, for
	// what follows its commit (DB.committed).
	tx *Tx
	// between, if set, is run instead of fn in the writer's turn
	// between two groups, outside any transaction (DB.betweenGroups).
	between func() error
}

// groupWriter queues the Updates of a SQLite store.
type groupWriter struct {
	turns[writeReq]
	groups int // transactions committed, for tests
	saves  int // Updates they held
}

// panicked carries a save's panic back to its caller's goroutine.
type panicked struct {
	value any
	stack []byte
}

func (p panicked) Error() string { return fmt.Sprintf("store: save panicked: %v", p.value) }

// updateGrouped runs fn in the next group transaction.
func (db *DB) updateGrouped(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	db.group.add(req, maxGroup, db.runTurn)
	err := <-req.done
	if p, ok := err.(panicked); ok {
		panic(fmt.Sprintf("%v\n\n(in a grouped save)\n%s", p.value, p.stack))
	}
	return err
}

// turns runs queued requests in batches, one batch at a time, with
// nobody waiting to form one: the first request finds no batch running
// and runs alone; requests arriving while a batch runs queue, and the
// next batch takes them all (up to a bound). The caller whose request
// starts a run leads until its own request has run, then hands the
// queue to a new leader, so under steady load no caller runs others'
// batches forever.
type turns[R any] struct {
	mu      sync.Mutex
	queue   []*R
	leading bool
}

// add queues r and, if no batch is running, leads: runs the queue in
// batches of at most max with run until r's batch has run. run answers
// every request of its batch.
func (t *turns[R]) add(r *R, max int, run func([]*R)) {
	t.mu.Lock()
	t.queue = append(t.queue, r)
	lead := !t.leading
	t.leading = true
	t.mu.Unlock()
	if lead {
		t.lead(r, max, run)
	}
}

// lead runs batches from the queue until own has been run, then hands
// the rest of the queue to a new leader.
func (t *turns[R]) lead(own *R, max int, run func([]*R)) {
	for {
		t.mu.Lock()
		if len(t.queue) == 0 {
			t.leading = false
			t.mu.Unlock()
			return
		}
		n := min(len(t.queue), max)
		batch := t.queue[:n:n]
		t.queue = t.queue[n:]
		t.mu.Unlock()
		run(batch)
		for _, r := range batch {
			if r == own {
				t.mu.Lock()
				more := len(t.queue) > 0
				if !more {
					t.leading = false
				}
				t.mu.Unlock()
				if more {
					go t.lead(nil, max, run)
				}
				return
			}
		}
	}
}

// betweenGroups runs fn in the writer's turn, after the group before it
// has committed and before the next begins: while it runs, no save is
// under way and the writer holds no transaction.
func (db *DB) betweenGroups(fn func() error) error {
	req := &writeReq{ctx: context.Background(), between: fn, done: make(chan error, 1)}
	db.group.add(req, maxGroup, db.runTurn)
	return <-req.done
}

// runTurn runs a batch of the queue in order: its saves in group
// transactions, and each request to run between groups on its own.
func (db *DB) runTurn(batch []*writeReq) {
	start := 0
	for i, r := range batch {
		if r.between == nil {
			continue
		}
		if i > start {
			db.runGroup(batch[start:i])
		}
		r.done <- r.between()
		start = i + 1
	}
	if start < len(batch) {
		db.runGroup(batch[start:])
	}
}

// runGroup runs the saves of batch in one transaction, each in its own
// savepoint, and answers each after the commit.
func (db *DB) runGroup(batch []*writeReq) {
	// Whatever the group ran unprepared is prepared once it has ended.
	defer db.writeStmts.preparePending()
	// The transaction is the group's, not any one caller's: a caller
	// that gives up must not interrupt the others' saves, so each save
	// runs on its caller's context without its cancellation, and a
	// caller gone before its turn is skipped.
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	var saved []*writeReq
	numbers := groupNumbers{}
	fail := func(err error) {
		sqlTx.Rollback()
		for _, r := range saved {
			r.done <- err
		}
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		if _, err := sqlTx.Exec(`SAVEPOINT save`); err != nil {
			fail(fmt.Errorf("store: savepoint: %w", err))
			for _, r := range batch[i:] {
				r.done <- fmt.Errorf("store: savepoint: %w", err)
			}
			return
		}
		tx := db.newTx(sqlTx)
		tx.numbers = numbers
		// What the save takes of the counters it gives back if it is
		// rolled back.
		taken := maps.Clone(numbers)
		err := runSave(context.WithoutCancel(r.ctx), tx, r.fn)
		if err != nil {
			numbers = taken
			if _, rbErr := sqlTx.Exec(`ROLLBACK TO save`); rbErr != nil {
				// The transaction is lost, and every save in it.
				fail(fmt.Errorf("store: rollback to savepoint: %w (after: %v)", rbErr, err))
				r.done <- err
				for _, r := range batch[i+1:] {
					r.done <- fmt.Errorf("store: rollback to savepoint: %w", rbErr)
				}
				return
			}
		}
		if _, relErr := sqlTx.Exec(`RELEASE save`); relErr != nil {
			fail(fmt.Errorf("store: release savepoint: %w", relErr))
			if err == nil {
				err = fmt.Errorf("store: release savepoint: %w", relErr)
			}
			r.done <- err
			for _, r := range batch[i+1:] {
				r.done <- fmt.Errorf("store: release savepoint: %w", relErr)
			}
			return
		}
		if err != nil {
			r.done <- err
			continue
		}
		r.tx = tx
		saved = append(saved, r)
	}
	if err := numbers.store(context.Background(), db.newTx(sqlTx)); err != nil {
		fail(err)
		return
	}
	if err := sqlTx.Commit(); err != nil {
		for _, r := range saved {
			r.done <- fmt.Errorf("store: commit: %w", err)
		}
		return
	}
	db.group.mu.Lock()
	db.group.groups++
	db.group.saves += len(saved)
	db.group.mu.Unlock()
	for _, r := range saved {
		db.committed(r.tx)
		r.done <- nil
	}
}

// runSave runs one save's fn and settles the cases it changed, turning a
// panic into an error for its caller to raise again.
func runSave(ctx context.Context, tx *Tx, fn func(*Tx) error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{value: v, stack: debug.Stack()}
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.settleChanged(ctx)
}

// groupStats reports the group transactions committed and the saves they
// held.
func (db *DB) groupStats() (groups, saves int) {
	db.group.mu.Lock()
	defer db.group.mu.Unlock()
	return db.group.groups, db.group.saves
}
