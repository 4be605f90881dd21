package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// assetHistory is a machine with 60 cases over five years, visible and
// internal costs on each, a colleague's work order with a cost on every
// fifth, and two cases filed at the same instant just after midnight on
// New Year in Stockholm (still the old year in UTC); beside it another
// machine of the same customer and one of another customer.
type assetHistory struct {
	mine, theirs    repair.Customer
	asset, other    repair.Asset
	tech, colleague repair.User
	cases           []repair.Case // the machine's, newest first
}

func newAssetHistory(t *testing.T, db *store.DB) assetHistory {
	t.Helper()
	var h assetHistory
	h.mine, h.theirs = storetest.Customer(t, db, "Solgården"), storetest.Customer(t, db, "Björkhagen")
	h.tech = storetest.User(t, db, 0, repair.RoleTechnician, "tech@example.com", "x")
	h.colleague = storetest.User(t, db, 0, repair.RoleTechnician, "colleague@example.com", "x")
	h.asset, h.other = storetest.Asset(t, db, h.mine.ID), storetest.Asset(t, db, h.mine.ID)
	storetest.History(t, db, h.mine.ID, h.asset.ID, h.tech.ID, 60)
	storetest.History(t, db, h.mine.ID, h.other.ID, h.tech.ID, 7)
	theirAsset := storetest.Asset(t, db, h.theirs.ID)
	storetest.History(t, db, h.theirs.ID, theirAsset.ID, h.tech.ID, 5)
	newYear := time.Date(2024, 1, 1, 0, 30, 0, 0, repair.Stockholm)
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for range 2 {
			c := repair.Case{CustomerID: h.mine.ID, AssetID: h.asset.ID, Type: repair.PortalCaseType, Title: "Nyårsfel", RegisteredAt: newYear}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			w := repair.WorkOrder{CaseID: c.ID, TechnicianID: h.tech.ID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			l := repair.CostLine{WorkOrderID: w.ID, Kind: repair.CostPart, Description: "Pump", QuantityMilli: 1000, UnitPriceOre: 31300, CustomerVisible: true}
			if err := tx.AddCostLine(ctx, &l); err != nil {
				return err
			}
		}
		return nil
	})
	h.cases = allAssetCases(t, db, repair.StaffScope(), h.asset.ID)
	storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, c := range h.cases {
			if i%5 != 0 {
				continue
			}
			w := repair.WorkOrder{CaseID: c.ID, TechnicianID: h.colleague.ID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			l := repair.CostLine{WorkOrderID: w.ID, Kind: repair.CostTravel, Description: "Resa", QuantityMilli: 1000, UnitPriceOre: 777, CustomerVisible: true}
			if err := tx.AddCostLine(ctx, &l); err != nil {
				return err
			}
		}
		return nil
	})
	return h
}

// allAssetCases is the machine's whole history as the page's queries had
// it before they were paged.
func allAssetCases(t *testing.T, db *store.DB, scope repair.Scope, assetID int64) []repair.Case {
	t.Helper()
	cs, err := db.AssetCases(context.Background(), scope, assetID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestAssetFigures: the figures computed in SQL equal those summed in Go
// over every case and its costs, as the page did, for each kind of scope:
// a customer counts only customer-visible costs, a technician only those
// of its own work orders, the office all.
func TestAssetFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newAssetHistory(t, db)
		since := db.Now().AddDate(-1, 0, 0)
		for _, tt := range []struct {
			name  string
			scope repair.Scope
			total int64 // by the builders' amounts
		}{
			{"customer", repair.CustomerScope(h.mine.ID), 60*10000 + 100*59*60/2 + 2*31300 + 13*777},
			{"staff", repair.StaffScope(), 60*10000 + 100*59*60/2 + 60*5000 + 59*60/2 + 2*31300 + 13*777},
			{"technician", repair.TechnicianScope(h.tech.ID), 60*10000 + 100*59*60/2 + 60*5000 + 59*60/2 + 2*31300},
			{"colleague", repair.TechnicianScope(h.colleague.ID), 13 * 777},
		} {
			t.Run(tt.name, func(t *testing.T) {
				cases := allAssetCases(t, db, tt.scope, h.asset.ID)
				ids := make([]int64, len(cases))
				for i, c := range cases {
					ids[i] = c.ID
				}
				costs, err := db.AssetCaseCosts(ctx, tt.scope, h.asset.ID, ids)
				if err != nil {
					t.Fatal(err)
				}
				var want store.AssetFigures
				perYear := map[int]int64{}
				for _, c := range cases {
					if c.RegisteredAt.After(since) && c.Status != repair.StatusCancelled {
						want.FaultsYear++
					}
					want.TotalOre += costs[c.ID]
					perYear[c.RegisteredAt.In(repair.Stockholm).Year()] += costs[c.ID]
				}
				for y, amount := range perYear {
					want.CostPerYear = append(want.CostPerYear, store.YearCost{Year: y, AmountOre: amount})
				}
				slices.SortFunc(want.CostPerYear, func(a, b store.YearCost) int { return b.Year - a.Year })

				got, err := db.AssetFigures(ctx, tt.scope, h.asset.ID, since)
				if err != nil {
					t.Fatal(err)
				}
				if got.FaultsYear != want.FaultsYear || got.TotalOre != want.TotalOre || !slices.Equal(got.CostPerYear, want.CostPerYear) {
					t.Errorf("AssetFigures = %+v, want %+v", got, want)
				}
				if got.TotalOre != tt.total {
					t.Errorf("AssetFigures total = %d, want %d", got.TotalOre, tt.total)
				}
				if tt.name == "customer" {
					if got.FaultsYear < 5 || len(got.CostPerYear) < 5 {
						t.Errorf("AssetFigures = %+v: want faults in the last year and costs over the years", got)
					}
					if i := slices.IndexFunc(got.CostPerYear, func(y store.YearCost) bool { return y.Year == 2024 }); i < 0 || got.CostPerYear[i].AmountOre < 2*31300 {
						t.Errorf("CostPerYear = %+v: the New Year cases belong to 2024 in Stockholm", got.CostPerYear)
					}
				}
			})
		}
		// Another customer, and a machine without cases.
		if got, err := db.AssetFigures(ctx, repair.CustomerScope(h.theirs.ID), h.asset.ID, since); err != nil || got.FaultsYear != 0 || got.TotalOre != 0 || len(got.CostPerYear) != 0 {
			t.Errorf("AssetFigures, another customer = %+v, %v; want nothing", got, err)
		}
		empty := storetest.Asset(t, db, h.mine.ID)
		if got, err := db.AssetFigures(ctx, repair.CustomerScope(h.mine.ID), empty.ID, since); err != nil || got.FaultsYear != 0 || got.TotalOre != 0 || len(got.CostPerYear) != 0 {
			t.Errorf("AssetFigures, no cases = %+v, %v; want nothing", got, err)
		}
	})
}

// TestAssetHistoryPages: the machine's history read 25 at a time through
// the cursors has every case exactly once, newest first, including two
// filed at the same instant; each page's costs and actions are those of
// its cases only; another customer sees nothing.
func TestAssetHistoryPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newAssetHistory(t, db)
		scope := repair.CustomerScope(h.mine.ID)
		want := allAssetCases(t, db, scope, h.asset.ID)
		if len(want) != 62 {
			t.Fatalf("the machine has %d cases, want 62", len(want))
		}
		var got []repair.Case
		f := repair.CaseFilter{AssetID: h.asset.ID, Limit: 25, NoCount: true}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("more pages than 62 cases make")
			}
			res, err := db.SearchCases(ctx, scope, f)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res.Cases); n != min(25, len(want)-len(got)) {
				t.Errorf("page %d has %d cases", pages+1, n)
			}
			ids := make([]int64, len(res.Cases))
			onPage := map[int64]bool{}
			for i, c := range res.Cases {
				ids[i], onPage[c.ID] = c.ID, true
			}
			costs, err := db.AssetCaseCosts(ctx, scope, h.asset.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			actions, err := db.AssetActions(ctx, scope, h.asset.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			for id := range costs {
				if !onPage[id] {
					t.Errorf("page %d: costs of case %d, not on the page", pages+1, id)
				}
			}
			// The page shows each case's kept total: the sum of its lines.
			for _, c := range res.Cases {
				if kept := repair.CostTotal(c.Costs); kept != costs[c.ID] {
					t.Errorf("page %d: case %s keeps %d öre, its lines sum to %d", pages+1, c.Number, kept, costs[c.ID])
				}
			}
			visible := 0
			for _, a := range actions {
				if !onPage[a.CaseID] || !a.CustomerVisible {
					t.Errorf("page %d: action %+v is not a visible one of the page's cases", pages+1, a)
				}
				visible++
			}
			if wantActions := len(res.Cases) - countTitled(res.Cases, "Nyårsfel"); visible != wantActions {
				t.Errorf("page %d: %d actions, want %d (one visible per case from the builder)", pages+1, visible, wantActions)
			}
			got = append(got, res.Cases...)
			if res.Next == "" {
				break
			}
			f.Cursor = res.Next
		}
		if !slices.EqualFunc(got, want, func(a, b repair.Case) bool { return a.ID == b.ID }) {
			t.Errorf("pages give %d cases %v, want %d newest first %v", len(got), caseIDs(got), len(want), caseIDs(want))
		}

		// A cursor that is not one is refused.
		for _, bad := range []string{"garbage", "cmVnaXN0cmVyYWR8eHw1", "bnVtbWVyfDIwMjYtMDAwMDF8NQ"} {
			if _, err := db.SearchCases(ctx, scope, repair.CaseFilter{AssetID: h.asset.ID, Limit: 25, Cursor: bad}); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("SearchCases(cursor %q) = %v, want ErrBadCursor", bad, err)
			}
		}

		// Another customer sees none of it.
		theirs := repair.CustomerScope(h.theirs.ID)
		if _, err := db.Asset(ctx, theirs, h.asset.ID); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("Asset, another customer = %v, want ErrNotFound", err)
		}
		if res, err := db.SearchCases(ctx, theirs, repair.CaseFilter{AssetID: h.asset.ID, Limit: 25, NoCount: true}); err != nil || len(res.Cases) != 0 {
			t.Errorf("SearchCases, another customer = %d cases, %v; want none", len(res.Cases), err)
		}
		ids := caseIDs(want)
		if costs, err := db.AssetCaseCosts(ctx, theirs, h.asset.ID, ids); err != nil || len(costs) != 0 {
			t.Errorf("AssetCaseCosts, another customer = %v, %v; want none", costs, err)
		}
		if actions, err := db.AssetActions(ctx, theirs, h.asset.ID, ids); err != nil || len(actions) != 0 {
			t.Errorf("AssetActions, another customer = %d, %v; want none", len(actions), err)
		}
		// Case ids of another machine do not bring its costs along.
		others := caseIDs(allAssetCases(t, db, scope, h.other.ID))
		if costs, err := db.AssetCaseCosts(ctx, scope, h.asset.ID, others); err != nil || len(costs) != 0 {
			t.Errorf("AssetCaseCosts, another machine's cases = %v, %v; want none", costs, err)
		}
	})
}

// TestAssetPagePlansEveryDialect: each database can serve the machine's
// page from its indexes (see CheckAssetPagePlans).
func TestAssetPagePlansEveryDialect(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) { store.CheckAssetPagePlans(t, db) })
}

func caseIDs(cs []repair.Case) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func countTitled(cs []repair.Case, title string) int {
	n := 0
	for _, c := range cs {
		if c.Title == title {
			n++
		}
	}
	return n
}

// TestAssetFiguresKeptUntilChange: a machine's figures are kept until a
// change to the customer's cases commits, then computed afresh. A cost
// changed behind the store's back tells a kept figure from a fresh one.
func TestAssetFiguresKeptUntilChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, db, "Solgården")
		tech := storetest.User(t, db, 0, repair.RoleTechnician, "tekniker@kundportal.example", "x")
		asset := storetest.Asset(t, db, cust.ID)
		cases := storetest.History(t, db, cust.ID, asset.ID, tech.ID, 5)
		scope, since := repair.CustomerScope(cust.ID), time.Now().AddDate(-1, 0, 0)
		figures := func() store.AssetFigures {
			t.Helper()
			f, err := db.AssetFigures(ctx, scope, asset.ID, since)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		first := figures()
		if err := store.ExecSQL(ctx, db, `UPDATE cost_lines SET amount_ore = amount_ore + 100000
			WHERE id = (SELECT min(id) FROM cost_lines WHERE customer_visible)`); err != nil {
			t.Fatal(err)
		}
		if got := figures(); got.TotalOre != first.TotalOre {
			t.Errorf("nothing announced: total %d, want the kept %d", got.TotalOre, first.TotalOre)
		}
		wos, err := db.WorkOrders(ctx, repair.StaffScope(), cases[0].ID)
		if err != nil || len(wos) == 0 {
			t.Fatalf("work orders of %s: %d, %v", cases[0].Number, len(wos), err)
		}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error {
			return tx.AddCostLine(ctx, &repair.CostLine{WorkOrderID: wos[0].ID, Kind: repair.CostTravel, Description: "Resa",
				QuantityMilli: 1000, UnitPriceOre: 5000, CustomerVisible: true})
		})
		if got, want := figures().TotalOre, first.TotalOre+100000+5000; got != want {
			t.Errorf("after a cost was added: total %d, want afresh %d", got, want)
		}
	})
}
