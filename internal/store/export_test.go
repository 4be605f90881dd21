package store

import (
	"context"
	"fmt"

	"kundportal/internal/repair"
)

// ExecSQL runs raw SQL on the writer, with ? placeholders, for tests that
// must do what no store method does (such as trying to change the seal
// log).
func ExecSQL(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.d.rebind(q), args...)
	return err
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

// QueryRows runs a query on the readers, with ? placeholders, and gives
// each row as its columns printed with %v, separated by " | ".
func QueryRows(ctx context.Context, db *DB, q string, args ...any) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, db.d.rebind(q), args...)
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
