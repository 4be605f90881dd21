package orders_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// newsCount is the office's queue of cases with news from customers.
func newsCount(t *testing.T, db *store.DB) int {
	t.Helper()
	res, err := db.SearchCases(context.Background(), repair.StaffScope(), repair.CaseFilter{CustomerNews: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestCustomerAddsAndCancels: a customer adds a note and a photo to its
// own open case and cancels it while it is still Mottagen; each lands in
// the history and the audit log and puts the case in the office's queue
// until the office moves it on or marks it seen. Another customer's case
// answers like a missing one; a closed or planned case refuses with a
// message.
func TestCustomerAddsAndCancels(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		id := w.newCase(caseInput("n"))

		err := w.ops.AddCustomerNote(ctx, w.anna, id, repair.CustomerNoteInput{Note: "  "})
		wantFields(t, "an empty note", err, "note")
		if err := w.ops.AddCustomerNote(ctx, w.anna, id, repair.CustomerNoteInput{Note: "Portkoden är ändrad till 4321.\nRing före."}); err != nil {
			t.Fatal(err)
		}
		h, _ := db.StatusHistory(ctx, repair.StaffScope(), id)
		if last := h[len(h)-1]; last.Status != repair.StatusRegistered || !strings.Contains(last.Note, "Ring före.") || last.ChangedBy != w.anna.Name {
			t.Errorf("history's last entry = %+v, want anna's note under Registrerad", last)
		}
		if n := w.auditCount("case", id); n < 2 {
			t.Errorf("%d audit lines, want the filing and the note", n)
		}
		if newsCount(t, db) != 1 {
			t.Error("the note did not put the case in the office's queue")
		}
		if err := w.ops.SeenCustomerNews(ctx, w.disp, id); err != nil || newsCount(t, db) != 0 {
			t.Errorf("seen: %v, queue %d", err, newsCount(t, db))
		}

		var img bytes.Buffer
		png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30)))
		if _, err := w.ops.AttachFile(ctx, w.anna, id, orders.FileInput{Kind: repair.FilePhoto, Name: "typskylt.png", Body: bytes.NewReader(img.Bytes())}); err != nil {
			t.Fatal(err)
		}
		_, err = w.ops.AttachFile(ctx, w.anna, id, orders.FileInput{Kind: repair.FileDeliveryNote, Name: "x.pdf", Body: bytes.NewReader(img.Bytes())})
		wantFields(t, "a customer's delivery note", err, "file")
		if newsCount(t, db) != 1 {
			t.Error("the photo did not put the case in the office's queue")
		}

		// Another customer: exactly as for a missing case.
		for what, err := range map[string]error{
			"note":   w.ops.AddCustomerNote(ctx, w.olle, id, repair.CustomerNoteInput{Note: "x"}),
			"cancel": w.ops.CancelByCustomer(ctx, w.olle, id, repair.CustomerCancelInput{Reason: "x"}),
			"staff":  w.ops.AddCustomerNote(ctx, w.disp, id, repair.CustomerNoteInput{Note: "x"}),
		} {
			if !errors.Is(err, repair.ErrNotFound) {
				t.Errorf("%s on another's case: %v, want not found", what, err)
			}
		}
		if _, err := w.ops.AttachFile(ctx, w.olle, id, orders.FileInput{Kind: repair.FilePhoto, Name: "x.png", Body: bytes.NewReader(img.Bytes())}); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("photo on another's case: %v, want not found", err)
		}

		// Cancel: a reason is needed; Mottagen may be cancelled.
		if err := w.ops.SetCaseStatus(ctx, w.disp, id, repair.StatusInput{To: "received"}); err != nil {
			t.Fatal(err)
		}
		if newsCount(t, db) != 0 {
			t.Error("moving the case on did not take it off the queue")
		}
		wantFields(t, "a cancel without reason", w.ops.CancelByCustomer(ctx, w.anna, id, repair.CustomerCancelInput{}), "reason")
		if err := w.ops.CancelByCustomer(ctx, w.anna, id, repair.CustomerCancelInput{Reason: "Felet försvann"}); err != nil {
			t.Fatal(err)
		}
		c, _ := db.Case(ctx, repair.StaffScope(), id)
		h, _ = db.StatusHistory(ctx, repair.StaffScope(), id)
		if c.Status != repair.StatusCancelled || !strings.Contains(h[len(h)-1].Note, "Felet försvann") || newsCount(t, db) != 1 {
			t.Errorf("after cancel: %s, last note %q, queue %d", c.Status, h[len(h)-1].Note, newsCount(t, db))
		}
		wantFields(t, "a note on a cancelled case", w.ops.AddCustomerNote(ctx, w.anna, id, repair.CustomerNoteInput{Note: "x"}), "note")

		// A planned case is no longer the customer's to cancel.
		planned := w.newCase(caseInput("p"))
		if err := w.ops.SetCaseStatus(ctx, w.disp, planned, repair.StatusInput{To: "planned"}); err != nil {
			t.Fatal(err)
		}
		wantFields(t, "cancelling a planned case", w.ops.CancelByCustomer(ctx, w.anna, planned, repair.CustomerCancelInput{Reason: "x"}), "reason")
	})
}
