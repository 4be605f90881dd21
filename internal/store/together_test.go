package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestCaseDetailReadsTogether: the case page's one read (on PostgreSQL a
// pipeline of six statements) answers what the six reads answer one by
// one, as each scope sees it: a customer's without the internal actions
// and costs, staff's with them; another customer's case, and a missing
// one, are not found and hand out nothing of the case.
func TestCaseDetailReadsTogether(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Brf Eken")
		other := storetest.Customer(t, db, "Brf Linden")
		asset := storetest.Asset(t, db, cust.ID)
		tech := storetest.User(t, db, 0, repair.RoleTechnician, "tekniker@example.com", "x")
		cases := storetest.History(t, db, cust.ID, asset.ID, tech.ID, 3)
		c := cases[0]
		storetest.File(t, db, c.ID, repair.FilePhoto, "foto.pdf")
		storetest.WorkOrder(t, db, c.ID, 0) // a second work order, empty

		for _, sc := range []struct {
			scope repair.Scope
			n     int // actions and cost lines it sees
		}{{repair.CustomerScope(cust.ID), 1}, {repair.StaffScope(), 2}} {
			scope := sc.scope
			d, err := db.CaseDetail(ctx, scope, c.ID)
			if err != nil {
				t.Fatalf("CaseDetail(%v): %v", scope, err)
			}
			want := store.CaseDetail{}
			var errs [6]error
			want.Case, errs[0] = db.Case(ctx, scope, c.ID)
			want.History, errs[1] = db.StatusHistory(ctx, scope, c.ID)
			want.WorkOrders, errs[2] = db.WorkOrders(ctx, scope, c.ID)
			want.Actions, errs[3] = db.Actions(ctx, scope, c.ID)
			want.Costs, errs[4] = db.CostLines(ctx, scope, c.ID)
			want.Files, errs[5] = db.CaseFiles(ctx, scope, c.ID)
			if err := errors.Join(errs[:]...); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, want) {
				t.Errorf("CaseDetail(%v) =\n%+v\nthe reads one by one:\n%+v", scope, d, want)
			}
			if len(d.History) == 0 || len(d.WorkOrders) != 2 || len(d.Files) != 1 {
				t.Errorf("CaseDetail(%v): %d history entries, %d work orders, %d files; want some, 2, 1",
					scope, len(d.History), len(d.WorkOrders), len(d.Files))
			}
			// The customer sees the visible action and cost; staff the
			// internal ones too.
			if len(d.Actions) != sc.n || len(d.Costs) != sc.n {
				t.Errorf("CaseDetail(%v): %d actions and %d cost lines, want %d of each", scope, len(d.Actions), len(d.Costs), sc.n)
			}
		}

		for name, read := range map[string]func() (store.CaseDetail, error){
			"another customer's": func() (store.CaseDetail, error) { return db.CaseDetail(ctx, repair.CustomerScope(other.ID), c.ID) },
			"a missing":          func() (store.CaseDetail, error) { return db.CaseDetail(ctx, repair.StaffScope(), c.ID+1000) },
		} {
			d, err := read()
			if !errors.Is(err, repair.ErrNotFound) {
				t.Errorf("%s case: %v, want repair.ErrNotFound", name, err)
			}
			if !reflect.DeepEqual(d, store.CaseDetail{}) {
				t.Errorf("%s case handed out %+v", name, d)
			}
		}

		// A read that fails leaves the connection fit for the next: the
		// pipeline is drained, the connection goes back to the pool.
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := db.CaseDetail(cancelled, repair.StaffScope(), c.ID); err == nil {
			t.Error("CaseDetail on a cancelled context: no error")
		}
		for range 20 {
			if _, err := db.CaseDetail(ctx, repair.StaffScope(), c.ID); err != nil {
				t.Fatalf("CaseDetail after a failed one: %v", err)
			}
		}
	})
}
