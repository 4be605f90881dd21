package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// blobFixture files a case with a photo and its thumbnail, a document
// without one, and a sealed delivery note, and returns the sums the
// database refers to, sorted.
func blobFixture(t *testing.T, db *store.DB) []string {
	t.Helper()
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	c := storetest.Case(t, db, cust.ID, 0, "Diskmaskinen tömmer inte")
	w := storetest.WorkOrder(t, db, c.ID, 0)
	photo, thumb, doc, pdf := hash(901), hash(902), hash(903), hash(904)
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for _, f := range []repair.File{
			{CaseID: c.ID, Kind: repair.FilePhoto, Name: "typskylt.jpg", ContentType: "image/jpeg", Size: 10, SHA256: photo, ThumbSHA256: thumb},
			// The same bytes twice: one blob.
			{CaseID: c.ID, Kind: repair.FilePhoto, Name: "typskylt igen.jpg", ContentType: "image/jpeg", Size: 10, SHA256: photo, ThumbSHA256: thumb},
			{CaseID: c.ID, Kind: repair.FileAttachment, Name: "kvitto.pdf", ContentType: "application/pdf", Size: 10, SHA256: doc},
		} {
			if err := tx.CreateFile(ctx, &f); err != nil {
				return err
			}
		}
		f := repair.File{CaseID: c.ID, WorkOrderID: w.ID, Kind: repair.FileDeliveryNote, Name: "följesedel.pdf",
			ContentType: "application/pdf", Size: 10, SHA256: pdf}
		if err := tx.CreateFile(ctx, &f); err != nil {
			return err
		}
		note := repair.DeliveryNote{WorkOrderID: w.ID, FileID: f.ID, SnapshotSHA256: strings.Repeat("5a", 32),
			SignerName: "Åsa Ängström", Signature: repair.NoteSigned, SignedAt: time.Date(2026, 3, 12, 13, 5, 0, 0, time.UTC)}
		if err := tx.CreateDeliveryNote(ctx, &note); err != nil {
			return err
		}
		e := seal.Next(nil, seal.Entry{At: note.SignedAt, DeliveryNoteID: note.ID, FileSHA256: pdf, SnapshotSHA256: note.SnapshotSHA256})
		return tx.AppendSeal(ctx, &e)
	})
	want := []string{photo, thumb, doc, pdf}
	slices.Sort(want)
	return want
}

func blobs(t *testing.T, db *store.DB) []string {
	t.Helper()
	var got []string
	if err := db.Blobs(context.Background(), func(sum string) error { got = append(got, sum); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestSnapshotBlobsAndInventory: what a backup reads from a database, on both
// dialects; the snapshot and the integrity check are SQLite's only.
func TestSnapshotBlobsAndInventory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		want := blobFixture(t, db)
		if got := blobs(t, db); !slices.Equal(got, want) {
			t.Errorf("Blobs = %v, want %v", got, want)
		}
		stop := errors.New("enough")
		n := 0
		if err := db.Blobs(ctx, func(string) error { n++; return stop }); err != stop || n != 1 {
			t.Errorf("Blobs with fn failing = %v after %d calls, want fn's error after 1", err, n)
		}
		inv, err := db.Inventory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		known, err := store.KnownMigrations(db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		if len(known) < 18 || !slices.Equal(inv.Migrations, known) {
			t.Errorf("Inventory.Migrations = %v, want this build's %v", inv.Migrations, known)
		}
		if inv.Customers != 1 || inv.Cases != 1 || inv.Files != 4 || inv.DeliveryNotes != 1 || inv.SealEntries != 1 || len(inv.LastSealHash) != 64 {
			t.Errorf("Inventory = %+v, want 1 customer, case, note and seal entry, 4 files and the entry's hash", inv)
		}
		if db.Dialect() == "postgres" {
			if err := db.SnapshotSQLite(ctx, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, store.ErrPostgresBackup) || !strings.Contains(err.Error(), "pg_dump") {
				t.Errorf("SnapshotSQLite on PostgreSQL = %v, want ErrPostgresBackup naming pg_dump", err)
			}
			if _, err := db.CheckIntegrity(ctx); !errors.Is(err, store.ErrPostgresBackup) {
				t.Errorf("CheckIntegrity on PostgreSQL = %v, want ErrPostgresBackup", err)
			}
		}
	})
}

// TestSnapshotSQLite: a snapshot taken while saves go on, through a
// read-only handle that writes nothing, is one consistent state: every
// case saved before it, none that was not yet saved after it, the blobs
// and counts of that moment, integrity intact, the file private.
func TestSnapshotSQLite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "kundportal.db")
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := blobFixture(t, db)
	cust := storetest.Customer(t, db, "Björkhagens äldreboende")

	var saved atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			err := db.Update(ctx, func(tx *store.Tx) error {
				c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Kylen surrar", Description: "Under en backup",
					Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde", ReporterName: "Test Testsson", ReporterPhone: "+46701234567"}
				return tx.CreateCase(ctx, &c)
			})
			if err != nil {
				writeErr = err
				return
			}
			saved.Add(1)
		}
	})
	for saved.Load() < 20 {
		time.Sleep(time.Millisecond)
	}

	live, err := store.OpenSQLiteReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	before := saved.Load() + 1 // and the fixture's case
	snap := filepath.Join(dir, "snapshot.db")
	err = live.SnapshotSQLite(ctx, snap)
	after := saved.Load() + 1
	for saved.Load() < after+20 && writeErr == nil {
		time.Sleep(time.Millisecond)
	}
	close(done)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("a save during the snapshot: %v", writeErr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Update(ctx, func(tx *store.Tx) error { return tx.Audit(ctx, 0, "case", 1, "x", "y") }); err == nil {
		t.Error("a save on the read-only handle succeeded")
	}
	live.Close()

	fi, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode %v, want 0600", fi.Mode().Perm())
	}
	s, err := store.OpenSQLiteReadOnly(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if problems, err := s.CheckIntegrity(ctx); err != nil || len(problems) > 0 {
		t.Errorf("CheckIntegrity(snapshot) = %v, %v; want none", problems, err)
	}
	inv, err := s.Inventory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Cases < before || inv.Cases > after {
		t.Errorf("snapshot has %d cases, want between %d (saved before it) and %d (after)", inv.Cases, before, after)
	}
	if got := blobs(t, s); !slices.Equal(got, want) {
		t.Errorf("snapshot's Blobs = %v, want %v", got, want)
	}
	// The cases are a prefix of the saved ones: none lost in between.
	var maxID, n int64
	raw, err := sql.Open("sqlite", "file:"+snap+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow(`SELECT max(id), count(*) FROM cases`).Scan(&maxID, &n); err != nil {
		t.Fatal(err)
	}
	if maxID != n {
		t.Errorf("snapshot has %d cases up to id %d: a gap", n, maxID)
	}

	// A snapshot never overwrites a file.
	if err := db.SnapshotSQLite(ctx, snap); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("SnapshotSQLite onto an existing snapshot = %v, want a refusal", err)
	}
	if fi2, err := os.Stat(snap); err != nil || fi2.Size() != fi.Size() {
		t.Errorf("the refused snapshot changed the file there: %v", err)
	}
	// Through the store's own handle, too (its read pool is query_only).
	again := filepath.Join(dir, "again.db")
	if err := db.SnapshotSQLite(ctx, again); err != nil {
		t.Errorf("SnapshotSQLite on the server's handle: %v", err)
	}
	if _, err := store.OpenSQLiteReadOnly(ctx, filepath.Join(dir, "missing.db")); err == nil {
		t.Error("OpenSQLiteReadOnly of a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenSQLiteReadOnly of a missing file made it: %v", err)
	}
}

// TestSnapshotCheckIntegrity: a row pointing at a missing row, written past the
// foreign keys, is reported.
func TestSnapshotCheckIntegrity(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kundportal.db")
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	blobFixture(t, db)
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO files (customer_id, case_id, kind, name, content_type, size, sha256, created_at)
		VALUES (1, 999, 'photo', 'x.jpg', 'image/jpeg', 1, ?, '2026-03-12 10:00:00')`, hash(905)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	s, err := store.OpenSQLiteReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	problems, err := s.CheckIntegrity(ctx)
	if err != nil || len(problems) != 1 || problems[0] != "files row 5 refers to a missing cases row" {
		t.Errorf("CheckIntegrity = %q, %v; want the file row without its case", problems, err)
	}
}
