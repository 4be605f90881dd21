package demo

import (
	"bytes"
	"context"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// testNow is a Monday morning in March.
var testNow = time.Date(2026, time.March, 16, 10, 30, 0, 0, stockholm)

// dialects are the databases Load must work on; PostgreSQL runs when
// storetest finds one (and fails the test when CI requires it).
var dialects = []struct {
	name string
	open func(testing.TB) *store.DB
}{
	{"sqlite", storetest.Open},
	{"postgres", storetest.OpenPostgres},
}

// load fills a fresh database with the demo for now.
func load(t *testing.T, open func(testing.TB) *store.DB, now time.Time) (*store.DB, filestore.Store) {
	t.Helper()
	db := open(t)
	files, err := filestore.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := Load(context.Background(), db, files, now); err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Logf("Load took %v", time.Since(start))
	return db, files
}

func allCases(t *testing.T, db *store.DB) []repair.Case {
	t.Helper()
	return storetest.Cases(t, db, repair.StaffScope())
}

func TestLoad(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) { testLoad(t, d.open) })
	}
}

func testLoad(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db, files := load(t, open, testNow)

	t.Run("logins", func(t *testing.T) {
		want := []Login{
			{"anna@solgarden.example", "customer_user", "Solgårdens Bostäder AB"},
			{"berit@bjorkhagen.example", "customer_user", "Björkhagens äldreboende"},
			{"lars@tvatteriet.example", "customer_user", "Tvätteriet i Lidköping AB"},
			{"disp@kundportal.example", "dispatcher", ""},
			{"tekniker@kundportal.example", "technician", ""},
			{"admin@kundportal.example", "admin", ""},
		}
		if got := Logins(); len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Errorf("Logins()[:6] = %v, want %v", got, want)
		}
		for _, l := range Logins() {
			u, err := db.UserByEmail(ctx, l.Email)
			if err != nil {
				t.Errorf("UserByEmail(%q): %v", l.Email, err)
				continue
			}
			if string(u.Role) != l.Role {
				t.Errorf("%s: role = %s, want %s", l.Email, u.Role, l.Role)
			}
			var customer string
			if u.CustomerID != 0 {
				c, err := db.Customer(ctx, repair.StaffScope(), u.CustomerID)
				if err != nil {
					t.Fatal(err)
				}
				customer = c.Name
			}
			if customer != l.Customer {
				t.Errorf("%s: customer = %q, want %q", l.Email, customer, l.Customer)
			}
			if err := auth.CheckPassword(u.PasswordHash, Password); err != nil {
				t.Errorf("%s: CheckPassword(hash, %q) = %v", l.Email, Password, err)
			}
			if !strings.HasPrefix(u.Phone, "+46") || len(u.Phone) < 11 {
				t.Errorf("%s: phone %q is not E.164", l.Email, u.Phone)
			}
		}
	})

	t.Run("invoice references", func(t *testing.T) {
		c, err := db.CustomerByNumber(ctx, repair.StaffScope(), "K1001")
		if err != nil {
			t.Fatal(err)
		}
		refs, err := db.InvoiceReferences(ctx, repair.CustomerScope(c.ID), c.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(refs, "KST 4410") {
			t.Errorf("InvoiceReferences(%s) = %v, want KST 4410 among them", c.Name, refs)
		}
	})

	t.Run("assets", func(t *testing.T) {
		assets := storetest.Assets(t, db, repair.StaffScope())
		if n := len(assets); n < 180 || n > 230 {
			t.Errorf("%d assets, want about 200", n)
		}
		perCustomer := map[int64]int{}
		for _, a := range assets {
			perCustomer[a.CustomerID]++
			if a.PostalCode == "" || len(a.PostalCode) != 6 || a.PostalCode[3] != ' ' {
				t.Errorf("asset %s: postal code %q, want like \"541 30\"", a.Number, a.PostalCode)
			}
			if a.ContractID != 0 && a.ContractNumber == "" {
				t.Errorf("asset %s: contract %d has no number", a.Number, a.ContractID)
			}
		}
		if len(perCustomer) != 3 {
			t.Errorf("assets spread over %d customers, want 3", len(perCustomer))
		}
	})

	cases := allCases(t, db)
	t.Run("cases", func(t *testing.T) {
		if n := len(cases); n < 600 || n > 900 {
			t.Errorf("%d cases, want 600-900", n)
		}
		seen := map[repair.Status]int{}
		for _, c := range cases {
			seen[c.Status]++
			done := c.Status == repair.StatusCompleted || c.Status == repair.StatusInvoiced
			if done == c.CompletedAt.IsZero() {
				t.Errorf("case %s in %s: CompletedAt = %v", c.Number, c.Status, c.CompletedAt)
			}
			if !c.RegisteredAt.Before(testNow) || c.RegisteredAt.Before(testNow.AddDate(-1, 0, -1)) {
				t.Errorf("case %s registered %v, want within the year before %v", c.Number, c.RegisteredAt, testNow)
			}
			if done && (c.CompletedAt.Before(c.RegisteredAt) || c.CompletedAt.After(testNow)) {
				t.Errorf("case %s completed %v, registered %v", c.Number, c.CompletedAt, c.RegisteredAt)
			}
			if c.Type == repair.PortalCaseType && c.ReportedBy == 0 {
				t.Errorf("portal case %s has no reporter", c.Number)
			}
		}
		for _, s := range repair.Statuses {
			if seen[s] == 0 {
				t.Errorf("no case is %s (%s); counts %v", s, s.Label(), seen)
			}
		}
		t.Logf("cases by status: %v", seen)
	})

	t.Run("history and work", func(t *testing.T) {
		var checked int
		for _, c := range cases {
			if c.Status != repair.StatusInvoiced || checked == 20 {
				continue
			}
			checked++
			h, err := db.StatusHistory(ctx, repair.StaffScope(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) < 4 || h[0].Status != repair.StatusRegistered || h[len(h)-1].Status != repair.StatusInvoiced {
				t.Errorf("case %s: history %v, want Registrerad ... Fakturerad", c.Number, h)
			}
			for i := 1; i < len(h); i++ {
				if h[i].ChangedAt.Before(h[i-1].ChangedAt) {
					t.Errorf("case %s: history goes back in time: %v", c.Number, h)
				}
			}
			wos, err := db.WorkOrders(ctx, repair.StaffScope(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(wos) == 0 || wos[len(wos)-1].Status != repair.WorkOrderDone || wos[0].TechnicianID == 0 {
				t.Errorf("case %s: work orders %+v, want done with a technician", c.Number, wos)
			}
			actions, err := db.Actions(ctx, repair.CustomerScope(c.CustomerID), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(actions) == 0 {
				t.Errorf("case %s: no customer-visible action", c.Number)
			}
			costs, err := db.CostLines(ctx, repair.CustomerScope(c.CustomerID), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(costs, func(l repair.CostLine) bool { return l.Kind == repair.CostLabour && l.AmountOre > 0 }) {
				t.Errorf("case %s: costs %+v, want a labour line", c.Number, costs)
			}
		}
		if checked == 0 {
			t.Error("no invoiced case")
		}
	})

	t.Run("files", func(t *testing.T) {
		var notes, photos int
		for _, c := range cases {
			fs, err := db.CaseFiles(ctx, repair.StaffScope(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				var magic []byte
				switch f.Kind {
				case repair.FileDeliveryNote:
					notes++
					magic = []byte("%PDF")
				case repair.FilePhoto:
					photos++
					magic = []byte("\x89PNG")
				}
				if notes > 3 && photos > 3 {
					continue // reading a few of each is enough
				}
				b := read(t, files, f.SHA256)
				if !bytes.HasPrefix(b, magic) || int64(len(b)) != f.Size {
					t.Errorf("file %s (%s): %d bytes starting %q, want %d starting %q", f.Name, f.Kind, len(b), b[:min(8, len(b))], f.Size, magic)
				}
			}
		}
		if notes == 0 || photos == 0 {
			t.Errorf("%d delivery notes and %d photos, want some of each", notes, photos)
		}
		t.Logf("%d delivery notes, %d photos", notes, photos)
	})

	t.Run("second load is a no-op", func(t *testing.T) {
		if err := Load(ctx, db, files, testNow.AddDate(0, 1, 0)); err != nil {
			t.Fatalf("second Load: %v", err)
		}
		if n := len(allCases(t, db)); n != len(cases) {
			t.Errorf("after second Load, %d cases, want %d", n, len(cases))
		}
	})

	t.Run("deterministic", func(t *testing.T) {
		again, _ := load(t, open, testNow)
		other := allCases(t, again)
		if len(other) != len(cases) {
			t.Fatalf("second database has %d cases, want %d", len(other), len(cases))
		}
		for i := range cases {
			a, b := cases[i], other[i]
			if a.Number != b.Number || a.Title != b.Title || a.Status != b.Status || !a.RegisteredAt.Equal(b.RegisteredAt) {
				t.Fatalf("case %d differs: %s %q %s %v, then %s %q %s %v", i,
					a.Number, a.Title, a.Status, a.RegisteredAt, b.Number, b.Title, b.Status, b.RegisteredAt)
			}
		}
		// The files are the same bytes too: the newest cases carry the
		// delivery notes, whose PDFs embed dates and a drawn signature.
		for i := range 40 {
			sums := func(db *store.DB, c repair.Case) []string {
				fs, err := db.CaseFiles(ctx, repair.StaffScope(), c.ID)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, f := range fs {
					out = append(out, f.Name+" "+f.SHA256)
				}
				return out
			}
			if a, b := sums(db, cases[i]), sums(again, other[i]); !slices.Equal(a, b) {
				t.Errorf("case %s: files %v, then %v", cases[i].Number, a, b)
			}
		}
	})
}

func read(t *testing.T, files filestore.Store, sum string) []byte {
	t.Helper()
	f, err := files.Open(sum)
	if err != nil {
		t.Fatalf("Open(%s): %v", sum, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPlanStatuses checks, without a database, that the plan has every
// status and a sane history whatever day the demo is loaded: weekends,
// holidays and the turn of the year included.
func TestPlanStatuses(t *testing.T) {
	nows := []time.Time{
		testNow,
		time.Date(2026, time.March, 15, 23, 50, 0, 0, stockholm), // Sunday night
		time.Date(2026, time.January, 1, 0, 5, 0, 0, stockholm),  // New Year's night
		time.Date(2025, time.June, 20, 12, 0, 0, 0, stockholm),   // midsommarafton
		time.Date(2026, time.April, 3, 7, 0, 0, 0, stockholm),    // långfredag
		time.Date(2027, time.October, 27, 16, 45, 0, 0, time.UTC),
		time.Date(2026, time.December, 6, 22, 40, 0, 0, stockholm), // Solgården's newest cases all done by then
	}
	for _, now := range nows {
		t.Run(now.Format("2006-01-02T15:04"), func(t *testing.T) {
			g := plan(now)
			seen := map[repair.Status]int{}
			booked := map[string]bool{}
			for _, cp := range g.cases {
				seen[cp.status]++
				prev := cp.c.RegisteredAt
				from := repair.StatusRegistered
				for _, e := range cp.events {
					if !repair.CanTransition(from, e.status) {
						t.Fatalf("case %q: %s → %s not allowed", cp.c.Title, from, e.status)
					}
					if e.at.Before(prev) || !e.at.Before(now) {
						t.Fatalf("case %q: %s at %v, after %v and before now %v", cp.c.Title, e.status, e.at, prev, now)
					}
					prev, from = e.at, e.status
				}
				for _, v := range cp.visits {
					if v.start.Before(v.created) || (v.status == repair.WorkOrderDone && (v.done.Before(v.start) || !v.done.Before(now))) {
						t.Fatalf("case %q: visit created %v, start %v, done %v", cp.c.Title, v.created, v.start, v.done)
					}
					k := v.tech.Email + v.start.String()
					if booked[k] {
						t.Errorf("%s booked twice at %v", v.tech.Name, v.start)
					}
					booked[k] = true
				}
				if cp.status == repair.StatusInProgress {
					if n := len(cp.visits); n == 0 || cp.visits[n-1].status != repair.WorkOrderInProgress {
						t.Errorf("case %q is %s, but its last work order is not under way", cp.c.Title, cp.status)
					}
				}
			}
			for _, s := range repair.Statuses {
				if seen[s] == 0 {
					t.Errorf("no case is %s; counts %v", s, seen)
				}
			}
			// Each customer's portal has a case still Registrerad, to add
			// to or cancel, if it filed any in the last week.
			registered, recent := map[*customerPlan]int{}, map[*customerPlan]bool{}
			for _, cp := range g.cases {
				if cp.status == repair.StatusRegistered {
					registered[cp.cust]++
				}
				if now.Sub(cp.c.RegisteredAt) <= 7*24*time.Hour {
					recent[cp.cust] = true
				}
			}
			for _, c := range g.customers {
				if recent[c] && registered[c] == 0 {
					t.Errorf("%s has no case Registrerad", c.c.Name)
				}
			}
		})
	}
}

// TestDemoInvoices: every demo customer has a year of monthly invoices
// for its Fakturerad cases, each reconciling with its lines, and some
// done work left for Kommande.
func TestDemoInvoices(t *testing.T) {
	db, _ := load(t, storetest.Open, testNow)
	ctx := context.Background()
	customers, err := db.Customers(ctx, repair.StaffScope())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range customers {
		invs, err := db.Invoices(ctx, repair.CustomerScope(k.ID), k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(invs) < 6 {
			t.Errorf("%s has %d invoices, want most months of a year", k.Name, len(invs))
		}
		for _, head := range invs {
			inv, err := db.Invoice(ctx, repair.CustomerScope(k.ID), head.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, l := range inv.Lines {
				sum += l.AmountOre
				if c, err := db.Case(ctx, repair.StaffScope(), l.CaseID); err != nil || c.Status != repair.StatusInvoiced {
					t.Errorf("invoice %s bills case %s in %s", inv.Number, l.CaseNumber, c.Status)
				}
			}
			if sum != inv.Totals.NetOre || inv.Totals.NetOre+inv.Totals.VATOre+inv.Totals.RoundingOre != inv.Totals.ToPayOre {
				t.Errorf("invoice %s does not reconcile: lines %d, totals %+v", inv.Number, sum, inv.Totals)
			}
		}
	}
	// Each month's specification and the Dashboard's Kostnader per
	// Fakturamärkning for the month agree to the öre, per reference.
	months := 0
	for i := range 13 {
		m := time.Date(testNow.Year(), testNow.Month(), 1, 0, 0, 0, 0, repair.Stockholm).AddDate(0, -i, 0)
		period := repair.Period{Kind: repair.PeriodMonth, Start: m}
		for _, k := range customers {
			scope := repair.CustomerScope(k.ID)
			bars, err := db.Dashboard(ctx, scope, repair.DashboardQuery{Measure: repair.MeasureCosts, Grouping: repair.GroupReference, Period: period})
			if err != nil {
				t.Fatal(err)
			}
			_, lines, err := db.Work(ctx, scope, store.WorkQuery{CustomerID: k.ID, From: period.Start, To: period.End()})
			if err != nil {
				t.Fatal(err)
			}
			dash, spec := map[string]int64{}, map[string]int64{}
			for _, b := range bars {
				if sum := repair.CostTotal(b.Costs); sum != 0 {
					dash[store.Fold(b.Key)] = sum
				}
			}
			for _, l := range lines {
				key := store.Fold(l.InvoiceReference)
				if key == "" {
					key = repair.NoValue
				}
				spec[key] += l.AmountOre
			}
			for key, v := range spec {
				if v == 0 {
					delete(spec, key)
				}
			}
			if !maps.Equal(dash, spec) {
				t.Errorf("%s %s: the Dashboard's costs per Fakturamärkning %v, the specification's subtotals %v", k.Name, period, dash, spec)
			}
			if len(spec) > 0 {
				months++
			}
		}
	}
	if months < 12 {
		t.Errorf("only %d customer-months with costs compared", months)
	}
	_, upcoming, err := db.Work(ctx, repair.StaffScope(), store.WorkQuery{CustomerID: customers[0].ID, Uninvoiced: true, Status: repair.StatusCompleted})
	if err != nil || len(upcoming) == 0 {
		t.Errorf("no done, uninvoiced work for Kommande (%v)", err)
	}
}
