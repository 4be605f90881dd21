package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// The Dashboard's numbers are sums over a customer's completed cases. Each
// case row carries its own share (work orders, costs per kind, lead-time
// bin, repeat fault) and dashboard_rollup holds the sums per period and
// key. Every write that can move a completed case's share goes through
// changeCase, which takes the case's share out of the rollup before the
// change and puts the new one in after it, in the same transaction; so
// the rollup always equals a recomputation from the cases (tested after
// random sequences of changes on both databases).

// ErrBadDashboard means a Dashboard query has no bars to show (a day, which
// is a list) or a level the store does not know; the web layer validates
// before asking, so it means a bug.
var ErrBadDashboard = errors.New("store: no such dashboard level")

// share is what one completed case adds to the rollup.
type share struct {
	customerID                 int64
	completed                  time.Time
	city, cityKey              string
	street, streetKey          string
	kind, kindKey              string
	brand, brandKey            string
	ref, refKey                string
	bin                        int
	repeat                     bool
	workOrders                 int64
	labour, part, travel, fees int64
}

const shareColumns = `c.customer_id, c.completed_at, c.city, c.city_key, c.street, c.street_key,
	c.asset_kind, c.kind_key, c.asset_brand, c.brand_key, c.invoice_reference, c.ref_key,
	COALESCE(c.lead_bin, 0), c.repeat_fault, c.work_order_count, c.labour_ore, c.part_ore, c.travel_ore, c.fee_ore`

// returningShare is shareColumns for a RETURNING clause, which SQLite
// will not let name the table's alias.
var returningShare = strings.ReplaceAll(shareColumns, "c.", "")

func scanShare(r rowScanner) (share, bool, error) {
	var s share
	var done sql.NullTime
	err := r.Scan(&s.customerID, &done, &s.city, &s.cityKey, &s.street, &s.streetKey,
		&s.kind, &s.kindKey, &s.brand, &s.brandKey, &s.ref, &s.refKey,
		&s.bin, &s.repeat, &s.workOrders, &s.labour, &s.part, &s.travel, &s.fees)
	s.completed = done.Time
	return s, done.Valid, err
}

// shareOf is the case's current share; ok is false for a case that is not
// completed (and so adds nothing).
func (tx *Tx) shareOf(ctx context.Context, caseID int64) (s share, ok bool, err error) {
	s, ok, err = scanShare(tx.queryRow(ctx, `SELECT `+shareColumns+` FROM cases c WHERE c.id = ?`, caseID))
	if err != nil {
		return s, false, fmt.Errorf("store: dashboard share of case %d: %w", caseID, tx.d.mapErr(err))
	}
	return s, ok, nil
}

// changedCase is a case a transaction changed, and its share before.
type changedCase struct {
	id     int64
	before share
	was    bool
	// fresh is a case the transaction created, not completed, and has
	// not changed since: its totals are the columns' zero defaults and
	// it has no share, so there is nothing to settle.
	fresh    bool
	customer int64 // a fresh case's customer
}

// changeCase runs fn, a change to the case with id, and has the case's
// totals and the rollup follow before the transaction commits. A case
// changed several times in one transaction (filed, planned, completed,
// costed) is settled once.
func (tx *Tx) changeCase(ctx context.Context, caseID int64, fn func() error) error {
	switch i := slices.IndexFunc(tx.changed, func(c changedCase) bool { return c.id == caseID }); {
	case i < 0:
		before, was, err := tx.shareOf(ctx, caseID)
		if err != nil {
			return err
		}
		tx.changed = append(tx.changed, changedCase{id: caseID, before: before, was: was})
	case tx.changed[i].fresh:
		// Created in this transaction with no share (was is false):
		// settled like any other case from here on.
		tx.changed[i].fresh = false
	}
	return fn()
}

// settleChanged settles every case the transaction changed.
func (tx *Tx) settleChanged(ctx context.Context) error {
	for _, c := range tx.changed {
		if c.fresh {
			tx.touch(c.customer)
			continue
		}
		if err := tx.settleCase(ctx, c.id, c.before, c.was); err != nil {
			return err
		}
	}
	tx.changed = nil
	return nil
}

// settleCase brings the case's totals up to date and moves its share in
// the rollup from before (if it was completed) to what it is now.
func (tx *Tx) settleCase(ctx context.Context, caseID int64, before share, was bool) error {
	after, is, err := tx.refreshCase(ctx, caseID)
	if err != nil {
		return err
	}
	tx.touch(after.customerID)
	if was == is && before == after {
		return nil
	}
	if was {
		if err := tx.addShare(ctx, before, -1); err != nil {
			return err
		}
	}
	if is {
		if err := tx.addShare(ctx, after, +1); err != nil {
			return err
		}
	}
	return nil
}

// refreshCase recomputes the case's own sums from its work orders and
// cost lines, and its lead-time bin from its times, and returns its share
// as it now is; one statement unless the bin moved.
func (tx *Tx) refreshCase(ctx context.Context, caseID int64) (share, bool, error) {
	var registered time.Time
	var stored sql.NullInt64
	s, ok, err := scanShare(multiScanner{r: tx.queryRow(ctx, `
		UPDATE cases AS c SET
			work_order_count = (SELECT count(*) FROM work_orders w WHERE w.case_id = c.id AND w.status <> 'cancelled'),
			(labour_ore, part_ore, travel_ore, fee_ore) = (
				SELECT COALESCE(sum(CASE WHEN l.kind = 'labour' THEN l.amount_ore END), 0),
					COALESCE(sum(CASE WHEN l.kind = 'part' THEN l.amount_ore END), 0),
					COALESCE(sum(CASE WHEN l.kind = 'travel' THEN l.amount_ore END), 0),
					COALESCE(sum(CASE WHEN l.kind = 'fee' THEN l.amount_ore END), 0)
				FROM cost_lines l
				JOIN work_orders w ON w.id = l.work_order_id
				WHERE w.case_id = c.id AND l.customer_visible)
		WHERE c.id = ?
		RETURNING `+returningShare+`, registered_at, lead_bin`, caseID), last: []any{&registered, &stored}})
	if err != nil {
		return s, false, fmt.Errorf("store: case totals %d: %w", caseID, tx.d.mapErr(err))
	}
	var bin sql.NullInt64
	if ok {
		bin = sql.NullInt64{Int64: int64(repair.LeadBin(s.completed.Sub(registered))), Valid: true}
		s.bin = int(bin.Int64)
	}
	if bin != stored {
		if err := tx.exec(ctx, `UPDATE cases SET lead_bin = ? WHERE id = ?`, bin, caseID); err != nil {
			return s, false, fmt.Errorf("store: case totals %d: %w", caseID, err)
		}
	}
	return s, ok, nil
}

// rollupRow is one dashboard_rollup key a share adds to.
type rollupRow struct {
	dim, period, key1, key2, label1, label2 string
}

// rows lists the rollup keys s adds to: one per dimension.
func (s share) rows() []rollupRow {
	t := s.completed.In(repair.Stockholm)
	y, m, d := t.Format("2006"), t.Format("2006-01"), t.Format(time.DateOnly)
	return []rollupRow{
		{dim: "y", period: y},
		{dim: "m", period: m},
		{dim: "w", period: repair.PeriodOf(repair.PeriodWeek, t).String()},
		{dim: "d", period: d},
		{dim: "city_y", period: y, key1: s.cityKey, label1: s.city},
		{dim: "city_m", period: m, key1: s.cityKey, label1: s.city},
		{dim: "street_y", period: y, key1: s.cityKey, key2: s.streetKey, label1: s.city, label2: s.street},
		{dim: "kind_y", period: y, key1: s.kindKey, label1: s.kind},
		{dim: "kind_m", period: m, key1: s.kindKey, label1: s.kind},
		{dim: "brand_y", period: y, key1: s.kindKey, key2: s.brandKey, label1: s.kind, label2: s.brand},
		{dim: "brand_m", period: m, key1: s.kindKey, key2: s.brandKey, label1: s.kind, label2: s.brand},
		{dim: "ref_y", period: y, key1: s.refKey, label1: s.ref},
		{dim: "ref_m", period: m, key1: s.refKey, label1: s.ref},
	}
}

// addShare adds sign × s to the rollup in one statement, and deletes the
// rows a removal left without cases.
func (tx *Tx) addShare(ctx context.Context, s share, sign int64) error {
	rows := s.rows()
	var values, keys []string
	var args, keyArgs []any
	repeat := int64(0)
	if s.repeat {
		repeat = 1
	}
	for _, r := range rows {
		values = append(values, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, s.customerID, r.dim, r.period, r.key1, r.key2, s.bin, r.label1, r.label2,
			sign, sign*repeat, sign*s.workOrders, sign*s.labour, sign*s.part, sign*s.travel, sign*s.fees)
		// Typed, for PostgreSQL, which reads bare VALUES parameters as text.
		keys = append(keys, "(CAST(? AS BIGINT), ?, ?, ?, ?, CAST(? AS BIGINT))")
		keyArgs = append(keyArgs, s.customerID, r.dim, r.period, r.key1, r.key2, s.bin)
	}
	if err := tx.exec(ctx, `
		INSERT INTO dashboard_rollup (customer_id, dim, period, key1, key2, bin, label1, label2,
			cases, repeats, work_orders, labour_ore, part_ore, travel_ore, fee_ore)
		VALUES `+strings.Join(values, ", ")+`
		ON CONFLICT (customer_id, dim, period, key1, key2, bin) DO UPDATE SET
			label1 = excluded.label1,
			label2 = excluded.label2,
			cases = dashboard_rollup.cases + excluded.cases,
			repeats = dashboard_rollup.repeats + excluded.repeats,
			work_orders = dashboard_rollup.work_orders + excluded.work_orders,
			labour_ore = dashboard_rollup.labour_ore + excluded.labour_ore,
			part_ore = dashboard_rollup.part_ore + excluded.part_ore,
			travel_ore = dashboard_rollup.travel_ore + excluded.travel_ore,
			fee_ore = dashboard_rollup.fee_ore + excluded.fee_ore`, args...); err != nil {
		return fmt.Errorf("store: dashboard rollup: %w", err)
	}
	if sign > 0 {
		return nil
	}
	if err := tx.exec(ctx, `
		DELETE FROM dashboard_rollup
		WHERE cases = 0
		  AND (customer_id, dim, period, key1, key2, bin) IN (VALUES `+strings.Join(keys, ", ")+`)`, keyArgs...); err != nil {
		return fmt.Errorf("store: dashboard rollup: %w", err)
	}
	return nil
}

// caseKeys sets the case's folded Ort and its machine's Objekttyp and
// Fabrikat, as filing a case or changing a machine leaves them.
func (tx *Tx) caseKeys(ctx context.Context, caseID int64) error {
	var city, kind, brand string
	if err := tx.queryRow(ctx, `
		SELECT c.city, COALESCE(a.kind, ''), COALESCE(a.brand, '')
		FROM cases c
		LEFT JOIN assets a ON a.id = c.asset_id
		WHERE c.id = ?`, caseID).Scan(&city, &kind, &brand); err != nil {
		return fmt.Errorf("store: case keys %d: %w", caseID, tx.d.mapErr(err))
	}
	if err := tx.exec(ctx, `
		UPDATE cases SET city_key = ?, asset_kind = ?, asset_brand = ?, kind_key = ?, brand_key = ?
		WHERE id = ?`, Fold(city), kind, brand, Fold(kind), Fold(brand), caseID); err != nil {
		return fmt.Errorf("store: case keys %d: %w", caseID, err)
	}
	return nil
}

// RebuildDashboard recomputes every case's keys and totals and the whole
// rollup from the cases, work orders and cost lines: after the migration
// that introduced them, and as the reference a test compares with.
func (tx *Tx) RebuildDashboard(ctx context.Context) error {
	if err := tx.exec(ctx, `DELETE FROM dashboard_rollup`); err != nil {
		return fmt.Errorf("store: rebuild dashboard: %w", err)
	}
	var last int64
	for {
		rows, err := tx.query(ctx, `SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT 1000`, last)
		ids, err := collect(rows, err, func(r rowScanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return fmt.Errorf("store: rebuild dashboard: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		for _, id := range ids {
			if err := tx.caseKeys(ctx, id); err != nil {
				return err
			}
			s, ok, err := tx.refreshCase(ctx, id)
			if err != nil {
				return err
			}
			if ok {
				if err := tx.addShare(ctx, s, +1); err != nil {
					return err
				}
			}
		}
		last = ids[len(ids)-1]
	}
}

// filterKey is the folded key a filter value matches; NoValue matches the
// empty key.
func filterKey(v string) string {
	if v == repair.NoValue {
		return ""
	}
	return Fold(v)
}

// Dashboard returns the bars of q for the customer whose scope this is, in
// order: periods in time order (every period of the range, empty ones
// too), other keys by label. Only a customer's own scope has a dashboard;
// any other gets none. The bars are kept until the next change to the
// customer's cases (countcache.go): a page shows a period and the one
// before it, and the customer's users look at the same few.
func (db *DB) Dashboard(ctx context.Context, scope repair.Scope, q repair.DashboardQuery) ([]repair.Bucket, error) {
	customer := scope.Customer()
	if customer == 0 {
		return nil, fmt.Errorf("store: dashboard: %w", repair.ErrNotFound)
	}
	level := q.Level()
	if level == "" {
		return nil, fmt.Errorf("store: dashboard: no level below %s: %w", q.Period, ErrBadDashboard)
	}
	q.Measure = "" // every bar has every measure
	key, version, now := fmt.Sprintf("%d|%+v", customer, q), db.changes.version(scope), db.now()
	if bars, ok := db.dashboards.get(key, version, now); ok {
		return cloneBars(bars), nil
	}
	bars, err := db.dashboard(ctx, customer, q, level)
	if err != nil {
		return nil, err
	}
	db.dashboards.put(key, bars, version, now)
	return cloneBars(bars), nil
}

// cloneBars is a copy of kept bars for a caller to change (their
// lead-time histograms are arrays, copied with them).
func cloneBars(bars []repair.Bucket) []repair.Bucket { return slices.Clone(bars) }

func (db *DB) dashboard(ctx context.Context, customer int64, q repair.DashboardQuery, level repair.Level) ([]repair.Bucket, error) {
	if level.Time() {
		return db.dashboardTime(ctx, customer, q, level)
	}
	if dim, ok := rollupDim(level, q.Period.Kind); ok {
		return db.dashboardRollup(ctx, customer, q, level, dim)
	}
	return db.dashboardDirect(ctx, customer, q, level)
}

// rollupDim is the rollup dimension that answers level for a period of
// kind k, if there is one; the rest is summed from the cases themselves,
// which is fast there because those levels are narrow (one street's
// machines, one day's cases).
func rollupDim(level repair.Level, k repair.PeriodKind) (string, bool) {
	grain := map[repair.PeriodKind]string{repair.PeriodAll: "_y", repair.PeriodYear: "_y", repair.PeriodMonth: "_m"}[k]
	if grain == "" {
		return "", false
	}
	switch level {
	case repair.LevelCity:
		return "city" + grain, true
	case repair.LevelStreet:
		return "street_y", grain == "_y"
	case repair.LevelKind:
		return "kind" + grain, true
	case repair.LevelBrand:
		return "brand" + grain, true
	case repair.LevelReference:
		return "ref" + grain, true
	}
	return "", false
}

const rollupSums = `sum(r.cases), sum(r.repeats), sum(r.work_orders),
	sum(r.labour_ore), sum(r.part_ore), sum(r.travel_ore), sum(r.fee_ore)`

// bucketSet collects rows into buckets by key.
type bucketSet struct {
	order []string
	by    map[string]*repair.Bucket
}

// get is the bucket of the folded key, named after label; NoValue where
// the key is empty.
func (s *bucketSet) get(key, label string) *repair.Bucket {
	if s.by == nil {
		s.by = map[string]*repair.Bucket{}
	}
	b, ok := s.by[key]
	if !ok {
		b = &repair.Bucket{Key: strings.TrimSpace(label), Label: strings.TrimSpace(label)}
		if key == "" {
			b.Key, b.Label = repair.NoValue, repair.NoValueLabel
		}
		s.by[key] = b
		s.order = append(s.order, key)
	}
	return b
}

// collectBuckets reads grouped rows of (key, label, bin, the seven sums)
// into buckets by key.
func collectBuckets(rows *sql.Rows, err error) ([]repair.Bucket, error) {
	if err != nil {
		return nil, fmt.Errorf("store: dashboard: %w", err)
	}
	defer rows.Close()
	var set bucketSet
	for rows.Next() {
		var key, label string
		var bin int
		var sums [7]int64
		if err := rows.Scan(&key, &label, &bin, &sums[0], &sums[1], &sums[2], &sums[3], &sums[4], &sums[5], &sums[6]); err != nil {
			return nil, fmt.Errorf("store: dashboard: %w", err)
		}
		scanSums(set.get(key, label), bin, sums)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: dashboard: %w", err)
	}
	return set.list(), nil
}

// scanSums adds one grouped row's sums, for lead-time bin, to b.
func scanSums(b *repair.Bucket, bin int, sums [7]int64) {
	b.Cases += sums[0]
	b.Repeats += sums[1]
	b.WorkOrders += sums[2]
	for i := range 4 {
		b.Costs[i] += sums[3+i]
	}
	b.Lead.Add(bin, sums[0])
}

func (s *bucketSet) list() []repair.Bucket {
	out := make([]repair.Bucket, 0, len(s.order))
	for _, k := range s.order {
		out = append(out, *s.by[k])
	}
	slices.SortStableFunc(out, func(a, b repair.Bucket) int {
		if (a.Key == repair.NoValue) != (b.Key == repair.NoValue) {
			if a.Key == repair.NoValue {
				return 1
			}
			return -1
		}
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
	return out
}

// periodRange is the rollup's period strings [from, to) for the days
// [start, end) at a dim of grain g ('y', 'm' or 'd'); ok is false for all
// time (zero start).
func periodRange(start, end time.Time, g byte) (from, to string, ok bool) {
	if start.IsZero() {
		return "", "", false
	}
	layout := map[byte]string{'y': "2006", 'm': "2006-01", 'd': time.DateOnly}[g]
	// Up to and including the period holding the last day: "2026-03" <
	// "2026-03~", and '~' sorts after every digit and '-'.
	return start.Format(layout), end.AddDate(0, 0, -1).Format(layout) + "~", true
}

// periodWhere is the condition on r.period for the days [start, end) at
// a dim of grain g: one period by equality, which the primary key serves
// directly, else a range; nothing for all time.
func periodWhere(start, end time.Time, g byte) ([]string, []any) {
	from, to, ok := periodRange(start, end, g)
	switch {
	case !ok:
		return nil, nil
	case to == from+"~":
		return []string{"r.period = ?"}, []any{from}
	}
	return []string{"r.period >= ?", "r.period < ?"}, []any{from, to}
}

func (db *DB) dashboardRollup(ctx context.Context, customer int64, q repair.DashboardQuery, level repair.Level, dim string) ([]repair.Bucket, error) {
	where := []string{"r.customer_id = ?", "r.dim = ?"}
	args := []any{customer, dim}
	keyCol, labelCol := "r.key1", "r.label1"
	switch level {
	case repair.LevelStreet:
		where, args = append(where, "r.key1 = ?"), append(args, filterKey(q.City))
		keyCol, labelCol = "r.key2", "r.label2"
	case repair.LevelBrand:
		where, args = append(where, "r.key1 = ?"), append(args, filterKey(q.Kind))
		keyCol, labelCol = "r.key2", "r.label2"
	}
	pw, pargs := periodWhere(q.Period.Start, q.Period.End(), dim[len(dim)-1])
	where, args = append(where, pw...), append(args, pargs...)
	rows, err := db.query(ctx, `
		SELECT `+keyCol+`, max(`+labelCol+`), r.bin, `+rollupSums+`
		FROM dashboard_rollup r
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY `+keyCol+`, r.bin`, args...)
	return collectBuckets(rows, err)
}

// dashboardDirect sums the level's bars from the completed cases that
// match q, through the completed-case indexes.
func (db *DB) dashboardDirect(ctx context.Context, customer int64, q repair.DashboardQuery, level repair.Level) ([]repair.Bucket, error) {
	where, args := dashboardWhere(customer, q)
	var keyCol, labelCol string
	switch level {
	case repair.LevelCity:
		keyCol, labelCol = "c.city_key", "max(c.city)"
	case repair.LevelStreet:
		keyCol, labelCol = "c.street_key", "max(c.street)"
	case repair.LevelKind:
		keyCol, labelCol = "c.kind_key", "max(c.asset_kind)"
	case repair.LevelBrand:
		keyCol, labelCol = "c.brand_key", "max(c.asset_brand)"
	case repair.LevelReference:
		keyCol, labelCol = "c.ref_key", "max(c.invoice_reference)"
	case repair.LevelAsset:
		return db.dashboardAssets(ctx, where, args)
	default:
		return nil, fmt.Errorf("store: dashboard: level %s: %w", level, ErrBadDashboard)
	}
	rows, err := db.query(ctx, `
		SELECT `+keyCol+`, `+labelCol+`, c.lead_bin, count(*),
			sum(CASE WHEN c.repeat_fault THEN 1 ELSE 0 END), sum(c.work_order_count),
			sum(c.labour_ore), sum(c.part_ore), sum(c.travel_ore), sum(c.fee_ore)
		FROM cases c
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY `+keyCol+`, c.lead_bin`, args...)
	return collectBuckets(rows, err)
}

// dashboardAssets sums the Objekt level's bars from the matching cases,
// one group per machine and bin on the covering index, and names the
// machines after grouping, so each case costs one index entry.
func (db *DB) dashboardAssets(ctx context.Context, where []string, args []any) ([]repair.Bucket, error) {
	rows, err := db.query(ctx, `
		SELECT COALESCE(a.number, ''), COALESCE(a.number, ''), x.lead_bin, x.n, x.repeats, x.work_orders, x.labour, x.part, x.travel, x.fees
		FROM (`+assetSums(where)+`) x
		LEFT JOIN assets a ON a.id = x.asset_id`, args...)
	return collectBuckets(rows, err)
}

// assetSums is the per-machine, per-bin sums of the cases matching where.
func assetSums(where []string) string {
	return `SELECT c.asset_id, c.lead_bin, count(*) AS n,
			sum(CASE WHEN c.repeat_fault THEN 1 ELSE 0 END) AS repeats, sum(c.work_order_count) AS work_orders,
			sum(c.labour_ore) AS labour, sum(c.part_ore) AS part, sum(c.travel_ore) AS travel, sum(c.fee_ore) AS fees
		FROM cases c
		WHERE ` + strings.Join(where, " AND ") + `
		GROUP BY c.asset_id, c.lead_bin`
}

// dashboardWhere is the WHERE clauses over cases c for the completed cases
// q counts: the same conditions Sök ärende applies to q.CaseFilter().
func dashboardWhere(customer int64, q repair.DashboardQuery) ([]string, []any) {
	f := q.CaseFilter()
	return caseFilterWhere(repair.CustomerScope(customer), f, resolved{})
}

// dashboardTime answers the time levels from the y, m and d rows: every
// year from the first completed case to the last, every month of a year,
// every ISO week of a year, every day of a month or week.
func (db *DB) dashboardTime(ctx context.Context, customer int64, q repair.DashboardQuery, level repair.Level) ([]repair.Bucket, error) {
	dim, kind := "y", repair.PeriodYear
	switch level {
	case repair.LevelMonth:
		dim, kind = "m", repair.PeriodMonth
	case repair.LevelWeek:
		dim, kind = "w", repair.PeriodWeek
	case repair.LevelDay:
		dim, kind = "d", repair.PeriodDay
	}
	start, end := q.Period.Start, q.Period.End()
	if level == repair.LevelWeek {
		// The ISO weeks of the year, which may begin in December before it
		// and end in January after it; 4 January is always in week 1.
		y := q.Period.Start.Year()
		start = repair.PeriodOf(repair.PeriodWeek, time.Date(y, 1, 4, 12, 0, 0, 0, repair.Stockholm)).Start
		end = repair.PeriodOf(repair.PeriodWeek, time.Date(y+1, 1, 4, 12, 0, 0, 0, repair.Stockholm)).Start
	}
	where := []string{"r.customer_id = ?", "r.dim = ?"}
	args := []any{customer, dim}
	pw, pargs := periodWhere(start, end, dim[0])
	if level == repair.LevelWeek {
		// The ISO weeks of the year: "2026-V01" to "2026-V53".
		y := strconv.Itoa(q.Period.Start.Year())
		pw, pargs = []string{"r.period >= ?", "r.period < ?"}, []any{y + "-V", y + "-V~"}
	}
	where, args = append(where, pw...), append(args, pargs...)
	// A time dim has one row per period and bin (its keys are empty), so
	// the rows are read as they are, in the primary key's order.
	rows, err := db.query(ctx, `
		SELECT r.period, r.bin, r.cases, r.repeats, r.work_orders,
			r.labour_ore, r.part_ore, r.travel_ore, r.fee_ore
		FROM dashboard_rollup r
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY r.period, r.key1, r.key2, r.bin`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard: %w", err)
	}
	defer rows.Close()
	var set bucketSet
	first, last := start, end
	var period, seen string
	var p repair.Period
	var b *repair.Bucket
	for rows.Next() {
		var bin int
		var sums [7]int64
		if err := rows.Scan(&period, &bin, &sums[0], &sums[1], &sums[2], &sums[3], &sums[4], &sums[5], &sums[6]); err != nil {
			return nil, fmt.Errorf("store: dashboard: %w", err)
		}
		if period == seen {
			scanSums(b, bin, sums)
			continue
		}
		seen = period
		if p, err = repair.ParsePeriod(period); err != nil {
			return nil, fmt.Errorf("store: dashboard: period %q: %w", period, err)
		}
		if q.Period.Kind == repair.PeriodAll {
			if first.IsZero() || p.Start.Before(first) {
				first = p.Start
			}
			if last.IsZero() || p.End().After(last) {
				last = p.End()
			}
		}
		bp := repair.PeriodOf(kind, p.Start)
		b = set.get(bp.String(), bp.Label())
		b.Key = bp.String()
		scanSums(b, bin, sums)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: dashboard: %w", err)
	}
	// Every period of the span in order, the empty ones too: a month
	// without completed cases is a zero bar, not a gap.
	var out []repair.Bucket
	for t := first; !first.IsZero() && t.Before(last); t = repair.PeriodOf(kind, t).End() {
		p := repair.PeriodOf(kind, t)
		if b, ok := set.by[p.String()]; ok {
			out = append(out, *b)
			continue
		}
		out = append(out, repair.Bucket{Key: p.String(), Label: p.Label()})
	}
	return out, nil
}

// rollupCount counts the cases matching f from the Dashboard's sums, if f
// is a filter the Dashboard can answer: completed cases in a whole period
// (or all time), by Ort and Gata, or by Objekttyp and Fabrikat, or by
// Fakturamärkning, and nothing else. ok is false for any other filter.
func (db *DB) rollupCount(ctx context.Context, scope repair.Scope, f repair.CaseFilter) (n int, ok bool, err error) {
	completed := f.Completed || f.Sort == repair.SortCompleted || !f.CompletedFrom.IsZero() || !f.CompletedTo.IsZero()
	// Only the filters the rollup has keys for, and how the list is paged;
	// any other filter, including one added later, means no.
	rest := f
	rest.City, rest.Street, rest.StreetExact, rest.Kind, rest.Brand, rest.InvoiceReference = "", "", false, "", "", ""
	rest.Completed, rest.CompletedFrom, rest.CompletedTo, rest.Repeat = false, time.Time{}, time.Time{}, false
	rest.Sort, rest.Asc, rest.Cursor, rest.Before, rest.Limit, rest.NoCount = "", false, "", false, 0, false
	if scope.Customer() == 0 || !completed || !reflect.DeepEqual(rest, repair.CaseFilter{}) || (f.Street != "" && !f.StreetExact) {
		return 0, false, nil
	}
	place, machine, ref := f.City != "" || f.Street != "", f.Kind != "" || f.Brand != "", f.InvoiceReference != ""
	if place && machine || ref && (place || machine) || f.Street != "" && f.City == "" || f.Brand != "" && f.Kind == "" {
		return 0, false, nil
	}
	q := repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupPlace, City: f.City, Street: f.Street}
	switch {
	case machine:
		q = repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupMachine, Kind: f.Kind, Brand: f.Brand}
	case ref:
		q = repair.DashboardQuery{Measure: repair.MeasureCases, Grouping: repair.GroupReference}
	}
	switch {
	case f.CompletedFrom.IsZero() && f.CompletedTo.IsZero():
	case f.CompletedFrom.IsZero() || f.CompletedTo.IsZero():
		return 0, false, nil
	default:
		for _, k := range []repair.PeriodKind{repair.PeriodYear, repair.PeriodMonth, repair.PeriodWeek, repair.PeriodDay} {
			if p := repair.PeriodOf(k, f.CompletedFrom); p.Start.Equal(f.CompletedFrom) && p.End().Equal(f.CompletedTo) {
				q.Period = p
				break
			}
		}
		if q.Period.Kind == repair.PeriodAll {
			return 0, false, nil
		}
	}
	bars, err := db.Dashboard(ctx, scope, q)
	if err != nil {
		return 0, false, err
	}
	var sum int64
	for _, b := range bars {
		if ref && filterKey(b.Key) != filterKey(f.InvoiceReference) {
			continue
		}
		if f.Repeat {
			sum += b.Repeats
		} else {
			sum += b.Cases
		}
	}
	return int(sum), true, nil
}
