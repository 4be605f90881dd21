package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestTechnicianScope: a technician sees the work orders assigned to it and
// the cases, machines, files and customers behind them, and nothing of a
// case it has no work order on; what it cannot see answers exactly like a
// missing record.
func TestTechnicianScope(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := storetest.Customer(t, db, "Solgårdens Bostäder AB")
		other := storetest.Customer(t, db, "Björkhagens äldreboende")
		tech := storetest.User(t, db, 0, repair.RoleTechnician, "tech@example.se", "x")
		colleague := storetest.User(t, db, 0, repair.RoleTechnician, "colleague@example.se", "x")
		mineAsset, otherAsset := storetest.Asset(t, db, k.ID), storetest.Asset(t, db, other.ID)
		mine := storetest.Case(t, db, k.ID, mineAsset.ID, "Skövde Tvättmaskin läcker")
		notMine := storetest.Case(t, db, other.ID, otherAsset.ID, "Mariestad Kyl varm")
		myWO := storetest.WorkOrder(t, db, mine.ID, tech.ID)
		colleaguesWO := storetest.WorkOrder(t, db, mine.ID, colleague.ID)
		theirWO := storetest.WorkOrder(t, db, notMine.ID, colleague.ID)
		myFile := storetest.File(t, db, mine.ID, repair.FilePhoto, "foto.jpg")
		theirFile := storetest.File(t, db, notMine.ID, repair.FilePhoto, "foto.jpg")
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, w := range []int64{myWO.ID, colleaguesWO.ID} {
				if err := tx.AddAction(ctx, &repair.Action{WorkOrderID: w, PerformedOn: "2026-03-14", Description: "Internt", Minutes: 30}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		scope := repair.ScopeFor(tech)

		seen := func(what string, err error, want bool) {
			t.Helper()
			switch {
			case want && err != nil:
				t.Errorf("%s: %v, want it visible", what, err)
			case !want && !errors.Is(err, repair.ErrNotFound):
				t.Errorf("%s: err = %v, want repair.ErrNotFound", what, err)
			}
		}
		_, err = db.Case(ctx, scope, mine.ID)
		seen("case with my work order", err, true)
		_, err = db.Case(ctx, scope, notMine.ID)
		seen("case without my work order", err, false)
		_, err = db.WorkOrder(ctx, scope, myWO.ID)
		seen("my work order", err, true)
		_, err = db.WorkOrder(ctx, scope, colleaguesWO.ID)
		seen("a colleague's work order on the same case", err, false)
		_, err = db.WorkOrder(ctx, scope, theirWO.ID)
		seen("another case's work order", err, false)
		_, err = db.Asset(ctx, scope, mineAsset.ID)
		seen("machine of my case", err, true)
		_, err = db.Asset(ctx, scope, otherAsset.ID)
		seen("another machine", err, false)
		_, err = db.File(ctx, scope, myFile.ID)
		seen("file of my case", err, true)
		_, err = db.File(ctx, scope, theirFile.ID)
		seen("file of another case", err, false)
		_, err = db.Customer(ctx, scope, k.ID)
		seen("customer of my case", err, true)
		_, err = db.Customer(ctx, scope, other.ID)
		seen("another customer", err, false)
		_, err = db.User(ctx, scope, tech.ID)
		seen("myself", err, true)
		_, err = db.User(ctx, scope, colleague.ID)
		seen("a colleague", err, false)

		wos, err := db.WorkOrders(ctx, scope, mine.ID)
		if err != nil || len(wos) != 1 || wos[0].ID != myWO.ID {
			t.Errorf("WorkOrders(technician) = %v, %v; want only %s", wos, err, myWO.Number)
		}
		actions, err := db.Actions(ctx, scope, mine.ID)
		if err != nil || len(actions) != 1 || actions[0].WorkOrderID != myWO.ID {
			t.Errorf("Actions(technician) = %v, %v; want the internal action on my work order only", actions, err)
		}
		if actions, _ := db.Actions(ctx, repair.CustomerScope(k.ID), mine.ID); len(actions) != 0 {
			t.Errorf("Actions(customer) = %v, want no internal actions", actions)
		}
		if files, _ := db.CaseFiles(ctx, scope, notMine.ID); len(files) != 0 {
			t.Errorf("CaseFiles(technician, other case) = %v, want none", files)
		}
		if log, _ := db.AuditLog(ctx, scope, "case", mine.ID); len(log) != 0 {
			t.Errorf("AuditLog(technician) = %v, want none", log)
		}
		if cs := storetest.Cases(t, db, scope); len(cs) != 1 || cs[0].ID != mine.ID {
			t.Errorf("SearchCases(technician) = %d cases, want only %s", len(cs), mine.Number)
		}
	})
}

// TestZeroScopeSeesNothing: a scope that was never set fails closed on
// every read that takes one.
func TestZeroScopeSeesNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := storetest.Customer(t, db, "Solgårdens Bostäder AB")
		a := storetest.Asset(t, db, k.ID)
		c := storetest.Case(t, db, k.ID, a.ID, "Skövde Tvättmaskin läcker")
		w := storetest.WorkOrder(t, db, c.ID, 0)
		u := storetest.User(t, db, k.ID, repair.RoleCustomerUser, "anna@example.se", "x")
		var zero repair.Scope
		for what, err := range map[string]error{
			"Case":      second(db.Case(ctx, zero, c.ID)),
			"Asset":     second(db.Asset(ctx, zero, a.ID)),
			"WorkOrder": second(db.WorkOrder(ctx, zero, w.ID)),
			"Customer":  second(db.Customer(ctx, zero, k.ID)),
			"User":      second(db.User(ctx, zero, u.ID)),
		} {
			if !errors.Is(err, repair.ErrNotFound) {
				t.Errorf("%s(zero scope) err = %v, want repair.ErrNotFound", what, err)
			}
		}
		if h, _ := db.StatusHistory(ctx, zero, c.ID); len(h) != 0 {
			t.Errorf("StatusHistory(zero scope) = %v, want none", h)
		}
		if ws, _ := db.WorkOrders(ctx, zero, c.ID); len(ws) != 0 {
			t.Errorf("WorkOrders(zero scope) = %v, want none", ws)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestEarlierFaults: each case gets its machine's latest other cases, at
// most the limit, in one query; a technician sees them only for machines
// of its own work orders.
func TestEarlierFaults(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		k := storetest.Customer(t, db, "Solgårdens Bostäder AB")
		tech := storetest.User(t, db, 0, repair.RoleTechnician, "tech@example.se", "x")
		other := storetest.User(t, db, 0, repair.RoleTechnician, "other@example.se", "x")
		a, b := storetest.Asset(t, db, k.ID), storetest.Asset(t, db, k.ID)
		var onA []repair.Case
		for i := range 5 {
			onA = append(onA, storetest.Case(t, db, k.ID, a.ID, fmt.Sprintf("Fel %d", i)))
		}
		onB := storetest.Case(t, db, k.ID, b.ID, "Ensamt fel")
		newest, older := onA[4], onA[2]
		storetest.WorkOrder(t, db, newest.ID, tech.ID)
		storetest.WorkOrder(t, db, older.ID, tech.ID)
		storetest.WorkOrder(t, db, onB.ID, tech.ID)

		got, err := db.EarlierFaults(ctx, repair.ScopeFor(tech), []repair.Case{newest, older, onB}, 3)
		if err != nil {
			t.Fatal(err)
		}
		titles := func(fs []store.Fault) string {
			var s []string
			for _, f := range fs {
				s = append(s, f.Title)
			}
			return strings.Join(s, ", ")
		}
		if s := titles(got[newest.ID]); s != "Fel 3, Fel 2, Fel 1" {
			t.Errorf("faults before the newest = %q", s)
		}
		if s := titles(got[older.ID]); s != "Fel 4, Fel 3, Fel 1" {
			t.Errorf("faults around the older = %q, want its machine's others", s)
		}
		if len(got[onB.ID]) != 0 {
			t.Errorf("a machine's only case has faults %v", got[onB.ID])
		}
		if got, _ := db.EarlierFaults(ctx, repair.ScopeFor(other), []repair.Case{newest}, 3); len(got[newest.ID]) != 0 {
			t.Errorf("a technician without work orders on the machine sees %v", got[newest.ID])
		}
	})
}
