package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

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
