package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kundportal/internal/docs"
	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/sv"
)

// sealedNote renders a delivery note for the case, signs it, stores the
// PDF and records it as the way the technician's phone will: a file row,
// a delivery note and the seal log entry after the last one, in one
// transaction. It returns the PDF's SHA-256.
func sealedNote(t *testing.T, db *store.DB, files filestore.Store, signer *seal.Signer, c repair.Case, w repair.WorkOrder, at time.Time) string {
	t.Helper()
	sum, err := writeSealedNote(context.Background(), db, files, signer, c, w, at)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// writeSealedNote is sealedNote for a goroutine: it returns its error.
// Two at once may race for the last seal entry; one is then refused.
func writeSealedNote(ctx context.Context, db *store.DB, files filestore.Store, signer *seal.Signer, c repair.Case, w repair.WorkOrder, at time.Time) (string, error) {
	n := docs.DeliveryNote{
		Company:    docs.Company{Name: "Skaraborgs Vitvaruservice AB"},
		CaseNumber: c.Number, WorkOrderNumber: w.Number, Customer: "Solgårdens Bostäder AB",
		Technician: "Jörgen Ståhl", SignerName: "Åsa Ängström", SignedAt: at,
		Signature: docs.Signature{Width: 100, Height: 50, Strokes: [][]docs.Point{{{X: 10, Y: 25}, {X: 50, Y: 10}, {X: 90, Y: 40}}}},
	}
	var buf bytes.Buffer
	if err := docs.RenderDeliveryNote(&buf, n); err != nil {
		return "", err
	}
	pdf, err := signer.SignPDF(buf.Bytes(), "Kundportal", "Följesedel "+c.Number, at)
	if err != nil {
		return "", err
	}
	sum, size, err := files.Put(bytes.NewReader(pdf))
	if err != nil {
		return "", err
	}
	return sum, db.Update(ctx, func(tx *store.Tx) error {
		f := repair.File{CaseID: c.ID, WorkOrderID: w.ID, Kind: repair.FileDeliveryNote, Name: "följesedel.pdf",
			ContentType: "application/pdf", Size: size, SHA256: sum}
		if err := tx.CreateFile(ctx, &f); err != nil {
			return err
		}
		note := repair.DeliveryNote{WorkOrderID: w.ID, FileID: f.ID, SnapshotSHA256: strings.Repeat("5a", 32),
			SignerName: n.SignerName, Signature: repair.NoteSigned, SignedAt: at}
		if err := tx.CreateDeliveryNote(ctx, &note); err != nil {
			return err
		}
		var last *seal.Entry
		if l, err := tx.LastSeal(ctx); err == nil {
			last = &l
		} else if !errors.Is(err, repair.ErrNotFound) {
			return err
		}
		e := seal.Next(last, seal.Entry{At: at, DeliveryNoteID: note.ID, FileSHA256: sum, SnapshotSHA256: note.SnapshotSHA256})
		return tx.AppendSeal(ctx, &e)
	})
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filestore.NewDisk(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := seal.LoadOrCreate(filepath.Join(t.TempDir(), "seal"))
	if err != nil {
		t.Fatal(err)
	}
	cust := storetest.Customer(t, db, "Solgårdens Bostäder AB")
	at := time.Date(2026, time.March, 12, 14, 5, 0, 0, sv.Stockholm)
	var sums []string
	for i := range 2 {
		c := storetest.Case(t, db, cust.ID, 0, "Tvättmaskinen tömmer inte")
		w := storetest.WorkOrder(t, db, c.ID, 0)
		sums = append(sums, sealedNote(t, db, files, signer, c, w, at.Add(time.Duration(i)*time.Hour)))
	}
	db.Close()

	var out, errOut bytes.Buffer
	check := func() error {
		out.Reset()
		return run(ctx, []string{"verify"}, env(dir), strings.NewReader(""), &out, &errOut)
	}
	if err := check(); err != nil {
		t.Fatalf("verify of an untouched log: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "OK: 2 följesedlar, kedjan hel\n") {
		t.Errorf("verify printed %q, want OK for 2", out.String())
	}

	// (a) A byte of the second PDF changed on disk.
	blob := filepath.Join(dir, "files", sums[1][:2], sums[1][2:])
	orig, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(orig)
	changed[len(changed)/2] ^= 0x20
	if err := os.WriteFile(blob, changed, 0o640); err != nil {
		t.Fatal(err)
	}
	err = check()
	if err == nil || !strings.Contains(out.String(), "post 2 (följesedel 2): PDF ändrad: filen "+sums[1]) {
		t.Errorf("verify with a changed PDF = %v, printed %q; want an error and post 2's PDF reported changed", err, out.String())
	}
	if strings.Contains(out.String(), "post 1") {
		t.Errorf("verify reported the untouched entry 1: %q", out.String())
	}
	if err := os.Remove(blob); err != nil {
		t.Fatal(err)
	}
	if err := check(); err == nil || !strings.Contains(out.String(), "post 2 (följesedel 2): PDF saknas") {
		t.Errorf("verify with a removed PDF = %v, printed %q; want post 2's PDF reported missing", err, out.String())
	}
	if err := os.WriteFile(blob, orig, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := check(); err != nil {
		t.Fatalf("verify after the PDF was put back: %v\n%s", err, out.String())
	}

	// (b) An entry changed in SQL, by someone who drops the trigger that
	// refuses it and puts it back afterwards: first only the file hash
	// (pointing the entry at the other, genuine PDF), then also the entry
	// hash, recomputed to match.
	tamper := func(q string, args ...any) {
		t.Helper()
		raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "kundportal.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var trigger string
		if err := raw.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'seal_log_no_update'`).Scan(&trigger); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			q    string
			args []any
		}{{`DROP TRIGGER seal_log_no_update`, nil}, {q, args}, {trigger, nil}} {
			if _, err := raw.Exec(step.q, step.args...); err != nil {
				t.Fatalf("%s: %v", step.q, err)
			}
		}
	}
	tamper(`UPDATE seal_log SET file_sha256 = ? WHERE id = 1`, sums[1])
	err = check()
	if err == nil || !strings.Contains(out.String(), "post 1 (följesedel 1): fel posthash") {
		t.Errorf("verify after file_sha256 was changed = %v, printed %q; want post 1's hash reported wrong", err, out.String())
	}
	e := seal.Next(nil, seal.Entry{At: at, DeliveryNoteID: 1, FileSHA256: sums[1], SnapshotSHA256: strings.Repeat("5a", 32)})
	tamper(`UPDATE seal_log SET entry_hash = ? WHERE id = 1`, e.EntryHash)
	err = check()
	if err == nil || !strings.Contains(out.String(), "post 2 (följesedel 2): kedjan bruten") || strings.Contains(out.String(), "fel posthash") {
		t.Errorf("verify after the entry and its hash were changed = %v, printed %q; want only post 2's link reported broken", err, out.String())
	}
	// The entry now names the other PDF than its note's files row does:
	// that, too, is reported.
	if !strings.Contains(out.String(), "post 1 (följesedel 1): följesedeln pekar på en annan fil") {
		t.Errorf("verify printed %q, want note 1 reported pointing at another file than its seal", out.String())
	}
	if !strings.Contains(err.Error(), "2 fel") {
		t.Errorf("verify error = %v, want the number of problems", err)
	}

	// (c) A note pointed at another stored PDF in the files table, the
	// chain untouched: only the pointer check sees it.
	tamper(`UPDATE seal_log SET file_sha256 = ?, entry_hash = ? WHERE id = 1`, sums[0], seal.Next(nil, seal.Entry{At: at, DeliveryNoteID: 1, FileSHA256: sums[0], SnapshotSHA256: strings.Repeat("5a", 32)}).EntryHash)
	if err := check(); err != nil {
		t.Fatalf("verify after the entry was put back: %v\n%s", err, out.String())
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE files SET sha256 = ? WHERE id = (SELECT file_id FROM delivery_notes WHERE id = 2)`, sums[0]); err != nil {
		t.Fatal(err)
	}
	if err := check(); err == nil || !strings.Contains(out.String(), "post 2 (följesedel 2): följesedeln pekar på en annan fil") {
		t.Errorf("verify after note 2 was pointed at note 1's PDF = %v, printed %q", err, out.String())
	}
}
