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

// seedNow is the fixed end of the seeded five years, so the data does not
// depend on the day the tests run.
var seedNow = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

func seed(t *testing.T, db *store.DB, cases int, s uint64) {
	t.Helper()
	cfg := store.SeedConfig{Cases: cases, Seed: s, Now: seedNow, PasswordHash: "x",
		Photo: store.SeedPhoto{SHA256: strings.Repeat("ab", 32), Size: 1234}}
	var last int
	if err := db.Seed(context.Background(), cfg, func(done, total int) { last = done }); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if last != cases {
		t.Fatalf("last progress = %d, want %d", last, cases)
	}
}

func rows(t *testing.T, db *store.DB, q string, args ...any) []string {
	t.Helper()
	out, err := store.QueryRows(context.Background(), db, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func firstDiff(t *testing.T, what string, a, b []string) {
	t.Helper()
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			t.Fatalf("%s differ at row %d (of %d and %d):\n  %s\n  %s", what, i, len(a), len(b), x, y)
		}
	}
}

// derived are the columns of cases that the write path computes.
const derived = `SELECT id, city_key, asset_kind, asset_brand, kind_key, brand_key, work_order_count,
	labour_ore, part_ore, travel_ore, fee_ore, COALESCE(lead_bin, -1)
	FROM cases ORDER BY id`

// TestSeedMatchesTheWritePath: after a seed, every column the write path
// derives is what it would compute (RebuildDashboard recomputes the case
// keys and totals and the rollup from the rows, and changes nothing), the
// folded search columns and repeat faults are as CreateCase makes them,
// every history is a path the status rules allow ending in the case's
// status, and the numbers continue where the seed left them.
func TestSeedMatchesTheWritePath(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 2000
		seed(t, db, n, 1)
		if db.Dialect() == "postgres" {
			// Vacuumed: the index-only scans find every page all-visible.
			if r := rows(t, db, `SELECT relallvisible = relpages AND relpages > 0 FROM pg_class WHERE oid = 'cases'::regclass`); r[0] != "true" {
				t.Fatalf("after the seed, cases' pages all-visible: %v, want true", r)
			}
		}

		before, rollup := rows(t, db, derived), rows(t, db, `SELECT customer_id, dim, period, key1, key2, bin, label1, label2,
			cases, repeats, work_orders, labour_ore, part_ore, travel_ore, fee_ore
			FROM dashboard_rollup ORDER BY customer_id, dim, period, key1, key2, bin`)
		if len(before) != n {
			t.Fatalf("%d cases, want %d", len(before), n)
		}
		storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) error { return tx.RebuildDashboard(ctx) })
		firstDiff(t, "case keys and totals before and after RebuildDashboard", before, rows(t, db, derived))
		firstDiff(t, "rollup before and after RebuildDashboard", rollup, rows(t, db, `SELECT customer_id, dim, period, key1, key2, bin,
			label1, label2, cases, repeats, work_orders, labour_ore, part_ore, travel_ore, fee_ore
			FROM dashboard_rollup ORDER BY customer_id, dim, period, key1, key2, bin`))

		// What the lists show beside a case, as AddAction and CreateFile
		// count it, and as the migration that added the columns counts it
		// from the rows.
		// The seed signs no delivery notes: sign two on the first case.
		storetest.File(t, db, 1, repair.FileDeliveryNote, "foljesedel-1.pdf")
		storetest.File(t, db, 1, repair.FileDeliveryNote, "foljesedel-2.pdf")
		extras := `SELECT id, visible_actions, file_count, COALESCE(delivery_note_id, 0) FROM cases ORDER BY id`
		kept := rows(t, db, extras)
		firstDiff(t, "kept extras and a count of the rows", kept, rows(t, db, `
			SELECT c.id,
				(SELECT count(*) FROM actions a JOIN work_orders w ON w.id = a.work_order_id WHERE w.case_id = c.id AND a.customer_visible),
				(SELECT count(*) FROM files f WHERE f.case_id = c.id),
				COALESCE((SELECT max(f.id) FROM files f WHERE f.case_id = c.id AND f.kind = 'delivery_note'), 0)
			FROM cases c ORDER BY c.id`))
		if err := store.ExecSQL(ctx, db, `UPDATE cases SET visible_actions = 0, file_count = 0, delivery_note_id = NULL`); err != nil {
			t.Fatal(err)
		}
		if err := store.CountCaseExtras(ctx, db); err != nil {
			t.Fatal(err)
		}
		firstDiff(t, "kept extras and the migration's count", kept, rows(t, db, extras))

		// The folded copies, as CreateCase writes them.
		var all []repair.Case
		for _, k := range customers(t, db) {
			all = append(all, storetest.Cases(t, db, repair.CustomerScope(k.ID))...)
		}
		if len(all) != n {
			t.Fatalf("the customers see %d cases, want %d", len(all), n)
		}
		keys := map[string]string{}
		for _, r := range rows(t, db, `SELECT number, ref_key, street_key, street_name_key, search_text FROM cases`) {
			number, rest, _ := strings.Cut(r, " | ")
			keys[number] = rest
		}
		for _, c := range all {
			want := store.Fold(c.InvoiceReference) + " | " + store.Fold(c.Street) + " | " + store.Fold(repair.StreetName(c.Street)) +
				" | " + store.Fold(c.Number+" "+c.Title+" "+c.Description)
			if keys[c.Number] != want {
				t.Fatalf("case %s: ref_key | street_key | street_name_key | search_text = %q, want %q", c.Number, keys[c.Number], want)
			}
		}

		// Repeat faults: what CreateCase's check finds over the same rows.
		checkRepeats(t, db)

		// Every case was filed through a form: its token is kept, one a
		// case, shaped as the forms' (the time of its registration first).
		if got := rows(t, db, `SELECT count(*), count(DISTINCT s.token), min(length(s.token)), max(length(s.token))
			FROM cases c JOIN case_submissions s ON s.case_id = c.id`); len(got) != 1 || got[0] != fmt.Sprintf("%d | %d | 43 | 43", n, n) {
			t.Errorf("cases with their form's token, distinct tokens, shortest, longest: %q; want %d, %d, 43, 43", got, n, n)
		}
		for _, c := range all[:3] {
			token := rows(t, db, `SELECT token FROM case_submissions WHERE case_id = ?`, c.ID)[0]
			var filed int64
			storetest.Write(t, db, func(ctx context.Context, tx *store.Tx) (err error) {
				filed, err = tx.SubmittedCase(ctx, token)
				return err
			})
			if filed != c.ID || !strings.HasPrefix(token, fmt.Sprintf("%014x", c.RegisteredAt.UnixMicro())) {
				t.Errorf("case %d registered %v: token %s, which filed case %d", c.ID, c.RegisteredAt, token, filed)
			}
		}

		// Status histories follow the rules and end in the case's status;
		// the completion time is there exactly for Utförd and Fakturerad.
		hist := map[string][]repair.Status{}
		for _, r := range rows(t, db, `SELECT c.number, h.status FROM case_status_history h JOIN cases c ON c.id = h.case_id ORDER BY h.case_id, h.changed_at, h.id`) {
			number, st, _ := strings.Cut(r, " | ")
			hist[number] = append(hist[number], repair.Status(st))
		}
		statuses := map[repair.Status]int{}
		for _, c := range all {
			h := hist[c.Number]
			if len(h) == 0 || h[0] != repair.StatusRegistered || h[len(h)-1] != c.Status {
				t.Fatalf("case %s (%s): history %v", c.Number, c.Status, h)
			}
			for i := 1; i < len(h); i++ {
				if !repair.CanTransition(h[i-1], h[i]) {
					t.Fatalf("case %s: history %v steps %s → %s", c.Number, h, h[i-1], h[i])
				}
			}
			done := c.Status == repair.StatusCompleted || c.Status == repair.StatusInvoiced
			if done == c.CompletedAt.IsZero() || done && !c.CompletedAt.After(c.RegisteredAt) {
				t.Fatalf("case %s (%s): registered %v, completed %v", c.Number, c.Status, c.RegisteredAt, c.CompletedAt)
			}
			statuses[c.Status]++
		}
		// A realistic mix: mostly old and invoiced, some of every status.
		if statuses[repair.StatusInvoiced] < n*8/10 || statuses[repair.StatusCancelled] == 0 {
			t.Errorf("statuses %v: want most invoiced, some cancelled", statuses)
		}
		open := 0
		for _, st := range repair.Statuses {
			if st.Open() {
				open += statuses[st]
			}
		}
		if open == 0 {
			t.Errorf("statuses %v: no open case", statuses)
		}

		// The Dashboard counts every completed case once.
		var completed, counted int64
		for _, k := range customers(t, db) {
			bars, err := db.Dashboard(ctx, repair.CustomerScope(k.ID), repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupTime})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bars {
				counted += b.Cases
			}
		}
		for _, c := range all {
			if !c.CompletedAt.IsZero() {
				completed++
			}
		}
		if counted != completed || completed == 0 {
			t.Errorf("Dashboard counts %d cases, %d are completed", counted, completed)
		}

		// One customer holds about 60 %, and its login is kund1.
		ks := customers(t, db)
		perCustomer := map[int64]int{}
		for _, c := range all {
			perCustomer[c.CustomerID]++
		}
		big := slices.MaxFunc(ks, func(a, b repair.Customer) int { return perCustomer[a.ID] - perCustomer[b.ID] })
		if share := float64(perCustomer[big.ID]) / n; len(ks) != 20 || share < 0.55 || share > 0.65 {
			t.Errorf("%d customers, the largest with %.0f %% of the cases; want 20 and about 60 %%", len(ks), 100*share)
		}
		u, err := db.UserByEmail(ctx, "kund1@"+store.SeedEmailDomain)
		if err != nil || u.CustomerID != big.ID || u.Role != repair.RoleCustomerUser {
			t.Errorf("kund1 = %+v, %v; want a customer user of %s", u, err, big.Name)
		}
		if techs, err := db.UsersByRole(ctx, repair.StaffScope(), repair.RoleTechnician); err != nil || len(techs) != 10 {
			t.Errorf("%d technicians, %v; want 10", len(techs), err)
		}

		// Numbers continue: a case filed now, and a work order on a
		// seeded case that has some, get fresh numbers; the ids continue
		// too (PostgreSQL's sequences).
		fresh := storetest.Case(t, db, big.ID, 0, "Skövde Tvättmaskin läcker")
		if want := fmt.Sprintf("%d-", time.Now().In(repair.Stockholm).Year()); !strings.HasPrefix(fresh.Number, want) {
			t.Errorf("new case number %q, want it in this year's series", fresh.Number)
		}
		var withWork repair.Case
		for _, c := range all {
			if c.Status == repair.StatusInvoiced {
				withWork = c
				break
			}
		}
		wos, err := db.WorkOrders(ctx, repair.StaffScope(), withWork.ID)
		if err != nil || len(wos) == 0 {
			t.Fatalf("work orders of %s: %d, %v", withWork.Number, len(wos), err)
		}
		wo := storetest.WorkOrder(t, db, withWork.ID, 0)
		if want := fmt.Sprintf("%s-%d", withWork.Number, len(wos)+1); wo.Number != want {
			t.Errorf("new work order on %s = %q, want %q", withWork.Number, wo.Number, want)
		}
		storetest.File(t, db, fresh.ID, repair.FilePhoto, "ny.jpg")

		// A second seed is refused.
		if err := db.Seed(ctx, store.SeedConfig{Cases: 10, PasswordHash: "x"}, nil); !errors.Is(err, store.ErrHasCases) {
			t.Errorf("second Seed = %v, want ErrHasCases", err)
		}
	})
}

// checkRepeats holds every case's repeat fault against the machine's
// other cases, as CreateCase decides it when the case is filed.
func checkRepeats(t *testing.T, db *store.DB) {
	t.Helper()
	type kase struct {
		asset      string
		registered time.Time
		completed  time.Time
		repeat     bool
	}
	var cases []kase
	for _, k := range customers(t, db) {
		for _, c := range storetest.Cases(t, db, repair.CustomerScope(k.ID)) {
			cases = append(cases, kase{c.AssetNumber, c.RegisteredAt, c.CompletedAt, c.RepeatFault})
		}
	}
	repeats := 0
	for _, c := range cases {
		want := false
		for _, p := range cases {
			if c.asset != "" && p.asset == c.asset && !p.completed.IsZero() &&
				!p.completed.Before(c.registered.Add(-repair.RepeatWindow)) && !p.completed.After(c.registered) {
				want = true
			}
		}
		if c.repeat != want {
			t.Fatalf("case on %s registered %v: repeat fault %v, want %v", c.asset, c.registered, c.repeat, want)
		}
		if want {
			repeats++
		}
	}
	if repeats == 0 {
		t.Errorf("no repeat faults among %d cases", len(cases))
	}
}

func customers(t *testing.T, db *store.DB) []repair.Customer {
	t.Helper()
	ks, err := db.Customers(context.Background(), repair.StaffScope())
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// TestSeedIsDeterministic: the same config gives the same rows in two
// databases, and another seed gives other rows.
func TestSeedIsDeterministic(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			a, b, c := d.Open(t), d.Open(t), d.Open(t)
			seed(t, a, 600, 7)
			seed(t, b, 600, 7)
			seed(t, c, 600, 8)
			for _, q := range []string{
				`SELECT * FROM cases ORDER BY id`,
				`SELECT * FROM work_orders ORDER BY id`,
				`SELECT * FROM cost_lines ORDER BY id`,
				`SELECT * FROM case_status_history ORDER BY id`,
				`SELECT * FROM case_submissions ORDER BY case_id`,
				`SELECT id, number, kind, brand, street, search_text FROM assets ORDER BY id`,
				`SELECT * FROM counters ORDER BY name`,
			} {
				ra := rows(t, a, q)
				firstDiff(t, q, ra, rows(t, b, q))
				if slices.Equal(ra, rows(t, c, q)) {
					t.Errorf("%s: seeds 7 and 8 gave the same rows", q)
				}
			}
		})
	}
}
