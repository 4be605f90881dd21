package store

import (
	"context"
	"path/filepath"
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
