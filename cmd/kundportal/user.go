package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"kundportal/internal/config"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
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
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	db, files, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := orders.New(db, files, nil).AddCommandLineUser(ctx, orders.CommandLineUser{
		UserInput: repair.UserInput{Email: *email, Name: *name, Phone: *phone, Role: *role,
			Password: strings.TrimRight(line, "\r\n")},
		CustomerNumber: *customerNumber, MustChangePassword: *mustChange})
	var fe repair.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("user add: %s", commandLineProblems(fe))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %d: %s (%s)\n", u.ID, u.Email, u.Role.Label())
	return nil
}

// commandLineProblems names the flag behind each message, in flag order.
func commandLineProblems(fe repair.FieldErrors) string {
	flags := []struct{ field, flag string }{
		{"email", "-email"}, {"name", "-name"}, {"phone", "-phone"}, {"role", "-role"},
		{"customer", "-customer"}, {"password", "password (first line of standard input)"},
	}
	var out []string
	for _, f := range flags {
		if msg, ok := fe[f.field]; ok {
			out = append(out, f.flag+": "+msg)
		}
	}
	return strings.Join(out, "; ")
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
