package store

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"kundportal/internal/repair"
)

// The count a search shows costs more than its page on a large customer
// (up to CountCap index entries against 51 rows). The first page counts
// afresh, so a case just filed is counted at once; the pages after it,
// reached from the first, show the count it found, kept briefly per scope
// and filter.

// countTTL is how long a first page's count serves the pages after it.
const countTTL = 2 * time.Minute

// maxCounts bounds the counts kept; past it the oldest half is dropped.
const maxCounts = 4096

type countEntry struct {
	total  int
	capped bool
	at     time.Time
}

type countCache struct {
	mu sync.Mutex
	m  map[string]countEntry
}

// countKey is the search without its page: the scope and every filter.
func countKey(scope repair.Scope, f repair.CaseFilter) string {
	f.Cursor, f.Before, f.Limit, f.NoCount = "", false, 0, false
	f.Sort, f.Asc = "", false // the order does not change the count
	return fmt.Sprintf("%+v|%+v", scope, f)
}

func (c *countCache) get(key string, now time.Time) (countEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.at) > countTTL {
		return countEntry{}, false
	}
	return e, true
}

func (c *countCache) put(key string, e countEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]countEntry{}
	}
	if len(c.m) >= maxCounts {
		// Drop the older half: cheap, and a dropped count is only
		// counted again.
		var ats []time.Time
		for _, v := range c.m {
			ats = append(ats, v.at)
		}
		cut := median(ats)
		for k, v := range c.m {
			if !v.at.After(cut) {
				delete(c.m, k)
			}
		}
	}
	c.m[key] = e
}

func median(ts []time.Time) time.Time {
	if len(ts) == 0 {
		return time.Time{}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts[len(ts)/2]
}
