package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Prepared statements. SQLite spends as long parsing and planning a
// statement as running it, and the store's statements are few fixed texts
// run again and again, so on SQLite each is prepared once per connection
// and kept: database/sql's Stmt remembers its prepared form on every
// connection it has run on. (pgx already keeps a statement cache per
// connection, so PostgreSQL needs none of this.)
//
// Texts built per call with a varying number of rows or values (a
// multi-row upsert, an IN list) would fill the cache with statements run
// once, so it stops taking new texts at maxStmts and runs those unprepared.

// maxStmts bounds one pool's cached statements.
const maxStmts = 400

// stmtCache holds one pool's prepared statements by their text.
type stmtCache struct {
	pool *sql.DB
	// later defers preparing to preparePending: the writer's one
	// connection is busy with the transaction that first runs a
	// statement, and preparing on the pool would wait for it forever.
	later   bool
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
}

func newStmtCache(pool *sql.DB, later bool) *stmtCache {
	return &stmtCache{pool: pool, later: later, m: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns q prepared, or nil when the cache is full (or nil itself),
// and q should run as it is.
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.m[q]; ok {
		return s, nil
	}
	if len(c.m)+len(c.pending) >= maxStmts {
		return nil, nil
	}
	if c.later {
		c.pending[q] = true
		return nil, nil
	}
	// Prepared without the caller's deadline: the statement outlives the
	// request that first ran it.
	s, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil, err
	}
	c.m[q] = s
	return s, nil
}

// full reports whether the cache takes no more statements.
func (c *stmtCache) full() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)+len(c.pending) >= maxStmts
}

// preparePending prepares the statements a transaction ran unprepared; the
// writer calls it once the transaction has ended and its connection is
// free. A statement that does not prepare is left to run unprepared.
func (c *stmtCache) preparePending() {
	if c == nil {
		return
	}
	c.mu.Lock()
	var qs []string
	for q := range c.pending {
		qs = append(qs, q)
	}
	c.mu.Unlock()
	// Preparing may wait for the connection, which another transaction
	// may hold meanwhile: never with the lock held, which that
	// transaction's statements need.
	for _, q := range qs {
		s, err := c.pool.Prepare(q)
		c.mu.Lock()
		delete(c.pending, q)
		if err == nil {
			if old, ok := c.m[q]; ok {
				old.Close()
			}
			c.m[q] = s
		}
		c.mu.Unlock()
	}
}

// close closes the cached statements.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, s := range c.m {
		errs = append(errs, s.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}
