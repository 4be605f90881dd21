package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// The writer never copies the WAL into the database file (a checkpoint
// inside a save held up every save queued behind it); the checkpointer's
// own connection does, soon after the saves.
func TestCheckpointsOffTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kundportal.db")
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := store.WriterPragma(ctx, db, "wal_autocheckpoint"); err != nil || n != 0 {
		t.Fatalf("the writer's wal_autocheckpoint = %d, %v; want 0, no checkpoints in its commits", n, err)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	for i := range 300 {
		storetest.Case(t, db, cust.ID, 0, fmt.Sprintf("Case %d", i))
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes 10 s after 300 saves: nothing checkpointed", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := rows(t, db, `SELECT count(*) FROM cases`); n[0] != "300" {
		t.Errorf("%s cases after the checkpoint, want 300", n[0])
	}
	t.Logf("database file %d → %d bytes", before, size())

	// Idle, with all of the WAL copied, the ticks check and do nothing;
	// the next save is checkpointed again.
	settled := func() int64 {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for n := store.Checkpoints(db); ; {
			time.Sleep(5 * store.CheckpointEvery)
			m := store.Checkpoints(db)
			if m == n {
				return n
			}
			if time.Now().After(deadline) {
				t.Fatalf("checkpoints go on while nothing is saved: %d → %d", n, m)
			}
			n = m
		}
	}
	idle := settled()
	storetest.Case(t, db, cust.ID, 0, "One more")
	if n := settled(); n <= idle {
		t.Errorf("checkpoints %d after a save, %d before: the save was not checkpointed", n, idle)
	}
}

// Under saves that never pause the WAL still starts over once it has
// grown to its limit: a checkpoint never finds it copied whole between
// two commits, so the checkpointer copies it in the writer's turn
// between two groups and the next group starts it over, with no RESTART
// (which held every save for as long as it waited).
func TestWALStartsOverUnderSaves(t *testing.T) {
	// Pages: many more than the saves add between two ticks, which on a
	// fast day was 8 000 (a limit of 10 000 then grew to twice the limit
	// while the checkpointer waited for its turn).
	const limit = 40000
	defer store.SetWALLimit(limit)()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")

	stop := make(chan struct{})
	var saving sync.WaitGroup
	var saved atomic.Int64
	for w := range 8 {
		saving.Add(1)
		go func() {
			defer saving.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: fmt.Sprintf("Case %d-%d", w, i), Street: "Storgatan 1"}
				if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &c) }); err != nil {
					t.Error(err)
					return
				}
				saved.Add(1)
			}
		}()
	}
	defer func() { close(stop); saving.Wait() }()

	// The WAL grows to the limit, and after a checkpoint in the writer's
	// turn starts over, twice, while the saves go on.
	deadline := time.Now().Add(60 * time.Second)
	for over, grown := 0, false; over < 2; time.Sleep(store.CheckpointEvery / 4) {
		pages := store.CheckpointWAL(db)
		switch {
		case pages >= limit:
			grown = true
		case grown && pages < limit/2:
			over, grown = over+1, false
		}
		if time.Now().After(deadline) {
			t.Fatalf("the WAL holds %d pages after %d saves and %d checkpoints in the writer's turn; it started over %d times, want 2",
				pages, saved.Load(), store.CheckpointTurns(db), over)
		}
	}
	if n := store.CheckpointRestarts(db); n != 0 {
		t.Errorf("%d RESTART checkpoints, want none: the WAL starts over in the writer's turn", n)
	}
	t.Logf("%d saves, %d checkpoints in the writer's turn", saved.Load(), store.CheckpointTurns(db))
}
