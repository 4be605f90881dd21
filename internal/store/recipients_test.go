package store_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestMailRecipientsKeptAtVersion: the recipients of a new case's mail
// that instance a keeps per customer at the customer's mail version are,
// after every kind of change to who gets them, made by another instance
// b on the same database, what the database says; between two changes,
// and across a save that writes the reporter's defaults, a keeps them
// and reads nothing.
func TestMailRecipientsKeptAtVersion(t *testing.T) {
	storetest.ForEachPair(t, func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		cust := storetest.Customer(t, b, "Solgårdens Bostäder AB")
		other := storetest.Customer(t, b, "Björkhagens äldreboende")
		anna := storetest.User(t, b, cust.ID, repair.RoleCustomerUser, "anna@solgarden.example", "x")
		bertil := storetest.User(t, b, cust.ID, repair.RoleCustomerUser, "bertil@solgarden.example", "x")
		var loads atomic.Int64
		store.TraceReads(a, func(q string, _ []any) {
			if strings.Contains(q, "COALESCE(s.cases, 'mine') <> 'none'") {
				loads.Add(1)
			}
		})
		t.Cleanup(func() { store.TraceReads(a, nil) })

		// annaNow is anna as her session reads her on a.
		annaNow := func() repair.User {
			t.Helper()
			u, err := a.UserByEmail(ctx, anna.Email)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		emails := func(users []repair.User) []string {
			var out []string
			for _, u := range users {
				out = append(out, u.Email)
			}
			return out
		}
		version := annaNow().MailVersion
		// check asks a for the recipients of a case anna files, as a
		// save does, and compares them with b's read of the database.
		check := func(step string, changed bool, want ...string) []repair.User {
			t.Helper()
			u := annaNow()
			if changed != (u.MailVersion != version) {
				t.Errorf("%s: mail version %d after %d, want changed %v", step, u.MailVersion, version, changed)
			}
			version = u.MailVersion
			before := loads.Load()
			got, err := a.MailRecipientsAt(ctx, u.MailVersion, cust.ID, anna.ID, repair.MailReceived)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := b.MailRecipients(ctx, cust.ID, anna.ID, repair.MailReceived)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(emails(got), want) || !slices.Equal(emails(fresh), want) {
				t.Errorf("%s: recipients kept %v, read %v, want %v", step, emails(got), emails(fresh), want)
			}
			if read := loads.Load() > before; read != changed {
				t.Errorf("%s: read the recipients again %v, want %v", step, read, changed)
			}
			return got
		}
		write := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := b.Update(ctx, func(tx *store.Tx) error { return fn(tx) }); err != nil {
				t.Fatal(err)
			}
		}
		setting := func(u repair.User, c repair.MailCases) {
			t.Helper()
			write(func(tx *store.Tx) error { return tx.SetMailSetting(ctx, u.ID, repair.MailReceived, c) })
		}

		// The first read finds nothing kept (a version anna's session
		// read before any other's); the second is kept.
		if _, err := a.MailRecipientsAt(ctx, version, cust.ID, anna.ID, repair.MailReceived); err != nil {
			t.Fatal(err)
		}
		check("nothing changed", false, anna.Email)
		f := &store.Filing{
			Case: repair.Case{CustomerID: cust.ID, Type: repair.PortalCaseType, Title: "Diskmaskin läcker",
				Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde", ReporterName: "Anna L", ReportedBy: anna.ID},
			Token: "tok-1", By: anna.ID, Audit: "Serviceanmälan i kundportalen",
			Defaults: &store.ReporterDefaults{Name: "Anna L", Phone: "070-765 43 21"},
		}
		if _, err := a.FileCase(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got := annaNow(); got.ReporterPhone != "070-765 43 21" {
			t.Fatalf("the save wrote no defaults: %+v", got)
		}
		check("a save that writes the reporter's defaults", false, anna.Email)

		setting(bertil, repair.MailAll)
		check("bertil chose all cases", true, anna.Email, bertil.Email)
		write(func(tx *store.Tx) error { return tx.SetMailDigest(ctx, bertil.ID, true) })
		if got := check("bertil gathers his mails", true, anna.Email, bertil.Email); !got[1].MailDigest {
			t.Errorf("bertil's digest is kept off")
		}
		must(t, store.ExecSQL(ctx, b, `UPDATE users SET email = ?, name = ? WHERE id = ?`, "bertil.b@solgarden.example", "Bertil B", bertil.ID))
		if got := check("bertil's address changed", true, anna.Email, "bertil.b@solgarden.example"); got[1].Name != "Bertil B" {
			t.Errorf("bertil's name kept as %q", got[1].Name)
		}
		write(func(tx *store.Tx) error { return tx.SetUserDisabled(ctx, bertil.ID, true) })
		check("bertil blocked", true, anna.Email)
		setting(anna, repair.MailNone)
		check("anna chose none", true)
		cecilia := storetest.User(t, b, cust.ID, repair.RoleCustomerAdmin, "cecilia@solgarden.example", "x")
		check("cecilia added", true)
		setting(cecilia, repair.MailAll)
		check("cecilia chose all cases", true, cecilia.Email)
		otherVersion := func() (v uint64) {
			t.Helper()
			must(t, store.QueryRowSQL(ctx, b, `SELECT mail_version FROM customers WHERE id = ?`, other.ID).Scan(&v))
			return v
		}
		was := otherVersion()
		must(t, store.ExecSQL(ctx, b, `UPDATE users SET customer_id = ? WHERE id = ?`, other.ID, cecilia.ID))
		check("cecilia moved to another customer", true)
		if otherVersion() == was {
			t.Errorf("the customer cecilia moved to kept its mail version")
		}
		must(t, store.ExecSQL(ctx, b, `DELETE FROM mail_settings WHERE user_id = ?`, anna.ID))
		check("anna's setting removed", true, anna.Email)
		must(t, store.ExecSQL(ctx, b, `UPDATE mail_settings SET cases = 'all' WHERE user_id = ?`, bertil.ID))
		must(t, store.ExecSQL(ctx, b, `UPDATE users SET disabled = ? WHERE id = ?`, false, bertil.ID))
		check("bertil back", true, anna.Email, "bertil.b@solgarden.example")
		must(t, store.ExecSQL(ctx, b, `DELETE FROM mail_settings WHERE user_id = ?`, bertil.ID))
		must(t, store.ExecSQL(ctx, b, `DELETE FROM users WHERE id = ?`, bertil.ID))
		check("bertil removed", true, anna.Email)
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
