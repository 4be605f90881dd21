package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func TestCaseNumbersAndHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Solgården")
		a := storetest.Case(t, db, cust.ID, 0, "Skövde Diskmaskin tömmer inte")
		b := storetest.Case(t, db, cust.ID, 0, "Skövde Tvättmaskin läcker")
		if want := time.Now().In(repair.Stockholm).Format("2006") + "-00001"; a.Number != want {
			t.Errorf("first case number = %q, want %q", a.Number, want)
		}
		if b.Number == a.Number {
			t.Errorf("two cases got number %q", a.Number)
		}

		got, err := db.Case(ctx, repair.CustomerScope(cust.ID), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || got.Status != repair.StatusRegistered || got.RegisteredAt.IsZero() || !got.CompletedAt.IsZero() {
			t.Errorf("Case = %+v, want the created registered case", got)
		}

		steps := []repair.Status{repair.StatusReceived, repair.StatusPlanned, repair.StatusCompleted}
		for _, s := range steps {
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetCaseStatus(ctx, a.ID, s, 0, "", time.Time{}) }); err != nil {
				t.Fatalf("SetCaseStatus(%s): %v", s, err)
			}
		}
		got, _ = db.Case(ctx, repair.StaffScope(), a.ID)
		if got.Status != repair.StatusCompleted || got.CompletedAt.IsZero() {
			t.Errorf("after Utförd: status %s completed %v, want completed with a time", got.Status, got.CompletedAt)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetCaseStatus(ctx, a.ID, repair.StatusRegistered, 0, "", time.Time{})
		})
		if !errors.Is(err, repair.ErrConflict) {
			t.Errorf("SetCaseStatus(Utförd → Registrerad) = %v, want ErrConflict", err)
		}
		hist, err := db.StatusHistory(ctx, repair.StaffScope(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 4 || hist[0].Status != repair.StatusRegistered || hist[3].Status != repair.StatusCompleted {
			t.Errorf("StatusHistory = %+v, want Registrerad … Utförd (4 entries)", hist)
		}
	})
}

// TestCaseNumbersFromTwoInstances: two app instances on one database,
// each with 16 writers, file the first cases of a year at once (on
// PostgreSQL the year's sequence is made by whichever comes first): every
// case gets a number of its own, in the year's series, continuing the
// counter a seed or an older version left (42), and a year of history
// has a series of its own.
func TestCaseNumbersFromTwoInstances(t *testing.T) {
	storetest.ForEachPair(t, func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, a, "Solgården")
		year := time.Now().In(repair.Stockholm).Year()
		if err := store.ExecSQL(ctx, a, `INSERT INTO counters (name, value) VALUES (?, 42)`, fmt.Sprintf("case-%d", year)); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[string]bool{}
		var wg sync.WaitGroup
		for w := range 32 {
			db := []*store.DB{a, b}[w%2]
			wg.Go(func() {
				for range 5 {
					c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Kyl", Street: "Storgatan 1"}
					if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &c) }); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[c.Number] {
						t.Errorf("number %s given twice", c.Number)
					}
					seen[c.Number] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for n := range seen {
			var seq int
			if _, err := fmt.Sscanf(n, fmt.Sprintf("%d-%%d", year), &seq); err != nil || seq <= 42 || seq > 42+len(seen)+32 {
				t.Errorf("number %s: want %d-00043 or later, in the series", n, year)
			}
		}
		if len(seen) != 160 {
			t.Errorf("%d numbers for 160 cases", len(seen))
		}
		old := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Spis", Street: "Storgatan 1",
			RegisteredAt: time.Date(2019, 6, 1, 10, 0, 0, 0, repair.Stockholm)}
		if err := b.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &old) }); err != nil || old.Number != "2019-00001" {
			t.Errorf("a case of 2019: %q, %v; want 2019-00001", old.Number, err)
		}
	})
}

// TestCaseNumbersPastFiveDigits: a year's numbers have five digits at
// least and more when the series needs them, on both databases (where
// PostgreSQL's are made in the INSERT), and a case's Fritext text begins
// with its number: a search for the number finds the case.
func TestCaseNumbersPastFiveDigits(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Solgården")
		if err := store.ExecSQL(ctx, db, `INSERT INTO counters (name, value) VALUES ('case-2031', 99998)`); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"2031-99999", "2031-100000", "2031-100001"} {
			c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Kyl  ", Description: " Läcker vatten ",
				Street: "Storgatan 1", RegisteredAt: time.Date(2031, 3, 14, 10, 0, 0, 0, repair.Stockholm)}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &c) }); err != nil || c.Number != want {
				t.Fatalf("case number %q, %v; want %s", c.Number, err, want)
			}
			res, err := db.SearchCases(ctx, repair.CustomerScope(cust.ID), repair.CaseFilter{Text: want + " läcker"})
			if err != nil || len(res.Cases) != 1 || res.Cases[0].ID != c.ID {
				t.Errorf("Fritext %s: %+v, %v", want, res.Cases, err)
			}
			var text string
			if err := store.QueryRowSQL(ctx, db, `SELECT search_text FROM cases WHERE id = ?`, c.ID).Scan(&text); err != nil {
				t.Fatal(err)
			}
			if got := want + " skövde kyl    läcker vatten"; text != got {
				t.Errorf("search_text %q, want %q", text, got)
			}
		}
	})
}

// TestScopeIsolation checks that every scoped getter answers a foreign id
// exactly like a missing one.
func TestScopeIsolation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine := storetest.Customer(t, db, "Mine")
		theirs := storetest.Customer(t, db, "Theirs")
		asset := storetest.Asset(t, db, theirs.ID)
		c := storetest.Case(t, db, theirs.ID, asset.ID, "Deras ärende")
		f := storetest.File(t, db, c.ID, repair.FileDeliveryNote, "foljesedel.pdf")

		scopes := map[string]repair.Scope{"other customer": repair.CustomerScope(mine.ID), "zero scope": {}}
		for name, scope := range scopes {
			t.Run(name, func(t *testing.T) {
				if _, err := db.Case(ctx, scope, c.ID); !errors.Is(err, repair.ErrNotFound) {
					t.Errorf("Case = %v, want ErrNotFound", err)
				}
				if _, err := db.Asset(ctx, scope, asset.ID); !errors.Is(err, repair.ErrNotFound) {
					t.Errorf("Asset = %v, want ErrNotFound", err)
				}
				if _, err := db.File(ctx, scope, f.ID); !errors.Is(err, repair.ErrNotFound) {
					t.Errorf("File = %v, want ErrNotFound", err)
				}
				if _, err := db.Customer(ctx, scope, theirs.ID); !errors.Is(err, repair.ErrNotFound) {
					t.Errorf("Customer = %v, want ErrNotFound", err)
				}
				if res, err := db.SearchCases(ctx, scope, repair.CaseFilter{}); err != nil || len(res.Cases) != 0 || res.Total != 0 {
					t.Errorf("SearchCases = %d cases (total %d), %v; want none", len(res.Cases), res.Total, err)
				}
				if cs, err := db.AssetCases(ctx, scope, asset.ID); err != nil || len(cs) != 0 {
					t.Errorf("AssetCases = %d cases, %v; want none", len(cs), err)
				}
				if fs, err := db.CaseFiles(ctx, scope, c.ID); err != nil || len(fs) != 0 {
					t.Errorf("CaseFiles = %d files, %v; want none", len(fs), err)
				}
				if as, err := db.SearchAssets(ctx, scope, "", 10); err != nil || len(as) != 0 {
					t.Errorf("SearchAssets = %d, %v; want none", len(as), err)
				}
			})
		}
		// The owner sees them all.
		own := repair.CustomerScope(theirs.ID)
		if _, err := db.Case(ctx, own, c.ID); err != nil {
			t.Errorf("owner Case = %v", err)
		}
		if _, err := db.File(ctx, own, f.ID); err != nil {
			t.Errorf("owner File = %v", err)
		}
		if _, err := db.Case(ctx, own, c.ID+1000); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("missing Case = %v, want ErrNotFound", err)
		}
	})
}

func TestUniqueEmailConflict(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		storetest.User(t, db, 0, repair.RoleAdmin, "Admin@Example.se", "x")
		u := repair.User{Email: "admin@example.se ", Name: "Dup", Role: repair.RoleAdmin, PasswordHash: "x"}
		err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateUser(context.Background(), &u) })
		if !errors.Is(err, repair.ErrConflict) {
			t.Errorf("CreateUser(duplicate e-mail, other case) = %v, want ErrConflict", err)
		}
		got, err := db.UserByEmail(context.Background(), "ADMIN@example.se")
		if err != nil || got.Email != "admin@example.se" {
			t.Errorf("UserByEmail = %+v, %v; want the normalised user", got, err)
		}
	})
}

func TestCustomerRoleNeedsCustomer(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		u := repair.User{Email: "x@example.se", Name: "X", Role: repair.RoleCustomerUser, PasswordHash: "x"}
		if err := db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateUser(context.Background(), &u) }); err == nil {
			t.Error("CreateUser(customer role without customer) succeeded, want a constraint error")
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		u := storetest.User(t, db, 0, repair.RoleDispatcher, "disp@example.se", "x")
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateSession(ctx, "h1", u.ID, now.Add(time.Hour)) }); err != nil {
			t.Fatal(err)
		}
		if _, got, err := db.SessionUser(ctx, "h1"); err != nil || got.ID != u.ID {
			t.Fatalf("SessionUser = %v, %v; want user %d", got.ID, err, u.ID)
		}
		now = now.Add(2 * time.Hour)
		if _, _, err := db.SessionUser(ctx, "h1"); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("expired SessionUser = %v, want ErrNotFound", err)
		}
		if _, _, err := db.SessionUser(ctx, "nope"); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("unknown SessionUser = %v, want ErrNotFound", err)
		}
	})
}

// TestCaseNumberYearIsSwedish: just after midnight on New Year's Day in
// Sweden it is still the old year in UTC; the case belongs to the new one.
func TestCaseNumberYearIsSwedish(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Nyår")
		c := repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Skövde Spis", Status: repair.StatusRegistered,
			RegisteredAt: time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)} // 00:30 on 1 January in Stockholm
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateCase(ctx, &c) }); err != nil {
			t.Fatal(err)
		}
		if c.Number != "2027-00001" {
			t.Errorf("case number = %q, want 2027-00001", c.Number)
		}
	})
}

// TestHistoricTimesKept: an import of history (the demo data) sets when an
// action, cost or file was made; a normal save takes the transaction's time.
func TestHistoricTimesKept(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Historia")
		c := storetest.Case(t, db, cust.ID, 0, "Skövde Ugn")
		then := time.Date(2025, 6, 2, 8, 30, 0, 0, time.UTC)
		err := db.Update(ctx, func(tx *store.Tx) error {
			w := repair.WorkOrder{CaseID: c.ID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			if err := tx.AddAction(ctx, &repair.Action{WorkOrderID: w.ID, PerformedOn: "2025-06-02", Description: "x", CustomerVisible: true, CreatedAt: then}); err != nil {
				return err
			}
			return tx.AddAction(ctx, &repair.Action{WorkOrderID: w.ID, PerformedOn: "2025-06-03", Description: "y", CustomerVisible: true})
		})
		if err != nil {
			t.Fatal(err)
		}
		as, _ := db.Actions(ctx, repair.CustomerScope(c.CustomerID), c.ID)
		if !as[0].CreatedAt.Equal(then) || as[1].CreatedAt.Before(time.Now().Add(-time.Minute)) {
			t.Errorf("created times = %v, %v; want the given one, then now", as[0].CreatedAt, as[1].CreatedAt)
		}
	})
}
