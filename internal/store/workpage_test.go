package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestWorkPageSkipsCasesWithoutLines: a page of one Fakturamärkning's
// work lists only the cases with customer-visible lines on their done or
// cancelled work orders, however many cases without them lie between
// (more than a page's read, so the page is filled by further reads), and
// its Nästa and Föregående edges are exact: forwards and backwards, for
// pages of every size, the pages are the cases with lines in completion
// order, each with its own lines in order and the page's spelling of the
// Fakturamärkning.
func TestWorkPageSkipsCasesWithoutLines(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine, theirs := storetest.Customer(t, db, "Solgården"), storetest.Customer(t, db, "Björkbacken")
		tech := storetest.User(t, db, 0, repair.RoleTechnician, fmt.Sprintf("tekniker%d@example.se", mine.ID), "x")
		disp := storetest.User(t, db, 0, repair.RoleDispatcher, fmt.Sprintf("disp%d@example.se", mine.ID), "x")
		// Each case by its letter: A two visible lines and a hidden one on
		// a done work order, C a visible line on a cancelled one (billed),
		// h only a hidden line, n no lines, o a visible line on a work
		// order still planned, r a visible line under another
		// Fakturamärkning. Runs of up to 24 cases without lines.
		const pattern = "AhnAoAnhrACnnnnnnnnhhhhoooorrrrnnnnhhhhAAhAnCnAonnnnnnnnnnnnnnnnnnnnnnnnAA"
		type want struct {
			id    int64
			ref   string
			lines []int64 // the lines' unit prices, in order
		}
		// complete files a case of customer k under ref with a work
		// order in st holding a line for each of visible, priced from
		// base up, and completes the case; it gives the case and the
		// prices of its visible lines.
		complete := func(ctx context.Context, tx *store.Tx, k int64, ref string, st repair.WorkOrderStatus, base int64, visible ...bool) (int64, []int64, error) {
			c := repair.Case{CustomerID: k, Type: repair.PortalCaseType, Title: "Fel", Street: "Storgatan 1", InvoiceReference: ref}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return 0, nil, err
			}
			wo := repair.WorkOrder{CaseID: c.ID, TechnicianID: tech.ID}
			if err := tx.CreateWorkOrder(ctx, &wo); err != nil {
				return 0, nil, err
			}
			var prices []int64
			for j, v := range visible {
				price := base + int64(j)
				if v {
					prices = append(prices, price)
				}
				if err := tx.AddCostLine(ctx, &repair.CostLine{WorkOrderID: wo.ID, Kind: repair.CostPart, Description: "Del",
					QuantityMilli: 1000, UnitPriceOre: price, CustomerVisible: v}); err != nil {
					return 0, nil, err
				}
			}
			if st != repair.WorkOrderPlanned {
				if err := tx.SetWorkOrderStatus(ctx, wo.ID, st); err != nil {
					return 0, nil, err
				}
			}
			for _, s := range []repair.Status{repair.StatusPlanned, repair.StatusCompleted} {
				if err := tx.SetCaseStatus(ctx, c.ID, s, disp.ID, "", time.Time{}); err != nil {
					return 0, nil, err
				}
			}
			return c.ID, prices, nil
		}
		var wanted []want
		var skipped int64 // a case without lines, as a page's start
		var theirCase int64
		for i, kind := range pattern {
			w := want{ref: []string{"KST 1", "kst 1", "Kst 1"}[i%3]}
			st, visible := repair.WorkOrderDone, []bool(nil)
			switch kind {
			case 'A':
				visible = []bool{true, false, true}
			case 'C':
				st, visible = repair.WorkOrderCancelled, []bool{true}
			case 'o':
				st, visible = repair.WorkOrderPlanned, []bool{true}
			case 'r':
				w.ref, visible = "KST 2", []bool{true}
			case 'h':
				visible = []bool{false}
			}
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
				var err error
				if w.id, w.lines, err = complete(ctx, tx, mine.ID, w.ref, st, int64(100*(i+1)), visible...); err != nil || i != 5 {
					return err
				}
				// Another customer's completed case with lines, in the
				// middle of mine: not on my pages, nor a start of them.
				theirCase, _, err = complete(ctx, tx, theirs.ID, "KST 1", repair.WorkOrderDone, 1, true)
				return err
			})
			switch {
			case kind == 'A' || kind == 'C':
				wanted = append(wanted, w)
			case i == 32:
				skipped = w.id
			}
		}
		if skipped == 0 || len(wanted) != 12 {
			t.Fatalf("the pattern gives %d cases with lines", len(wanted))
		}
		scope := repair.CustomerScope(mine.ID)
		q := store.WorkQuery{CustomerID: mine.ID, ByReference: true, Reference: "KST 1"}

		// page reads one page and checks it against wanted[from:to].
		page := func(p store.CasePage, from, to int, wantMore bool) {
			t.Helper()
			lines, more, err := db.WorkPage(ctx, scope, q, p)
			if err != nil {
				t.Fatalf("%+v: %v", p, err)
			}
			var ids []int64
			prices := map[int64][]int64{}
			spellings := map[string]bool{}
			for _, l := range lines {
				if len(ids) == 0 || ids[len(ids)-1] != l.CaseID {
					ids = append(ids, l.CaseID)
				}
				prices[l.CaseID] = append(prices[l.CaseID], l.UnitPriceOre)
				spellings[l.InvoiceReference] = true
			}
			var wantIDs []int64
			label := ""
			for _, w := range wanted[from:to] {
				wantIDs = append(wantIDs, w.id)
				label = max(label, w.ref)
				if got := prices[w.id]; !slices.Equal(got, w.lines) {
					t.Errorf("%+v: case %d has lines %v, want %v", p, w.id, got, w.lines)
				}
			}
			if !slices.Equal(ids, wantIDs) || more != wantMore {
				t.Errorf("%+v: cases %v, more %v; want %v, more %v", p, ids, more, wantIDs, wantMore)
			}
			if len(lines) > 0 && (len(spellings) != 1 || !spellings[label]) {
				t.Errorf("%+v: Fakturamärkning spelt %v, want the page's greatest spelling %q", p, spellings, label)
			}
		}
		n := len(wanted)
		for _, limit := range []int{1, 2, 3, 5, 12, 13, 50} {
			// Forwards from the start, each page after the last case of
			// the one before; then backwards from each page's first case.
			for from := 0; from < n; from += limit {
				after := int64(0)
				if from > 0 {
					after = wanted[from-1].id
				}
				to := min(from+limit, n)
				page(store.CasePage{Limit: limit, After: after}, from, to, to < n)
			}
			for to := n - 1; to > 0; to -= limit {
				from := max(to-limit, 0)
				page(store.CasePage{Limit: limit, Before: wanted[to].id}, from, to, from > 0)
			}
		}
		// A page may start at a case without lines: the cases with lines
		// after it, or before it.
		at := slices.IndexFunc(wanted, func(w want) bool { return w.id > skipped })
		page(store.CasePage{Limit: 3, After: skipped}, at, at+3, true)
		page(store.CasePage{Limit: 3, Before: skipped}, at-3, at, true)
		// Another customer's case as the start reads as one not there.
		for _, p := range []store.CasePage{{Limit: 3, After: theirCase}, {Limit: 3, Before: theirCase}} {
			if lines, more, err := db.WorkPage(ctx, scope, q, p); err != nil || len(lines) != 0 || more {
				t.Errorf("%+v: %d lines, more %v, %v; want an empty page", p, len(lines), more, err)
			}
		}
	})
}
