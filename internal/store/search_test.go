package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// searchFixture: two customers; mine has 30 cases over 30 days with known
// references, streets, assets and statuses; theirs has look-alikes that
// must never show.
type searchFixture struct {
	db           *store.DB
	mine, theirs repair.Customer
	asset        repair.Asset
	cases        []repair.Case // mine, oldest first
	day0         time.Time
}

func newSearchFixture(t *testing.T, db *store.DB) *searchFixture {
	ctx := context.Background()
	f := &searchFixture{db: db, day0: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	f.mine = storetest.Customer(t, db, "Mine")
	f.theirs = storetest.Customer(t, db, "Theirs")
	f.asset = storetest.Asset(t, db, f.mine.ID)
	theirAsset := storetest.Asset(t, db, f.theirs.ID)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < 30; i++ {
			c := repair.Case{
				CustomerID: f.mine.ID, Type: repair.PortalCaseType,
				Title:            fmt.Sprintf("Skövde %s nr %d", []string{"Diskmaskin läcker", "Tvättmaskin stannar", "Kyl värmer"}[i%3], i),
				Description:      "Hyresgäst har kollat sil",
				Street:           []string{"Ängsvägen 3", "Åsgatan 12", "Storgatan 1"}[i%3],
				InvoiceReference: []string{"KST 4410", "Ref Berit"}[i%2],
				RegisteredAt:     f.day0.Add(time.Duration(i) * 24 * time.Hour),
			}
			if i%5 == 0 {
				c.AssetID = f.asset.ID
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			if i%4 == 0 {
				if err := tx.SetCaseStatus(ctx, c.ID, repair.StatusReceived, 0, "", time.Time{}); err != nil {
					return err
				}
				c.Status = repair.StatusReceived
			}
			f.cases = append(f.cases, c)
			// A look-alike for the other customer, same day and fields.
			o := c
			o.ID, o.CustomerID, o.AssetID, o.Status = 0, f.theirs.ID, theirAsset.ID, ""
			if err := tx.CreateCase(ctx, &o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// want lists the numbers of my cases for which keep is true, newest first.
func (f *searchFixture) want(keep func(i int, c repair.Case) bool) []string {
	var out []string
	for i := len(f.cases) - 1; i >= 0; i-- {
		if keep(i, f.cases[i]) {
			out = append(out, f.cases[i].Number)
		}
	}
	return out
}

func numbers(cs []repair.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

func TestSearchCasesFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newSearchFixture(t, db)
		ctx := context.Background()
		tests := []struct {
			name   string
			filter repair.CaseFilter
			keep   func(i int, c repair.Case) bool
		}{
			{"nothing", repair.CaseFilter{}, func(int, repair.Case) bool { return true }},
			{"Fakturamärkning any case", repair.CaseFilter{InvoiceReference: "kst 4410"}, func(i int, _ repair.Case) bool { return i%2 == 0 }},
			{"Fakturamärkning partial is no match", repair.CaseFilter{InvoiceReference: "KST"}, func(int, repair.Case) bool { return false }},
			{"Objekt", repair.CaseFilter{AssetNumber: f.asset.Number}, func(i int, _ repair.Case) bool { return i%5 == 0 }},
			{"Gata prefix Å", repair.CaseFilter{Street: "ÅSGATAN"}, func(i int, _ repair.Case) bool { return i%3 == 1 }},
			{"Gata prefix ä", repair.CaseFilter{Street: "ängsv"}, func(i int, _ repair.Case) bool { return i%3 == 0 }},
			{"status", repair.CaseFilter{Statuses: []repair.Status{repair.StatusReceived}}, func(i int, _ repair.Case) bool { return i%4 == 0 }},
			{"two statuses", repair.CaseFilter{Statuses: []repair.Status{repair.StatusReceived, repair.StatusRegistered}}, func(int, repair.Case) bool { return true }},
			{"dates", repair.CaseFilter{From: f.day0.Add(10 * 24 * time.Hour), To: f.day0.Add(20 * 24 * time.Hour)}, func(i int, _ repair.Case) bool { return i >= 10 && i < 20 }},
			{"text", repair.CaseFilter{Text: "DISKMASKIN"}, func(i int, _ repair.Case) bool { return i%3 == 0 }},
			{"text two words", repair.CaseFilter{Text: "värmer nr"}, func(i int, _ repair.Case) bool { return i%3 == 2 }},
			{"text case number", repair.CaseFilter{Text: f.cases[7].Number}, func(i int, _ repair.Case) bool { return i == 7 }},
			{"text wildcard literal", repair.CaseFilter{Text: "%"}, func(int, repair.Case) bool { return false }},
			{"combined", repair.CaseFilter{InvoiceReference: "KST 4410", Street: "Ängsvägen", Statuses: []repair.Status{repair.StatusReceived}, From: f.day0},
				func(i int, _ repair.Case) bool { return i%2 == 0 && i%3 == 0 && i%4 == 0 }},
			{"another customer's asset", repair.CaseFilter{AssetNumber: "nope"}, func(int, repair.Case) bool { return false }},
		}
		for _, tt := range tests {
			tt.filter.Limit = 100
			res, err := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			want := f.want(tt.keep)
			if got := numbers(res.Cases); !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, want)
			}
			if res.Total != len(want) || res.Capped {
				t.Errorf("%s: total %d (capped %v), want %d", tt.name, res.Total, res.Capped, len(want))
			}
			for _, c := range res.Cases {
				if c.CustomerID != f.mine.ID {
					t.Fatalf("%s: another customer's case %s leaked", tt.name, c.Number)
				}
			}
		}
	})
}

func TestSearchCasesKeysetPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newSearchFixture(t, db)
		ctx := context.Background()
		scope := repair.CustomerScope(f.mine.ID)
		for _, sort := range []repair.CaseSort{repair.SortRegistered, repair.SortNumber} {
			for _, asc := range []bool{false, true} {
				name := fmt.Sprintf("%s asc=%v", sort, asc)
				filter := repair.CaseFilter{Sort: sort, Asc: asc, Limit: 7}
				var pages [][]string
				var got []string
				for page := 0; page < 10; page++ {
					res, err := db.SearchCases(ctx, scope, filter)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					pages = append(pages, numbers(res.Cases))
					got = append(got, numbers(res.Cases)...)
					if (page == 0) != (res.Prev == "") {
						t.Errorf("%s page %d: prev %q", name, page, res.Prev)
					}
					if res.Next == "" {
						break
					}
					filter.Cursor, filter.Before = res.Next, false
				}
				want := f.want(func(int, repair.Case) bool { return true })
				if asc {
					slices.Reverse(want)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: pages joined = %v, want %v", name, got, want)
				}
				if len(pages) != 5 {
					t.Errorf("%s: %d pages of 7 for 30 cases, want 5", name, len(pages))
				}
				// Walk back from the last page with Prev.
				res, _ := db.SearchCases(ctx, scope, filter)
				back := repair.CaseFilter{Sort: sort, Asc: asc, Limit: 7, Cursor: res.Prev, Before: true}
				prev, err := db.SearchCases(ctx, scope, back)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(numbers(prev.Cases), pages[3]) {
					t.Errorf("%s: previous page = %v, want %v", name, numbers(prev.Cases), pages[3])
				}
			}
		}
	})
}

func TestSearchCasesBadCursor(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newSearchFixture(t, db)
		ctx := context.Background()
		res, _ := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), repair.CaseFilter{Limit: 5})
		numberCursor, _ := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), repair.CaseFilter{Limit: 5, Sort: repair.SortNumber})
		for _, c := range []string{"garbage!", "Zm9v", strings.Repeat("A", 400), numberCursor.Next, res.Next + "x"} {
			_, err := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), repair.CaseFilter{Cursor: c})
			if !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("cursor %.20q: err = %v, want ErrBadCursor", c, err)
			}
		}
		if _, err := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), repair.CaseFilter{Sort: "title; DROP"}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("unknown sort: err = %v", err)
		}
		// Another customer's cursor only continues within the caller's own cases.
		theirs, _ := db.SearchCases(ctx, repair.CustomerScope(f.theirs.ID), repair.CaseFilter{Limit: 5})
		mine, err := db.SearchCases(ctx, repair.CustomerScope(f.mine.ID), repair.CaseFilter{Limit: 50, Cursor: theirs.Next})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range mine.Cases {
			if c.CustomerID != f.mine.ID {
				t.Fatal("a foreign cursor leaked a foreign case")
			}
		}
	})
}

// TestCaseExtrasKept: what a list shows beside a case (its
// customer-visible actions, its files, its newest signed delivery note)
// is counted on the case row as actions and files are added, and reaches
// the list through the customer's scope only.
func TestCaseExtrasKept(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine := storetest.Customer(t, db, "Mine")
		theirs := storetest.Customer(t, db, "Theirs")
		c := storetest.Case(t, db, mine.ID, 0, "Skövde Spis")
		o := storetest.Case(t, db, theirs.ID, 0, "Lidköping Spis")
		storetest.File(t, db, c.ID, repair.FileDeliveryNote, "foljesedel-1.pdf")
		note := storetest.File(t, db, c.ID, repair.FileDeliveryNote, "foljesedel-2.pdf")
		storetest.File(t, db, c.ID, repair.FilePhoto, "bild.png")
		storetest.File(t, db, o.ID, repair.FileDeliveryNote, "deras.pdf")
		err := db.Update(ctx, func(tx *store.Tx) error {
			w := repair.WorkOrder{CaseID: c.ID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			for _, vis := range []bool{true, true, false} {
				if err := tx.AddAction(ctx, &repair.Action{WorkOrderID: w.ID, PerformedOn: "2026-03-14", Description: "x", CustomerVisible: vis}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.SearchCases(ctx, repair.CustomerScope(mine.ID), repair.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Cases) != 1 || res.Cases[0].ID != c.ID {
			t.Fatalf("the customer's list = %+v, want its one case", res.Cases)
		}
		if got := res.Cases[0]; got.VisibleActions != 2 || got.Files != 3 || got.DeliveryNoteID != note.ID {
			t.Errorf("listed with %d visible actions, %d files, note %d; want 2, 3 and the newest note %d",
				got.VisibleActions, got.Files, got.DeliveryNoteID, note.ID)
		}
		if got, err := db.Case(ctx, repair.CustomerScope(theirs.ID), o.ID); err != nil || got.Files != 1 || got.VisibleActions != 0 {
			t.Errorf("the other customer's case: %d files, %d actions, %v; want 1 and 0", got.Files, got.VisibleActions, err)
		}
	})
}

// TestStaffSearchFilters: the office's filters over every customer find
// exactly the cases they name, and the count says as many.
func TestStaffSearchFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := storetest.Customer(t, db, "A"), storetest.Customer(t, db, "B")
		tech1 := storetest.User(t, db, 0, repair.RoleTechnician, "t1@x.example", "x")
		tech2 := storetest.User(t, db, 0, repair.RoleTechnician, "t2@x.example", "x")
		day := time.Date(2026, 3, 10, 0, 0, 0, 0, repair.Stockholm)
		var cases []repair.Case
		for i := range 6 {
			k := a
			if i%2 == 1 {
				k = b
			}
			c := repair.Case{CustomerID: k.ID, Type: repair.PortalCaseType, Title: fmt.Sprint("Fel ", i), RegisteredAt: day.AddDate(0, 0, -10*i)}
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.CreateCase(ctx, &c) })
			cases = append(cases, c)
		}
		plan := func(c repair.Case, tech repair.User, start time.Time, cancel bool) {
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
				w := repair.WorkOrder{CaseID: c.ID, TechnicianID: tech.ID, PlannedStart: start, PlannedEnd: start.Add(time.Hour)}
				if err := tx.CreateWorkOrder(ctx, &w); err != nil {
					return err
				}
				if cancel {
					return tx.SetWorkOrderStatus(ctx, w.ID, repair.WorkOrderCancelled)
				}
				return nil
			})
		}
		plan(cases[0], tech1, day.Add(9*time.Hour), false)
		plan(cases[1], tech2, day.Add(23*time.Hour+30*time.Minute), false) // still the 10th in Stockholm
		plan(cases[2], tech1, day.AddDate(0, 0, 1).Add(8*time.Hour), false)
		plan(cases[3], tech2, day.Add(10*time.Hour), true) // cancelled: not planned
		numbers := func(f repair.CaseFilter) []string {
			t.Helper()
			res, err := db.SearchCases(ctx, repair.StaffScope(), f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range res.Cases {
				out = append(out, c.Title)
			}
			if res.Total != len(out) {
				t.Errorf("%+v: count %d, list %d", f, res.Total, len(out))
			}
			slices.Sort(out)
			return out
		}
		for _, tt := range []struct {
			name string
			f    repair.CaseFilter
			want []string
		}{
			{"all", repair.CaseFilter{}, []string{"Fel 0", "Fel 1", "Fel 2", "Fel 3", "Fel 4", "Fel 5"}},
			{"Kund", repair.CaseFilter{CustomerID: b.ID}, []string{"Fel 1", "Fel 3", "Fel 5"}},
			{"Tekniker", repair.CaseFilter{TechnicianID: tech1.ID}, []string{"Fel 0", "Fel 2"}},
			{"Tekniker and Kund", repair.CaseFilter{TechnicianID: tech2.ID, CustomerID: b.ID}, []string{"Fel 1", "Fel 3"}},
			{"no work order", repair.CaseFilter{NoWorkOrder: true}, []string{"Fel 3", "Fel 4", "Fel 5"}},
			{"planned on the 10th", repair.CaseFilter{PlannedFrom: day, PlannedTo: day.AddDate(0, 0, 1)}, []string{"Fel 0", "Fel 1"}},
			{"older than 15 days", repair.CaseFilter{To: day.AddDate(0, 0, -15)}, []string{"Fel 2", "Fel 3", "Fel 4", "Fel 5"}},
		} {
			if got := numbers(tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
		}
		// The same filters in a customer's scope never reach another's.
		res, err := db.SearchCases(ctx, repair.CustomerScope(a.ID), repair.CaseFilter{CustomerID: b.ID})
		if err != nil || len(res.Cases) != 0 {
			t.Errorf("customer A asking for B's cases got %d (%v)", len(res.Cases), err)
		}
	})
}

// TestSearchCountKeptUntilChange: a search's count is kept, on its first
// page and the pages after it, until a change to the customer's cases
// commits; then, and after derivedTTL (for changes another instance
// made), it is counted afresh. Another customer's change keeps it, and
// another customer's or another filter's count is never shown. Cases are
// moved between customers behind the store's back to tell a kept count
// from a fresh one.
func TestSearchCountKeptUntilChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newSearchFixture(t, db)
		ctx := context.Background()
		now := time.Now()
		db.SetClock(func() time.Time { return now })
		mine, theirs := repair.CustomerScope(f.mine.ID), repair.CustomerScope(f.theirs.ID)
		count := func(scope repair.Scope, flt repair.CaseFilter) int {
			t.Helper()
			flt.Limit = 10
			res, err := db.SearchCases(ctx, scope, flt)
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		first, err := db.SearchCases(ctx, mine, repair.CaseFilter{Limit: 10})
		if err != nil || first.Total != 30 || first.Next == "" {
			t.Fatalf("first page: %d, next %q, %v", first.Total, first.Next, err)
		}
		move := func(c repair.Case, to int64) {
			t.Helper()
			if err := store.ExecSQL(ctx, db, `UPDATE cases SET customer_id = ? WHERE id = ?`, to, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		move(f.cases[0], f.theirs.ID)
		move(f.cases[1], f.theirs.ID)
		if got := count(mine, repair.CaseFilter{}); got != 30 {
			t.Errorf("first page again, nothing announced: %d, want the kept 30", got)
		}
		if got := count(mine, repair.CaseFilter{Cursor: first.Next}); got != 30 {
			t.Errorf("page 2: %d, want the kept 30", got)
		}
		if got := count(theirs, repair.CaseFilter{}); got != 32 {
			t.Errorf("the other customer: %d, want its own 32", got)
		}
		storetest.Case(t, db, f.theirs.ID, 0, "Deras nya")
		if got := count(mine, repair.CaseFilter{}); got != 30 {
			t.Errorf("after the other customer's case: %d, want the kept 30", got)
		}
		storetest.Case(t, db, f.mine.ID, 0, "Skövde Ny")
		if got := count(mine, repair.CaseFilter{}); got != 29 {
			t.Errorf("after my new case: %d, want afresh 30-2+1 = 29", got)
		}
		if got := count(mine, repair.CaseFilter{Text: "skövde"}); got != 29 {
			t.Errorf("another filter: %d, want its own 29", got)
		}
		// A change of status is a change too, for every filter.
		received := repair.CaseFilter{Statuses: []repair.Status{repair.StatusReceived}}
		before := count(mine, received)
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			return tx.SetCaseStatus(ctx, f.cases[5].ID, repair.StatusReceived, 0, "", time.Time{})
		})
		if got := count(mine, received); got != before+1 {
			t.Errorf("Mottagen after a case was received: %d, want %d", got, before+1)
		}
		if got := count(mine, repair.CaseFilter{}); got != 29 {
			t.Errorf("all after the change of status: %d, want 29", got)
		}
		move(f.cases[2], f.theirs.ID)
		if got := count(mine, repair.CaseFilter{}); got != 29 {
			t.Errorf("kept: %d, want 29", got)
		}
		now = now.Add(2 * time.Minute)
		if got := count(mine, repair.CaseFilter{}); got != 28 {
			t.Errorf("minutes later: %d, want afresh 28", got)
		}

		// The office's queue counts (CountCases) are kept alike, in the
		// entry of the search the queue links to.
		office, registered := repair.StaffScope(), repair.CaseFilter{Statuses: []repair.Status{repair.StatusRegistered}}
		queue := func() int {
			t.Helper()
			n, _, err := db.CountCases(ctx, office, registered)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		n0 := queue()
		if n0 < 2 {
			t.Fatalf("%d registered cases, want some", n0)
		}
		if err := store.ExecSQL(ctx, db, `UPDATE cases SET status = 'planned' WHERE id IN (SELECT id FROM cases WHERE status = 'registered' ORDER BY id LIMIT 2)`); err != nil {
			t.Fatal(err)
		}
		if got, search := queue(), count(office, registered); got != n0 || search != n0 {
			t.Errorf("queue count, nothing announced: %d (its search %d), want the kept %d", got, search, n0)
		}
		storetest.Case(t, db, f.theirs.ID, 0, "Deras andra")
		if got := queue(); got != n0-2+1 {
			t.Errorf("queue count after a new case: %d, want afresh %d", got, n0-2+1)
		}
	})
}
