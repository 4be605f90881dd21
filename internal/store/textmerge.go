package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// The Fritext index's merges, in small steps (migration 0021).
//
// FTS5 writes a new segment at each flush and merges the segments of a
// level once it holds four. Left to itself (automerge), it merges 64
// pages for each level of the index whenever the pages written cross a
// mark of 64, inside the flush that crossed it. At a million cases that
// was every other batch of new cases (searchtext.go), which then held
// the one writer for 30–56 ms instead of 5–10 ms while every save queued
// behind it, and set the saves' p95 (docs/PERFORMANCE.md). So automerge
// is off, and after each batch the store does the same work, as much of
// it as FTS5 would have done (the pages written since, times the index's
// levels), in steps of textMergePages pages, each its own Update between
// the saves. A step merges only where a level holds four segments, as
// automerge would; when nothing is left to merge, what is owed is
// dropped.

// textMergePages is the work of one merge step: 8 ms of the writer's at a
// million cases on a slow day. Smaller steps cost more in all (each
// rewrites the first page of every segment it reads from); larger ones
// hold the saves longer (docs/PERFORMANCE.md).
var textMergePages = 32

// maxTextMergeSteps bounds the steps after one batch, a bound and not a
// figure reached: what is left stays owed until the next batch.
const maxTextMergeSteps = 1000

// textMerger is what the text index's merges owe. Its lock is held
// through a round of steps: one round at a time. Its figures are an
// estimate: a step rolled back with its group leaves them a little off,
// which moves a merge a step earlier or later, nothing more.
type textMerger struct {
	mu sync.Mutex
	// pages is the index's leaf pages as last seen (if seen); owed is
	// the pages of merging not yet done.
	pages int64
	seen  bool
	owed  int64
}

// mergeText does the merging owed for what was written to the text index
// since it last looked, a step an Update. m's lock is held. PostgreSQL's
// trigram index has nothing of the kind.
func (db *DB) mergeText(ctx context.Context, m *textMerger) error {
	if db.d.name != "sqlite" {
		return nil
	}
	for range maxTextMergeSteps {
		var more bool
		err := db.Update(ctx, func(tx *Tx) error {
			var err error
			more, err = m.step(ctx, tx.tx, textMergePages)
			return err
		})
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// note reads the index's structure in tx and adds to what is owed the
// merging of the pages written since the last look.
func (m *textMerger) note(ctx context.Context, tx *sql.Tx) error {
	s, err := readTextStructure(ctx, tx)
	if err != nil {
		return err
	}
	if m.seen && s.pages > m.pages {
		m.owed += (s.pages - m.pages) * int64(s.levels)
	}
	m.pages, m.seen = s.pages, true
	return nil
}

// step notes the pages written since the last look, merges up to pages
// pages if anything is owed, and says whether more is owed.
func (m *textMerger) step(ctx context.Context, tx *sql.Tx, pages int) (bool, error) {
	if err := m.note(ctx, tx); err != nil || m.owed <= 0 {
		return false, err
	}
	merged, err := mergeTextStep(ctx, tx, pages)
	if err != nil {
		return false, err
	}
	s, err := readTextStructure(ctx, tx)
	if err != nil {
		return false, err
	}
	m.pages = s.pages
	// A step that found less to merge than it could have done leaves
	// nothing in hand, as in FTS5.
	m.owed = max(0, m.owed-int64(pages))
	if !merged {
		m.owed = 0
	}
	return m.owed > 0, nil
}

// mergeTextStep merges about pages pages of the text index's segments in
// tx, where a level holds four segments or more, and says whether it
// merged anything: FTS5 writes a page and the index's structure, two
// changes or more, for a step that merged.
func mergeTextStep(ctx context.Context, tx *sql.Tx, pages int) (bool, error) {
	var before, after int64
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cases_text (cases_text, rank) VALUES ('merge', ?)`, pages); err != nil {
		return false, fmt.Errorf("store: text index: merge: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
		return false, err
	}
	return after-before >= 2, nil
}

// textStructure is what the store reads of the text index's structure
// record: its levels and segments, the most segments a level holds that
// is not being merged, and the leaf pages of all.
type textStructure struct {
	levels   int
	segments int
	crowded  int
	pages    int64
}

// readTextStructure reads the text index's structure record (row 10 of
// cases_text_data) in tx.
func readTextStructure(ctx context.Context, tx *sql.Tx) (textStructure, error) {
	var rec []byte
	err := tx.QueryRowContext(ctx, `SELECT block FROM cases_text_data WHERE id = 10`).Scan(&rec)
	if errors.Is(err, sql.ErrNoRows) {
		return textStructure{}, nil // an index nothing was written to
	}
	if err != nil {
		return textStructure{}, fmt.Errorf("store: text index: structure: %w", err)
	}
	s, ok := decodeTextStructure(rec)
	if !ok {
		return textStructure{}, fmt.Errorf("store: text index: structure record of %d bytes not understood", len(rec))
	}
	return s, nil
}

// decodeTextStructure decodes an FTS5 structure record, as SQLite's
// fts5StructureDecode (fts5_index.c) reads it: a 4-byte cookie, an
// optional 4-byte mark of the second version, then varints: the levels,
// the segments and a write counter; for each level the segments being
// merged and its segments; for each segment its id and its first and
// last leaf page, and in the second version five more.
func decodeTextStructure(b []byte) (textStructure, bool) {
	if len(b) < 4 {
		return textStructure{}, false
	}
	b = b[4:]
	v2 := len(b) >= 4 && string(b[:4]) == "\xff\x00\x00\x01"
	if v2 {
		b = b[4:]
	}
	next := func() (uint64, bool) {
		v, n := sqliteVarint(b)
		b = b[n:]
		return v, n > 0
	}
	var s textStructure
	levels, ok1 := next()
	segments, ok2 := next()
	_, ok3 := next() // write counter
	if !ok1 || !ok2 || !ok3 || levels > 2000 || segments > 2000 {
		return textStructure{}, false
	}
	s.levels, s.segments = int(levels), int(segments)
	seen := 0
	for range levels {
		merging, ok1 := next() // segments being merged
		n, ok2 := next()
		if !ok1 || !ok2 || n > segments {
			return textStructure{}, false
		}
		if merging == 0 {
			s.crowded = max(s.crowded, int(n))
		}
		for range n {
			_, ok1 := next() // segment id
			first, ok2 := next()
			last, ok3 := next()
			if !ok1 || !ok2 || !ok3 || last < first {
				return textStructure{}, false
			}
			if v2 {
				for range 5 {
					if _, ok := next(); !ok {
						return textStructure{}, false
					}
				}
			}
			s.pages += int64(last - first + 1)
		}
		seen += int(n)
	}
	return s, seen == s.segments
}

// sqliteVarint decodes SQLite's varint at the start of b: big-endian,
// seven bits a byte while the high bit is set, all eight bits of a ninth
// byte. It returns the value and its length, 0 if b ends inside it.
func sqliteVarint(b []byte) (uint64, int) {
	var v uint64
	for i := range min(len(b), 9) {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
