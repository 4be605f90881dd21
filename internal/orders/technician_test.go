package orders_test

import (
	"context"
	"errors"
	"testing"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func TestTechnicianSteps(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		other := storetest.User(t, db, 0, repair.RoleTechnician, "annan@kundportal.example", "x")
		id := w.newCase(caseInput("t"))
		var err error
		wo := storetest.WorkOrder(t, db, id, w.tech.ID)
		action := repair.ActionInput{Date: "2026-03-16", Description: "Bytt pump", Time: "1 h", ClientID: "form-1"}

		if _, err := w.ops.RecordAction(ctx, other, wo.ID, action); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("another technician records on my work order: err = %v, want ErrNotFound", err)
		}
		if _, err := w.ops.StartWorkOrder(ctx, w.anna, wo.ID); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a customer starts a work order: err = %v, want ErrNotFound", err)
		}
		if _, err := w.ops.SetWorkOrderStatus(ctx, w.tech, wo.ID, repair.WorkOrderCancelled); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a technician cancels through the office's step: err = %v, want ErrNotFound", err)
		}
		if _, err := w.ops.StartWorkOrder(ctx, w.tech, wo.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.Status != repair.StatusInProgress {
			t.Errorf("case after start = %s, want in progress", c.Status)
		}
		// A form resent on a poor connection records once; the technician
		// is always itself, whatever the form says.
		action.TechnicianID = "1"
		for range 3 {
			if _, err := w.ops.RecordAction(ctx, w.tech, wo.ID, action); err != nil {
				t.Fatal(err)
			}
		}
		as, _ := db.Actions(ctx, repair.StaffScope(), id)
		if len(as) != 1 || as[0].TechnicianID != w.tech.ID || as[0].Minutes != 60 {
			t.Errorf("actions after three sends = %+v, want one, by the technician", as)
		}
		if n := w.auditCount("case", id); n != 3 {
			t.Errorf("audit lines = %d, want 3 (filed, started, one action)", n)
		}

		// Signed: nothing on the work order changes until the office
		// reopens it.
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.LockWorkOrder(ctx, wo.ID) })
		_, err = w.ops.RecordAction(ctx, w.tech, wo.ID, repair.ActionInput{Date: "2026-03-16", Description: "Till", Time: "5"})
		wantFields(t, "action on a signed work order", err, "work_order")
		_, err = w.ops.AddCostLine(ctx, w.disp, wo.ID, repair.CostInput{Kind: "fee", Quantity: "1", UnitPrice: "100"})
		wantFields(t, "the office's cost on a signed work order", err, "work_order")
		_, err = w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{})
		wantFields(t, "finish a signed work order", err, "work_order")
		_, err = w.ops.SetWorkOrderStatus(ctx, w.disp, wo.ID, repair.WorkOrderCancelled)
		wantFields(t, "cancel a signed work order", err, "work_order")
		if err := w.ops.ReopenWorkOrder(ctx, w.tech, wo.ID, "fel pris"); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a technician reopens: err = %v, want ErrNotFound", err)
		}
		wantFields(t, "reopen without a reason", w.ops.ReopenWorkOrder(ctx, w.disp, wo.ID, ""), "reason")
		if err := w.ops.ReopenWorkOrder(ctx, w.disp, wo.ID, "Fel antal timmar"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{}); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.Status != repair.StatusCompleted {
			t.Errorf("case after the only visit is done = %s, want completed", c.Status)
		}
	})
}

func TestFinishNeedsSomethingRecorded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		id := w.newCase(caseInput("t"))
		var err error
		wo := storetest.WorkOrder(t, db, id, w.tech.ID)
		_, err = w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{})
		wantFields(t, "finish with nothing recorded", err, "outcome")
		_, err = w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{Outcome: repair.OutcomeCancelled})
		wantFields(t, "cancelled by the customer without a note", err, "outcome_note")
		_, err = w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{Outcome: "vacation"})
		wantFields(t, "an unknown outcome", err, "outcome")
		if _, err := w.ops.FinishWorkOrder(ctx, w.tech, wo.ID, orders.FinishInput{Outcome: repair.OutcomeCancelled, Note: "Kunden ringde och avbokade."}); err != nil {
			t.Fatal(err)
		}
		// Nothing was repaired: the case stays for the office to plan anew.
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.Status != repair.StatusRegistered {
			t.Errorf("case after a cancelled visit = %s, want unchanged", c.Status)
		}
		err = w.ops.WaitForPart(ctx, w.tech, wo.ID, "")
		wantFields(t, "waiting for an unnamed part", err, "part_note")
		if err := w.ops.WaitForPart(ctx, w.tech, wo.ID, "Tömningspump EL-1234"); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), id); c.Status != repair.StatusAwaitingPart {
			t.Errorf("case after waiting for a part = %s, want awaiting part", c.Status)
		}
	})
}
