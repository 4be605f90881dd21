// Package config reads Kundportal's settings from flags and environment
// variables; a flag wins over its variable, and the variable over the
// default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"kundportal/internal/filestore"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
)

// Config is everything the server needs to start.
type Config struct {
	Addr        string // KUNDPORTAL_ADDR
	DataDir     string // KUNDPORTAL_DATA_DIR
	DatabaseURL string // KUNDPORTAL_DATABASE_URL; empty means SQLite in DataDir
	Demo        bool   // KUNDPORTAL_DEMO: fill a new, empty database with demo data
	// SecureCookies forces the Secure flag on cookies, for deployments
	// behind a TLS-terminating proxy (KUNDPORTAL_SECURE_COOKIES).
	SecureCookies bool
	// BaseURL is the public address of the site, for QR codes on labels
	// (KUNDPORTAL_BASE_URL); empty means the address of each request.
	BaseURL string
	// SecretKey is the key that seals door codes (base64, 32 bytes), from
	// KUNDPORTAL_SECRET_KEY only, never a flag, so that it does not show in
	// the process list; empty means the key kept in the data directory.
	SecretKey string
	// TrustProxy reads the client address from X-Forwarded-For, behind a
	// load balancer that sets it (KUNDPORTAL_TRUST_PROXY).
	TrustProxy bool
	// Company is the repair company on documents and invoices, from the
	// KUNDPORTAL_COMPANY_* variables, each defaulting to the demo's.
	Company repair.Company
	// DebugAddr is a loopback address where Go's profiler
	// (net/http/pprof) answers, for measuring a running server
	// (KUNDPORTAL_DEBUG_ADDR); empty means off.
	DebugAddr string
	// SMTPURL is the mail server (KUNDPORTAL_SMTP_URL), e.g.
	// smtp://user:password@mail.example:587, parsed into SMTP; empty
	// means none: mail is shown on the office's Utskick page instead.
	SMTPURL string
	SMTP    notify.SMTPConfig
	// TOTPTechnicians makes technicians sign in with a code from an
	// authenticator app too, as admins and dispatchers always do
	// (KUNDPORTAL_TOTP_TECHNICIANS).
	TOTPTechnicians bool
	// MailFrom is the sender of the mails (KUNDPORTAL_MAIL_FROM); empty
	// means the company's e-mail address.
	MailFrom string
	// S3URL is the bucket for uploaded files and signed delivery notes
	// (KUNDPORTAL_S3_URL), e.g. https://s3.example.com/kundportal, with
	// the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
	// parsed into S3; empty means the files directory in DataDir. Several
	// instances on one PostgreSQL share the files through it.
	S3URL string
	S3    filestore.S3Config
	// MetricsAddr is a separate listen address for /metrics
	// (KUNDPORTAL_METRICS_ADDR), e.g. 127.0.0.1:9090, answering without
	// a token: keep it off the public network.
	MetricsAddr string
	// MetricsToken serves /metrics on the site's own address to a scraper
	// sending it as a bearer token (KUNDPORTAL_METRICS_TOKEN, environment
	// only). With neither set, /metrics is not served.
	MetricsToken string
}

// minMetricsToken is the shortest metrics token taken: a guessable one
// would show the server's insides to anyone.
const minMetricsToken = 24

// loopback reports whether addr is host:port on a loopback address.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SQLitePath is the database file used when no database URL is set.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "kundportal.db") }

// FilesDir is where uploaded files are kept, unless they are on S3.
func (c Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// SpoolDir is where uploads for S3 wait while they are hashed.
func (c Config) SpoolDir() string { return filepath.Join(c.DataDir, "spool") }

// Load parses args (without the program name) over the environment.
func Load(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	envBool := func(key string) (bool, error) {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("config: %s=%q is not a boolean (use 1 or 0)", key, v)
		}
		return b, nil
	}
	demo, err := envBool("KUNDPORTAL_DEMO")
	if err != nil {
		return Config{}, err
	}
	secure, err := envBool("KUNDPORTAL_SECURE_COOKIES")
	if err != nil {
		return Config{}, err
	}
	trustProxy, err := envBool("KUNDPORTAL_TRUST_PROXY")
	if err != nil {
		return Config{}, err
	}
	totpTechs, err := envBool("KUNDPORTAL_TOTP_TECHNICIANS")
	if err != nil {
		return Config{}, err
	}
	var c Config
	fs := flag.NewFlagSet("kundportal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("KUNDPORTAL_ADDR", ":8080"), "listen address (KUNDPORTAL_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("KUNDPORTAL_DATA_DIR", "./data"), "directory for the SQLite file and uploaded files (KUNDPORTAL_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("KUNDPORTAL_DATABASE_URL", ""), "postgres://... to use PostgreSQL; empty for SQLite (KUNDPORTAL_DATABASE_URL)")
	fs.BoolVar(&c.Demo, "demo", demo, "fill a new, empty database with demo data (KUNDPORTAL_DEMO)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", secure, "always mark cookies Secure, behind a TLS proxy (KUNDPORTAL_SECURE_COOKIES)")
	fs.BoolVar(&c.TOTPTechnicians, "totp-technicians", totpTechs, "technicians sign in with a code too (KUNDPORTAL_TOTP_TECHNICIANS)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", trustProxy, "take the client address from X-Forwarded-For, behind a load balancer (KUNDPORTAL_TRUST_PROXY)")
	c.SecretKey = getenv("KUNDPORTAL_SECRET_KEY")
	fs.StringVar(&c.BaseURL, "base-url", env("KUNDPORTAL_BASE_URL", ""), "public address, e.g. https://portal.example, for links in QR codes (KUNDPORTAL_BASE_URL)")
	// The SMTP URL may hold a password: from the environment only, never
	// a flag, so that it does not show in the process list.
	c.SMTPURL = strings.TrimSpace(getenv("KUNDPORTAL_SMTP_URL"))
	fs.StringVar(&c.MailFrom, "mail-from", env("KUNDPORTAL_MAIL_FROM", ""), "sender address of the mails; empty: KUNDPORTAL_COMPANY_EMAIL (KUNDPORTAL_MAIL_FROM)")
	fs.StringVar(&c.S3URL, "s3-url", env("KUNDPORTAL_S3_URL", ""), "bucket for uploaded files, e.g. https://s3.example.com/kundportal, credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; empty: the data directory (KUNDPORTAL_S3_URL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("KUNDPORTAL_METRICS_ADDR", ""), "separate listen address for /metrics, e.g. 127.0.0.1:9090; empty: none (KUNDPORTAL_METRICS_ADDR)")
	c.MetricsToken = strings.TrimSpace(getenv("KUNDPORTAL_METRICS_TOKEN"))
	fs.StringVar(&c.DebugAddr, "debug-addr", env("KUNDPORTAL_DEBUG_ADDR", ""), "loopback address for Go's profiler, e.g. 127.0.0.1:6060; empty: off (KUNDPORTAL_DEBUG_ADDR)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if c.DebugAddr != "" && !loopback(c.DebugAddr) {
		return Config{}, fmt.Errorf("config: KUNDPORTAL_DEBUG_ADDR=%q must be a loopback address such as 127.0.0.1:6060: the profiler shows the server's insides", c.DebugAddr)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return Config{}, fmt.Errorf("config: KUNDPORTAL_METRICS_ADDR=%q is not a listen address such as 127.0.0.1:9090", c.MetricsAddr)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < minMetricsToken {
		return Config{}, fmt.Errorf("config: KUNDPORTAL_METRICS_TOKEN is %d characters; use at least %d random ones (e.g. openssl rand -hex 16)", len(c.MetricsToken), minMetricsToken)
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return Config{}, fmt.Errorf("config: KUNDPORTAL_BASE_URL=%q is not a site address such as https://portal.example", c.BaseURL)
		}
	}
	if c.S3URL != "" {
		if c.S3, err = filestore.ParseS3URL(c.S3URL, getenv); err != nil {
			// The URL may hold credentials by mistake: not repeated.
			return Config{}, fmt.Errorf("config: KUNDPORTAL_S3_URL: %v", err)
		}
	}
	if c.SMTPURL != "" {
		if c.SMTP, err = notify.ParseSMTPURL(c.SMTPURL); err != nil {
			// The URL may hold a password: not repeated here.
			return Config{}, fmt.Errorf("config: KUNDPORTAL_SMTP_URL: %v", err)
		}
		if c.BaseURL == "" {
			return Config{}, errors.New("config: KUNDPORTAL_SMTP_URL is set but KUNDPORTAL_BASE_URL is not: mails link to the portal by its public address, e.g. https://portal.example")
		}
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("config: unexpected arguments %q", fs.Args())
	}
	if c.Company, err = loadCompany(getenv); err != nil {
		return Config{}, err
	}
	if c.MailFrom == "" {
		c.MailFrom = c.Company.Email
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return Config{}, fmt.Errorf("config: KUNDPORTAL_MAIL_FROM=%q is not an e-mail address", c.MailFrom)
	}
	return c, nil
}

// loadCompany reads the company from the KUNDPORTAL_COMPANY_* variables
// over the demo's, and checks it.
func loadCompany(getenv func(string) string) (repair.Company, error) {
	c := repair.DemoCompany
	for key, field := range map[string]*string{
		"NAME": &c.Name, "ORG_NUMBER": &c.OrgNumber, "VAT_NUMBER": &c.VATNumber, "STREET": &c.Street,
		"POSTAL_CODE": &c.PostalCode, "CITY": &c.City, "PHONE": &c.Phone, "EMAIL": &c.Email, "BANKGIRO": &c.Bankgiro,
	} {
		if v := strings.TrimSpace(getenv("KUNDPORTAL_COMPANY_" + key)); v != "" {
			*field = v
		}
	}
	if v := strings.TrimSpace(getenv("KUNDPORTAL_COMPANY_F_SKATT")); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("config: KUNDPORTAL_COMPANY_F_SKATT=%q is not a boolean (use 1 or 0)", v)
		}
		c.FSkatt = b
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, nil
}
