// Command kundportal runs Kundportal: the customer portal and order system
// of an appliance-repair service company.
//
//	kundportal [flags]                 serve (the default)
//	kundportal migrate [flags]         bring the database schema up to date and exit
//	kundportal user add [flags] ...    create a user
//	kundportal verify [flags]          check the seal log and the signed delivery notes
//	kundportal seed [flags]            fill an empty database with a large data set
//	kundportal health [flags]          check that the server on this machine is ready
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "kundportal:", err)
		os.Exit(1)
	}
}

// run dispatches the subcommand; it is main without the process, for tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout, stderr)
	case "user":
		return user(ctx, args, getenv, stdin, stdout, stderr)
	case "verify":
		return verify(ctx, args, getenv, stdout, stderr)
	case "seed":
		return seed(ctx, args, getenv, stdout, stderr)
	case "backup":
		return backup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return restore(ctx, args, getenv, stdin, stdout, stderr)
	case "health":
		return health(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `Usage:
  kundportal [flags]              serve the portal (default)
  kundportal migrate [flags]      bring the database schema up to date
  kundportal user add [flags]     create a user (see kundportal user add -h)
  kundportal verify [flags]       check the seal log and every delivery note's PDF
  kundportal seed [flags]         fill an empty database with a large, deterministic data set
                                  (-cases N, default 1000000; -seed S; -password P)
  kundportal health [flags]       ask the running server's /readyz (a container's health check)
  kundportal backup [flags] FILE  archive the database, files and keys, also while serving (FILE -: stdout)
  kundportal restore [flags] FILE unpack a backup into an empty or new data directory (FILE -: stdin)

Flags (each also an environment variable):
  -addr          KUNDPORTAL_ADDR          listen address (default :8080)
  -data-dir      KUNDPORTAL_DATA_DIR      SQLite file and uploaded files (default ./data)
  -database-url  KUNDPORTAL_DATABASE_URL  postgres://... for PostgreSQL (default: SQLite)
  -demo          KUNDPORTAL_DEMO          fill a new, empty database with demo data
`
