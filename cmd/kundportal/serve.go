package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"kundportal/internal/config"
	"kundportal/internal/demo"
	"kundportal/internal/filestore"
	"kundportal/internal/metrics"
	"kundportal/internal/notify"
	"kundportal/internal/orders"
	"kundportal/internal/seal"
	"kundportal/internal/secret"
	"kundportal/internal/store"
	"kundportal/internal/web"
	"kundportal/internal/worker"
)

// openStore opens the configured database and file store: the files
// directory in the data directory, or the bucket of KUNDPORTAL_S3_URL.
func openStore(ctx context.Context, cfg config.Config) (*store.DB, filestore.Store, error) {
	// Each error names the setting to look at.
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath())
	if err != nil {
		if cfg.DatabaseURL != "" {
			return nil, nil, fmt.Errorf("KUNDPORTAL_DATABASE_URL: %w", err)
		}
		return nil, nil, fmt.Errorf("KUNDPORTAL_DATA_DIR: %w", err)
	}
	files, err := openFiles(ctx, cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, files, nil
}

// openFiles opens the configured file store alone, for commands that
// must not open the database as openStore does (it migrates).
func openFiles(ctx context.Context, cfg config.Config) (filestore.Store, error) {
	if cfg.S3URL != "" {
		s, err := filestore.NewS3(ctx, cfg.S3, cfg.SpoolDir())
		if err != nil {
			return nil, fmt.Errorf("KUNDPORTAL_S3_URL: %w", err)
		}
		return s, nil
	}
	d, err := filestore.NewDisk(cfg.FilesDir())
	if err != nil {
		return nil, fmt.Errorf("KUNDPORTAL_DATA_DIR: %w", err)
	}
	return d, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	began := time.Now()
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	tuneGC(getenv)
	db, files, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database open", "database", db.Dialect(), "duration", time.Since(began).Round(time.Millisecond))

	if cfg.Demo {
		start := time.Now()
		if err := demo.Load(ctx, db, files, time.Now()); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		log.Info("demo data ready", "duration", time.Since(start).Round(time.Millisecond))
	}

	ops, err := newOps(ctx, cfg, db, files)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := demo.SetUpTwoFactor(ctx, db, ops); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if err := demo.LoadMail(ctx, db, ops); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	m := metrics.New()
	m.WatchDB(db)
	h, err := web.New(web.Options{DB: db, Files: files, Logger: log, SecureCookies: cfg.SecureCookies, BaseURL: cfg.BaseURL,
		TrustProxy: cfg.TrustProxy, Ops: ops, MailServer: cfg.SMTPURL != "", Metrics: m, MetricsToken: cfg.MetricsToken})
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
	// The side addresses listen before the site is announced.
	if cfg.DebugAddr != "" {
		if err := serveProfiler(ctx, cfg.DebugAddr, log); err != nil {
			return err
		}
	}
	switch {
	case cfg.MetricsAddr != "":
		if err := serveMetrics(ctx, cfg.MetricsAddr, m, log); err != nil {
			return err
		}
	case cfg.MetricsToken != "":
		log.Info("metrics on /metrics with the bearer token (KUNDPORTAL_METRICS_TOKEN)")
	default:
		log.Info("metrics off: set KUNDPORTAL_METRICS_ADDR or KUNDPORTAL_METRICS_TOKEN to serve /metrics")
	}

	if cfg.Demo {
		// After listening, so that the banner names the port in use.
		printDemoLogins(stdout, siteURL(cfg.Addr, ln.Addr().String()))
	}
	filesAt := cfg.FilesDir()
	if cfg.S3URL != "" {
		filesAt = cfg.S3.String()
	}
	log.Info("kundportal listening", "addr", ln.Addr().String(), "database", db.Dialect(), "data_dir", cfg.DataDir, "files", filesAt,
		"start", time.Since(began).Round(time.Millisecond))

	// Mail links name the site's public address; without one, the
	// address this server answers on.
	ops.UseMail(cmp.Or(cfg.BaseURL, siteURL(cfg.Addr, ln.Addr().String())))
	outbox := &worker.Outbox{DB: db, Log: log, Metrics: m}
	if cfg.SMTPURL != "" {
		sender, err := notify.NewSMTP(cfg.SMTP, cfg.MailFrom, cfg.Company.Name)
		if err != nil {
			return fmt.Errorf("KUNDPORTAL_MAIL_FROM: %w", err)
		}
		outbox.Sender = sender
		log.Info("sending mail", "smtp", fmt.Sprintf("%s:%d", cfg.SMTP.Host, cfg.SMTP.Port), "from", cfg.MailFrom)
	} else {
		log.Info("no mail server (KUNDPORTAL_SMTP_URL): mail is shown on the Utskick page only")
	}
	// The worker stops before the database closes (deferred above).
	workerCtx, stopWorker := context.WithCancel(ctx)
	var workers sync.WaitGroup
	workers.Go(func() { outbox.Run(workerCtx) })
	workers.Go(func() { sendDigests(workerCtx, ops, log) })
	defer workers.Wait()
	defer stopWorker()

	go cleanExpired(ctx, db, ops, log)
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

// serveProfiler answers Go's profiler (net/http/pprof) on addr, a
// loopback address, until ctx ends.
func serveProfiler(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("profiler: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go srv.Serve(ln)
	log.Info("profiler listening", "addr", ln.Addr().String())
	return nil
}

// serveMetrics answers /metrics on its own address until ctx ends.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("KUNDPORTAL_METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler(log))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go srv.Serve(ln)
	log.Info("metrics listening", "addr", ln.Addr().String(), "path", "/metrics")
	return nil
}

// tuneGC sets the garbage collector for a server, unless the operator
// set it with Go's own GOGC or GOMEMLIMIT. A request allocates some
// hundred kilobytes that die with it, over a live heap of a few tens of
// megabytes; collecting at every doubling of that heap spent a fifth of
// a search's time in the collector (BenchmarkPagesOnData). Letting the
// heap grow to five times its live size, but no further than
// gcMemoryLimit, collects a quarter as often and keeps the process small.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

// gcMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT says
// otherwise: near it the collector runs as often as it must. At 100 MiB
// the server's RSS peaked at 168 MB under load at a million cases; at
// 64 MiB at 132 MB, for 5-15 % of the throughput, and an export of
// 100 000 rows at 94 MB instead of 120 (docs/PERFORMANCE.md). At 48 MiB
// the collector cost searches and saves 15-20 %.
const gcMemoryLimit = 64 << 20

// newOps returns the operations with the keys of this data directory: the
// delivery notes' signing key and the key that seals door codes, each made
// on the first start (the latter may come from KUNDPORTAL_SECRET_KEY, so
// that several instances share it). Door codes stored before sealing, or
// by the demo, are sealed here.
func newOps(ctx context.Context, cfg config.Config, db *store.DB, files filestore.Store) (*orders.Ops, error) {
	signer, err := seal.LoadOrCreate(filepath.Join(cfg.DataDir, "seal"))
	if err != nil {
		return nil, err
	}
	box, err := secretBox(cfg)
	if err != nil {
		return nil, err
	}
	ops := orders.New(db, files, nil)
	ops.UseCompany(cfg.Company)
	ops.SignWith(signer)
	ops.UseSecrets(box)
	ops.RequireTOTPForTechnicians(cfg.TOTPTechnicians)
	if _, err := ops.SealPlainAccess(ctx); err != nil {
		return nil, fmt.Errorf("seal door codes: %w", err)
	}
	return ops, nil
}

func secretBox(cfg config.Config) (*secret.Box, error) {
	if cfg.SecretKey != "" {
		return secret.FromBase64(cfg.SecretKey)
	}
	return secret.LoadOrCreate(filepath.Join(cfg.DataDir, "secret"))
}

// sendDigests writes the daily digests to the outbox once they are due
// (orders.DigestHour), checking every ten minutes.
func sendDigests(ctx context.Context, ops *orders.Ops, log *slog.Logger) {
	every(ctx, 10*time.Minute, func() {
		if n, err := ops.SendDigests(ctx); err != nil && ctx.Err() == nil {
			log.Error("daily digests", "err", err)
		} else if n > 0 {
			log.Info("daily digests", "mails", n)
		}
	})
}

// cleanExpired removes expired sessions and old login failures, and the
// door codes of cases done long enough ago, hourly.
func cleanExpired(ctx context.Context, db *store.DB, ops *orders.Ops, log *slog.Logger) {
	every(ctx, time.Hour, func() {
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteExpired(ctx, 24*time.Hour) }); err != nil && ctx.Err() == nil {
			log.Error("clean expired sessions", "err", err)
		}
		if n, err := ops.EraseOldAccess(ctx); err != nil && ctx.Err() == nil {
			log.Error("erase old door codes", "err", err)
		} else if n > 0 {
			log.Info("erased old door codes", "cases", n)
		}
	})
}

// every runs job now and then every interval, until ctx ends.
func every(ctx context.Context, interval time.Duration, job func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		job()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// siteURL is the address to open in a browser for a server configured to
// listen on configured (-addr, KUNDPORTAL_ADDR) and listening on actual:
// the configured host, or localhost when it names every interface (":9090",
// "0.0.0.0:9090", "[::]:9090"), with the port actually in use, which
// differs from the configured one for port 0.
func siteURL(configured, actual string) string {
	host, _, err := net.SplitHostPort(configured)
	if err != nil {
		host = ""
	}
	_, port, err := net.SplitHostPort(actual)
	if err != nil {
		_, port, _ = net.SplitHostPort(configured)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func printDemoLogins(w io.Writer, url string) {
	fmt.Fprintf(w, "\nKundportal demo – logga in på %s med lösenordet %q:\n", url, demo.Password)
	for _, l := range demo.Logins() {
		fmt.Fprintf(w, "  %-30s %s\n", l.Email, l.Role)
	}
	fmt.Fprintf(w, "Arbetsledare och administratör loggar in med en kod från en app för tvåstegsverifiering,\nmed nyckeln %s (eller: oathtool --totp -b %s).\n\n", demo.TOTPSecret, demo.TOTPSecret)
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
