package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// BenchmarkDashboardAtScale measures the Dashboard's views with
// KUNDPORTAL_BENCH_CASES cases (say 1000000), 60 % of them the measured
// customer's, on SQLite and, when KUNDPORTAL_TEST_DATABASE_URL is set, on
// PostgreSQL (in a schema of its own, dropped afterwards). Each view is
// also reported as a multiple of a plain GROUP BY over the customer's
// completed cases, the cost of a Dashboard without a rollup, measured in
// the same run (-v shows the summary table). It is skipped unless the
// variable is set:
//
//	KUNDPORTAL_BENCH_CASES=1000000 go test ./internal/store -run X -bench DashboardAtScale -benchtime 50x -v
//
// Building a million cases takes minutes; with KUNDPORTAL_BENCH_KEEP set
// to a directory the scale database is kept (SQLite: DIR/dashboard-N.db;
// PostgreSQL: schema bench_keep_N) and reused by the next run with the
// same N, and can be examined with EXPLAIN afterwards.
//
// The cases, their dashboard columns and the rollup are generated in SQL
// (far quicker than a transaction per case). Before timing anything, a
// small database built by the same SQL, with work orders and cost lines
// behind the cases' totals, is held against RebuildDashboard, which
// recomputes the case columns and the rollup in Go: the benchmark fails
// unless both agree row for row.
func BenchmarkDashboardAtScale(b *testing.B) {
	n := benchCases()
	if n <= 0 {
		b.Skip("set KUNDPORTAL_BENCH_CASES to run")
	}
	for _, d := range []struct {
		name string
		open func(b *testing.B, tag string) *DB
	}{{"sqlite", openBenchSQLite}, {"postgres", openBenchPostgres}} {
		b.Run(d.name, func(b *testing.B) {
			ctx := context.Background()
			check := d.open(b, "check")
			start := time.Now()
			if _, err := buildDashboardData(ctx, check, dashCheckCases, true); err != nil {
				b.Fatalf("check build: %v", err)
			}
			rows, err := checkRollupAgainstRebuild(ctx, check)
			if err != nil {
				b.Fatalf("check: %v", err)
			}
			b.Logf("check: %d cases, %d rollup rows built in SQL equal RebuildDashboard's, case columns too (%v)",
				dashCheckCases, rows, time.Since(start).Round(time.Millisecond))

			db := d.open(b, "scale")
			var built int
			if db.queryRow(ctx, `SELECT n FROM bench_built`).Scan(&built); built == n {
				b.Logf("reusing the %d cases built by an earlier run", n)
			} else {
				phases, err := buildDashboardData(ctx, db, n, false)
				if err != nil {
					b.Fatalf("build: %v", err)
				}
				b.Logf("built %d cases: %s", n, phases)
			}
			var rollup int64
			if err := db.queryRow(ctx, `SELECT count(*) FROM dashboard_rollup`).Scan(&rollup); err != nil {
				b.Fatal(err)
			}
			b.Logf("%d rollup rows", rollup)
			benchDashboardViews(b, db)
		})
	}
}

func benchCases() int {
	n, _ := strconv.Atoi(os.Getenv("KUNDPORTAL_BENCH_CASES"))
	return n
}

// dashCheckCases is the size of the database checked against
// RebuildDashboard.
const dashCheckCases = 5000

// openBenchSQLite opens a fresh SQLite database; with
// KUNDPORTAL_BENCH_KEEP set to a directory, the scale database is kept
// there instead (dashboard-N.db), to be reused by the next run with the
// same N or examined afterwards.
func openBenchSQLite(b *testing.B, tag string) *DB {
	path := filepath.Join(b.TempDir(), tag+".db")
	if dir := os.Getenv("KUNDPORTAL_BENCH_KEEP"); dir != "" && tag == "scale" {
		path = filepath.Join(dir, "dashboard-"+strconv.Itoa(benchCases())+".db")
		if !benchSQLiteBuilt(path) {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
	}
	db, err := OpenSQLite(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchSQLiteBuilt reports whether the database at path holds a
// complete build of KUNDPORTAL_BENCH_CASES cases.
func benchSQLiteBuilt(path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		return false
	}
	defer db.Close()
	var built int
	return db.QueryRow(`SELECT n FROM bench_built`).Scan(&built) == nil && built == benchCases()
}

var benchSchemaSeq atomic.Int64

// openBenchPostgres opens a fresh schema of the test database, dropped
// when the benchmark ends, as storetest.PostgresURL does (which package
// store's own tests cannot import); with KUNDPORTAL_BENCH_KEEP set, the
// scale database is schema bench_keep_N instead, kept and reused.
func openBenchPostgres(b *testing.B, tag string) *DB {
	base := os.Getenv("KUNDPORTAL_TEST_DATABASE_URL")
	if base == "" {
		b.Skip("set KUNDPORTAL_TEST_DATABASE_URL=postgres://... to run on PostgreSQL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("bench_%s_%d_%d", tag, os.Getpid(), benchSchemaSeq.Add(1))
	if os.Getenv("KUNDPORTAL_BENCH_KEEP") != "" && tag == "scale" {
		// Kept, like the SQLite file, for the next run or a look with psql.
		schema = "bench_keep_" + strconv.Itoa(benchCases())
		var built int
		if admin.QueryRow("SELECT n FROM " + schema + ".bench_built").Scan(&built); built != benchCases() {
			// Not there, or left half-built by an interrupted run.
			if _, err := admin.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"); err != nil {
				b.Fatalf("drop schema: %v", err)
			}
			if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
				b.Fatalf("create schema: %v", err)
			}
		}
	} else {
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			b.Fatalf("create schema: %v", err)
		}
		b.Cleanup(func() {
			if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
				b.Errorf("drop schema: %v", err)
			}
		})
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	db, err := OpenPostgres(context.Background(), base+sep+"search_path="+schema)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// The generated world. Names are Swedish, with å, ä and ö; their folded
// keys are computed in Go (Fold) and joined in from small lookup tables,
// so that no key depends on a database's lower().
var (
	benchCities = []string{"Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping",
		"Helsingborg", "Jönköping", "Norrköping", "Lund", "Umeå", "Gävle", "Borås", "Södertälje", "Eskilstuna",
		"Halmstad", "Växjö", "Karlstad", "Sundsvall", "Östersund", "Trollhättan", "Luleå", "Lidingö", "Borlänge",
		"Tumba", "Kristianstad", "Kalmar", "Falun", "Skövde", "Karlskrona", "Skellefteå", "Uddevalla", "Varberg",
		"Åkersberga", "Örnsköldsvik", "Landskrona", "Nyköping", "Vallentuna", "Motala", "Trelleborg", "Ängelholm",
		"Karlskoga", "Märsta", "Lerum", "Alingsås", "Sandviken", "Laholm", "Ystad", "Åmål"}
	benchStreetNames = []string{"Storgatan", "Kungsgatan", "Drottninggatan", "Åsgatan", "Järnvägsgatan",
		"Skolgatan", "Kyrkogatan", "Västra vägen", "Östra Långgatan", "Södra Allén", "Björkvägen", "Tallvägen",
		"Granvägen", "Ekvägen", "Lindvägen", "Parkvägen", "Nygatan", "Hantverkargatan", "Torggatan",
		"Fabriksgatan", "Ängsvägen", "Sjövägen", "Backvägen", "Bäckgatan", "Prästgårdsgatan", "Hamngatan",
		"Trädgårdsgatan", "Götgatan", "Ringvägen", "Industrivägen", "Skogsvägen", "Lärkvägen", "Rönnvägen",
		"Kvarngatan", "Mästargatan", "Slottsgatan", "Vasagatan", "Norra Strandgatan", "Öxnehagagatan", "Åvägen"}
	benchStreets = 2000
	benchKinds   = []benchKind{{"Tvättmaskin", 35, 81250, 95000}, {"Diskmaskin", 25, 65000, 72000}, {"Kyl", 15, 97500, 140000},
		{"Spis", 10, 65000, 60000}, {"Torktumlare", 15, 81250, 85000}}
	benchBrands = []benchBrand{{"Electrolux", 30}, {"Miele", 20}, {"Bosch", 20}, {"Siemens", 12}, {"Asko", 10}, {"", 8}}
	benchRefs   = 200
	// Assets per customer: ids 1–3000 are customer 1's, 3001–4200
	// customer 2's, 4201–4800 customer 3's.
	benchAssets = [3]int{3000, 1200, 600}
)

// benchKind is an Objekttyp with its weight (of 100) and base costs in
// öre; benchBrand a Fabrikat with its weight.
type (
	benchKind struct {
		name          string
		weight        int
		labour, parts int64
	}
	benchBrand struct {
		name   string
		weight int
	}
)

// weighted picks an index of items with probability by weight.
func weighted[T any](rng *rand.Rand, items []T, weight func(T) int) int {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	r := rng.IntN(total)
	for i, it := range items {
		if r -= weight(it); r < 0 {
			return i
		}
	}
	return len(items) - 1
}

// buildDashboardData fills an empty database with n cases, their
// dashboard columns and the rollup, all from SQL but for the lookup
// tables and a few thousand assets; with workOrders it also writes the
// work orders and cost lines the cases' totals stand for, which
// RebuildDashboard recomputes them from. It returns the time per phase.
func buildDashboardData(ctx context.Context, db *DB, n int, workOrders bool) (string, error) {
	pg := db.d.name == "postgres"
	var phases []string
	phase := func(name string, start time.Time) {
		phases = append(phases, fmt.Sprintf("%s %v", name, time.Since(start).Round(time.Millisecond)))
	}
	exec := func(q string) error {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%w in\n%s", err, q)
		}
		return nil
	}
	if !pg {
		// A cache that holds the indexes being built, on the writer only
		// (the readers keep the default); back to the default afterwards.
		if err := exec(`PRAGMA cache_size = -2000000`); err != nil {
			return "", err
		}
		defer db.write.ExecContext(ctx, `PRAGMA cache_size = -2000`)
	}
	start := time.Now()
	if err := writeBenchLookups(ctx, db); err != nil {
		return "", err
	}
	phase("lookups+assets", start)

	start = time.Now()
	if err := exec(benchCasesSQL(pg, n)); err != nil {
		return "", err
	}
	phase("cases", start)
	if workOrders {
		start = time.Now()
		for _, q := range benchWorkOrderSQL() {
			if err := exec(q); err != nil {
				return "", err
			}
		}
		phase("work orders", start)
	}
	start = time.Now()
	for _, q := range benchRollupSQL(pg) {
		if err := exec(q); err != nil {
			return "", err
		}
	}
	phase("rollup", start)
	start = time.Now()
	for _, t := range []string{"bench_asset", "bench_street", "bench_city", "bench_kind", "bench_brand", "bench_ref"} {
		if err := exec("DROP TABLE " + t); err != nil {
			return "", err
		}
	}
	if pg {
		for _, t := range []string{"cases", "assets", "dashboard_rollup", "work_orders", "cost_lines"} {
			if err := exec("VACUUM ANALYZE " + t); err != nil {
				return "", err
			}
		}
	} else {
		if err := exec("ANALYZE"); err != nil {
			return "", err
		}
		// Drop reader connections that predate ANALYZE.
		db.read.SetMaxIdleConns(0)
		db.read.SetMaxIdleConns(8)
	}
	phase("analyze", start)
	if err := exec(fmt.Sprintf(`CREATE TABLE bench_built AS SELECT %d AS n`, n)); err != nil {
		return "", err
	}
	return strings.Join(phases, ", "), nil
}

// writeBenchLookups writes the three customers, the lookup tables the
// case SQL joins (names with their Go-folded keys) and the assets.
func writeBenchLookups(ctx context.Context, db *DB) error {
	rng := rand.New(rand.NewPCG(2026, 3))
	created := time.Date(2021, 6, 1, 8, 0, 0, 0, time.UTC)
	return db.Update(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`CREATE TABLE bench_city (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT NOT NULL)`,
			`CREATE TABLE bench_street (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT NOT NULL, city_idx INTEGER NOT NULL)`,
			`CREATE TABLE bench_kind (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT NOT NULL, labour BIGINT NOT NULL, parts BIGINT NOT NULL)`,
			`CREATE TABLE bench_brand (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT NOT NULL)`,
			`CREATE TABLE bench_ref (idx INTEGER PRIMARY KEY, name TEXT NOT NULL, folded TEXT NOT NULL)`,
			`CREATE TABLE bench_asset (id INTEGER PRIMARY KEY, kind_idx INTEGER NOT NULL, brand_idx INTEGER NOT NULL, street_idx INTEGER NOT NULL)`,
		} {
			if err := tx.exec(ctx, q); err != nil {
				return err
			}
		}
		for i, name := range []string{"Stor", "Mellan", "Liten"} {
			if err := tx.exec(ctx, `INSERT INTO customers (id, number, name, created_at) VALUES (?, ?, ?, ?)`,
				i+1, fmt.Sprintf("K%d", i+1), name, created); err != nil {
				return err
			}
		}
		for i, c := range benchCities {
			if err := tx.exec(ctx, `INSERT INTO bench_city VALUES (?, ?, ?)`, i, c, Fold(c)); err != nil {
				return err
			}
		}
		// Street j lies in city 50·(j/2000)²: the first Ort has about 280
		// of the 2000 streets, the last a handful.
		for j := range benchStreets {
			name := fmt.Sprintf("%s %d", benchStreetNames[j%len(benchStreetNames)], 1+j/len(benchStreetNames))
			city := len(benchCities) * j * j / (benchStreets * benchStreets)
			if err := tx.exec(ctx, `INSERT INTO bench_street VALUES (?, ?, ?, ?)`, j, name, Fold(name), city); err != nil {
				return err
			}
		}
		for i, k := range benchKinds {
			if err := tx.exec(ctx, `INSERT INTO bench_kind VALUES (?, ?, ?, ?, ?)`, i, k.name, Fold(k.name), k.labour, k.parts); err != nil {
				return err
			}
		}
		for i, br := range benchBrands {
			if err := tx.exec(ctx, `INSERT INTO bench_brand VALUES (?, ?, ?)`, i, br.name, Fold(br.name)); err != nil {
				return err
			}
		}
		// Reference 0 is the empty one.
		for i := range benchRefs + 1 {
			name := ""
			switch {
			case i == 0:
			case i%4 == 0:
				name = fmt.Sprintf("Projekt Vårby %d", i)
			default:
				name = fmt.Sprintf("KST %d", 4000+i*7)
			}
			if err := tx.exec(ctx, `INSERT INTO bench_ref VALUES (?, ?, ?)`, i, name, Fold(name)); err != nil {
				return err
			}
		}
		id := 0
		for ci, count := range benchAssets {
			for range count {
				id++
				k := weighted(rng, benchKinds, func(k benchKind) int { return k.weight })
				br := weighted(rng, benchBrands, func(b benchBrand) int { return b.weight })
				st := rng.IntN(benchStreets)
				street := fmt.Sprintf("%s %d", benchStreetNames[st%len(benchStreetNames)], 1+st/len(benchStreetNames))
				city := benchCities[len(benchCities)*st*st/(benchStreets*benchStreets)]
				number := strconv.Itoa(100000 + id)
				if err := tx.exec(ctx, `
					INSERT INTO assets (id, customer_id, number, kind, brand, street, city, search_text, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, ci+1, number, benchKinds[k].name, benchBrands[br].name,
					street, city, Fold(number+" "+benchKinds[k].name+" "+benchBrands[br].name+" "+street+" "+city), created); err != nil {
					return err
				}
				if err := tx.exec(ctx, `INSERT INTO bench_asset VALUES (?, ?, ?, ?)`, id, k, br, st); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// benchHash is a deterministic pseudo-random number in [0, 2³²) of the
// integer column col, the k'th of several independent ones; every step
// stays below 2⁶³ (SQLite turns an overflow into a float, PostgreSQL
// fails), for col up to 10⁹.
func benchHash(col string, k int) string {
	a := [...]int64{2654435761, 2246822519, 3266489917, 668265263, 374761393}
	m := [...]int64{1103515245, 1597334677, 1812433253, 2147483629, 1664525}
	p := [...]int64{4294967291, 4294967279, 4294967231, 4294967197, 4294967189}
	return fmt.Sprintf("((((%s * %d) %% %d) * %d) %% %d)", col, a[k], p[k], m[k], p[k])
}

// leadBinSQL is repair.LeadBin of a lead time of col whole hours, as a
// CASE found by walking LeadBin hour by hour.
func leadBinSQL(col string) string {
	var sb strings.Builder
	sb.WriteString("CASE")
	prev := repair.LeadBin(0)
	for h := 1; h <= 9000; h++ {
		if bin := repair.LeadBin(time.Duration(h) * time.Hour); bin != prev {
			fmt.Fprintf(&sb, " WHEN %s < %d THEN %d", col, h, prev)
			prev = bin
		}
	}
	fmt.Fprintf(&sb, " ELSE %d END", prev)
	return sb.String()
}

// benchCasesSQL generates the n cases in one INSERT … SELECT. Customer
// by id (60/30/10 %); 2 % without a machine; 90 % completed, on a day
// from 2022-01-01 to 2026-06-28 between 06:00 and 17:59 UTC, which is the
// same date in Stockholm in summer and winter (so SQLite can take the
// period from the UTC text); registered a lead of 1 h to 60 days before,
// whole hours, skewed short (1 + 1439·u³ hours: median about a week);
// 1–3 work orders (70/22/8 %); costs by Objekttyp; 5 % repeat faults.
func benchCasesSQL(pg bool, n int) string {
	series := fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)`, n)
	ts := func(e string) string { return "strftime('%Y-%m-%d %H:%M:%S', " + e + ", 'unixepoch') || '+00:00'" }
	if pg {
		series = fmt.Sprintf(`WITH s(i) AS (SELECT generate_series(1::bigint, %d))`, n)
		ts = func(e string) string { return "to_timestamp(" + e + ")" }
	}
	r := strings.NewReplacer(
		"{H1}", benchHash("i", 0), "{H2}", benchHash("i", 1), "{H3}", benchHash("i", 2),
		"{H4}", benchHash("i", 3), "{H5}", benchHash("i", 4),
		"{DONE_AT}", ts("v.done_epoch"), "{REGISTERED_AT}", ts("v.done_epoch - v.lead * 3600"),
		"{BIN}", leadBinSQL("v.lead"), "{STREETS}", strconv.Itoa(benchStreets), "{REFS}", strconv.Itoa(benchRefs),
	)
	return series + r.Replace(`,
	g AS (SELECT i, {H1} AS h1, {H2} AS h2, {H3} AS h3, {H4} AS h4, {H5} AS h5 FROM s),
	v AS (
		SELECT i, h4, h5,
			CASE WHEN i % 10 < 6 THEN 1 WHEN i % 10 < 9 THEN 2 ELSE 3 END AS cust,
			CASE WHEN (h1 / 3000) % 50 = 0 THEN NULL
				WHEN i % 10 < 6 THEN 1 + h1 % 3000
				WHEN i % 10 < 9 THEN 3001 + h1 % 1200
				ELSE 4201 + h1 % 600 END AS asset_id,
			CASE WHEN (h1 / 150000) % 100 < 70 THEN 1 WHEN (h1 / 150000) % 100 < 92 THEN 2 ELSE 3 END AS w,
			(h2 / 1640) % 10 <> 0 AS done,
			(h2 / 16400) % 5 AS st,
			1640995200 + (h2 % 1640) * 86400 + (6 + h3 % 12) * 3600 + ((h3 / 12) % 60) * 60 + (h3 / 720) % 60 AS done_epoch,
			1 + ((h3 / 43200) % 1000) * ((h3 / 43200) % 1000) * ((h3 / 43200) % 1000) * 1439 / 1000000000 AS lead
		FROM g)
	INSERT INTO cases (id, number, customer_id, asset_id, type, title, description, street, city,
		invoice_reference, status, ref_key, street_key, search_text, registered_at, completed_at, updated_at,
		city_key, asset_kind, asset_brand, kind_key, brand_key, repeat_fault, lead_bin,
		work_order_count, labour_ore, part_ore, travel_ore, fee_ore)
	SELECT v.i, 'X-' || v.i, v.cust, v.asset_id, 'Serviceanmälan',
		COALESCE(k.name, 'Ärende') || ' fel', 'Beskrivning ' || v.i, st.name, ci.name,
		rf.name,
		CASE WHEN v.done THEN CASE WHEN v.st = 0 THEN 'completed' ELSE 'invoiced' END
			ELSE CASE v.st WHEN 0 THEN 'cancelled' WHEN 1 THEN 'registered' WHEN 2 THEN 'planned'
				WHEN 3 THEN 'in_progress' ELSE 'awaiting_part' END END,
		rf.folded, st.folded, 'x-' || v.i || ' ' || ci.folded || ' ' || COALESCE(k.folded, 'ärende') || ' fel beskrivning ' || v.i,
		{REGISTERED_AT},
		CASE WHEN v.done THEN {DONE_AT} END,
		{DONE_AT},
		ci.folded, COALESCE(k.name, ''), COALESCE(br.name, ''), COALESCE(k.folded, ''), COALESCE(br.folded, ''),
		(v.h4 / 2000) % 20 = 0,
		CASE WHEN v.done THEN {BIN} END,
		v.w,
		v.w * (COALESCE(k.labour, 65000) + (v.h5 % 40) * 1625),
		CASE WHEN (v.h5 / 40) % 3 = 0 THEN 0 ELSE COALESCE(k.parts, 50000) + ((v.h5 / 120) % 97) * 1000 END,
		v.w * 39500,
		CASE WHEN (v.h4 / 40000) % 10 = 0 THEN 19500 ELSE 0 END
	FROM v
	LEFT JOIN bench_asset ba ON ba.id = v.asset_id
	LEFT JOIN bench_kind k ON k.idx = ba.kind_idx
	LEFT JOIN bench_brand br ON br.idx = ba.brand_idx
	JOIN bench_street st ON st.idx = COALESCE(ba.street_idx, (v.h4 / 400000) % {STREETS})
	JOIN bench_city ci ON ci.idx = st.city_idx
	JOIN bench_ref rf ON rf.idx = CASE WHEN v.h4 % 10 = 0 THEN 0 ELSE 1 + (v.h4 / 10) % {REFS} END`)
}

// benchWorkOrderSQL writes the work orders and cost lines behind the
// generated cases' totals: work orders 1–n (id 4·case + k), an extra
// cancelled one on about 3 % of cases, the visible costs on the first,
// and a hidden cost line on every seventh case.
func benchWorkOrderSQL() []string {
	lines := func(kind, col string) string {
		return `SELECT c.id * 4 + 1, '` + kind + `', 1000, ` + col + `, ` + col + `, (1 = 1), c.registered_at FROM cases c WHERE ` + col + ` <> 0`
	}
	return []string{
		`INSERT INTO work_orders (id, case_id, number, status, created_at, completed_at)
		SELECT c.id * 4 + k.k, c.id, 'AO-' || c.id || '-' || k.k,
			CASE WHEN c.completed_at IS NULL THEN 'planned' ELSE 'done' END, c.registered_at, c.completed_at
		FROM cases c
		JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) k ON k.k <= c.work_order_count`,
		`INSERT INTO work_orders (id, case_id, number, status, created_at)
		SELECT c.id * 4, c.id, 'AO-' || c.id || '-0', 'cancelled', c.registered_at
		FROM cases c WHERE (` + benchHash("c.id", 0) + ` / 15000000) % 30 = 0`,
		`INSERT INTO cost_lines (work_order_id, kind, quantity_milli, unit_price_ore, amount_ore, customer_visible, created_at) ` +
			lines("labour", "c.labour_ore") + ` UNION ALL ` + lines("part", "c.part_ore") + ` UNION ALL ` +
			lines("travel", "c.travel_ore") + ` UNION ALL ` + lines("fee", "c.fee_ore") + `
		UNION ALL SELECT c.id * 4 + 1, 'part', 1000, 4200, 4200, (1 = 0), c.registered_at FROM cases c WHERE c.id % 7 = 0`,
	}
}

// benchRollupSQL builds dashboard_rollup from the cases, one statement
// per dim, as share.rows() lays it out.
func benchRollupSQL(pg bool) []string {
	period := func(g byte) string {
		if g == 'w' {
			// The ISO week, as repair.Period.String writes it.
			if pg {
				return `to_char(c.completed_at AT TIME ZONE 'Europe/Stockholm', 'IYYY-"V"IW')`
			}
			return "strftime('%G-V%V', substr(c.completed_at, 1, 10))"
		}
		n := map[byte]int{'y': 4, 'm': 7, 'd': 10}[g]
		if pg {
			return "to_char(c.completed_at AT TIME ZONE 'Europe/Stockholm', '" + map[byte]string{'y': "YYYY", 'm': "YYYY-MM", 'd': "YYYY-MM-DD"}[g] + "')"
		}
		// The UTC text's date, which is Stockholm's for the generated
		// times (06:00–17:59 UTC); the check against RebuildDashboard
		// proves it.
		return fmt.Sprintf("substr(c.completed_at, 1, %d)", n)
	}
	dims := []struct {
		dim                        string
		key1, key2, label1, label2 string
	}{
		{dim: "y"}, {dim: "m"}, {dim: "w"}, {dim: "d"},
		{"city_y", "c.city_key", "", "c.city", ""},
		{"city_m", "c.city_key", "", "c.city", ""},
		{"street_y", "c.city_key", "c.street_key", "c.city", "c.street"},
		{"kind_y", "c.kind_key", "", "c.asset_kind", ""},
		{"kind_m", "c.kind_key", "", "c.asset_kind", ""},
		{"brand_y", "c.kind_key", "c.brand_key", "c.asset_kind", "c.asset_brand"},
		{"brand_m", "c.kind_key", "c.brand_key", "c.asset_kind", "c.asset_brand"},
		{"ref_y", "c.ref_key", "", "c.invoice_reference", ""},
		{"ref_m", "c.ref_key", "", "c.invoice_reference", ""},
	}
	var out []string
	for _, d := range dims {
		p := period(d.dim[len(d.dim)-1])
		group := []string{"c.customer_id", p}
		sel := func(key, label string) (string, string) {
			if key == "" {
				return "''", "''"
			}
			group = append(group, key)
			return key, "max(" + label + ")"
		}
		k1, l1 := sel(d.key1, d.label1)
		k2, l2 := sel(d.key2, d.label2)
		group = append(group, "c.lead_bin")
		out = append(out, fmt.Sprintf(`
		INSERT INTO dashboard_rollup (customer_id, dim, period, key1, key2, bin, label1, label2,
			cases, repeats, work_orders, labour_ore, part_ore, travel_ore, fee_ore)
		SELECT c.customer_id, '%s', %s, %s, %s, c.lead_bin, %s, %s,
			count(*), sum(CASE WHEN c.repeat_fault THEN 1 ELSE 0 END), sum(c.work_order_count),
			sum(c.labour_ore), sum(c.part_ore), sum(c.travel_ore), sum(c.fee_ore)
		FROM cases c
		WHERE c.completed_at IS NOT NULL
		GROUP BY %s`, d.dim, p, k1, k2, l1, l2, strings.Join(group, ", ")))
	}
	return out
}

// checkRollupAgainstRebuild compares the rollup (labels included) and
// every case's dashboard columns as the SQL built them with what
// RebuildDashboard computes in Go; it returns the number of rollup rows.
func checkRollupAgainstRebuild(ctx context.Context, db *DB) (int, error) {
	dump := func() (rollup, cases []string, err error) {
		rows, err := db.query(ctx, `
			SELECT customer_id, dim, period, key1, key2, bin, label1, label2, cases, repeats, work_orders,
				labour_ore, part_ore, travel_ore, fee_ore
			FROM dashboard_rollup`)
		rollup, err = collect(rows, err, func(r rowScanner) (string, error) {
			var dim, period, k1, k2, l1, l2 string
			var n [10]int64
			err := r.Scan(&n[0], &dim, &period, &k1, &k2, &n[1], &l1, &l2, &n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &n[8])
			return fmt.Sprintf("%d %s %s %q %q bin=%d %q %q %v", n[0], dim, period, k1, k2, n[1], l1, l2, n[2:9]), err
		})
		if err != nil {
			return nil, nil, err
		}
		rows, err = db.query(ctx, `
			SELECT id, city_key, asset_kind, asset_brand, kind_key, brand_key, COALESCE(lead_bin, -1),
				work_order_count, labour_ore, part_ore, travel_ore, fee_ore
			FROM cases`)
		cases, err = collect(rows, err, func(r rowScanner) (string, error) {
			var city, kind, brand, kk, bk string
			var n [7]int64
			err := r.Scan(&n[0], &city, &kind, &brand, &kk, &bk, &n[1], &n[2], &n[3], &n[4], &n[5], &n[6])
			return fmt.Sprintf("%d %q %q %q %q %q %v", n[0], city, kind, brand, kk, bk, n[1:]), err
		})
		slices.Sort(rollup)
		slices.Sort(cases)
		return rollup, cases, err
	}
	sqlRollup, sqlCases, err := dump()
	if err != nil {
		return 0, err
	}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.RebuildDashboard(ctx) }); err != nil {
		return 0, err
	}
	goRollup, goCases, err := dump()
	if err != nil {
		return 0, err
	}
	dims := map[string]bool{}
	for _, r := range sqlRollup {
		dims[strings.Fields(r)[1]] = true
	}
	if len(dims) != 13 || len(sqlCases) != dashCheckCases {
		return 0, fmt.Errorf("built %d dims and %d cases, want 13 and %d", len(dims), len(sqlCases), dashCheckCases)
	}
	if err := diffLines("case columns", sqlCases, goCases); err != nil {
		return 0, err
	}
	if err := diffLines("rollup", sqlRollup, goRollup); err != nil {
		return 0, err
	}
	return len(sqlRollup), nil
}

// diffLines reports how two sorted dumps differ, with a few examples.
func diffLines(what string, sqlRows, goRows []string) error {
	if slices.Equal(sqlRows, goRows) {
		return nil
	}
	in := func(s []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range s {
			m[x] = true
		}
		return m
	}
	inSQL, inGo := in(sqlRows), in(goRows)
	var msg []string
	for _, x := range sqlRows {
		if !inGo[x] && len(msg) < 5 {
			msg = append(msg, "  only SQL: "+x)
		}
	}
	for _, x := range goRows {
		if !inSQL[x] && len(msg) < 10 {
			msg = append(msg, "  only Go:  "+x)
		}
	}
	return fmt.Errorf("%s: the SQL build (%d rows) differs from RebuildDashboard (%d rows):\n%s",
		what, len(sqlRows), len(goRows), strings.Join(msg, "\n"))
}

// biggestBar is the key of the bar with the most cases, NoValue aside.
func biggestBar(b *testing.B, bars []repair.Bucket, err error) string {
	if err != nil {
		b.Fatal(err)
	}
	key, most := "", int64(-1)
	for _, bar := range bars {
		if bar.Key != repair.NoValue && bar.Cases > most {
			key, most = bar.Key, bar.Cases
		}
	}
	if key == "" {
		b.Fatal("no bars")
	}
	return key
}

// benchDashboardViews times the Dashboard's views for customer 1, and
// logs each as a multiple of the plain aggregate timed first.
func benchDashboardViews(b *testing.B, db *DB) {
	ctx := context.Background()
	scope := repair.CustomerScope(1)
	period := func(s string) repair.Period {
		p, err := repair.ParsePeriod(s)
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	year, month := period("2025"), period("2025-10")
	place := repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupPlace, Period: year}
	machine := repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupMachine}
	drill := func(q repair.DashboardQuery, key string) repair.DashboardQuery {
		d, err := q.Drill(key)
		if err != nil {
			b.Fatal(err)
		}
		return d
	}

	// The busiest bars to drill into.
	bars, err := db.Dashboard(ctx, scope, place)
	city := drill(place, biggestBar(b, bars, err))
	bars, err = db.Dashboard(ctx, scope, city)
	street := drill(city, biggestBar(b, bars, err))
	cityMonth := city
	cityMonth.Period = month
	bars, err = db.Dashboard(ctx, scope, machine)
	kindAll := drill(machine, biggestBar(b, bars, err))
	kind := kindAll
	kind.Period = year
	bars, err = db.Dashboard(ctx, scope, kind)
	brand := drill(kind, biggestBar(b, bars, err))
	lead := place
	lead.Measure = repair.MeasureLeadTimes

	// The time levels must add up to every completed case of customer 1.
	var completed int64
	if err := db.queryRow(ctx, `SELECT count(*) FROM cases WHERE customer_id = 1 AND completed_at IS NOT NULL`).Scan(&completed); err != nil {
		b.Fatal(err)
	}
	bars, err = db.Dashboard(ctx, scope, repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupTime})
	var sum int64
	for _, bar := range bars {
		sum += bar.Cases
	}
	if err != nil || sum != completed {
		b.Fatalf("all years add up to %d cases, customer 1 has %d completed (%v)", sum, completed, err)
	}
	b.Logf("customer 1: %d completed cases; drilling into Ort %q, Gata %q, Objekttyp %q, Fabrikat %q",
		completed, city.City, street.Street, kindAll.Kind, brand.Brand)

	dash := func(q repair.DashboardQuery) func() (int, error) {
		return func() (int, error) {
			bars, err := db.Dashboard(ctx, scope, q)
			if q.Measure == repair.MeasureLeadTimes {
				for _, bar := range bars {
					bar.Value(q.Measure)
					bar.Lead.Percentile(0.9)
				}
			}
			return len(bars), err
		}
	}
	byTime := func(p repair.Period, weeks bool) func() (int, error) {
		return dash(repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupTime, Period: p, Weeks: weeks})
	}
	listFilter := city.CaseFilter()
	listFilter.Limit = 50
	views := []struct {
		name string
		run  func() (int, error)
	}{
		{"baseline-plain-group-by-city", func() (int, error) {
			rows, err := db.read.QueryContext(ctx, `SELECT city_key, count(*) FROM cases WHERE customer_id = 1 AND completed_at IS NOT NULL GROUP BY city_key`)
			n, err := collect(rows, err, func(r rowScanner) (int64, error) {
				var k string
				var n int64
				return n, r.Scan(&k, &n)
			})
			return len(n), err
		}},
		{"time-all-years", byTime(repair.Period{}, false)},
		{"time-year-months", byTime(year, false)},
		{"time-year-weeks", byTime(year, true)},
		{"time-month-days", byTime(month, false)},
		{"place-ort-year", dash(place)},
		{"place-gata-of-biggest-ort-year", dash(city)},
		{"place-gata-of-biggest-ort-month-direct", dash(cityMonth)},
		{"place-objekt-of-busy-gata-year-direct", dash(street)},
		{"machine-objekttyp-all-time", dash(machine)},
		{"machine-fabrikat-of-biggest-objekttyp-year", dash(kind)},
		{"machine-objekt-of-biggest-fabrikat-year-direct", dash(brand)},
		{"fakturamarkning-year", dash(repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupReference, Period: year})},
		{"genomloppstider-ort-year", dash(lead)},
		{"sok-arende-list-of-ort-bar-page1", func() (int, error) {
			res, err := db.SearchCases(ctx, scope, listFilter)
			return len(res.Cases), err
		}},
	}
	perOp := map[string]float64{}
	for _, v := range views {
		b.Run(v.name, func(b *testing.B) {
			iters, start := 0, time.Now()
			for b.Loop() {
				n, err := v.run()
				if err != nil || n == 0 {
					b.Fatalf("%d bars, %v", n, err)
				}
				iters++
			}
			ns := float64(time.Since(start).Nanoseconds()) / float64(iters)
			perOp[v.name] = ns
			b.ReportMetric(ns/1e6, "ms/op")
			if base := perOp[views[0].name]; base > 0 {
				b.ReportMetric(ns/base, "x-baseline")
			}
		})
	}
	base := perOp[views[0].name]
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s, per view (ms/op, × plain aggregate):", db.d.name)
	for _, v := range views {
		if ns, ok := perOp[v.name]; ok && base > 0 {
			fmt.Fprintf(&sb, "\n  %-50s %9.3f ms %8.3f×", v.name, ns/1e6, ns/base)
		}
	}
	b.Log(sb.String())
}
