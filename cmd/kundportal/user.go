package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"kundportal/internal/auth"
	"kundportal/internal/config"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// user handles "kundportal user add": it creates a personal account. The
// password is read from the first line of standard input, so it never
// appears in the process list or the shell history.
func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: kundportal user add -email E -name N -role R [-customer NUMBER] [-phone P] < password")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name")
	phone := fs.String("phone", "", "phone number")
	role := fs.String("role", string(repair.RoleCustomerUser), "customer_user, customer_admin, dispatcher, technician or admin")
	customerNumber := fs.String("customer", "", "customer number, for customer roles")
	mustChange := fs.Bool("must-change-password", false, "ask for a new password at first login")
	// Split the user flags from the config flags (-data-dir etc.).
	cfgArgs, userArgs := splitConfigFlags(args[1:])
	if err := fs.Parse(userArgs); err != nil {
		return err
	}
	cfg, err := config.Load(cfgArgs, getenv, stderr)
	if err != nil {
		return err
	}
	u := repair.User{Email: store.NormalizeEmail(*email), Name: strings.TrimSpace(*name), Phone: *phone, Role: repair.Role(*role), MustChangePassword: *mustChange}
	if !strings.Contains(u.Email, "@") || u.Name == "" || !u.Role.Valid() {
		return errors.New("user add: -email, -name and a valid -role are required")
	}
	if u.Role.IsCustomer() == (*customerNumber == "") {
		return errors.New("user add: -customer is required for customer roles and not allowed for staff roles")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if repair.PasswordProblem(pw) != "" {
		return fmt.Errorf("user add: the password (first line of standard input) must have %d–%d characters", repair.MinPasswordLength, repair.MaxPasswordLength)
	}
	if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
		return err
	}
	db, _, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if u.Role.IsCustomer() {
		c, err := db.CustomerByNumber(ctx, repair.StaffScope(), *customerNumber)
		if err != nil {
			return fmt.Errorf("user add: customer %q: %w", *customerNumber, err)
		}
		u.CustomerID = c.ID
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "user", u.ID, "create", "kommandoraden: "+u.Email+" ("+string(u.Role)+")")
	})
	if errors.Is(err, repair.ErrConflict) {
		return fmt.Errorf("user add: %s already exists", u.Email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %d: %s (%s)\n", u.ID, u.Email, u.Role.Label())
	return nil
}

// splitConfigFlags separates the server's config flags from a subcommand's
// own, so "user add -data-dir X -email Y" works.
func splitConfigFlags(args []string) (cfg, rest []string) {
	configFlags := map[string]bool{"-addr": true, "-data-dir": true, "-database-url": true, "--addr": true, "--data-dir": true, "--database-url": true}
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(args[i], "=")
		if configFlags[name] {
			cfg = append(cfg, args[i])
			if !hasValue && i+1 < len(args) {
				i++
				cfg = append(cfg, args[i])
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return cfg, rest
}
