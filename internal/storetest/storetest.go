// Package storetest gives tests a migrated database and builders for the
// records they need, so tests say what they need rather than rely on
// fixture ids.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/repair"
	"kundportal/internal/s3test"
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

// PostgresURLEnv names the variable holding the URL of a PostgreSQL
// database that tests may use (they each work in a schema of their own).
const PostgresURLEnv = "KUNDPORTAL_TEST_DATABASE_URL"

// RequirePostgresEnv, set to 1 (as CI does), turns a missing PostgreSQL
// into a test failure instead of a skip.
const RequirePostgresEnv = "KUNDPORTAL_REQUIRE_POSTGRES"

var schemaSeq atomic.Int64

// PostgresURL returns the URL of a fresh, empty schema in the test
// database, dropped when the test ends. Without a database it skips the
// test, or fails it when RequirePostgresEnv is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		if os.Getenv(RequirePostgresEnv) == "1" {
			t.Fatalf("%s=1 but %s is not set: PostgreSQL is required", RequirePostgresEnv, PostgresURLEnv)
		}
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://... to run them", PostgresURLEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("t%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("storetest: drop schema: %v", err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// OpenPostgres returns a migrated database in a fresh schema of the test
// PostgreSQL database (see PostgresURL).
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenPostgres(context.Background(), PostgresURL(t))
	if err != nil {
		t.Fatalf("storetest.OpenPostgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Dialects names the databases tests run on, with the function that opens
// a fresh one.
var Dialects = []struct {
	Name string
	Open func(testing.TB) *store.DB
}{
	{"sqlite", Open},
	{"postgres", OpenPostgres},
}

// ForEach runs fn once per database dialect, each in a subtest with a fresh
// database: SQLite always, PostgreSQL when it is configured.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d.Name, func(t *testing.T) { fn(t, d.Open(t)) })
	}
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

// ForEachPair runs fn once per dialect with two independent handles on one
// fresh database, as two app instances behind a load balancer would have.
func ForEachPair(t *testing.T, fn func(t *testing.T, a, b *store.DB)) {
	t.Helper()
	open := func(t *testing.T, o func() (*store.DB, error)) *store.DB {
		db, err := o()
		if err != nil {
			t.Fatalf("storetest: open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kundportal.db")
		o := func() (*store.DB, error) { return store.OpenSQLite(ctx, path) }
		fn(t, open(t, o), open(t, o))
	})
	t.Run("postgres", func(t *testing.T) {
		url := PostgresURL(t)
		o := func() (*store.DB, error) { return store.OpenPostgres(ctx, url) }
		fn(t, open(t, o), open(t, o))
	})
}

// Cases lists every case scope may see, newest first, through the store's
// own search.
func Cases(t testing.TB, db *store.DB, scope repair.Scope) []repair.Case {
	t.Helper()
	f := repair.CaseFilter{Limit: 500, NoCount: true}
	var out []repair.Case
	for {
		res, err := db.SearchCases(context.Background(), scope, f)
		if err != nil {
			t.Fatalf("storetest.Cases: %v", err)
		}
		out = append(out, res.Cases...)
		if res.Next == "" {
			return out
		}
		f.Cursor = res.Next
	}
}

// Assets lists every machine scope may see, by asset number.
func Assets(t testing.TB, db *store.DB, scope repair.Scope) []repair.Asset {
	t.Helper()
	as, err := db.SearchAssets(context.Background(), scope, "", 1<<30)
	if err != nil {
		t.Fatalf("storetest.Assets: %v", err)
	}
	return as
}

// WorkOrder plans a work order on the case for the technician (0: none).
func WorkOrder(t testing.TB, db *store.DB, caseID, technicianID int64) repair.WorkOrder {
	t.Helper()
	w := repair.WorkOrder{CaseID: caseID, TechnicianID: technicianID}
	must(t, "work order", db.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateWorkOrder(context.Background(), &w) }))
	return w
}

// Write runs fn in a write transaction for a test's own records, failing
// the test if it returns an error. Tests above the store write through
// here, so that their packages open no transaction of their own.
func Write(t testing.TB, db *store.DB, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	must(t, "write", db.Update(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }))
}

// History files n cases on the machine, spread evenly over the five years
// before now (365 cases: one every five days), each with a work order for
// the technician (0: none), a customer-visible action and cost line and an
// internal one of each; case i (0 the newest) has a visible cost of
// 100 kr + i kr and an internal one of 50 kr + i öre. Every seventh case
// is cancelled, the rest but the six newest completed. The cases are
// returned newest first.
func History(t testing.TB, db *store.DB, customerID, assetID, technicianID int64, n int) []repair.Case {
	t.Helper()
	now := db.Now()
	step := 5 * 365 * 24 * time.Hour / time.Duration(max(n, 1))
	out := make([]repair.Case, n)
	Write(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i := n - 1; i >= 0; i-- {
			at := now.Add(-time.Duration(i) * step)
			c := repair.Case{CustomerID: customerID, AssetID: assetID, Type: repair.PortalCaseType,
				Title: fmt.Sprintf("Skövde Tvättmaskin fel %d", i), Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde",
				ReporterName: "Test Testsson", ReporterPhone: "+46701234567", RegisteredAt: at}
			switch {
			case i%7 == 3:
				c.Status = repair.StatusCancelled
			case i >= 6:
				c.Status, c.CompletedAt = repair.StatusCompleted, at.AddDate(0, 0, 2)
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			w := repair.WorkOrder{CaseID: c.ID, TechnicianID: technicianID}
			if err := tx.CreateWorkOrder(ctx, &w); err != nil {
				return err
			}
			day := at.In(repair.Stockholm).Format(time.DateOnly)
			for _, a := range []repair.Action{
				{WorkOrderID: w.ID, PerformedOn: day, TechnicianID: technicianID, Description: fmt.Sprintf("Bytt pump %d", i), Minutes: 60, CustomerVisible: true},
				{WorkOrderID: w.ID, PerformedOn: day, TechnicianID: technicianID, Description: fmt.Sprintf("Intern anteckning %d", i), Minutes: 5},
			} {
				if err := tx.AddAction(ctx, &a); err != nil {
					return err
				}
			}
			for _, l := range []repair.CostLine{
				{WorkOrderID: w.ID, Kind: repair.CostPart, Description: "Pump", QuantityMilli: 1000, UnitPriceOre: int64(10000 + 100*i), CustomerVisible: true},
				{WorkOrderID: w.ID, Kind: repair.CostFee, Description: "Intern", QuantityMilli: 1000, UnitPriceOre: int64(5000 + i)},
			} {
				if err := tx.AddCostLine(ctx, &l); err != nil {
					return err
				}
			}
			out[i] = c
		}
		return nil
	})
	return out
}

// Files is a fresh file store for a test on db: a directory for SQLite,
// and for PostgreSQL, whose deployments run several instances, a bucket
// on a real S3 server (s3test) when one can be had, so that every test
// with files runs on both stores. KUNDPORTAL_REQUIRE_S3 makes a missing
// S3 server fail the test.
func Files(t testing.TB, db *store.DB) filestore.Store {
	t.Helper()
	if db.Dialect() == "postgres" && (s3test.Available() || os.Getenv("KUNDPORTAL_REQUIRE_S3") != "") {
		return s3test.Store(t)
	}
	d, err := filestore.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}
