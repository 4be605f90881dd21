package orders_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// doneWork gives the case a work order, done, with a customer-visible and
// a hidden cost line, and returns it.
func (w *world) doneWork(caseID int64, price string) repair.WorkOrder {
	w.t.Helper()
	ctx := context.Background()
	wo, err := w.ops.PlanWorkOrder(ctx, w.disp, caseID, repair.WorkOrderInput{TechnicianID: itoa(w.tech.ID), Date: "2026-03-16", From: "08:00", Until: "10:00"})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, in := range []repair.CostInput{
		{Kind: "part", Description: "Pump", Quantity: "1", UnitPrice: price, Visible: true},
		{Kind: "fee", Description: "Intern", Quantity: "1", UnitPrice: "100"},
	} {
		if _, err := w.ops.AddCostLine(ctx, w.disp, wo.ID, in); err != nil {
			w.t.Fatal(err)
		}
	}
	if wo, err = w.ops.SetWorkOrderStatus(ctx, w.disp, wo.ID, repair.WorkOrderDone); err != nil {
		w.t.Fatal(err)
	}
	return wo
}

// TestInvoiceRun: a run invoices the uninvoiced work of the customer's
// cases completed in the period once (a case still under way waits), with its customer-visible lines frozen; totals equal
// the sum of the lines; a fully invoiced case becomes Fakturerad; an
// invoiced work order refuses changes; a credit note nets the invoice to
// zero, once; numbers are gap-free; another customer never sees it.
func TestInvoiceRun(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		a, b := w.newCase(caseInput("a")), w.newCase(caseInput("b"))
		for _, id := range []int64{a, b} {
			if err := w.ops.SetCaseStatus(ctx, w.disp, id, repair.StatusInput{To: "planned"}); err != nil {
				t.Fatal(err)
			}
		}
		woA := w.doneWork(a, "890,50")
		w.doneWork(b, "100")
		if _, err := w.ops.PlanWorkOrder(ctx, w.disp, b, repair.WorkOrderInput{TechnicianID: itoa(w.tech.ID), Date: "2026-03-17", From: "08:00", Until: "10:00"}); err != nil {
			t.Fatal(err) // case b has more work to come
		}
		if err := w.ops.SetCaseStatus(ctx, w.disp, a, repair.StatusInput{To: "completed"}); err != nil {
			t.Fatal(err)
		}
		from, to := db.Now().Add(-24*time.Hour), db.Now().Add(24*time.Hour)

		run, err := w.ops.PreviewInvoiceRun(ctx, w.disp, w.mine.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// Case b's done work order waits for the case: a case is billed
		// whole, once it is done.
		if len(run.WorkOrders) != 1 || len(run.Lines) != 1 || run.Totals.NetOre != 89050 {
			t.Fatalf("preview: %d work orders, %d lines, net %d; want case a's 1, its visible line, 890,50 kr", len(run.WorkOrders), len(run.Lines), run.Totals.NetOre)
		}
		inv, err := w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Invoice(ctx, repair.CustomerScope(w.mine.ID), inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, l := range got.Lines {
			sum += l.AmountOre
		}
		if sum != got.Totals.NetOre || got.Totals.NetOre+got.Totals.VATOre+got.Totals.RoundingOre != got.Totals.ToPayOre || got.Totals.ToPayOre != 111300 || got.Totals.RoundingOre != -13 {
			t.Errorf("stored totals %+v, lines sum %d; want them to reconcile, to pay 1 113 kr after −0,13 kr rounding", got.Totals, sum)
		}
		if got.CustomerName != w.mine.Name || got.Lines[0].CaseNumber == "" || got.DueDate <= got.InvoiceDate {
			t.Errorf("snapshot %+v", got)
		}
		ca, _ := db.Case(ctx, repair.StaffScope(), a)
		cb, _ := db.Case(ctx, repair.StaffScope(), b)
		if ca.Status != repair.StatusInvoiced || cb.Status == repair.StatusInvoiced {
			t.Errorf("case a %s (all invoiced), case b %s (work left): want Fakturerad and not", ca.Status, cb.Status)
		}
		_, err = w.ops.AddCostLine(ctx, w.disp, woA.ID, repair.CostInput{Kind: "part", Description: "x", Quantity: "1", UnitPrice: "1", Visible: true})
		wantFields(t, "a cost on an invoiced work order", err, "work_order")
		_, err = w.ops.RecordAction(ctx, w.disp, woA.ID, repair.ActionInput{Date: "2026-03-16", TechnicianID: itoa(w.tech.ID), Description: "Efterkontroll", Time: "10", Visible: true})
		wantFields(t, "an action on an invoiced work order", err, "work_order")
		_, err = w.ops.SetWorkOrderStatus(ctx, w.disp, woA.ID, repair.WorkOrderInProgress)
		wantFields(t, "reopening an invoiced work order", err, "work_order")
		_, err = w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to)
		wantFields(t, "a second run of the same period", err, "period")

		// Another customer sees nothing of it.
		if _, err := db.Invoice(ctx, repair.CustomerScope(w.theirs.ID), inv.ID); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("another customer reading the invoice: %v", err)
		}
		if _, err := w.ops.IssueInvoice(ctx, w.anna, w.mine.ID, from, to); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a customer running invoices: %v", err)
		}

		credit, err := w.ops.CreditInvoice(ctx, w.disp, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if credit.CreditsID != inv.ID || credit.Totals.ToPayOre != -inv.Totals.ToPayOre || credit.Totals.NetOre+inv.Totals.NetOre != 0 {
			t.Errorf("credit note %+v does not net invoice %+v to zero", credit.Totals, inv.Totals)
		}
		_, err = w.ops.CreditInvoice(ctx, w.disp, inv.ID)
		wantFields(t, "crediting twice", err, "invoice")
		// The credit frees the work: case a is Utförd again with its
		// completion kept, its work order takes a correction, and the
		// next run bills it again.
		back, _ := db.Case(ctx, repair.StaffScope(), a)
		if back.Status != repair.StatusCompleted || !back.CompletedAt.Equal(ca.CompletedAt) {
			t.Errorf("after the credit case a is %s, completed %v; want Utförd, completed %v as before", back.Status, back.CompletedAt, ca.CompletedAt)
		}
		if _, err := w.ops.AddCostLine(ctx, w.disp, woA.ID, repair.CostInput{Kind: "fee", Description: "Rättelse", Quantity: "1", UnitPrice: "50", Visible: true}); err != nil {
			t.Errorf("a correction on the credited work order: %v", err)
		}
		again, err := w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if again.Totals.NetOre != 89050+5000 || again.Number != "100003" {
			t.Errorf("the new invoice %s nets %d, want 100003 with the corrected 940,50 kr", again.Number, again.Totals.NetOre)
		}
		if c, _ := db.Case(ctx, repair.StaffScope(), a); c.Status != repair.StatusInvoiced {
			t.Errorf("re-invoiced case a is %s, want Fakturerad", c.Status)
		}
		if inv.Number != "100001" || credit.Number != "100002" {
			t.Errorf("numbers %s, %s; want the series' first two", inv.Number, credit.Number)
		}
		if n := w.auditCount("invoice", inv.ID); n != 1 {
			t.Errorf("%d audit lines on the invoice, want 1", n)
		}
	})
}

// TestConcurrentInvoiceRuns: two runs of the same period at once invoice
// each work order once: one issues, the other refuses.
func TestConcurrentInvoiceRuns(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		for _, token := range []string{"x", "y", "z"} {
			id := w.newCase(caseInput(token))
			w.doneWork(id, "500")
			if err := w.ops.SetCaseStatus(ctx, w.disp, id, repair.StatusInput{To: "completed"}); err != nil {
				t.Fatal(err)
			}
		}
		from, to := db.Now().Add(-24*time.Hour), db.Now().Add(24*time.Hour)
		var wg sync.WaitGroup
		results := make([]error, 2)
		invoices := make([]repair.Invoice, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				invoices[i], results[i] = w.ops.IssueInvoice(ctx, w.disp, w.mine.ID, from, to)
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range results {
			switch {
			case err == nil:
				ok++
				if len(invoices[i].Lines) != 3 {
					t.Errorf("the issued invoice has %d lines, want all 3", len(invoices[i].Lines))
				}
			case !errors.As(err, new(repair.FieldErrors)):
				t.Errorf("run %d: %v, want a refusal with a message", i, err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d runs issued, want exactly 1 (%v)", ok, results)
		}
	})
}
