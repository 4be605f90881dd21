// Package storetest gives tests a migrated database and builders for the
// records they need, so tests say what they need rather than rely on
// fixture ids.
package storetest

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Open returns a fresh, migrated SQLite database in the test's temporary
// directory, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kundportal.db"))
	if err != nil {
		t.Fatalf("storetest.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var seq atomic.Int64

func next() int64 { return seq.Add(1) }

func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("storetest: %s: %v", what, err)
	}
}

// Customer creates a customer with a unique number.
func Customer(t testing.TB, db *store.DB, name string) repair.Customer {
	t.Helper()
	c := repair.Customer{Number: fmt.Sprintf("T%05d", next()), Name: name, HourlyRateOre: 65000}
	must(t, "customer", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateCustomer(context.Background(), &c) }))
	return c
}

// User creates a user with the role (bound to customerID for customer
// roles) and the given password hash.
func User(t testing.TB, db *store.DB, customerID int64, role repair.Role, email, passwordHash string) repair.User {
	t.Helper()
	u := repair.User{CustomerID: customerID, Email: email, Name: "Test " + email, Role: role, PasswordHash: passwordHash}
	must(t, "user", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateUser(context.Background(), &u) }))
	return u
}

// Asset creates a machine for the customer with a unique asset number.
func Asset(t testing.TB, db *store.DB, customerID int64) repair.Asset {
	t.Helper()
	a := repair.Asset{CustomerID: customerID, Number: fmt.Sprintf("%d", 900000+next()), Kind: "Tvättmaskin", Brand: "Electrolux",
		Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde"}
	must(t, "asset", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateAsset(context.Background(), &a) }))
	return a
}

// Case creates a case for the customer, on assetID when it is not 0.
func Case(t testing.TB, db *store.DB, customerID, assetID int64, title string) repair.Case {
	t.Helper()
	c := repair.Case{CustomerID: customerID, AssetID: assetID, Type: repair.PortalCaseType, Title: title,
		Description: "Testärende", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde",
		ReporterName: "Test Testsson", ReporterPhone: "+46701234567"}
	must(t, "case", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateCase(context.Background(), &c) }))
	return c
}

// File records a file on the case (its bytes are not stored).
func File(t testing.TB, db *store.DB, caseID int64, kind repair.FileKind, name string) repair.File {
	t.Helper()
	f := repair.File{CaseID: caseID, Kind: kind, Name: name, ContentType: "application/pdf", Size: 4,
		SHA256: fmt.Sprintf("%064x", next())}
	must(t, "file", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateFile(context.Background(), &f) }))
	return f
}
