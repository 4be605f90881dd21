package store_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

func TestSwedishOrder(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, n := range []string{"Örebro Bostäder", "Zeta AB", "Ängby Vård", "alfa AB", "Åkesson Fastigheter", "Bjäre"} {
			storetest.Customer(t, db, n)
		}
		cs, err := db.Customers(context.Background(), repair.StaffScope())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.Name)
		}
		want := []string{"alfa AB", "Bjäre", "Zeta AB", "Åkesson Fastigheter", "Ängby Vård", "Örebro Bostäder"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("Customers order = %q, want %q", got, want)
		}
	})
}

func TestSearchAssetsSwedish(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mine := storetest.Customer(t, db, "Mine")
		other := storetest.Customer(t, db, "Other")
		mk := func(cust int64, number, kind, brand, street string) {
			a := repair.Asset{CustomerID: cust, Number: number, Kind: kind, Brand: brand, Street: street, City: "Skövde"}
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateAsset(ctx, &a) }); err != nil {
				t.Fatal(err)
			}
		}
		mk(mine.ID, "100001", "Tvättmaskin", "Electrolux", "Åsgatan 3")
		mk(mine.ID, "100002", "Diskmaskin", "ASKO", "Ängsvägen 12 lgh 1102")
		mk(mine.ID, "100003", "Kyl", "Bosch", "Östra Torggatan 1")
		mk(other.ID, "200001", "Tvättmaskin", "Miele", "Åsgatan 5")
		tests := []struct {
			q    string
			want string
		}{
			{"åsgatan", "100001"},
			{"ÅSGATAN", "100001"},
			{"ängsväg", "100002"},
			{"ÖSTRA", "100003"},
			{"tvättmaskin", "100001"},
			{"TVÄTT electrolux", "100001"},
			{"asko 1102", "100002"},
			{"10000", "100001 100002 100003"},
			{"skövde", "100001 100002 100003"},
			{"miele", ""}, // another customer's machine
			{"100%", ""},  // LIKE wildcards are literal
			{"_", ""},
			{"", "100001 100002 100003"},
		}
		for _, tt := range tests {
			as, err := db.SearchAssets(ctx, repair.CustomerScope(mine.ID), tt.q, 50)
			if err != nil {
				t.Fatalf("SearchAssets(%q): %v", tt.q, err)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.Number)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("SearchAssets(%q) = %q, want %q", tt.q, got, tt.want)
			}
		}
	})
}

// TestMigrationFoldersMatch keeps the two dialects' migrations in step: the
// same file names, so no change lands on one database only.
func TestMigrationFoldersMatch(t *testing.T) {
	names := func(dir string) string {
		entries, err := fs.ReadDir(os.DirFS("migrations"), dir)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return strings.Join(n, " ")
	}
	if s, p := names("sqlite"), names("postgres"); s != p || s == "" {
		t.Errorf("migrations differ: sqlite has %q, postgres has %q", s, p)
	}
}
