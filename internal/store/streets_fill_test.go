package store

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kundportal/internal/repair"
)

// TestFillStreetNames: the migration's fill gives every case the key a new
// case gets when it is filed.
func TestFillStreetNames(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "fill.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	streets := []string{"Vasagatan 21, lgh 1102", "Åsgatan 12 uppg B", "", "Storgatan 5 2 tr", "ÄNGSVÄGEN 3"}
	if err := db.Update(ctx, func(tx *Tx) error {
		if err := tx.exec(ctx, `INSERT INTO customers (id, number, name, created_at) VALUES (1, 'K1', 'A', ?), (2, 'K2', 'B', ?)`, tx.now, tx.now); err != nil {
			return err
		}
		for i, s := range append(streets, streets...) {
			c := repair.Case{CustomerID: int64(1 + i%2), Type: repair.PortalCaseType, Title: "x", Street: s, RegisteredAt: time.Now()}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
		}
		return tx.exec(ctx, `UPDATE cases SET street_name_key = ''`)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.fillStreetNames(ctx) }); err != nil {
		t.Fatal(err)
	}
	rows, err := db.query(ctx, `SELECT street, street_name_key FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var street, key string
		if err := rows.Scan(&street, &key); err != nil {
			t.Fatal(err)
		}
		if want := streetNameKey(street); key != want {
			t.Errorf("%q: filled %q, want %q", street, key, want)
		}
		n++
	}
	if n != 2*len(streets) {
		t.Errorf("%d cases read, want %d", n, 2*len(streets))
	}
}

// TestMigrationRefreshesStatistics: a database analysed before an index
// existed gets that index's statistics when it is migrated, so the
// planner does not take the new index for every search of a customer.
func TestMigrationRefreshesStatistics(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stats.db")
	db, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		if err := tx.exec(ctx, `INSERT INTO customers (id, number, name, created_at) VALUES (1, 'K1', 'A', ?), (2, 'K2', 'B', ?)`, tx.now, tx.now); err != nil {
			return err
		}
		for i := range 3000 {
			c := repair.Case{CustomerID: int64(1 + i%2), Type: repair.PortalCaseType, Title: "x", Street: "Gata " + strconv.Itoa(i%40),
				RegisteredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// As a database analysed before migration 0010: statistics for every
	// index but the street one, and 0010 not yet applied.
	for _, q := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1 WHERE idx = 'cases_customer_street_name'`,
		`DELETE FROM schema_migrations WHERE name IN ('0011_case_text.sql', '0012_case_text_by_group.sql')`, `DROP TABLE cases_text`,
		`DROP TRIGGER cases_text_delete`, `DROP TRIGGER cases_text_update`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	db, err = OpenSQLite(ctx, path) // migrates 0011 and 0012 again
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM sqlite_stat1 WHERE idx = 'cases_customer_street_name'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the street index has %d statistics rows after the migration (%v), want 1", n, err)
	}
	q, args, err := pageQuery(repair.CustomerScope(1), repair.CaseFilter{Sort: repair.SortRegistered, Limit: 50}, resolved{})
	if err != nil {
		t.Fatal(err)
	}
	if plan := explain(t, db, q, args...); strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("a customer's newest cases are sorted, not read in index order:\n%s", plan)
	}
}
