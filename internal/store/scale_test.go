package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// BenchmarkSearchAtScale measures Sök ärende's queries on SQLite with
// KUNDPORTAL_BENCH_CASES cases (say 1000000), 60 % of them belonging to one
// customer, for page 1 and for a page deep into the result. It is skipped
// unless the variable is set, since building the data takes a while:
//
//	KUNDPORTAL_BENCH_CASES=1000000 go test ./internal/store -run X -bench AtScale -benchtime 200x
func BenchmarkSearchAtScale(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("KUNDPORTAL_BENCH_CASES"))
	if n <= 0 {
		b.Skip("set KUNDPORTAL_BENCH_CASES to run")
	}
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(b.TempDir(), "scale.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	// Three customers, 300 assets; the cases are generated in SQL, which
	// is far quicker than n transactions and gives the same rows.
	setup := []string{
		`INSERT INTO customers (id, number, name, created_at) VALUES (1, 'K1', 'Stor', '2026-01-01 00:00:00+00:00'), (2, 'K2', 'Mellan', '2026-01-01 00:00:00+00:00'), (3, 'K3', 'Liten', '2026-01-01 00:00:00+00:00')`,
		`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 300)
		 INSERT INTO assets (id, customer_id, number, kind, street, created_at)
		 SELECT i, 1 + (i % 3), 100000 + i, 'Tvättmaskin', 'Gata ' || i, '2026-01-01 00:00:00+00:00' FROM s`,
		fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < %d)
		 INSERT INTO cases (id, number, customer_id, asset_id, type, title, description, street, status, invoice_reference,
			ref_key, street_key, street_name_key, search_text, registered_at, updated_at)
		 SELECT i, 'X-' || i,
			CASE WHEN i %% 10 < 6 THEN 1 WHEN i %% 10 < 9 THEN 2 ELSE 3 END,
			1 + (i %% 300),
			'Serviceanmälan', 'Skövde ' || CASE i %% 3 WHEN 0 THEN 'Diskmaskin' WHEN 1 THEN 'Tvättmaskin' ELSE 'Kyl' END || ' fel',
			'Beskrivning ' || i, 'Åsgatan ' || (i %% 500),
			CASE WHEN i %% 100 = 0 THEN 'cancelled' WHEN i %% 7 = 0 THEN 'completed' ELSE 'invoiced' END,
			'KST ' || (i %% 40), 'kst ' || (i %% 40), 'åsgatan ' || (i %% 500), 'åsgatan ' || (i %% 500),
			'x-' || i || ' skövde ' || CASE i %% 3 WHEN 0 THEN 'diskmaskin' WHEN 1 THEN 'tvättmaskin' ELSE 'kyl' END || ' fel beskrivning ' || i,
			strftime('%%Y-%%m-%%d %%H:%%M:%%S', 1700000000 + i * 60, 'unixepoch') || '+00:00',
			'2026-01-01 00:00:00+00:00'
		 FROM s`, n),
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built %d cases in %v", n, time.Since(start).Round(time.Second))
	db.read.SetMaxIdleConns(0) // drop connections that predate ANALYZE
	db.read.SetMaxIdleConns(8)

	scope := repair.CustomerScope(1)
	// A cursor deep into customer 1's newest-first list: the case 50 000
	// rows (or a tenth of them, if fewer) from the top.
	deep := func(f repair.CaseFilter) string {
		skip := min(50000, n/20)
		where, args := caseFilterWhere(scope, f, resolved{})
		var c repair.Case
		q := `SELECT c.id, c.registered_at FROM cases c WHERE ` + joinAnd(where) + ` ORDER BY c.registered_at DESC, c.id DESC LIMIT 1 OFFSET ?`
		if err := db.read.QueryRowContext(ctx, q, append(args, skip)...).Scan(&c.ID, &c.RegisteredAt); err != nil {
			return ""
		}
		return encodeCursor(repair.SortRegistered, c)
	}
	filters := []struct {
		name string
		f    repair.CaseFilter
	}{
		{"all", repair.CaseFilter{}},
		{"fakturamarkning", repair.CaseFilter{InvoiceReference: "KST 4"}},
		{"objekt", repair.CaseFilter{AssetNumber: "100003"}},
		{"gata", repair.CaseFilter{Street: "Åsgatan 12"}},
		{"status", repair.CaseFilter{Statuses: []repair.Status{repair.StatusCompleted}}},
		{"statuses", repair.CaseFilter{Statuses: []repair.Status{repair.StatusCompleted, repair.StatusCancelled}}},
		{"datum", repair.CaseFilter{From: time.Unix(1700000000+int64(n)*30, 0), To: time.Unix(1700000000+int64(n)*40, 0)}},
		{"fritext", repair.CaseFilter{Text: "diskmaskin"}},
		{"fritext-rare", repair.CaseFilter{Text: "x-4242"}},
		{"nummer", repair.CaseFilter{Sort: repair.SortNumber}},
	}
	for _, tt := range filters {
		for _, page := range []string{"page1", "page1-nocount", "deep"} {
			f := tt.f
			f.Limit = 50
			f.NoCount = page == "page1-nocount"
			if page == "deep" {
				if f.Sort != "" {
					continue
				}
				if f.Cursor = deep(f); f.Cursor == "" {
					continue
				}
			}
			b.Run(tt.name+"/"+page, func(b *testing.B) {
				for b.Loop() {
					res, err := db.SearchCases(ctx, scope, f)
					if err != nil || len(res.Cases) == 0 {
						b.Fatalf("%d cases, %v", len(res.Cases), err)
					}
				}
			})
		}
	}
}

func joinAnd(where []string) string {
	s := ""
	for i, w := range where {
		if i > 0 {
			s += " AND "
		}
		s += w
	}
	return s
}
