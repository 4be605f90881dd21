package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

const assetColumns = `a.id, a.customer_id, a.contract_id, COALESCE(k.number, ''), a.number, a.kind, a.brand, a.model,
	a.serial_number, a.site_name, a.street, a.postal_code, a.city, a.location, a.installed_on, a.created_at`

const assetFrom = `
	FROM assets a
	LEFT JOIN contracts k ON k.id = a.contract_id`

func scanAsset(r rowScanner) (repair.Asset, error) {
	var a repair.Asset
	var contract sql.NullInt64
	err := r.Scan(&a.ID, &a.CustomerID, &contract, &a.ContractNumber, &a.Number, &a.Kind, &a.Brand, &a.Model,
		&a.SerialNumber, &a.SiteName, &a.Street, &a.PostalCode, &a.City, &a.Location, &a.InstalledOn, &a.CreatedAt)
	a.ContractID = contract.Int64
	return a, err
}

// CreateAsset inserts a and sets its ID. A duplicate asset number gives
// repair.ErrConflict.
func (tx *Tx) CreateAsset(ctx context.Context, a *repair.Asset) error {
	a.CreatedAt = tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO assets (customer_id, contract_id, number, kind, brand, model, serial_number,
			site_name, street, postal_code, city, location, installed_on, search_text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.CustomerID, nullID(a.ContractID), a.Number, a.Kind, a.Brand, a.Model, a.SerialNumber,
		a.SiteName, a.Street, a.PostalCode, a.City, a.Location, a.InstalledOn, assetSearchText(a), a.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: create asset %s: %w", a.Number, err)
	}
	a.ID = id
	return nil
}

// Asset returns the asset with id if scope may see it; otherwise
// repair.ErrNotFound, exactly as for a missing one.
func (db *DB) Asset(ctx context.Context, scope repair.Scope, id int64) (repair.Asset, error) {
	a, err := scanAsset(db.queryRow(ctx, `
		SELECT `+assetColumns+assetFrom+`
		WHERE a.id = ?
		  AND `+scopeAsset(scope, "a"), id))
	if err != nil {
		return a, fmt.Errorf("store: asset %d: %w", id, db.d.mapErr(err))
	}
	return a, nil
}

// assetSearchText is what an asset can be found by, folded for
// case-insensitive matching.
func assetSearchText(a *repair.Asset) string {
	return Fold(strings.Join([]string{a.Number, a.Kind, a.Brand, a.Model, a.SiteName, a.Street, a.City, a.Location}, " "))
}

// SearchAssets finds the assets scope may see whose number, kind, brand,
// model, site, street, city or placement contain every word of q, case
// and å/ä/ö insensitively, by asset number, at most limit. The customer
// index narrows the scan to one customer's machines (hundreds, not
// millions).
func (db *DB) SearchAssets(ctx context.Context, scope repair.Scope, q string, limit int) ([]repair.Asset, error) {
	return db.SearchAssetsAfter(ctx, scope, q, "", limit)
}

// SearchAssetsAfter is SearchAssets from the first asset numbered after
// after on (asset numbers are unique), so that an export reads a
// customer's tens of thousands of machines a page at a time, each page a
// short read through the customer's index in number order.
func (db *DB) SearchAssetsAfter(ctx context.Context, scope repair.Scope, q, after string, limit int) ([]repair.Asset, error) {
	where := []string{scopeAsset(scope, "a")}
	var args []any
	if after != "" {
		where = append(where, `a.number > ?`)
		args = append(args, after)
	}
	for i, w := range strings.Fields(q) {
		if i == 5 {
			break // more words add nothing but cost
		}
		where = append(where, byValue+`a.search_text LIKE ? ESCAPE '\'`)
		args = append(args, likeContains(w))
	}
	rows, err := db.query(ctx, `
		SELECT `+assetColumns+assetFrom+`
		WHERE `+strings.Join(where, "\n\t\t  AND ")+`
		ORDER BY a.number
		`+limitRows(limit), args...)
	out, err := collect(rows, err, scanAsset)
	if err != nil {
		return nil, fmt.Errorf("store: search assets: %w", err)
	}
	return out, nil
}

// AssetByNumber returns the asset with the asset number (as printed on its
// label) if scope may see it; otherwise repair.ErrNotFound.
func (db *DB) AssetByNumber(ctx context.Context, scope repair.Scope, number string) (repair.Asset, error) {
	a, err := scanAsset(db.queryRow(ctx, `
		SELECT `+assetColumns+assetFrom+`
		WHERE a.number = ?
		  AND `+scopeAsset(scope, "a"), strings.TrimSpace(number)))
	if err != nil {
		return a, fmt.Errorf("store: asset %q: %w", number, db.d.mapErr(err))
	}
	return a, nil
}

// AssetAction is an action in a machine's history, with the case and work
// order it belongs to.
type AssetAction struct {
	repair.Action
	CaseID          int64
	CaseNumber      string
	WorkOrderNumber string
}

// AssetActions lists the actions done on the asset's cases caseIDs (one
// page of its history) that scope may see (only customer-visible ones for
// a customer), newest first. The ids bound the list: a machine's whole
// history of actions grows with its age.
func (db *DB) AssetActions(ctx context.Context, scope repair.Scope, assetID int64, caseIDs []int64) ([]AssetAction, error) {
	if len(caseIDs) == 0 {
		return nil, nil
	}
	in, args := db.d.inIDs("w.case_id", caseIDs)
	rows, err := db.query(ctx, assetActionsQuery(scope, in), append(args, assetID)...)
	out, err := collect(rows, err, func(r rowScanner) (AssetAction, error) {
		var x AssetAction
		err := r.Scan(&x.ID, &x.WorkOrderID, &x.PerformedOn, &x.TechnicianName, &x.Description, &x.Minutes,
			&x.CustomerVisible, &x.CaseID, &x.CaseNumber, &x.WorkOrderNumber)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: asset actions: %w", err)
	}
	return out, nil
}

// assetActionsQuery reads the actions of the cases that the condition in
// on w.case_id names (dialect.inIDs: on PostgreSQL one statement for
// every length of a page), each case's work orders by work_orders_case
// and their actions by
// actions_work_order. That the cases are the machine's is checked on
// each (the unary + keeps SQLite from reading the machine's whole
// history through cases_asset_registered to find the page's cases:
// 286 µs against 132 µs for a page of 25 cases of a machine with 98).
func assetActionsQuery(scope repair.Scope, in string) string {
	return `
		SELECT a.id, a.work_order_id, a.performed_on, COALESCE(u.name, ''), a.description, a.minutes,
			a.customer_visible, c.id, c.number, w.number
		FROM actions a
		JOIN work_orders w ON w.id = a.work_order_id
		JOIN cases c ON c.id = w.case_id
		LEFT JOIN users u ON u.id = a.technician_id
		WHERE ` + in + `
		  AND +c.asset_id = ?
		  AND ` + scopeCaseWorkOrder(scope, "w", "c") + `
		  AND ` + scopeVisible(scope, "a.customer_visible") + `
		ORDER BY a.performed_on DESC, a.id DESC`
}

// AssetFigures are the figures above a machine's history, over all of it.
type AssetFigures struct {
	FaultsYear int   // cases registered after the given time, cancelled ones not counted
	TotalOre   int64 // the costs of every case, ex VAT
	// CostPerYear has every year (in Stockholm) in which a case was
	// registered, newest first, with the costs of that year's cases, 0
	// when there were none.
	CostPerYear []YearCost
}

// YearCost is the cost of the cases registered in a year.
type YearCost struct {
	Year      int
	AmountOre int64
}

// AssetFigures computes a machine's figures in SQL over the cases scope
// may see and their costs as the history shows them (only customer-visible
// costs for a customer, those of its own work orders for a technician):
// the faults registered after faultsSince, and the costs in all and per
// year of registration. The cases are read through cases_asset_registered
// and none is sent to Go. The figures are kept until the next change to
// the customer's cases (countcache.go): they cover the machine's whole
// life, which grows, and change only with its cases.
func (db *DB) AssetFigures(ctx context.Context, scope repair.Scope, assetID int64, faultsSince time.Time) (AssetFigures, error) {
	key, version, now := fmt.Sprintf("%+v|%d|%d", scope, assetID, faultsSince.UnixNano()), db.changes.version(scope), db.now()
	if f, ok := db.figures.get(key, version, now); ok {
		f.CostPerYear = slices.Clone(f.CostPerYear)
		return f, nil
	}
	f, err := db.assetFigures(ctx, scope, assetID, faultsSince)
	if err != nil {
		return f, err
	}
	db.figures.put(key, f, version, now)
	return f, nil
}

func (db *DB) assetFigures(ctx context.Context, scope repair.Scope, assetID int64, faultsSince time.Time) (AssetFigures, error) {
	var f AssetFigures
	if err := db.queryRow(ctx, assetFaultsQuery(scope),
		assetID, faultsSince.UTC()).Scan(&f.FaultsYear); err != nil {
		return f, fmt.Errorf("store: asset figures: faults: %w", err)
	}
	rows, err := db.query(ctx, assetYearsQuery, assetID, assetID)
	bounds, err := collect(rows, err, func(r rowScanner) (time.Time, error) {
		var t time.Time
		return t, r.Scan(&t)
	})
	if err != nil {
		return f, fmt.Errorf("store: asset figures: years: %w", err)
	}
	if len(bounds) != 2 {
		return f, nil // no cases
	}
	q, args := assetYearCostsQuery(scope, bounds[0], bounds[1])
	rows, err = db.query(ctx, q, append(args, assetID)...)
	f.CostPerYear, err = collect(rows, err, func(r rowScanner) (YearCost, error) {
		var y YearCost
		return y, r.Scan(&y.Year, &y.AmountOre)
	})
	if err != nil {
		return f, fmt.Errorf("store: asset figures: costs: %w", err)
	}
	for _, y := range f.CostPerYear {
		f.TotalOre += y.AmountOre
	}
	return f, nil
}

// assetFaultsQuery counts a machine's cases registered after a time and
// not cancelled: a range of cases_asset_registered.
func assetFaultsQuery(scope repair.Scope) string {
	return `
		SELECT count(*)
		FROM cases c
		WHERE c.asset_id = ?
		  AND c.registered_at > ?
		  AND c.status <> 'cancelled'
		  AND ` + scopeMachineCase(scope, "c")
}

// assetYearsQuery is a machine's first and last registration, each read
// from one end of cases_asset_registered. They only place the year
// boundaries of assetYearCostsQuery, so they need no scope. (Not min()
// and max(): an aggregate loses the column's type, and SQLite's driver
// then returns text.)
const assetYearsQuery = `
		SELECT registered_at FROM (
			SELECT c.registered_at FROM cases c WHERE c.asset_id = ? ORDER BY c.registered_at LIMIT 1
		) f
		UNION ALL
		SELECT registered_at FROM (
			SELECT c.registered_at FROM cases c WHERE c.asset_id = ? ORDER BY c.registered_at DESC LIMIT 1
		) l`

// assetYearCostsQuery sums a machine's costs per year of registration, for
// the years from first to last, with its arguments before the machine's
// id. A year in Stockholm is a range of instants, which both databases
// compare alike, where their date functions do not know time zones alike;
// the years are integers from Go, written into the SQL.
func assetYearCostsQuery(scope repair.Scope, first, last time.Time) (string, []any) {
	y0, y1 := first.In(repair.Stockholm).Year(), last.In(repair.Stockholm).Year()
	year := strconv.Itoa(y1)
	var args []any
	if y0 < y1 {
		var b strings.Builder
		b.WriteString("CASE")
		for y := y0; y < y1; y++ {
			fmt.Fprintf(&b, " WHEN c.registered_at < ? THEN %d", y)
			args = append(args, time.Date(y+1, 1, 1, 0, 0, 0, 0, repair.Stockholm).UTC())
		}
		fmt.Fprintf(&b, " ELSE %d END", y1)
		year = b.String()
	}
	return `
		SELECT ` + year + `, COALESCE(sum(l.amount_ore), 0)
		FROM cases c
		LEFT JOIN work_orders w ON w.case_id = c.id
		  AND ` + scopeCaseWorkOrder(scope, "w", "c") + `
		LEFT JOIN cost_lines l ON l.work_order_id = w.id
		  AND ` + scopeVisible(scope, "l.customer_visible") + `
		WHERE c.asset_id = ?
		  AND ` + scopeMachineCase(scope, "c") + `
		GROUP BY 1
		ORDER BY 1 DESC`, args
}

// UpdateAsset saves a machine's register fields (not its customer).
func (tx *Tx) UpdateAsset(ctx context.Context, a *repair.Asset) error {
	var kind, brand string
	if err := tx.queryRow(ctx, `SELECT kind, brand FROM assets WHERE id = ?`, a.ID).Scan(&kind, &brand); err != nil {
		return fmt.Errorf("store: update asset %s: %w", a.Number, tx.d.mapErr(err))
	}
	if err := tx.exec(ctx, `
		UPDATE assets
		SET contract_id = ?, number = ?, kind = ?, brand = ?, model = ?, serial_number = ?, site_name = ?,
			street = ?, postal_code = ?, city = ?, location = ?, installed_on = ?, search_text = ?
		WHERE id = ?`,
		nullID(a.ContractID), a.Number, a.Kind, a.Brand, a.Model, a.SerialNumber, a.SiteName,
		a.Street, a.PostalCode, a.City, a.Location, a.InstalledOn, assetSearchText(a), a.ID); err != nil {
		return fmt.Errorf("store: update asset %s: %w", a.Number, err)
	}
	if kind == a.Kind && brand == a.Brand {
		return nil
	}
	// The machine's cases are counted under its Objekttyp and Fabrikat;
	// a corrected register moves them, with their share of the Dashboard.
	rows, err := tx.query(ctx, `SELECT id FROM cases WHERE asset_id = ?`, a.ID)
	ids, err := collect(rows, err, func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("store: update asset %s: cases: %w", a.Number, err)
	}
	for _, id := range ids {
		if err := tx.changeCase(ctx, id, func() error { return tx.caseKeys(ctx, id) }); err != nil {
			return fmt.Errorf("store: update asset %s: %w", a.Number, err)
		}
	}
	return nil
}

// CountAssets counts a customer's machines that scope may see, through
// the customer index.
func (db *DB) CountAssets(ctx context.Context, scope repair.Scope, customerID int64) (int, error) {
	var n int
	if err := db.queryRow(ctx, `
		SELECT count(*)
		FROM assets a
		WHERE a.customer_id = ?
		  AND `+scopeAsset(scope, "a"), customerID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count assets: %w", err)
	}
	return n, nil
}
