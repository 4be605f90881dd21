package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// A group's counters. Every new case takes the next number of its year's
// series from the counters table (nextNumber), one UPSERT a case: 8 % of
// the one writer's time at a million cases, where the writer is what
// limits the saves (docs/PERFORMANCE.md). In a group transaction the
// first save to take a counter's number reads it from the table as
// before; the group's later saves take the numbers after it from memory,
// and the table is given the last one once, just before the commit, in
// the same transaction. A save rolled back to its savepoint gives back
// what it took (its UPSERT is rolled back with it), so the series stays
// without gaps, and what a crash keeps is all of a group or none of it,
// as before.

// groupNumbers is what a group transaction has taken of each counter,
// by the counter's name.
type groupNumbers map[string]groupCounter

// groupCounter is one counter in a group: the number it hands out next,
// and the value the counters table holds for it in the transaction.
type groupCounter struct{ next, stored int64 }

// take gives the next number of the counter name, reading it in tx the
// first time the group asks for it.
func (g groupNumbers) take(ctx context.Context, tx *Tx, name string) (int64, error) {
	if c, ok := g[name]; ok {
		g[name] = groupCounter{next: c.next + 1, stored: c.stored}
		return c.next, nil
	}
	v, err := tx.upsertNumber(ctx, name)
	if err != nil {
		return 0, err
	}
	g[name] = groupCounter{next: v + 1, stored: v}
	return v, nil
}

// store writes each counter's last number taken from memory to the
// counters table, in tx (the group's transaction, outside any save's
// savepoint), in the counters' order.
func (g groupNumbers) store(ctx context.Context, tx *Tx) error {
	for _, name := range slices.Sorted(maps.Keys(g)) {
		c := g[name]
		if c.next-1 == c.stored {
			continue
		}
		if err := tx.exec(ctx, `UPDATE counters SET value = ? WHERE name = ?`, c.next-1, name); err != nil {
			return fmt.Errorf("store: counter %s: %w", name, err)
		}
	}
	return nil
}
