package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"kundportal/internal/config"
	"kundportal/internal/demo"
	"kundportal/internal/filestore"
	"kundportal/internal/seal"
	"kundportal/internal/store"
	"kundportal/internal/web"
)

// openStore opens the configured database and file store.
func openStore(ctx context.Context, cfg config.Config) (*store.DB, *filestore.Disk, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		return nil, nil, err
	}
	files, err := filestore.NewDisk(cfg.FilesDir())
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, files, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, files, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()

	if cfg.Demo {
		start := time.Now()
		if err := demo.Load(ctx, db, files, time.Now()); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		log.Info("demo data ready", "duration", time.Since(start).Round(time.Millisecond))
		printDemoLogins(stdout)
	}

	// The delivery notes' signing key is made on the first start and kept
	// in the data directory.
	signer, err := seal.LoadOrCreate(filepath.Join(cfg.DataDir, "seal"))
	if err != nil {
		return err
	}
	h, err := web.New(web.Options{DB: db, Files: files, Logger: log, SecureCookies: cfg.SecureCookies, BaseURL: cfg.BaseURL,
		TrustProxy: cfg.TrustProxy, Signer: signer})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads from phones on slow networks
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("kundportal listening", "addr", ln.Addr().String(), "database", db.Dialect(), "data_dir", cfg.DataDir)

	go cleanExpired(ctx, db, log)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// cleanExpired removes expired sessions and old login failures hourly.
func cleanExpired(ctx context.Context, db *store.DB, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteExpired(ctx, 24*time.Hour) }); err != nil && ctx.Err() == nil {
			log.Error("clean expired sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func printDemoLogins(w io.Writer) {
	fmt.Fprintf(w, "\nKundportal demo – logga in på http://localhost:8080 med lösenordet %q:\n", demo.Password)
	for _, l := range demo.Logins() {
		fmt.Fprintf(w, "  %-30s %s\n", l.Email, l.Role)
	}
	fmt.Fprintln(w)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	db, _, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database schema is up to date")
	return db.Close()
}
