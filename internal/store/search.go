package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// CountCap bounds the exact count of a search: past it the page says "fler
// än 10 000", because counting a million rows costs more than the page.
const CountCap = 10000

// countCap is CountCap, lowered by tests.
var countCap = CountCap

// ErrBadCursor means a page cursor was not made by this store (edited,
// truncated or from another sort order).
var ErrBadCursor = errors.New("store: bad page cursor")

// maxSearchWords bounds the free-text words that each add a LIKE
// (searchWords).
const maxSearchWords = 5

// SearchCases runs a Sök ärende search: the filters of f, one page in f's
// sort order, with cursors for the pages around it and a capped count.
// Each filter is served by an index that ends in the sort order, so a page
// costs the same at page 1 and page 10 000.
func (db *DB) SearchCases(ctx context.Context, scope repair.Scope, f repair.CaseFilter) (repair.CaseResult, error) {
	var res repair.CaseResult
	if f.Sort == "" {
		f.Sort = repair.SortRegistered
	}
	if !f.Sort.Valid() {
		return res, fmt.Errorf("store: search cases: sort %q: %w", f.Sort, ErrBadCursor)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	r, err := db.resolve(ctx, scope, f)
	if err != nil {
		return res, err
	}
	// The count comes first: Fritext's plan follows from it, and a later
	// page shows its first page's count (countcache.go). Exports, which
	// show none, count once for the plan all the same.
	var e countEntry
	if !f.NoCount || r.textIndex {
		if e, err = db.keptCount(ctx, scope, f, r); err != nil {
			return res, err
		}
	}
	if !f.NoCount {
		res.Total, res.Capped = e.total, e.capped
	}
	// Few matches come from the text index and are sorted; many are
	// found faster by reading the cases in order or, on SQLite, newest
	// first through the index (searchtext.go).
	var cases []repair.Case
	if r.textIndex && (e.capped || e.total > textIndexMax) {
		cases, err = db.manyTextMatches(ctx, scope, f, r, e.total)
	} else {
		cases, err = db.searchPage(ctx, scope, f, r)
	}
	if err != nil {
		return res, err
	}
	more := len(cases) > f.Limit
	if more {
		cases = cases[:f.Limit]
	}
	if f.Before {
		slices.Reverse(cases)
	}
	res.Cases = cases
	if len(cases) > 0 {
		first, last := encodeCursor(f.Sort, cases[0]), encodeCursor(f.Sort, cases[len(cases)-1])
		switch {
		case f.Before:
			res.Next = last
			if more {
				res.Prev = first
			}
		default:
			if more {
				res.Next = last
			}
			if f.Cursor != "" {
				res.Prev = first
			}
		}
	}
	return res, nil
}

// searchPage reads one page of f, resolved as r, and the row after it.
func (db *DB) searchPage(ctx context.Context, scope repair.Scope, f repair.CaseFilter, r resolved) ([]repair.Case, error) {
	q, args, err := pageQuery(scope, f, r)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, q, args...)
	cases, err := collectN(rows, err, f.Limit+1, newCaseScanner().scan)
	if err != nil {
		return nil, fmt.Errorf("store: search cases: %w", err)
	}
	return cases, nil
}

// CountCases counts the cases matching f's filters, up to CountCap (capped
// then says there are more), or exactly when the Dashboard's rollup can
// answer the filter or it names one machine: the count Sök ärende and the
// queues show. It is kept as the search's count is (the same entry as
// the search of f): the office's Inkorg counts six queues on every visit,
// a count of up to CountCap index entries each.
func (db *DB) CountCases(ctx context.Context, scope repair.Scope, f repair.CaseFilter) (total int, capped bool, err error) {
	r, err := db.resolve(ctx, scope, f)
	if err != nil {
		return 0, false, err
	}
	e, err := db.keptCount(ctx, scope, f, r)
	return e.total, e.capped, err
}

// keptCount is countCases, kept until scope's next change (countcache.go).
func (db *DB) keptCount(ctx context.Context, scope repair.Scope, f repair.CaseFilter, r resolved) (countEntry, error) {
	// The version is read before counting: a change committed meanwhile
	// then outdates what this count finds.
	key, version, now := countKey(scope, f), db.changes.version(scope), db.now()
	if e, ok := db.counts.get(key, version, now); ok {
		return e, nil
	}
	var e countEntry
	var err error
	if e.total, e.capped, err = db.countCases(ctx, scope, f, r); err != nil {
		return e, err
	}
	db.counts.put(key, e, version, now)
	return e, nil
}

// resolve works out what f's query needs first: the streets its Gata
// prefix stands for, if few enough to merge, and whether its Fritext can
// use the text index.
func (db *DB) resolve(ctx context.Context, scope repair.Scope, f repair.CaseFilter) (resolved, error) {
	streets, merge, err := db.streetKeys(ctx, scope, f, maxMergedStreets)
	if err != nil || !merge {
		streets = nil
	}
	return resolved{streets: streets, textIndex: db.textIndexed(f), postgres: db.d.name == "postgres"}, err
}

// countCases is CountCases with f resolved. Fritext is counted through
// the text index wherever there is one (searchtext.go), whatever plan
// the page then takes.
func (db *DB) countCases(ctx context.Context, scope repair.Scope, f repair.CaseFilter, r resolved) (total int, capped bool, err error) {
	limit := countCap + 1
	if f.AssetNumber != "" {
		// One machine's cases are few enough to count them all, and
		// those on no machine are counted on an index alone
		// (asset_id IS NULL), so an Objekt bar's list says its number.
		limit = math.MaxInt32
	}
	where, args := caseFilterWhere(scope, f, r)
	if err := db.queryRow(ctx, `
		SELECT count(*) FROM (
			SELECT 1
			FROM cases c
			WHERE `+strings.Join(where, "\n\t\t\t  AND ")+`
			`+limitRows(limit)+`
		) x`, args...).Scan(&total); err != nil {
		return 0, false, fmt.Errorf("store: count cases: %w", err)
	}
	if f.AssetNumber != "" || total <= countCap {
		return total, false, nil
	}
	// The cases behind a Dashboard bar are counted exactly by the rollup,
	// so the list says the bar's number even when it is large.
	n, ok, err := db.rollupCount(ctx, scope, f)
	switch {
	case err != nil:
		return 0, false, err
	case ok:
		return n, false, nil
	}
	return countCap, true, nil
}

// pageQuery is the SQL and arguments that read one page of a search, in
// f's order from f's cursor, one row more than the page to tell whether
// another follows. streets are the streets f's Gata prefix stands for,
// if it was resolved.
func pageQuery(scope repair.Scope, f repair.CaseFilter, r resolved) (string, []any, error) {
	streets := r.streets
	col := "c.registered_at"
	switch f.Sort {
	case repair.SortNumber:
		col = "c.number"
	case repair.SortCompleted:
		col = "c.completed_at"
	}
	// Walking backwards (to the previous page) reverses the order and the
	// comparison; SearchCases flips the rows back.
	desc := !f.Asc != f.Before
	var cursorCond []string
	var cursorArgs []any
	if f.Cursor != "" {
		v, id, err := decodeCursor(f.Sort, f.Cursor)
		if err != nil {
			return "", nil, err
		}
		op := ">"
		if desc {
			op = "<"
		}
		cursorCond = []string{"(" + col + ", c.id) " + op + " (?, ?)"}
		cursorArgs = []any{v, id}
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	order := col + " " + dir + ", c.id " + dir
	if singlePass(f, r) && r.textBudget > 0 {
		// Of the first textBudget cases in order, the first that hold
		// the words: the derived table c is read as it comes, in its
		// order, and the read ends with the page.
		noText := f
		noText.Text = ""
		where, args := caseFilterWhere(scope, noText, r)
		text, textArgs := rowText(f.Text)
		args = append(append(args, cursorArgs...), r.textBudget)
		args = append(args, textArgs...)
		if r.postgres {
			// PostgreSQL reads a row whole for its text anyway, so the
			// page's rows are taken as they pass, not looked up again.
			return `
		SELECT ` + caseColumns + `
		FROM (
			SELECT c.*
			FROM cases c
			WHERE ` + strings.Join(append(where, cursorCond...), "\n\t\t\t  AND ") + `
			ORDER BY ` + order + `
			LIMIT ?
		) c
		` + caseAsset + `
		WHERE ` + strings.Join(text, " AND ") + `
		ORDER BY ` + order + `
		` + limitRows(f.Limit+1), args, nil
		}
		return `
		SELECT ` + caseColumns + caseFrom + `
		WHERE c.id IN (
			SELECT c.id FROM (
				SELECT c.id, c.search_text
				FROM cases c
				WHERE ` + strings.Join(append(where, cursorCond...), "\n\t\t\t\t  AND ") + `
				ORDER BY ` + order + `
				LIMIT ?
			) c
			WHERE ` + strings.Join(text, " AND ") + `
			` + limitRows(f.Limit+1) + `
		)
		ORDER BY ` + order + `
		` + limitRows(f.Limit+1), args, nil
	}
	if singlePass(f, r) && r.textIndex && r.postgres {
		// The few cases that hold the words, all found first (through
		// the trigram index) and sorted: MATERIALIZED, and the order by
		// the derived table's own column, keep PostgreSQL's planner from
		// reading the customer's cases in order instead, which for
		// words of the older cases alone goes through all of them.
		where, args := caseFilterWhere(scope, f, r)
		k := "p.k " + dir + ", p.id " + dir
		return `
		WITH m AS MATERIALIZED (
			SELECT c.id, ` + col + ` AS k
			FROM cases c
			WHERE ` + strings.Join(append(where, cursorCond...), "\n\t\t\t  AND ") + `
		)
		SELECT ` + caseColumns + `
		FROM (SELECT p.id, p.k FROM m p ORDER BY ` + k + ` ` + limitRows(f.Limit+1) + `) p
		JOIN cases c ON c.id = p.id
		` + caseAsset + `
		ORDER BY ` + k, append(args, cursorArgs...), nil
	}
	if singlePass(f, r) {
		where, args := caseFilterWhere(scope, f, r)
		return `
		SELECT ` + caseColumns + caseFrom + `
		WHERE ` + strings.Join(append(where, cursorCond...), "\n\t\t  AND ") + `
		ORDER BY ` + order + `
		` + limitRows(f.Limit+1), append(args, cursorArgs...), nil
	}
	// Several statuses or streets: a plain "status IN (...)" makes the
	// database either sort every older match or walk the customer's whole
	// list filtering. Instead each status's and each street's own index
	// (customer, status or street, registered_at) gives its first rows in
	// order, and only those few are merged.
	one := f
	one.Statuses, one.Street = nil, ""
	base, baseArgs := caseFilterWhere(scope, one, resolved{textIndex: r.textIndex})
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = []repair.Status{""}
	}
	if len(streets) == 0 {
		streets = []string{""}
		if f.Street != "" {
			// Not a prefix merged here (quoted, or "-"): as it stands.
			where, args := caseFilterWhere(scope, repair.CaseFilter{Street: f.Street, StreetExact: f.StreetExact}, resolved{})
			base, baseArgs = append(base, where[1:]...), append(baseArgs, args...)
		}
	}
	var parts []string
	var args []any
	for _, st := range statuses {
		for _, street := range streets {
			where, partArgs := slices.Clone(base), slices.Clone(baseArgs)
			if st != "" {
				cond, statusArgs := statusIs("c.status", st)
				where, partArgs = append(where, cond), append(partArgs, statusArgs...)
			}
			if street != "" {
				where, partArgs = append(where, "c.street_name_key = ?"), append(partArgs, street)
			}
			parts = append(parts, fmt.Sprintf(`SELECT id, k FROM (
			SELECT c.id, %s AS k
			FROM cases c
			WHERE %s
			ORDER BY %s
			%s
		) s%d`, col, strings.Join(append(where, cursorCond...), " AND "), order, limitRows(f.Limit+1), len(parts)))
			args = append(append(args, partArgs...), cursorArgs...)
		}
	}
	// The parts' ids are merged by the order's column, which their index
	// holds, and only the page's cases are read: reading every part's
	// cases to sort them (the page's rows times the parts) was most of a
	// Gata prefix's time.
	k := "p.k " + dir + ", p.id " + dir
	return `
		SELECT ` + caseColumns + `
		FROM (
			SELECT p.id, p.k FROM (` + strings.Join(parts, "\n\t\tUNION ALL ") + `) p
			ORDER BY ` + k + `
			` + limitRows(f.Limit+1) + `
		) p
		JOIN cases c ON c.id = p.id
		` + caseAsset + `
		ORDER BY ` + k, args, nil
}

// resolved is what the store works out from a filter before it queries:
// the streets a Gata prefix stands for (nil: matched by range), and
// whether the Fritext words are found through the text index rather than
// by reading the cases in order (see searchtext.go).
type resolved struct {
	streets   []string
	textIndex bool
	// textBudget, when set, bounds how many cases a page reads in order
	// looking for the Fritext words.
	textBudget int
	// postgres: the text index is PostgreSQL's trigram index, which
	// LIKE uses by itself (searchtext.go).
	postgres bool
}

// singlePass reports whether a page of f is one read of an index in
// order, not several merged (statuses or streets).
func singlePass(f repair.CaseFilter, r resolved) bool {
	return len(f.Statuses) <= 1 && len(r.streets) <= 1
}

// caseFilterWhere turns the filters into WHERE clauses over cases c; the
// first is the scope's. streets, when set, are the streets f's Gata
// prefix was resolved into; without them the prefix is matched by range.
func caseFilterWhere(scope repair.Scope, f repair.CaseFilter, r resolved) ([]string, []any) {
	streets := r.streets
	where := []string{scopeCase(scope, "c")}
	var args []any
	if strings.TrimSpace(f.InvoiceReference) != "" {
		where = append(where, "c.ref_key = ?")
		args = append(args, filterKey(f.InvoiceReference))
	}
	switch n := strings.TrimSpace(f.AssetNumber); n {
	case "":
	case repair.NoValue:
		where = append(where, "c.asset_id IS NULL")
	default:
		where = append(where, "c.asset_id = (SELECT id FROM assets WHERE number = ?)")
		args = append(args, n)
	}
	if f.AssetID != 0 {
		where = append(where, "c.asset_id = ?")
		args = append(args, f.AssetID)
	}
	for _, eq := range []struct{ col, v string }{{"c.city_key", f.City}, {"c.kind_key", f.Kind}, {"c.brand_key", f.Brand}} {
		if strings.TrimSpace(eq.v) != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, filterKey(eq.v))
		}
	}
	switch prefix := streetPrefix(f); {
	case (f.StreetExact || f.Street == repair.NoValue) && strings.TrimSpace(f.Street) != "":
		// The whole address, apartment and all ("-": none).
		where = append(where, "c.street_key = ?")
		args = append(args, filterKey(f.Street))
	case len(streets) > 0:
		marks := placeholders(len(streets))
		where = append(where, "c.street_name_key IN ("+marks+")")
		for _, s := range streets {
			args = append(args, s)
		}
	case prefix != "":
		// A prefix as a range, which the (customer, street_name_key)
		// index serves on both databases (LIKE would not, on
		// PostgreSQL), though not in date order.
		where = append(where, byValue+"c.street_name_key >= ? AND c.street_name_key < ?")
		args = append(args, prefix, prefix+"\U0010FFFF")
	}
	if len(f.Statuses) > 0 {
		cond, statusArgs := statusIs("c.status", f.Statuses...)
		where, args = append(where, cond), append(args, statusArgs...)
	}
	if !f.From.IsZero() {
		where = append(where, "c.registered_at >= ?")
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where = append(where, "c.registered_at < ?")
		args = append(args, f.To.UTC())
	}
	if f.Completed || f.Sort == repair.SortCompleted || !f.CompletedFrom.IsZero() || !f.CompletedTo.IsZero() {
		where = append(where, "c.completed_at IS NOT NULL")
	}
	if !f.CompletedFrom.IsZero() {
		where = append(where, "c.completed_at >= ?")
		args = append(args, f.CompletedFrom.UTC())
	}
	if !f.CompletedTo.IsZero() {
		where = append(where, "c.completed_at < ?")
		args = append(args, f.CompletedTo.UTC())
	}
	if f.Repeat {
		where = append(where, "c.repeat_fault")
	}
	if f.CustomerNews {
		where = append(where, "c.customer_news_at IS NOT NULL")
	}
	if f.CustomerID != 0 {
		where = append(where, "c.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if f.TechnicianID != 0 {
		// The technician's work orders are few beside all cases: read them
		// by their index and look the cases up, rather than test every case.
		where = append(where, "c.id IN (SELECT w.case_id FROM work_orders w WHERE w.technician_id = ?)")
		args = append(args, f.TechnicianID)
	}
	if f.NoWorkOrder {
		where = append(where, "c.work_order_count = 0")
	}
	if !f.PlannedFrom.IsZero() && !f.PlannedTo.IsZero() {
		where = append(where, `c.id IN (SELECT w.case_id FROM work_orders w
			WHERE w.planned_start >= ? AND w.planned_start < ? AND w.status <> 'cancelled')`)
		args = append(args, f.PlannedFrom.UTC(), f.PlannedTo.UTC())
	}
	for _, w := range searchWords(f.Text) {
		if r.textIndex && !r.postgres && indexedWord(w) {
			where = append(where, textMatch)
			args = append(args, ftsPhrase(w), likeContains(w))
			continue
		}
		where = append(where, textLike)
		args = append(args, likeContains(w))
	}
	return where, args
}

// searchWords are the Fritext words a search reads: the first
// maxSearchWords of text's.
func searchWords(text string) []string {
	words := strings.Fields(text)
	return words[:min(len(words), maxSearchWords)]
}

// rowLike is the condition that case c's text holds a word, read from
// the row; textLike is the same where it also decides how the cases are
// found (byValue).
const (
	rowLike  = `c.search_text LIKE ? ESCAPE '\'`
	textLike = byValue + rowLike
)

// rowText is rowLike for each of text's words, with their patterns: the
// words of a read in order within a budget, which only filter the rows
// of its derived table, so the statement's plan holds for any words.
func rowText(text string) ([]string, []any) {
	var where []string
	var args []any
	for _, w := range searchWords(text) {
		where, args = append(where, rowLike), append(args, likeContains(w))
	}
	return where, args
}

// encodeCursor makes the cursor that continues from c in sort order s.
func encodeCursor(s repair.CaseSort, c repair.Case) string {
	v := c.Number
	switch s {
	case repair.SortRegistered:
		v = strconv.FormatInt(c.RegisteredAt.UTC().UnixMicro(), 10)
	case repair.SortCompleted:
		v = strconv.FormatInt(c.CompletedAt.UTC().UnixMicro(), 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(string(s) + "|" + v + "|" + strconv.FormatInt(c.ID, 10)))
}

func decodeCursor(s repair.CaseSort, cursor string) (any, int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) > 200 {
		return nil, 0, ErrBadCursor
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != string(s) {
		return nil, 0, ErrBadCursor
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return nil, 0, ErrBadCursor
	}
	if s == repair.SortNumber {
		return parts[1], id, nil
	}
	us, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil, 0, ErrBadCursor
	}
	return time.UnixMicro(us).UTC(), id, nil
}
