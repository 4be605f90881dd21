package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// ExecSQL runs raw SQL on the writer, with ? placeholders, for tests that
// must do what no store method does (such as trying to change the seal
// log).
func ExecSQL(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.d.rebind(q), args...)
	return err
}

// QueryRowSQL runs q on a reader, for tests that read a column no
// getter returns.
func QueryRowSQL(ctx context.Context, db *DB, q string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.d.rebind(q), args...)
}

// DashboardDirect sums q's bars from the cases themselves, the way levels
// without a rollup are answered, so tests can hold the rollup against it.
func DashboardDirect(ctx context.Context, db *DB, customerID int64, q repair.DashboardQuery) ([]repair.Bucket, error) {
	return db.dashboardDirect(ctx, customerID, q, q.Level())
}

// RollupRows is the whole dashboard rollup as text lines, sorted.
func RollupRows(ctx context.Context, db *DB) ([]string, error) {
	rows, err := db.query(ctx, `
		SELECT customer_id, dim, period, key1, key2, bin, cases, repeats, work_orders,
			labour_ore, part_ore, travel_ore, fee_ore
		FROM dashboard_rollup
		ORDER BY customer_id, dim, period, key1, key2, bin`)
	return collect(rows, err, func(r rowScanner) (string, error) {
		var v [13]any
		var dim, period, k1, k2 string
		var n [9]int64
		v[0], v[1], v[2], v[3], v[4] = &n[0], &dim, &period, &k1, &k2
		for i := 5; i < 13; i++ {
			v[i] = new(int64)
		}
		err := r.Scan(v[:]...)
		s := fmt.Sprintf("%d %s %s %q %q", n[0], dim, period, k1, k2)
		for i := 5; i < 13; i++ {
			s += fmt.Sprintf(" %d", *v[i].(*int64))
		}
		return s, err
	})
}

// SetCountCap lowers the cap on a search's exact count until the returned
// function restores it.
func SetCountCap(n int) (restore func()) {
	old := countCap
	countCap = n
	return func() { countCap = old }
}

// CheckAssetPagePlans asks the database how it would run each query of a
// machine's page (the history's pages, the figures, a page's costs and
// actions) for a customer, the office and a technician, and fails t unless
// every one reads the cases through the machine's index and the rest
// through their own indexes, with no full scan of a table. On
// PostgreSQL sequential scans are priced out for the question, so that an
// empty test schema answers how the query can run, not how it would on
// no rows.
func CheckAssetPagePlans(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	first, last := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	// A full page of a machine's cases: more than its average count of
	// cases (17 in the seeds), which made SQLite read them all instead.
	pageIDs := make([]int64, 25)
	for i := range pageIDs {
		pageIDs[i] = int64(11 + i)
	}
	in, ids := db.d.inIDs("w.case_id", pageIDs)
	const asset = 5
	for who, scope := range map[string]repair.Scope{"customer": repair.CustomerScope(7), "staff": repair.StaffScope(), "technician": repair.TechnicianScope(3)} {
		page := repair.CaseFilter{AssetID: asset, Sort: repair.SortRegistered, Limit: 25}
		next := page
		next.Cursor = encodeCursor(repair.SortRegistered, repair.Case{ID: 9, RegisteredAt: last})
		yearCosts, yearArgs := assetYearCostsQuery(scope, first, last)
		type plan struct {
			name   string
			q      string
			args   []any
			want   []string // indexes the plan must use
			avoid  []string // and must not, on SQLite (PostgreSQL plans these by its statistics)
			sorted bool     // read in index order, no sort
		}
		plans := []plan{
			{name: "faults", q: assetFaultsQuery(scope), args: []any{asset, first}, want: []string{"cases_asset_registered"}},
			{name: "years", q: assetYearsQuery, args: []any{asset, asset}, want: []string{"cases_asset_registered"}, sorted: true},
			{name: "cost per year", q: yearCosts, args: append(yearArgs, asset), want: []string{"cases_asset_registered", "work_orders_case", "cost_lines_work_order"}},
			// A page's costs and actions: its cases by their ids, not
			// the machine's whole history.
			{name: "page costs", q: assetCaseCostsQuery(scope, in), args: append(slices.Clone(ids), asset), want: []string{"work_orders_case", "cost_lines_work_order"},
				avoid: []string{"cases_asset_registered"}},
			{name: "page actions", q: assetActionsQuery(scope, in), args: append(slices.Clone(ids), asset), want: []string{"work_orders_case", "actions_work_order"},
				avoid: []string{"cases_asset_registered"}},
		}
		for i, f := range []repair.CaseFilter{page, next} {
			q, args, err := pageQuery(scope, f, resolved{})
			if err != nil {
				t.Fatal(err)
			}
			plans = append(plans, plan{name: "history page " + strconv.Itoa(i+1), q: q, args: args, want: []string{"cases_asset_registered"}, sorted: true})
		}
		for _, p := range plans {
			text, err := db.explain(ctx, p.q, p.args...)
			if err != nil {
				t.Fatalf("%s: explain: %v\n%s", p.name, err, p.q)
			}
			for _, idx := range p.want {
				if !strings.Contains(text, idx) {
					t.Errorf("%s, %s, %s: plan does not use %s:\n%s", db.d.name, who, p.name, idx, text)
				}
			}
			for _, idx := range p.avoid {
				if db.d.name == "sqlite" && strings.Contains(text, idx) {
					t.Errorf("%s, %s, %s: plan uses %s:\n%s", db.d.name, who, p.name, idx, text)
				}
			}
			for line := range strings.SplitSeq(text, "\n") {
				// SQLite scans its own one-row subqueries (co-routines),
				// which are no table.
				name, scan := strings.CutPrefix(strings.TrimSpace(line), "SCAN ")
				if scan && !strings.Contains(line, "USING") && !strings.Contains(text, "CO-ROUTINE "+name+"\n") || strings.Contains(line, "Seq Scan") {
					t.Errorf("%s, %s, %s: full scan (%s):\n%s", db.d.name, who, p.name, strings.TrimSpace(line), text)
				}
			}
			if p.sorted && (strings.Contains(text, "TEMP B-TREE FOR ORDER BY") || strings.Contains(text, "Sort Key")) {
				t.Errorf("%s, %s, %s: sorts instead of reading in index order:\n%s", db.d.name, who, p.name, text)
			}
			t.Logf("%s, %s, %s:\n%s", db.d.name, who, p.name, text)
		}
	}
}

// CheckGenericPlans runs the reads of the pages a person uses often
// (hotReads) on db, a PostgreSQL database, and explains the plan each
// statement runs with: the statement's generic plan, as the store's
// connections plan (OpenPostgres), or its plan for its values where it is
// marked byValue. Sequential scans are priced out, as in
// CheckAssetPagePlans, so a large table read whole means no index serves
// the statement as it is planned.
func CheckGenericPlans(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	queries := hotReads(t, db)
	if len(queries) < 60 {
		t.Fatalf("only %d queries traced", len(queries))
	}
	whole := regexp.MustCompile(`Seq Scan on (cases|assets|work_orders|actions|cost_lines|files|case_status_history|outbox|invoices|invoice_lines|dashboard_rollup|digest_items|sessions)\b`)
	generic := 0
	for _, s := range queries {
		plan, err := db.explain(ctx, s.q, s.args...)
		if err != nil {
			t.Fatalf("explain: %v\n%s", err, s.q)
		}
		if m := whole.FindString(plan); m != "" {
			t.Errorf("%s:\n%s\n%s", m, plan, s.q)
		}
		// A generic plan shows the parameters it was planned without.
		if regexp.MustCompile(`Index Cond: .*\$[0-9]`).MatchString(plan) {
			generic++
		}
	}
	t.Logf("%d of %d plans generic", generic, len(queries))
	if generic < len(queries)/2 {
		t.Errorf("%d of %d plans generic", generic, len(queries))
	}
}

// explain is the database's plan for q, one step a line.
func (db *DB) explain(ctx context.Context, q string, args ...any) (string, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	prefix := "EXPLAIN QUERY PLAN "
	q = db.d.rebind(q)
	if db.d.name == "postgres" {
		prefix = "EXPLAIN "
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return "", err
		}
		if !strings.Contains(q, byValue) {
			// The plan the store's connections run: the statement's
			// generic plan, which only a prepared statement shows.
			name := fmt.Sprintf("kp_explain_%d", explained.Add(1))
			if _, err := tx.ExecContext(ctx, `PREPARE `+name+` AS `+q); err != nil {
				return "", err
			}
			defer tx.ExecContext(ctx, `DEALLOCATE `+name)
			values := make([]string, len(args))
			for i, a := range args {
				values[i] = sqlLiteral(a)
			}
			q, args = "EXECUTE "+name, nil
			if len(values) > 0 {
				q += "(" + strings.Join(values, ", ") + ")"
			}
		}
	}
	rows, err := tx.QueryContext(ctx, prefix+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for rows.Next() {
		v := make([]any, len(cols))
		var detail string
		for i := range v {
			v[i] = new(any)
		}
		v[len(v)-1] = &detail // SQLite's detail and PostgreSQL's only column are last
		if err := rows.Scan(v...); err != nil {
			return "", err
		}
		b.WriteString(detail + "\n")
	}
	return b.String(), rows.Err()
}

// explained names each statement explain prepares.
var explained atomic.Int64

// sqlLiteral is a test's argument written as a PostgreSQL literal.
func sqlLiteral(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		return "'" + v.UTC().Format(time.RFC3339Nano) + "'"
	case []int64:
		ids := make([]string, len(v))
		for i, id := range v {
			ids[i] = strconv.FormatInt(id, 10)
		}
		return "'{" + strings.Join(ids, ",") + "}'"
	case driver.Valuer:
		value, err := v.Value()
		if err != nil {
			panic(err)
		}
		return sqlLiteral(value)
	}
	if r := reflect.ValueOf(v); r.Kind() == reflect.String {
		return sqlLiteral(r.String()) // a named string type (a status, an event)
	}
	return fmt.Sprint(v)
}

// OneConnection makes db read and write through one connection, and on
// PostgreSQL read the statements planned for their values through one
// more, so that what a connection keeps can be read (PreparedStatements).
func OneConnection(db *DB) {
	db.read.SetMaxOpenConns(1)
	db.write.SetMaxOpenConns(1)
	if db.valueReads != nil {
		db.valueReads.SetMaxOpenConns(1)
	}
}

// ValueReadsSetting is a PostgreSQL setting of db's connections for the
// reads planned for their values.
func ValueReadsSetting(ctx context.Context, t *testing.T, db *DB, name string) string {
	t.Helper()
	v, err := queryRowsOn(ctx, db.valueReads, `SELECT current_setting($1)`, name)
	if err != nil {
		t.Fatal(err)
	}
	return v[0]
}

// PreparedStatements gives PostgreSQL's prepared statements of db's
// connection (after OneConnection) and of its connection for the reads
// planned for their values, each as "generic plans | custom plans |
// statement".
func PreparedStatements(ctx context.Context, db *DB) (reads, byValue []string, err error) {
	const q = `SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements
		WHERE statement NOT LIKE '%pg_prepared_statements%'`
	if reads, err = QueryRows(ctx, db, q); err != nil {
		return nil, nil, err
	}
	byValue, err = queryRowsOn(ctx, db.valueReads, q)
	return reads, byValue, err
}

// QueryRows runs a query on the readers, with ? placeholders, and gives
// each row as its columns printed with %v, separated by " | ".
func QueryRows(ctx context.Context, db *DB, q string, args ...any) ([]string, error) {
	return queryRowsOn(ctx, db.read, db.d.rebind(q), args...)
}

// queryRowsOn is QueryRows on pool, with the driver's placeholders.
func queryRowsOn(ctx context.Context, pool *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := pool.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		s := ""
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if i > 0 {
				s += " | "
			}
			s += fmt.Sprint(v)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetTextIndexMax sets the most Fritext matches a page is read through
// the text index for (0: never; a large number: always); the returned
// function restores it.
func SetTextIndexMax(n int) (restore func()) {
	old := textIndexMax
	textIndexMax = n
	return func() { textIndexMax = old }
}

// CountCaseExtras runs the migration step that counts every case's
// actions and files.
func CountCaseExtras(ctx context.Context, db *DB) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.countCaseExtras(ctx) })
}

// SetTextScanPerMatch sets how many cases in order, per match counted, a
// page with many Fritext matches reads for them.
func SetTextScanPerMatch(f float64) (restore func()) {
	old := textScanPerMatch
	textScanPerMatch = f
	return func() { textScanPerMatch = old }
}

// SetTextIndexBatch sets how many new cases wait for the text index.
func SetTextIndexBatch(n int64) (restore func()) {
	old := textIndexBatch
	textIndexBatch = n
	return func() { textIndexBatch = old }
}

// AssetCaseCosts sums the costs of each of the asset's cases caseIDs that
// scope may see (only customer-visible ones for a customer), in öre ex
// VAT, from the cost lines; a case without costs is absent: the reference
// the tests hold the machine's figures and the kept case totals to.
func (db *DB) AssetCaseCosts(ctx context.Context, scope repair.Scope, assetID int64, caseIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	in, args := db.d.inIDs("w.case_id", caseIDs)
	rows, err := db.query(ctx, assetCaseCostsQuery(scope, in), append(args, assetID)...)
	if err != nil {
		return nil, fmt.Errorf("store: asset costs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sum int64
		if err := rows.Scan(&id, &sum); err != nil {
			return nil, fmt.Errorf("store: asset costs: %w", err)
		}
		out[id] = sum
	}
	return out, rows.Err()
}

// assetCaseCostsQuery sums the costs of the cases in the IN list marks
// through work_orders_case and cost_lines_work_order.
func assetCaseCostsQuery(scope repair.Scope, in string) string {
	return `
		SELECT c.id, sum(l.amount_ore)
		FROM cost_lines l
		JOIN work_orders w ON w.id = l.work_order_id
		JOIN cases c ON c.id = w.case_id
		WHERE ` + in + `
		  AND +c.asset_id = ?
		  AND ` + scopeCaseWorkOrder(scope, "w", "c") + `
		  AND ` + scopeVisible(scope, "l.customer_visible") + `
		GROUP BY c.id`
}

// IndexText adds every case not yet in the text index to it.
func IndexText(ctx context.Context, db *DB) error { return db.indexText(ctx) }

// RegistrationOrder returns text_index_state.ordered_from as the insert
// trigger keeps it and as migration 0019's UPDATE computes it afresh
// (SQLite only).
func RegistrationOrder(ctx context.Context, db *DB) (kept, computed int64, err error) {
	body, err := fs.ReadFile(migrations, "migrations/sqlite/0019_registration_order.sql")
	if err != nil {
		return 0, 0, err
	}
	text := string(body)
	update := text[strings.Index(text, "UPDATE text_index_state"):]
	update = update[:strings.Index(update, ";\n")]
	err = db.Update(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT ordered_from FROM text_index_state`).Scan(&kept); err != nil {
			return err
		}
		if err := tx.exec(ctx, update); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT ordered_from FROM text_index_state`).Scan(&computed)
	})
	return kept, computed, err
}

// SetTextFirstRead sets how many cases in order a page of many Fritext
// matches reads first on SQLite.
func SetTextFirstRead(n int) (restore func()) {
	old := textFirstRead
	textFirstRead = n
	return func() { textFirstRead = old }
}

// FileTogether saves filings as one batch of PostgreSQL's lanes does
// (fileBatch), and gives each its case id and error. together says
// whether the batch was saved in its two statements, not each alone.
func FileTogether(db *DB, filings []*Filing) (ids []int64, errs []error, together bool) {
	reqs := make([]*fileReq, len(filings))
	for i, f := range filings {
		reqs[i] = &fileReq{ctx: context.Background(), f: f, done: make(chan struct{})}
	}
	before := db.filedTogether.Load()
	db.fileBatch(reqs)
	for _, r := range reqs {
		<-r.done
		ids, errs = append(ids, r.id), append(errs, r.err)
	}
	return ids, errs, db.filedTogether.Load() > before
}

// WriterPragma is the value of PRAGMA name on the writer's connection
// (SQLite).
func WriterPragma(ctx context.Context, db *DB, name string) (int, error) {
	var v int
	err := db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}

// Checkpoints is how many checkpoints the checkpointer has run (SQLite).
func Checkpoints(db *DB) int64 { return db.ckpt.passes.Load() }

// CheckpointEvery is how often the checkpointer looks at the WAL.
const CheckpointEvery = checkpointEvery

// TextStructure is what the store reads of the text index's structure
// record.
type TextStructure struct {
	Levels, Segments int
	Crowded          int // the most segments of a level not being merged
	Pages            int64
}

// ReadTextStructure reads the text index's structure record.
func ReadTextStructure(ctx context.Context, db *DB) (TextStructure, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return TextStructure{}, err
	}
	defer tx.Rollback()
	s, err := readTextStructure(ctx, tx)
	return TextStructure{s.levels, s.segments, s.crowded, s.pages}, err
}

// SetWALLimit sets the WAL's size in pages at which the checkpointer has
// it start over.
func SetWALLimit(pages int) (restore func()) {
	old := walLimit
	walLimit = pages
	return func() { walLimit = old }
}

// CheckpointTurns and CheckpointRestarts are how many checkpoints the
// checkpointer has run in the writer's turn, and how many RESTARTs;
// CheckpointWAL is the WAL's pages at its last checkpoint.
func CheckpointTurns(db *DB) int64    { return db.ckpt.turns.Load() }
func CheckpointRestarts(db *DB) int64 { return db.ckpt.restarts.Load() }
func CheckpointWAL(db *DB) int64      { return db.ckpt.walPages.Load() }

// TraceReads has fn see every read query of db before it runs; nil
// stops it.
func TraceReads(db *DB, fn func(q string, args []any)) { db.trace = fn }

// GroupSaves is the saves SQLite's group writer has committed.
func GroupSaves(db *DB) int {
	_, saves := db.groupStats()
	return saves
}

// FileNew saves f in a transaction of its own without looking up its
// token first, as SQLite's writer saves a filing whose token was not
// found before its turn.
func FileNew(ctx context.Context, db *DB, f *Filing) (int64, error) {
	return db.fileAlone(ctx, f, (*Tx).fileNew)
}
