package orders_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func TestHuvudnyckelIsProtected(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		clock := now
		w := newWorld(t, db)
		ops := orders.New(db, nil, func() time.Time { return clock })
		ctx := context.Background()
		in := caseInput("t")
		in.Access, in.DoorCode = repair.AccessDoorCode, "4711"
		id, err := ops.FileCase(ctx, w.anna, in)
		if err != nil {
			t.Fatal(err)
		}
		// Stored sealed; every read shows the mask only.
		c, _ := db.Case(ctx, repair.CustomerScope(w.mine.ID), id)
		plain, sealed, _ := db.CaseAccess(ctx, repair.StaffScope(), id)
		if c.Access != "Portkod ••••" || plain != "" || sealed == "" || strings.Contains(sealed, "4711") {
			t.Errorf("stored access: read %q, plain %q, sealed %q", c.Access, plain, sealed)
		}
		colleague := storetest.User(t, db, w.mine.ID, repair.RoleCustomerUser, "kollega@solgarden.example", "x")
		for name, u := range map[string]repair.User{"the reporter": w.anna, "a colleague": colleague, "a technician without a work order": w.tech} {
			if _, err := ops.RevealAccess(ctx, u, id); !errors.Is(err, repair.ErrForbidden) {
				t.Errorf("%s sees the door code: err = %v, want ErrForbidden", name, err)
			}
		}
		wo := storetest.WorkOrder(t, db, id, w.tech.ID)
		for name, u := range map[string]repair.User{"the dispatcher": w.disp, "the technician on the case": w.tech} {
			if got, err := ops.RevealAccess(ctx, u, id); err != nil || got != "Portkod 4711" {
				t.Errorf("%s: RevealAccess = %q, %v", name, got, err)
			}
		}
		log, _ := db.AuditLog(ctx, repair.StaffScope(), "case", id)
		reveals := 0
		for _, e := range log {
			if e.Action == "access" {
				reveals++
			}
		}
		if reveals != 2 {
			t.Errorf("%d reveals in the audit log, want 2", reveals)
		}
		// A finished visit closes the technician's access; a month after
		// the case is done the code is gone.
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			if err := tx.SetWorkOrderStatus(ctx, wo.ID, repair.WorkOrderDone); err != nil {
				return err
			}
			if err := tx.SetCaseStatus(ctx, id, repair.StatusPlanned, 0, "", time.Time{}); err != nil {
				return err
			}
			return tx.SetCaseStatus(ctx, id, repair.StatusCompleted, 0, "", now)
		})
		if _, err := ops.RevealAccess(ctx, w.tech, id); !errors.Is(err, repair.ErrForbidden) {
			t.Errorf("technician after the visit: err = %v, want ErrForbidden", err)
		}
		clock = now.Add(orders.AccessRetention - time.Hour)
		if n, _ := ops.EraseOldAccess(ctx); n != 0 {
			t.Errorf("erased %d before the retention ended", n)
		}
		clock = now.Add(orders.AccessRetention + time.Hour)
		if n, err := ops.EraseOldAccess(ctx); n != 1 || err != nil {
			t.Errorf("EraseOldAccess = %d, %v; want 1", n, err)
		}
		if got, _ := ops.RevealAccess(ctx, w.disp, id); got != "" {
			t.Errorf("after erasure the dispatcher sees %q", got)
		}
	})
}

func TestSealPlainAccess(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		old := repair.Case{CustomerID: w.mine.ID, Type: repair.PortalCaseType, Title: "Gammal", Street: "Storgatan 1", Access: "Portkod 1234"}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateCase(ctx, &old) })
		if plain, _, _ := db.CaseAccess(ctx, repair.StaffScope(), old.ID); plain != "Portkod 1234" {
			t.Fatalf("legacy row = %q", plain)
		}
		if n, err := w.ops.SealPlainAccess(ctx); n != 1 || err != nil {
			t.Fatalf("SealPlainAccess = %d, %v", n, err)
		}
		plain, sealed, _ := db.CaseAccess(ctx, repair.StaffScope(), old.ID)
		if plain != "" || sealed == "" {
			t.Errorf("after sealing: plain %q, sealed %q", plain, sealed)
		}
		if got, _ := w.ops.RevealAccess(ctx, w.disp, old.ID); got != "Portkod 1234" {
			t.Errorf("RevealAccess after sealing = %q", got)
		}
		if n, _ := w.ops.SealPlainAccess(ctx); n != 0 {
			t.Errorf("second run sealed %d again", n)
		}
	})
}
