package store

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"kundportal/internal/repair"
)

// The count a search shows costs more than its page on a large customer
// (up to CountCap index entries against 51 rows), and the Fakturamärkning
// list beside it is read on every visit. Both are derived from a
// customer's data and change only when it does, so the store keeps them
// until the next change to that customer's cases, which every write of
// this process announces when it commits (changeLog). A change another
// app instance commits (several instances share one PostgreSQL) is not
// announced here: what is kept is also dropped after derivedTTL, which
// bounds how long a count can lag such a change. The rows of a page are
// always read afresh.

// derivedTTL is how long a kept count or list serves at most.
const derivedTTL = time.Minute

// maxDerived bounds the entries of one cache; past it the oldest half is
// dropped.
const maxDerived = 4096

// maxDashboards bounds the Dashboard's kept views: a view is up to a few
// hundred bars (a large customer's streets), not one number, so fewer of
// them are kept (some 25 MB at most).
const maxDashboards = 256

// changeLog numbers the committed changes to cases: per customer, and in
// all. A scope's version is the number of changes it could see, so
// whatever was derived at one version holds while the version stands.
type changeLog struct {
	mu  sync.Mutex
	all uint64
	per map[int64]uint64
}

// version is the number of changes scope could have seen so far: its
// customer's for a customer, every change for the office and technicians.
func (l *changeLog) version(scope repair.Scope) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := scope.Customer(); c > 0 {
		return l.per[c]
	}
	return l.all
}

// record counts a committed change to the cases of each of customers.
// It must be called after the commit: a version read before it and a
// count that did not see the change must not meet a later reader.
func (l *changeLog) record(customers []int64) {
	if len(customers) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.per == nil {
		l.per = map[int64]uint64{}
	}
	l.all++
	for _, c := range customers {
		l.per[c]++
	}
}

// touch notes that the transaction changes customer's cases (or what is
// derived from them), for the change log once it has committed.
func (tx *Tx) touch(customer int64) {
	if !slices.Contains(tx.touched, customer) {
		tx.touched = append(tx.touched, customer)
	}
}

// derived is a value kept at a version of a scope's data.
type derived[V any] struct {
	value   V
	version uint64
	at      time.Time
}

// derivedCache keeps values derived from a scope's data, each valid at
// the version it was derived at and for derivedTTL.
type derivedCache[V any] struct {
	mu    sync.Mutex
	m     map[string]derived[V]
	limit int // the most entries kept; 0 is maxDerived
}

// get returns the value kept under key if it was derived at version and
// is fresh at now.
func (c *derivedCache[V]) get(key string, version uint64, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.version != version || now.Sub(e.at) > derivedTTL || now.Before(e.at) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put keeps v under key, derived at version at now.
func (c *derivedCache[V]) put(key string, v V, version uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]derived[V]{}
	}
	limit := c.limit
	if limit == 0 {
		limit = maxDerived
	}
	if len(c.m) >= limit {
		// Drop the older half: cheap, and a dropped value is only
		// derived again.
		ats := make([]time.Time, 0, len(c.m))
		for _, e := range c.m {
			ats = append(ats, e.at)
		}
		cut := median(ats)
		for k, e := range c.m {
			if !e.at.After(cut) {
				delete(c.m, k)
			}
		}
	}
	c.m[key] = derived[V]{value: v, version: version, at: now}
}

// countEntry is a search's count.
type countEntry struct {
	total  int
	capped bool
}

// countKey is the search without its page: the scope and every filter.
func countKey(scope repair.Scope, f repair.CaseFilter) string {
	f.Cursor, f.Before, f.Limit, f.NoCount = "", false, 0, false
	f.Sort, f.Asc = "", false // the order does not change the count
	return fmt.Sprintf("%+v|%+v", scope, f)
}

func median(ts []time.Time) time.Time {
	if len(ts) == 0 {
		return time.Time{}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts[len(ts)/2]
}
