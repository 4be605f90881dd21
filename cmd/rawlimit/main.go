// Command rawlimit is the yardstick of scripts/load.sh: the fastest this
// machine can answer each of Kundportal's hot paths from the same
// database, a SQLite file or PostgreSQL. It opens the database read-only
// with the product's driver (and on SQLite its read-pool pragmas), keeps
// its statements prepared as the store does, and
// serves one handler per hot path that runs the same indexed SQL as the
// store (copied from internal/store; keep them in step) and writes the
// rows as plain text padded to the byte size of the product's page
// (?pad=N). No templates, no sessions, no counts, no extras: what is left
// is the database and net/http.
//
//	rawlimit -db DATA/kundportal.db -addr 127.0.0.1:8091
//	rawlimit -database-url postgres://... -addr 127.0.0.1:8091
//
// As the store does, it writes page limits and statuses into the SQL, so
// that PostgreSQL keeps one plan per statement (internal/store/dialect.go:
// limitRows, statusIs); SQLite does not mind.
//
// It is a measuring tool, not part of the product binary.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"kundportal/internal/repair"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	path := flag.String("db", "data/kundportal.db", "the SQLite file")
	pgURL := flag.String("database-url", "", "a PostgreSQL database to read instead of the SQLite file")
	addr := flag.String("addr", "127.0.0.1:8091", "listen address")
	flag.Parse()
	r := &raw{stmts: map[string]*sql.Stmt{}, rebind: func(q string) string { return q }}
	var err error
	if *pgURL != "" {
		r.db, r.values, err = openPostgres(*pgURL)
		r.rebind = dollars
		*path = "PostgreSQL"
	} else {
		r.db, err = open(*path)
	}
	if err != nil {
		log.Fatal(err)
	}
	defer r.db.Close()
	if r.values != nil {
		defer r.values.Close()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /samples", r.handle(r.samples))
	mux.HandleFunc("GET /sok", r.handle(r.search))
	mux.HandleFunc("GET /arende", r.handle(r.showCase))
	mux.HandleFunc("GET /objekt", r.handle(r.showAsset))
	mux.HandleFunc("GET /dashboard", r.handle(r.dashboard))
	mux.HandleFunc("GET /faktura", r.handle(r.invoiceSpec))
	mux.HandleFunc("GET /order", r.handle(r.intake))
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	log.Printf("rawlimit listening on %s, database %s", *addr, *path)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// open opens path as the store's read pool does (internal/store/db.go:
// the same pragmas in the same order, query_only, 8 connections kept
// open), and read-only besides, so that the yardstick cannot change the
// product's data.
func open(path string) (*sql.DB, error) {
	pragmas := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "query_only(1)"} {
		pragmas.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&"+pragmas.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// openPostgres opens url with the store's pools (internal/store/db.go),
// every session of them read-only: one whose statements are planned once,
// without their values, and one for those planned for their values.
func openPostgres(url string) (db, values *sql.DB, err error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, nil, err
	}
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	values = stdlib.OpenDB(*cfg.Copy())
	values.SetMaxOpenConns(8)
	values.SetMaxIdleConns(8)
	cfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	cfg.RuntimeParams["random_page_cost"] = "1.1"
	db = stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := errors.Join(db.Ping(), values.Ping()); err != nil {
		db.Close()
		values.Close()
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, values, nil
}

// dollars is the store's rebindDollar: ? placeholders as $1, $2, ...
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// raw serves the hot paths' queries.
type raw struct {
	db     *sql.DB
	rebind func(string) string // placeholders in the database's form
	// values reads PostgreSQL's statements planned for their values,
	// with the database's own plan_cache_mode, as the store's do.
	values *sql.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
}

// query runs q prepared, as the store's statement cache does (on
// PostgreSQL pgx keeps each connection's statements prepared in any case).
func (r *raw) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	db := r.db
	if r.postgres() && strings.Contains(q, byValue) {
		db = r.values // planned for its values, as the store's (DB.reader)
	}
	q = r.rebind(q)
	r.mu.Lock()
	st, ok := r.stmts[q]
	if !ok {
		var err error
		if st, err = db.PrepareContext(ctx, q); err != nil {
			r.mu.Unlock()
			return nil, fmt.Errorf("prepare: %w\n%s", err, q)
		}
		r.stmts[q] = st
	}
	r.mu.Unlock()
	return st.QueryContext(ctx, args...)
}

// page is a response being written: rows as tab-separated text.
type page struct{ bytes.Buffer }

// rows writes every row of rs and closes it.
func (p *page) rows(rs *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return err
		}
		for i, v := range vals {
			if i > 0 {
				p.WriteByte('\t')
			}
			p.Write(v)
		}
		p.WriteByte('\n')
	}
	return rs.Err()
}

// firstColumn is the first column, a number, of at most n of the rows
// written from offset start on.
func (p *page) firstColumn(start, n int) []int64 {
	var out []int64
	for line := range bytes.Lines(p.Bytes()[start:]) {
		if len(out) == n {
			break
		}
		first, _, _ := bytes.Cut(line, []byte{'\t'})
		id, _ := strconv.ParseInt(string(bytes.TrimSpace(first)), 10, 64)
		out = append(out, id)
	}
	return out
}

// handle writes what h produced, padded with spaces to ?pad bytes: the
// size of the product's page for the same request, so that both put the
// same bytes on the wire.
func (r *raw) handle(h func(*http.Request, *page) error) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		var p page
		if err := h(req, &p); err != nil {
			log.Printf("%s: %v", req.URL, err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if pad, _ := strconv.Atoi(req.URL.Query().Get("pad")); pad > p.Len() {
			p.Write(bytes.Repeat([]byte{' '}, pad-p.Len()))
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(p.Len()))
		w.Write(p.Bytes())
	}
}

// Copied from internal/store (cases.go, assets.go).
const caseColumns = `c.id, c.number, c.customer_id, c.asset_id, COALESCE(a.number, ''), c.type, c.title, c.description,
	c.site_name, c.street, c.reporter_name, c.reporter_phone, c.site_phone1, c.site_phone2,
	c.postal_code, c.city, c.access, c.contract_number, c.invoice_reference, c.status,
	c.reported_by, c.registered_at, c.completed_at, c.updated_at, c.repeat_fault,
	c.labour_ore, c.part_ore, c.travel_ore, c.fee_ore, c.customer_news_at`

const caseFrom = `
	FROM cases c
	LEFT JOIN assets a ON a.id = c.asset_id`

// Copied from internal/store (workorders.go, files.go).
const workOrderColumns = `w.id, w.case_id, w.number, w.technician_id, COALESCE(u.name, ''), w.status,
	w.planned_start, w.planned_end, w.created_at, w.completed_at, w.started_at, w.outcome, w.outcome_note, w.locked_at,
	w.invoice_id`

const workOrderFrom = `
	FROM work_orders w
	LEFT JOIN users u ON u.id = w.technician_id`

const fileColumns = `f.id, f.customer_id, f.case_id, f.work_order_id, f.kind, f.name, f.content_type, f.size, f.sha256, f.thumb_sha256, f.uploaded_by, f.created_at`

const assetColumns = `a.id, a.customer_id, a.contract_id, COALESCE(k.number, ''), a.number, a.kind, a.brand, a.model,
	a.serial_number, a.site_name, a.street, a.postal_code, a.city, a.location, a.installed_on, a.created_at`

// scope is store.scopeCase for a customer (kund=ID), or the staff's
// TRUE when there is none.
func scope(q url.Values, alias string) string {
	if id, err := strconv.ParseInt(q.Get("kund"), 10, 64); err == nil && id > 0 {
		return alias + ".customer_id = " + strconv.FormatInt(id, 10)
	}
	return "TRUE"
}

// visible is store.scopeVisible: a customer sees what is shown to it
// (col), the staff everything.
func visible(q url.Values, col string) string {
	if customer(q) > 0 {
		return col
	}
	return "TRUE"
}

// id is ?id, a number (PostgreSQL takes no text for a bigint).
func id(q url.Values) int64 {
	n, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	return n
}

func customer(q url.Values) int64 {
	id, _ := strconv.ParseInt(q.Get("kund"), 10, 64)
	return id
}

// fold is store.Fold.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// day parses a YYYY-MM-DD parameter as the product does: Stockholm's
// midnight, in UTC.
func day(v string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, v, stockholm)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

var stockholm = repair.Stockholm

// byValue is store.byValue: a condition planned for its value.
const byValue = "/* planned by value */ "

// streetSkip is store.streetSkip.
const streetSkip = `
	WITH RECURSIVE s(k, n) AS (
		SELECT (SELECT min(c.street_name_key) FROM cases c
			WHERE c.customer_id = ? AND c.street_name_key >= ? AND c.street_name_key < ?), 1
		UNION ALL
		SELECT (SELECT min(c.street_name_key) FROM cases c
			WHERE c.customer_id = ? AND c.street_name_key > s.k AND c.street_name_key < ?), s.n + 1
		FROM s WHERE s.k IS NOT NULL AND s.n <= ?
	)
	SELECT k FROM s WHERE k IS NOT NULL`

// search is Sök ärende's page query (store.pageQuery over
// store.caseFilterWhere) for the filters the load script uses: status
// (repeated), fakturamarkning, objekt, gata (a prefix, resolved into at
// most 20 streets and merged, as the store does), fran, till, q and the
// efter cursor, newest registered first; limit (default 50) rows and one
// more.
func (r *raw) search(req *http.Request, p *page) error {
	ctx, q := req.Context(), req.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 {
		limit = 50
	}
	var streets []string
	prefix := fold(repair.StreetName(q.Get("gata")))
	if prefix != "" && customer(q) > 0 {
		c := customer(q)
		rs, err := r.query(ctx, streetSkip, c, prefix, prefix+"\U0010FFFF", c, prefix+"\U0010FFFF", 20)
		if err != nil {
			return err
		}
		for rs.Next() {
			var k string
			if err := rs.Scan(&k); err != nil {
				rs.Close()
				return err
			}
			streets = append(streets, k)
		}
		rs.Close()
		if len(streets) > 20 {
			streets = nil // matched by range
		}
	}
	where := []string{scope(q, "c")}
	var args []any
	if v := q.Get("fakturamarkning"); v != "" {
		where, args = append(where, "c.ref_key = ?"), append(args, fold(v))
	}
	if v := q.Get("objekt"); v != "" {
		where, args = append(where, "c.asset_id = (SELECT id FROM assets WHERE number = ?)"), append(args, v)
	}
	if v, err := strconv.ParseInt(q.Get("asset_id"), 10, 64); err == nil {
		where, args = append(where, "c.asset_id = ?"), append(args, v)
	}
	if prefix != "" && streets == nil {
		where = append(where, byValue+"c.street_name_key >= ? AND c.street_name_key < ?")
		args = append(args, prefix, prefix+"\U0010FFFF")
	}
	if v := q.Get("fran"); v != "" {
		where, args = append(where, "c.registered_at >= ?"), append(args, day(v))
	}
	if v := q.Get("till"); v != "" {
		where, args = append(where, "c.registered_at < ?"), append(args, day(v).AddDate(0, 0, 1))
	}
	for i, w := range strings.Fields(q.Get("q")) {
		if i == 5 {
			break
		}
		where = append(where, byValue+`c.search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(fold(w))+"%")
	}
	var cursor []string
	var cursorArgs []any
	if v := q.Get("efter"); v != "" {
		t, id, err := decodeCursor(v)
		if err != nil {
			return err
		}
		cursor, cursorArgs = []string{"(c.registered_at, c.id) < (?, ?)"}, []any{t, id}
	}
	const order = "c.registered_at DESC, c.id DESC"
	statuses := q["status"]
	if len(statuses) <= 1 && len(streets) <= 1 {
		if len(statuses) == 1 {
			where = append(where, "c.status IN ("+status(statuses[0])+")")
		}
		if len(streets) == 1 {
			where, args = append(where, "c.street_name_key IN (?)"), append(args, streets[0])
		}
		return p.rows(r.query(ctx, `
		SELECT `+caseColumns+caseFrom+`
		WHERE `+strings.Join(append(where, cursor...), "\n\t\t  AND ")+`
		ORDER BY `+order+`
		LIMIT `+strconv.Itoa(limit+1), slices.Concat(args, cursorArgs)...))
	}
	// Several statuses or streets: each one's first rows from its own
	// index, merged (the second half of store.pageQuery).
	if len(statuses) == 0 {
		statuses = []string{""}
	}
	if len(streets) == 0 {
		streets = []string{""}
	}
	var parts []string
	var all []any
	for _, st := range statuses {
		for _, street := range streets {
			w, a := slices.Clone(where), slices.Clone(args)
			if st != "" {
				w = append(w, "c.status = "+status(st))
			}
			if street != "" {
				w, a = append(w, "c.street_name_key = ?"), append(a, street)
			}
			parts = append(parts, fmt.Sprintf(`SELECT id, k FROM (
			SELECT c.id, c.registered_at AS k
			FROM cases c
			WHERE %s
			ORDER BY %s
			LIMIT %d
		) s%d`, strings.Join(append(w, cursor...), " AND "), order, limit+1, len(parts)))
			all = slices.Concat(all, a, cursorArgs)
		}
	}
	return p.rows(r.query(ctx, `
		SELECT `+caseColumns+`
		FROM (
			SELECT p.id, p.k FROM (`+strings.Join(parts, "\n\t\tUNION ALL ")+`) p
			ORDER BY p.k DESC, p.id DESC
			LIMIT `+strconv.Itoa(limit+1)+`
		) p
		JOIN cases c ON c.id = p.id
		LEFT JOIN assets a ON a.id = c.asset_id
		ORDER BY p.k DESC, p.id DESC`, all...))
}

// status is store.statusIs's literal for a known status; anything else
// matches nothing.
func status(s string) string {
	if repair.Status(s).Valid() {
		return "'" + s + "'"
	}
	return "NULL"
}

// decodeCursor is store.decodeCursor for the registered order.
func decodeCursor(cursor string) (time.Time, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	parts := strings.Split(string(b), "|")
	if err != nil || len(parts) != 3 {
		return time.Time{}, 0, fmt.Errorf("bad cursor %q", cursor)
	}
	us, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, fmt.Errorf("bad cursor %q", cursor)
	}
	return time.UnixMicro(us).UTC(), id, nil
}

// showCase is store.CaseDetail: the case page's six reads (the case, its
// status history, work orders, actions, cost lines and files), one by
// one on SQLite and in one batch on PostgreSQL, as the store reads them.
func (r *raw) showCase(req *http.Request, p *page) error {
	q := req.URL.Query()
	reads := []string{`
		SELECT ` + caseColumns + caseFrom + `
		WHERE c.id = ?
		  AND ` + scope(q, "c"), `
		SELECT h.status, h.changed_at, COALESCE(u.name, ''), h.note
		FROM case_status_history h
		JOIN cases c ON c.id = h.case_id
		LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.case_id = ?
		  AND ` + scope(q, "c") + `
		ORDER BY h.changed_at, h.id`, `
		SELECT ` + workOrderColumns + workOrderFrom + `
		JOIN cases c ON c.id = w.case_id
		WHERE w.case_id = ?
		  AND ` + scope(q, "c") + `
		ORDER BY w.id`, `
		SELECT a.id, a.work_order_id, a.performed_on, a.technician_id, COALESCE(u.name, ''),
			a.description, a.minutes, a.customer_visible, a.created_at
		FROM actions a
		JOIN work_orders w ON w.id = a.work_order_id
		JOIN cases c ON c.id = w.case_id
		LEFT JOIN users u ON u.id = a.technician_id
		WHERE w.case_id = ?
		  AND ` + scope(q, "c") + `
		  AND ` + visible(q, "a.customer_visible") + `
		ORDER BY a.performed_on, a.id`, `
		SELECT l.id, l.work_order_id, l.kind, l.description, l.article, l.quantity_milli,
			l.unit_price_ore, l.amount_ore, l.customer_visible, l.created_at
		FROM cost_lines l
		JOIN work_orders w ON w.id = l.work_order_id
		JOIN cases c ON c.id = w.case_id
		WHERE w.case_id = ?
		  AND ` + scope(q, "c") + `
		  AND ` + visible(q, "l.customer_visible") + `
		ORDER BY l.work_order_id, l.id`, `
		SELECT ` + fileColumns + `
		FROM files f
		WHERE f.case_id = ?
		  AND ` + scope(q, "f") + `
		ORDER BY f.created_at, f.id`}
	if r.postgres() {
		return r.batch(req.Context(), p, reads, id(q))
	}
	for _, sql := range reads {
		if err := p.rows(r.query(req.Context(), sql, id(q))); err != nil {
			return err
		}
	}
	return nil
}

// postgres says whether r reads PostgreSQL (its second pool) rather
// than SQLite.
func (r *raw) postgres() bool { return r.values != nil }

// inIDs is store's dialect.inIDs: column in ids, one statement for every
// length on PostgreSQL.
func (r *raw) inIDs(column string, ids []int64) (string, []any) {
	if r.postgres() {
		return column + " = ANY(?)", []any{ids}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return column + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// batch runs reads, each with args, in one round trip to PostgreSQL, as
// the store's readTogether does, and writes their rows.
func (r *raw) batch(ctx context.Context, p *page, reads []string, args ...any) error {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		var b pgx.Batch
		for _, q := range reads {
			b.Queue(r.rebind(q), args...)
		}
		results := driverConn.(*stdlib.Conn).Conn().SendBatch(ctx, &b)
		for range reads {
			rows, err := results.Query()
			if err != nil {
				return errors.Join(err, results.Close())
			}
			for rows.Next() {
				for i, v := range rows.RawValues() {
					if i > 0 {
						p.WriteByte('\t')
					}
					p.Write(v)
				}
				p.WriteByte('\n')
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return errors.Join(err, results.Close())
			}
		}
		return results.Close()
	})
}

// showAsset is the machine page's reads: store.Asset, the first page of
// its history (SearchCases with AssetID, 25 rows and one) and the
// actions of the page's cases (store.AssetActions).
func (r *raw) showAsset(req *http.Request, p *page) error {
	ctx, q := req.Context(), req.URL.Query()
	if err := p.rows(r.query(ctx, `
		SELECT `+assetColumns+`
	FROM assets a
	LEFT JOIN contracts k ON k.id = a.contract_id
		WHERE a.id = ?
		  AND `+scope(q, "a"), id(q))); err != nil {
		return err
	}
	rows, err := r.query(ctx, `
		SELECT `+caseColumns+caseFrom+`
		WHERE `+scope(q, "c")+`
		  AND c.asset_id = ?
		ORDER BY c.registered_at DESC, c.id DESC
		LIMIT 26`, id(q))
	start := p.Len()
	if err := p.rows(rows, err); err != nil {
		return err
	}
	ids := p.firstColumn(start, 25) // the page's cases
	if len(ids) == 0 {
		return nil
	}
	in, args := r.inIDs("w.case_id", ids)
	return p.rows(r.query(ctx, `
		SELECT a.id, a.work_order_id, a.performed_on, COALESCE(u.name, ''), a.description, a.minutes,
			a.customer_visible, c.id, c.number, w.number
		FROM actions a
		JOIN work_orders w ON w.id = a.work_order_id
		JOIN cases c ON c.id = w.case_id
		LEFT JOIN users u ON u.id = a.technician_id
		WHERE `+in+`
		  AND +c.asset_id = ?
		  AND `+scope(q, "c")+`
		  AND `+visible(q, "a.customer_visible")+`
		ORDER BY a.performed_on DESC, a.id DESC`, append(args, id(q))...))
}

// dashboard is the Dashboard's main query: a time level
// (store.dashboardTime: dim y, m or d, periods in [from, to)) or a rollup
// level (store.dashboardRollup: e.g. dim city_y and period 2026 for
// grupp=plats).
func (r *raw) dashboard(req *http.Request, p *page) error {
	ctx, q := req.Context(), req.URL.Query()
	dim := q.Get("dim")
	where := []string{"r.customer_id = ?", "r.dim = ?"}
	args := []any{customer(q), dim}
	switch from, to := q.Get("from"), q.Get("to"); {
	case q.Get("period") != "":
		where, args = append(where, "r.period = ?"), append(args, q.Get("period"))
	case from != "":
		where, args = append(where, "r.period >= ?", "r.period < ?"), append(args, from, to)
	}
	if len(dim) <= 1 {
		return p.rows(r.query(ctx, `
		SELECT r.period, r.bin, r.cases, r.repeats, r.work_orders,
			r.labour_ore, r.part_ore, r.travel_ore, r.fee_ore
		FROM dashboard_rollup r
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY r.period, r.key1, r.key2, r.bin`, args...))
	}
	return p.rows(r.query(ctx, `
		SELECT r.key1, max(r.label1), r.bin, sum(r.cases), sum(r.repeats), sum(r.work_orders),
	sum(r.labour_ore), sum(r.part_ore), sum(r.travel_ore), sum(r.fee_ore)
		FROM dashboard_rollup r
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY r.key1, r.bin`, args...))
}

// invoiceSpec is store.Work for a month (from, to: YYYY-MM-DD): the
// Fakturaspecifikation's lines, under scopeCase and scopeInvoice (both the
// customer's own condition for a customer user).
func (r *raw) invoiceSpec(req *http.Request, p *page) error {
	q := req.URL.Query()
	where := `c.customer_id = ? AND c.completed_at IS NOT NULL AND ` + scope(q, "c") + `
		  AND c.completed_at >= ? AND c.completed_at < ?
		  AND w.status IN ('done', 'cancelled')`
	args := []any{customer(q), day(q.Get("from")), day(q.Get("to"))}
	if q.Has("ref") {
		return r.referencePage(req, p, append(args, fold(q.Get("ref"))))
	}
	if q.Get("summary") == "1" {
		// store.WorkByReference: a month too large for a page, summed
		// per Fakturamärkning.
		return p.rows(r.query(req.Context(), `
		SELECT max(c.invoice_reference), count(DISTINCT c.id),
			COALESCE(sum(CASE WHEN l.kind = 'labour' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind = 'part' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind = 'travel' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind NOT IN ('labour', 'part', 'travel') THEN l.amount_ore END), 0),
			sum(l.amount_ore)
		FROM cases c
		JOIN work_orders w ON w.case_id = c.id
		JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		WHERE `+where+`
		GROUP BY c.ref_key
		ORDER BY c.ref_key`, args...))
	}
	return p.rows(r.query(req.Context(), `
		SELECT w.id, w.status, COALESCE(i.number, ''), c.id, c.number, w.number, c.title, COALESCE(a.number, ''), c.street,
			c.invoice_reference, c.ref_key, c.contract_number, c.completed_at,
			COALESCE(l.kind, ''), COALESCE(l.description, ''), COALESCE(l.quantity_milli, 0), COALESCE(l.unit_price_ore, 0),
			COALESCE(l.amount_ore, 0), l.id
		FROM cases c
		JOIN work_orders w ON w.case_id = c.id
		LEFT JOIN invoices i ON i.id = w.invoice_id
		LEFT JOIN assets a ON a.id = c.asset_id
		LEFT JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		WHERE `+where+`
		ORDER BY c.ref_key, c.completed_at, c.id, w.number, l.id`, args...))
}

// referencePage is store.WorkPage's first page of one Fakturamärkning's
// month (args: customer, from, to, the folded Fakturamärkning): its first
// 50 cases and one more, in completion order, then their lines by id.
// (The store drops the cases without lines and reads on if it dropped
// any; the seeded cases all have lines.)
func (r *raw) referencePage(req *http.Request, p *page, args []any) error {
	q := req.URL.Query()
	rows, err := r.query(req.Context(), `
		SELECT c.id, c.number, c.title, COALESCE(a.number, ''), c.street, c.invoice_reference, c.ref_key, c.contract_number, c.completed_at
		FROM cases c
		LEFT JOIN assets a ON a.id = c.asset_id
		WHERE c.id IN (
			SELECT c.id FROM cases c
			WHERE c.customer_id = ? AND c.completed_at IS NOT NULL AND `+scope(q, "c")+`
			  AND c.completed_at >= ? AND c.completed_at < ? AND c.ref_key = ?
			ORDER BY c.completed_at, c.id
			LIMIT 51)
		ORDER BY c.completed_at, c.id`, args...)
	if err != nil {
		return err
	}
	var ids []any
	for rows.Next() {
		var id int64
		var number, title, asset, street, ref, key, contract string
		var done any
		if err := rows.Scan(&id, &number, &title, &asset, &street, &ref, &key, &contract, &done); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		fmt.Fprintln(p, id, number, title, asset, street, ref, contract, done)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	return p.rows(r.query(req.Context(), `
		SELECT w.case_id, w.id, COALESCE(i.number, ''), w.number,
			l.kind, l.description, l.quantity_milli, l.unit_price_ore, l.amount_ore
		FROM work_orders w
		JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		LEFT JOIN invoices i ON i.id = w.invoice_id
		WHERE w.case_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) AND w.status IN ('done', 'cancelled')
		ORDER BY w.case_id, w.number, l.id`, ids...))
}

// intake is the order system's first queue (store.CasesByStatus,
// registered, its 50 rows and one, staff scope).
func (r *raw) intake(req *http.Request, p *page) error {
	return p.rows(r.query(req.Context(), `
		SELECT `+caseColumns+caseFrom+`
		WHERE c.status = 'registered'
		  AND TRUE
		ORDER BY c.registered_at DESC, c.id DESC
		LIMIT 51`))
}

// samples prints, as shell assignments, real values of the data for the
// load script's filters: the customer of ?email, its most frequent
// Fakturamärkning, its machine with the most cases, its busiest street's
// name (without the number), its newest invoiced case (not one the
// load's saves made), and the day from which its
// newest ~10 000 cases (the export's filter) were registered.
func (r *raw) samples(req *http.Request, p *page) error {
	ctx := req.Context()
	var cust int64
	if err := r.db.QueryRowContext(ctx, r.rebind(`SELECT customer_id FROM users WHERE email = ?`), req.URL.Query().Get("email")).Scan(&cust); err != nil {
		return fmt.Errorf("customer of %q: %w", req.URL.Query().Get("email"), err)
	}
	var ref, assetNumber, street string
	var assetID, caseID int64
	var exportFrom time.Time
	for _, s := range []struct {
		q    string
		dest []any
	}{
		{`SELECT max(invoice_reference) FROM cases WHERE customer_id = ? AND ref_key <> '' GROUP BY ref_key ORDER BY count(*) DESC LIMIT 1`, []any{&ref}},
		{`SELECT a.id, a.number FROM cases c JOIN assets a ON a.id = c.asset_id WHERE c.customer_id = ? GROUP BY a.id ORDER BY count(*) DESC LIMIT 1`, []any{&assetID, &assetNumber}},
		{`SELECT street_name_key FROM cases WHERE customer_id = ? AND street_name_key <> '' GROUP BY street_name_key ORDER BY count(*) DESC LIMIT 1`, []any{&street}},
		{`SELECT id FROM cases WHERE customer_id = ? AND status = 'invoiced' ORDER BY registered_at DESC, id DESC LIMIT 1`, []any{&caseID}},
		{`SELECT registered_at FROM cases WHERE customer_id = ? ORDER BY registered_at DESC, id DESC LIMIT 1 OFFSET 10000`, []any{&exportFrom}},
	} {
		if err := r.db.QueryRowContext(ctx, r.rebind(s.q), cust).Scan(s.dest...); err != nil {
			return fmt.Errorf("samples: %w\n%s", err, s.q)
		}
	}
	// The street's name without its number: a prefix a person types,
	// standing for several of the customer's streets.
	name := strings.TrimRightFunc(street, func(r rune) bool { return r == ' ' || r >= '0' && r <= '9' })
	for _, kv := range [][2]string{
		{"CUSTOMER_ID", strconv.FormatInt(cust, 10)},
		{"REF", url.QueryEscape(ref)},
		{"ASSET_NUMBER", url.QueryEscape(assetNumber)},
		{"ASSET_ID", strconv.FormatInt(assetID, 10)},
		{"STREET", url.QueryEscape(name)},
		{"CASE_ID", strconv.FormatInt(caseID, 10)},
		{"EXPORT_FROM", exportFrom.In(stockholm).AddDate(0, 0, 1).Format(time.DateOnly)},
	} {
		fmt.Fprintf(p, "%s=%s\n", kv[0], kv[1])
	}
	return nil
}
