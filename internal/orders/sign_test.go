package orders_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"kundportal/internal/docs"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// stroke is a short signature as the pad sends it.
func stroke() docs.Signature {
	s, err := docs.ParseSignature(`{"width":300,"height":100,"strokes":[[[10,50],[40,20],[70,70],[100,30],[130,60]],[[150,40],[200,45]]]}`)
	if err != nil {
		panic(err)
	}
	return s
}

// pdfText is the text of a PDF, by poppler's pdftotext; without it the
// test skips, or fails in CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("needs pdftotext (poppler-utils)")
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestSignDeliveryNote walks a visit to its signed delivery note: the PDF
// is the case's signed file with the case, the actions, the signer and
// å/ä/ö intact, an embedded signature of ours, a seal-log entry that
// verifies; the work order is then locked, a second signature is refused,
// and a correction is a new version that replaces the first, which stays.
func TestSignDeliveryNote(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		files := storetest.Files(t, db)
		signer, err := seal.LoadOrCreate(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ops := orders.New(db, files, func() time.Time { return now })
		ops.SignWith(signer)
		id, err := ops.FileCase(ctx, w.anna, caseInput("t"))
		if err != nil {
			t.Fatal(err)
		}
		wo := storetest.WorkOrder(t, db, id, w.tech.ID)
		sign := orders.SignInput{How: repair.NoteSigned, SignerName: "Åsa Ängström", Signature: stroke(), ClientID: "sign-1"}

		_, err = ops.SignDeliveryNote(ctx, w.tech, wo.ID, sign)
		wantFields(t, "sign before the work order is finished", err, "how")
		if _, err := ops.RecordAction(ctx, w.tech, wo.ID, repair.ActionInput{Date: "2026-03-16", Description: "Bytt tömningspump, provkört 60°.", Time: "1 h 30 min", Visible: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := ops.AddCostLine(ctx, w.tech, wo.ID, repair.CostInput{Kind: "part", Article: "EL-140000", Description: "Tömningspump", Quantity: "1", UnitPrice: "1 489", Visible: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{}); err != nil {
			t.Fatal(err)
		}
		_, err = ops.SignDeliveryNote(ctx, w.tech, wo.ID, orders.SignInput{How: repair.NoteSigned, SignerName: "Åsa"})
		wantFields(t, "signed without a signature", err, "signature")
		_, err = ops.SignDeliveryNote(ctx, w.tech, wo.ID, orders.SignInput{How: repair.NoteSigned, Signature: stroke()})
		wantFields(t, "signed without a name", err, "signer_name")

		first, err := ops.SignDeliveryNote(ctx, w.tech, wo.ID, sign)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := ops.SignDeliveryNote(ctx, w.tech, wo.ID, sign); err != nil || again.ID != first.ID {
			t.Errorf("the same signature resent = %+v, %v; want the first note again", again, err)
		}
		f, err := db.File(ctx, repair.CustomerScope(w.mine.ID), first.FileID)
		if err != nil || f.Kind != repair.FileDeliveryNote || f.WorkOrderID != wo.ID {
			t.Fatalf("the customer's signed file = %+v, %v", f, err)
		}
		blob, err := files.Open(f.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := io.ReadAll(blob)
		blob.Close()
		if !strings.Contains(string(pdf), "/Type /Sig") && !strings.Contains(string(pdf), "/Type/Sig") {
			t.Error("the PDF carries no digital signature")
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"FÖLJESEDEL", storetest.Cases(t, db, repair.StaffScope())[0].Number, "Bytt tömningspump, provkört 60°.", "1 h 30 min", "Tömningspump", "Åsa Ängström", first.SnapshotSHA256} {
			if !strings.Contains(text, want) {
				t.Errorf("the delivery note lacks %q; it reads:\n%s", want, text)
			}
		}
		var entries []repair.SealEntry
		if err := db.SealLog(ctx, func(e repair.SealEntry) error { entries = append(entries, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].FileSHA256 != f.SHA256 || entries[0].DeliveryNoteID != first.ID {
			t.Errorf("seal log = %+v", entries)
		}

		// Sealed: nothing changes, not even by the office, until reopened.
		_, err = ops.RecordAction(ctx, w.disp, wo.ID, repair.ActionInput{Date: "2026-03-16", TechnicianID: itoa(w.tech.ID), Description: "Mer", Time: "5"})
		wantFields(t, "an action after signing", err, "work_order")
		_, err = ops.SignDeliveryNote(ctx, w.tech, wo.ID, orders.SignInput{How: repair.NoteAbsent, ClientID: "sign-2"})
		wantFields(t, "a second signature", err, "how")
		if err := ops.ReopenWorkOrder(ctx, w.disp, wo.ID, "Fel antal timmar"); err != nil {
			t.Fatal(err)
		}
		if _, err := ops.AddCostLine(ctx, w.disp, wo.ID, repair.CostInput{Kind: "travel", Description: "Resa", Quantity: "1", UnitPrice: "250", Visible: true}); err != nil {
			t.Fatal(err)
		}
		second, err := ops.SignDeliveryNote(ctx, w.tech, wo.ID, orders.SignInput{How: repair.NoteRefused, SignerName: "Åsa Ängström", ClientID: "sign-3"})
		if err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 || second.ReplacesID != first.ID || second.FileID == first.FileID {
			t.Errorf("correction = %+v, want version 2 replacing %d", second, first.ID)
		}
		if _, err := db.File(ctx, repair.CustomerScope(w.mine.ID), first.FileID); err != nil {
			t.Errorf("the replaced note is gone: %v", err)
		}
		report, err := seal.Verify(ctx, func(yield func(repair.SealEntry, error) bool) {
			db.SealLog(ctx, func(e repair.SealEntry) error {
				if !yield(e, nil) {
					return errors.New("stop")
				}
				return nil
			})
		}, func(sum string) (io.ReadCloser, error) { return files.Open(sum) })
		if err != nil || !report.OK() || report.Entries != 2 {
			t.Errorf("seal verification = %+v, %v; want two entries, no problems", report, err)
		}
	})
}
