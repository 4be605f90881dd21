package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// TestSeed: "kundportal seed" fills a new data directory, with progress on
// standard error and logins that work, and refuses to seed it again.
func TestSeed(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var out, errOut bytes.Buffer
	args := []string{"seed", "-cases", "500", "-password", "ett-långt-lösenord"}
	if err := run(ctx, args, env(dir), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "cases 500/500 (") {
		t.Errorf("stderr = %q, want a progress line", errOut.String())
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.UserByEmail(ctx, "kund1@"+store.SeedEmailDomain)
	if err != nil || auth.CheckPassword(u.PasswordHash, "ett-långt-lösenord") != nil {
		t.Errorf("kund1 = %+v, %v; want the password given", u, err)
	}
	res, err := db.SearchCases(ctx, repair.CustomerScope(u.CustomerID), repair.CaseFilter{Limit: 10})
	if err != nil || len(res.Cases) == 0 {
		t.Errorf("kund1 sees %d cases, %v", len(res.Cases), err)
	}
	db.Close()

	errOut.Reset()
	err = run(ctx, args, env(dir), strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "already has cases") || strings.Contains(err.Error(), "\n") {
		t.Errorf("second seed = %v, want one line saying the database has cases", err)
	}
}
