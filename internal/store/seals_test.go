package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// sealFixture is a work order with a delivery note and its file, enough
// for seal log rows to point at.
type sealFixture struct {
	customer repair.Customer
	tech     repair.User
	order    repair.WorkOrder
	file     repair.File
	note     repair.DeliveryNote
}

func newSealFixture(t *testing.T, db *store.DB) sealFixture {
	t.Helper()
	var f sealFixture
	f.customer = storetest.Customer(t, db, "Solgården")
	f.tech = storetest.User(t, db, 0, repair.RoleTechnician, "tekniker@example.se", "x")
	c := storetest.Case(t, db, f.customer.ID, 0, "Tvättmaskinen tömmer inte")
	f.order = storetest.WorkOrder(t, db, c.ID, f.tech.ID)
	f.file = storetest.File(t, db, c.ID, repair.FileDeliveryNote, "följesedel.pdf")
	f.note = repair.DeliveryNote{WorkOrderID: f.order.ID, FileID: f.file.ID, SnapshotSHA256: strings.Repeat("ab", 32),
		SignerName: "Åsa Ängström", Signature: repair.NoteSigned,
		SignedAt: time.Date(2026, time.March, 12, 13, 5, 0, 123456789, time.UTC), CreatedBy: f.tech.ID}
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateDeliveryNote(ctx, &f.note) })
	return f
}

// hash is a distinct 64-digit hex value per n, standing in for a SHA-256.
func hash(n int) string { return fmt.Sprintf("%064x", n) }

func TestSealLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSealFixture(t, db)

		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.LastSeal(ctx)
			return err
		})
		if !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("LastSeal(empty log) = %v, want ErrNotFound", err)
		}

		at := time.Date(2026, time.March, 12, 13, 5, 0, 0, time.UTC)
		var want []repair.SealEntry
		prev := strings.Repeat("0", 64)
		for i := range 3 {
			e := repair.SealEntry{
				// Nanoseconds are dropped, and the zone does not matter.
				At:             at.Add(time.Duration(i)*time.Minute + 999).In(repair.Stockholm),
				DeliveryNoteID: f.note.ID, FileSHA256: f.file.SHA256, SnapshotSHA256: f.note.SnapshotSHA256,
				PrevHash: prev, EntryHash: hash(100 + i),
			}
			err := db.Update(ctx, func(tx *store.Tx) error {
				if i > 0 {
					last, err := tx.LastSeal(ctx)
					if err != nil {
						return err
					}
					if last != want[i-1] {
						t.Errorf("LastSeal = %+v, want %+v", last, want[i-1])
					}
				}
				return tx.AppendSeal(ctx, &e)
			})
			if err != nil {
				t.Fatalf("AppendSeal %d: %v", i+1, err)
			}
			if e.ID == 0 || !e.At.Equal(at.Add(time.Duration(i)*time.Minute)) || e.At.Location() != time.UTC {
				t.Errorf("AppendSeal set ID %d, At %v; want an id and %v in UTC", e.ID, e.At, at.Add(time.Duration(i)*time.Minute))
			}
			want = append(want, e)
			prev = e.EntryHash
		}

		var got []repair.SealEntry
		if err := db.SealLog(ctx, func(e repair.SealEntry) error { got = append(got, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("SealLog gave %d entries, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("SealLog entry %d = %+v, want %+v", i, got[i], want[i])
			}
		}

		// fn's error stops the walk and comes back as it is.
		stop := errors.New("stop")
		n := 0
		err = db.SealLog(ctx, func(repair.SealEntry) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("SealLog with fn failing = %v after %d calls, want fn's error after 1", err, n)
		}

		// Two entries after the same one: the second is a conflict.
		fork := want[2]
		fork.EntryHash = hash(999)
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.AppendSeal(ctx, &fork) })
		if !errors.Is(err, repair.ErrConflict) {
			t.Errorf("AppendSeal with a prev_hash already used = %v, want ErrConflict", err)
		}
		fork = repair.SealEntry{At: at, DeliveryNoteID: f.note.ID, FileSHA256: f.file.SHA256, PrevHash: want[2].EntryHash, EntryHash: hash(1000)}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendSeal(ctx, &fork) }); err != nil {
			t.Fatalf("AppendSeal after the last entry: %v", err)
		}
		second := fork
		second.ID, second.EntryHash = 0, hash(1001)
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.AppendSeal(ctx, &second) })
		if !errors.Is(err, repair.ErrConflict) {
			t.Errorf("second AppendSeal after the same entry = %v, want ErrConflict", err)
		}

		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.AppendSeal(ctx, &repair.SealEntry{DeliveryNoteID: f.note.ID, FileSHA256: f.file.SHA256, PrevHash: hash(5), EntryHash: hash(6)})
		})
		if err == nil {
			t.Error("AppendSeal without a time succeeded")
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.AppendSeal(ctx, &repair.SealEntry{At: at, DeliveryNoteID: f.note.ID + 1000, FileSHA256: f.file.SHA256, PrevHash: hash(7), EntryHash: hash(8)})
		})
		if err == nil {
			t.Error("AppendSeal for a delivery note that does not exist succeeded")
		}
	})
}

// TestSealLogAppendOnly checks that the database itself refuses to change
// or remove a seal log entry, whatever SQL tries it.
func TestSealLogAppendOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSealFixture(t, db)
		e := repair.SealEntry{At: time.Now(), DeliveryNoteID: f.note.ID, FileSHA256: f.file.SHA256,
			SnapshotSHA256: f.note.SnapshotSHA256, PrevHash: hash(0), EntryHash: hash(1)}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.AppendSeal(ctx, &e) })

		refused := []string{
			`UPDATE seal_log SET file_sha256 = '` + hash(2) + `' WHERE id = ?`,
			`UPDATE seal_log SET at = at WHERE id = ?`,
			`DELETE FROM seal_log WHERE id = ?`,
			`DELETE FROM seal_log WHERE id = ? OR TRUE`,
		}
		for _, q := range refused {
			err := store.ExecSQL(ctx, db, q, e.ID)
			if err == nil || !strings.Contains(err.Error(), "seal_log is append-only") {
				t.Errorf("%s = %v, want the trigger's refusal", q, err)
			}
		}
		if db.Dialect() == "postgres" {
			if err := store.ExecSQL(ctx, db, `TRUNCATE seal_log`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE seal_log = %v, want the trigger's refusal", err)
			}
		}
		var got []repair.SealEntry
		if err := db.SealLog(ctx, func(e repair.SealEntry) error { got = append(got, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != e {
			t.Errorf("after the refused changes the log is %+v, want only %+v", got, e)
		}
	})
}

func TestDeliveryNotes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSealFixture(t, db)
		correction := repair.DeliveryNote{WorkOrderID: f.order.ID, ReplacesID: f.note.ID, FileID: f.file.ID,
			SnapshotSHA256: hash(3), Signature: repair.NoteAbsent, SignedAt: f.note.SignedAt.Add(time.Hour)}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateDeliveryNote(ctx, &correction) })
		if f.note.Version != 1 || correction.Version != 2 {
			t.Errorf("versions %d, %d; want 1, 2", f.note.Version, correction.Version)
		}

		got, err := db.DeliveryNotes(ctx, repair.StaffScope(), f.order.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantFirst := f.note
		wantFirst.SignedAt = time.Date(2026, time.March, 12, 13, 5, 0, 123456000, time.UTC)
		if len(got) != 2 || got[0] != wantFirst || got[1] != correction {
			t.Errorf("DeliveryNotes = %+v, want %+v and %+v", got, wantFirst, correction)
		}

		dup := repair.DeliveryNote{WorkOrderID: f.order.ID, Version: 2, FileID: f.file.ID, Signature: repair.NoteRefused, SignedAt: time.Now()}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.CreateDeliveryNote(ctx, &dup) })
		if !errors.Is(err, repair.ErrConflict) {
			t.Errorf("CreateDeliveryNote(version 2 again) = %v, want ErrConflict", err)
		}
		bad := repair.DeliveryNote{WorkOrderID: f.order.ID, FileID: f.file.ID, Signature: "maybe", SignedAt: time.Now()}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateDeliveryNote(ctx, &bad) }); err == nil {
			t.Error("CreateDeliveryNote with an unknown signature value succeeded")
		}

		other := storetest.Customer(t, db, "Grannen")
		colleague := storetest.User(t, db, 0, repair.RoleTechnician, "kollega@example.se", "x")
		scopes := []struct {
			name  string
			scope repair.Scope
			n     int
		}{
			{"staff", repair.StaffScope(), 2},
			{"the customer", repair.CustomerScope(f.customer.ID), 2},
			{"the work order's technician", repair.TechnicianScope(f.tech.ID), 2},
			{"another customer", repair.CustomerScope(other.ID), 0},
			{"another technician", repair.TechnicianScope(colleague.ID), 0},
			{"zero scope", repair.Scope{}, 0},
		}
		for _, s := range scopes {
			got, err := db.DeliveryNotes(ctx, s.scope, f.order.ID)
			if err != nil || len(got) != s.n {
				t.Errorf("DeliveryNotes(%s) = %d notes, %v; want %d", s.name, len(got), err, s.n)
			}
		}
	})
}
