// Package e2e drives the real site in Debian's chromium, as a person would,
// and checks every page it visits with axe-core against WCAG 2.1 A and AA.
//
// The server runs in-process (httptest) on a temporary SQLite store filled
// once per package run with the demo data. Each test gets a browser of its
// own, so cookies never leak between tests.
//
// Without chromium or axe-core the tests skip, so that `go test ./...` works
// on a bare developer machine; when CI=true or KUNDPORTAL_REQUIRE_BROWSER=1
// they fail instead, so a CI machine that lost its browser cannot go green.
// `go test -short` skips them too, unless they are required.
package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"kundportal/internal/auth"
	"kundportal/internal/demo"
	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
	"kundportal/internal/web"
)

// demoPassword is the password of every demo account.
const demoPassword = "demo1234"

// A step is one wait, click, navigation or axe run; a test is one browser's
// whole life. Both are generous for a loaded two-core CI machine, and still
// end a hung test long before go test's own ten-minute panic.
const (
	stepTimeout = 30 * time.Second
	testTimeout = 3 * time.Minute
)

// axePath is where `npm ci` in this directory puts axe-core.
var axePath = filepath.Join("node_modules", "axe-core", "axe.min.js")

// TestMain stops the shared server, if a test started it, after all tests.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, s := range servers {
		s.close()
	}
	os.Exit(code)
}

// browserRequired reports whether a missing browser or axe-core must fail the
// tests rather than skip them.
func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("KUNDPORTAL_REQUIRE_BROWSER") == "1"
}

// unavailable skips the test, or fails it when the browser is required.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if browserRequired() {
		t.Fatalf("browser tests are required (CI=true or KUNDPORTAL_REQUIRE_BROWSER=1), but %s", msg)
	}
	t.Skipf("skipping browser test: %s", msg)
}

// shared is what all tests of the package share: the chromium binary, the
// axe-core source and the server with the demo data. Each part is set up on
// first use, so `go test -run NoSuchTest` starts nothing.
type shared struct {
	chromiumOnce sync.Once
	chromium     string
	chromiumErr  error

	axeOnce sync.Once
	axe     string
	axeErr  error
}

var suite shared

// server is one site under test on one database backend, started on first
// use and shared by the tests that ask for that backend.
type server struct {
	backend string // "sqlite" or "postgres"
	once    sync.Once
	err     error
	srv     *httptest.Server
	db      *store.DB
	ops     *orders.Ops
	dir     string
	dropPG  func() // drops the PostgreSQL schema, if one was made
}

// servers holds the site under test per backend. SQLite is the default;
// the PostgreSQL one runs the main paths once more on a real server.
var servers = map[string]*server{"sqlite": {backend: "sqlite"}, "postgres": {backend: "postgres"}}

// findChromium returns the browser to drive: $KUNDPORTAL_CHROMIUM if set,
// else Debian's /usr/bin/chromium, else chromium on $PATH.
func findChromium() (string, error) {
	if p := os.Getenv("KUNDPORTAL_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("KUNDPORTAL_CHROMIUM: %w", err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("chromium is not installed (Debian: apt-get install chromium; or set KUNDPORTAL_CHROMIUM to a Chrome binary)")
}

// loadAxe returns the source of axe.min.js. When node_modules lacks it, it
// runs `npm ci` in this directory first, so that a developer with npm needs
// no extra step.
func loadAxe(t testing.TB) (string, error) {
	if src, err := os.ReadFile(axePath); err == nil {
		return string(src), nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("e2e/%s is missing and npm is not installed (install Node.js and npm, then run `npm ci` in e2e/)", axePath)
	}
	t.Logf("e2e/%s is missing: running npm ci --no-audit --no-fund in e2e/", axePath)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm ci in e2e/: %w\n%s", err, out)
	}
	src, err := os.ReadFile(axePath)
	if err != nil {
		return "", fmt.Errorf("npm ci ran, but axe-core is still missing: %w", err)
	}
	return string(src), nil
}

// start opens a new store (an SQLite file in a temporary directory, or a
// fresh schema in the test PostgreSQL database), loads the demo data into
// it and serves the real web handler, exactly as production wires it,
// minus the logs.
func (s *server) start() error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kundportal-e2e-")
	if err != nil {
		return err
	}
	s.dir = dir
	var db *store.DB
	if s.backend == "postgres" {
		var url string
		url, s.dropPG, err = postgresSchema(ctx)
		if err == nil {
			db, err = store.OpenPostgres(ctx, url)
		}
	} else {
		db, err = store.OpenSQLite(ctx, filepath.Join(dir, "kp.db"))
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	s.db = db
	files, err := filestore.NewDisk(filepath.Join(dir, "files"))
	if err != nil {
		return fmt.Errorf("open file store: %w", err)
	}
	if err := demo.Load(ctx, db, files, time.Now()); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	s.ops = orders.New(db, files, nil)
	if err := demo.SetUpTwoFactor(ctx, db, s.ops); err != nil {
		return fmt.Errorf("demo two-factor login: %w", err)
	}
	h, err := web.New(web.Options{
		DB:     db,
		Files:  files,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ops:    s.ops,
	})
	if err != nil {
		return fmt.Errorf("web.New: %w", err)
	}
	s.srv = httptest.NewServer(h)
	// Mail links lead to this server, as KUNDPORTAL_BASE_URL would.
	s.ops.UseMail(s.srv.URL)
	return nil
}

// close stops the server and removes its data. The browsers are gone by
// then: each test's cleanup waits for its own to exit.
func (s *server) close() {
	if s.srv != nil {
		s.srv.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.dropPG != nil {
		s.dropPG()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// postgresSchema makes a fresh schema in the test PostgreSQL database and
// returns a URL that uses it, and a function that drops it.
func postgresSchema(ctx context.Context) (string, func(), error) {
	base := os.Getenv(storetest.PostgresURLEnv)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := fmt.Sprintf("e2e_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	drop := func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, drop, nil
}

// Viewport is the size of a browser window in CSS pixels.
type Viewport struct {
	Width, Height int
	// Mobile emulates a phone: the page's meta viewport applies and
	// scrollbars overlay the content, so a page without
	// width=device-width lays out at 980 px and shows it.
	Mobile bool
}

var (
	// Desktop is an ordinary office screen.
	Desktop = Viewport{Width: 1280, Height: 900}
	// Phone is a small phone, the narrowest screen the site supports.
	Phone = Viewport{Width: 360, Height: 740, Mobile: true}
)

// Browser is one chromium process with one tab, pointed at the shared
// server. Its methods fail the test on error; none of them sleeps.
type Browser struct {
	ctx  context.Context // the tab; no timeout of its own, see step
	base string          // the server's URL, without a trailing slash
	vp   Viewport

	mu       sync.Mutex
	problems []string // page errors seen since the last report
	ignored  []string // page errors a test expects from now on (ignoreProblems)

	// noScripts: the tab runs pages without JavaScript (DisableScripts).
	noScripts bool
	site      *server
}

// DisableScripts makes the tab load and run pages without JavaScript, as
// a browser with scripts turned off would, for the paths that must work
// without them. axe-core still runs: it gets scripts back for its own run
// only, after the page has loaded without them.
func (b *Browser) DisableScripts(t testing.TB) {
	t.Helper()
	b.do(t, "disable JavaScript", b.scriptsDisabled(true))
	b.noScripts = true
}

func (b *Browser) scriptsDisabled(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

// NewBrowser starts a desktop-sized browser for t, or skips (fails, in CI)
// the test when chromium or axe-core is missing. The browser exits when the
// test ends.
func NewBrowser(t *testing.T) *Browser {
	t.Helper()
	return NewBrowserAt(t, Desktop)
}

// NewBrowserAt is NewBrowser with the window size vp.
func NewBrowserAt(t *testing.T, vp Viewport) *Browser {
	t.Helper()
	return newBrowser(t, vp, "sqlite")
}

// NewBrowserOnPostgres is NewBrowser against a site on PostgreSQL. Without
// a test database it skips, or fails when PostgreSQL is required.
func NewBrowserOnPostgres(t *testing.T) *Browser {
	t.Helper()
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		if os.Getenv(storetest.RequirePostgresEnv) == "1" {
			t.Fatalf("%s=1 but %s is not set", storetest.RequirePostgresEnv, storetest.PostgresURLEnv)
		}
		t.Skipf("set %s to run the browser tests on PostgreSQL", storetest.PostgresURLEnv)
	}
	return newBrowser(t, Desktop, "postgres")
}

func newBrowser(t *testing.T, vp Viewport, backend string) *Browser {
	t.Helper()
	if testing.Short() && !browserRequired() {
		t.Skip("skipping browser test in -short mode")
	}
	suite.chromiumOnce.Do(func() { suite.chromium, suite.chromiumErr = findChromium() })
	if suite.chromiumErr != nil {
		unavailable(t, "%v", suite.chromiumErr)
	}
	suite.axeOnce.Do(func() { suite.axe, suite.axeErr = loadAxe(t) })
	if suite.axeErr != nil {
		unavailable(t, "axe-core: %v", suite.axeErr)
	}
	site := servers[backend]
	site.once.Do(func() { site.err = site.start() })
	if site.err != nil {
		t.Fatalf("start the server under test (%s): %v", backend, site.err)
	}

	// Cleanups run last-in first-out: the browser exits before its
	// profile directory is removed.
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(suite.chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where chromium refuses its sandbox
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(vp.Width, vp.Height),
	)
	life, cancelLife := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancelLife)
	alloc, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	t.Cleanup(cancelAlloc)
	b := &Browser{base: site.srv.URL, vp: vp, site: site}
	tab, cancelTab := chromedp.NewContext(alloc, chromedp.WithListener(b.watch))
	t.Cleanup(cancelTab)
	b.ctx = tab

	// The first Run starts the browser, bound to the context it gets, so
	// it must not be a step context with its own short timeout.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start chromium (%s): %v", suite.chromium, err)
	}
	if vp.Mobile {
		b.do(t, "emulate a phone", chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height), chromedp.EmulateMobile, chromedp.EmulateTouch))
	}
	t.Cleanup(func() { b.reportProblems(t) })
	return b
}

// watch records what a person would see as a broken page: uncaught
// JavaScript exceptions, errors in the console (a content security policy
// violation lands there) and page resources that failed to load. It runs on
// the browser's event loop, so it only appends under the lock.
func (b *Browser) watch(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		p = fmt.Sprintf("JavaScript exception: %s", d.Text)
		if d.Exception != nil && d.Exception.Description != "" {
			p += " " + d.Exception.Description
		}
		if d.URL != "" {
			p += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
		}
	case *log.EventEntryAdded:
		// Network entries repeat what the network events below say, and
		// they also report a document's deliberate 401 or 422.
		if ev.Entry.Level == log.EntryLevelError && ev.Entry.Source != log.EntrySourceNetwork {
			p = fmt.Sprintf("console %s error: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventResponseReceived:
		// The browser asks for /favicon.ico by itself, of the stand-in
		// pages of some tests too, which have none; the site's own icon,
		// linked from every page, counts like any other resource, and
		// TestLoginEmptyFields fetches /favicon.ico from the site.
		if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 &&
			!(ev.Type == network.ResourceTypeOther && strings.HasSuffix(ev.Response.URL, "/favicon.ico")) {
			p = fmt.Sprintf("%s %s answered %d", ev.Type, ev.Response.URL, ev.Response.Status)
		}
	case *network.EventLoadingFailed:
		if ev.Type != network.ResourceTypeDocument && !ev.Canceled {
			p = fmt.Sprintf("%s request %s failed: %s %s", ev.Type, ev.RequestID, ev.ErrorText, ev.BlockedReason)
		}
	}
	if p != "" {
		b.mu.Lock()
		if !slices.ContainsFunc(b.ignored, func(s string) bool { return strings.Contains(p, s) }) {
			b.problems = append(b.problems, p)
		}
		b.mu.Unlock()
	}
}

// reportProblems fails the test with the page errors seen since the last
// call, and forgets them.
func (b *Browser) reportProblems(t testing.TB) {
	t.Helper()
	b.mu.Lock()
	ps := b.problems
	b.problems = nil
	b.mu.Unlock()
	if len(ps) > 0 {
		t.Errorf("page errors:\n  %s", strings.Join(ps, "\n  "))
	}
}

// step returns a context for one step: the tab, with stepTimeout.
func (b *Browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions as one step, and fails the test with what, the current
// URL and the error if they fail.
func (b *Browser) do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s (at %s): %v", what, b.location(), err)
	}
}

// Do runs actions, such as filling in a form, in one step of stepTimeout.
func (b *Browser) Do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	b.do(t, "browser actions", actions...)
}

// Eval evaluates the JavaScript expression in the page and decodes its
// result into T.
func Eval[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s (at %s): %v", expr, b.location(), err)
	}
	return v
}

// EvalAsync is Eval for an expression that gives a promise: it waits for
// the promise and decodes its value.
func EvalAsync[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s (at %s): %v", expr, b.location(), err)
	}
	return v
}

// location is the tab's current URL, for error messages; it never fails.
func (b *Browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown URL"
	}
	return loc
}

// Path is the path and query of the page the tab shows.
func (b *Browser) Path(t testing.TB) string {
	t.Helper()
	return Eval[string](t, b, `location.pathname + location.search`)
}

// Visit loads path (say "/logga-in") and checks the page with CheckPage. It
// returns the HTTP status of the page, after redirects.
func (b *Browser) Visit(t testing.TB, path string) int {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		t.Fatalf("visit %s: %v", path, err)
	}
	b.CheckPage(t)
	return int(resp.Status)
}

// Follow clicks sel, which must load a new page (a link, or a form's submit
// button), waits for that page and checks it with CheckPage. It returns the
// HTTP status of the new page, after redirects.
func (b *Browser) Follow(t testing.TB, sel string) int {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s and wait for the next page (from %s): %v", sel, b.location(), err)
	}
	b.CheckPage(t)
	return int(resp.Status)
}

// CheckPage waits for the page's body and runs CheckA11y; it also reports
// the page errors seen since the last check. Visit and Follow call it;
// call it yourself after any other way of loading a page.
func (b *Browser) CheckPage(t testing.TB) {
	t.Helper()
	b.do(t, "wait for the page body", chromedp.WaitReady(chromedp.CSS("body")))
	b.CheckA11y(t)
	b.reportProblems(t)
}

// axeViolation is the part of an axe-core violation that a person fixing it
// needs. Targets holds one CSS selector per failing element; an element
// inside a shadow root or an iframe shows as "outer >>> inner".
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Targets []string `json:"targets"`
}

// axeRun runs axe-core's WCAG 2.0/2.1 A and AA rules on the whole document
// and returns only the violations ("incomplete" results need a person and
// would make the check flaky).
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	helpUrl: v.helpUrl,
	targets: v.nodes.map(n => n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : s).join(' >>> ')),
})))`

// maxTargets is how many failing elements a violation lists.
const maxTargets = 5

// CheckA11y runs axe-core on the current page (see axeViolations) and
// fails the test with one line per WCAG 2.1 A/AA violation.
func (b *Browser) CheckA11y(t testing.TB) {
	t.Helper()
	vs := b.axeViolations(t)
	if len(vs) == 0 {
		return
	}
	var sb strings.Builder
	page := b.location()
	if u, err := url.Parse(page); err == nil {
		page = u.RequestURI()
	}
	fmt.Fprintf(&sb, "axe-core: %d WCAG 2.1 A/AA violation(s) on %s at %dx%d:", len(vs), page, b.vp.Width, b.vp.Height)
	for _, v := range vs {
		targets := v.Targets
		more := ""
		if len(targets) > maxTargets {
			more = fmt.Sprintf(" (and %d more)", len(targets)-maxTargets)
			targets = targets[:maxTargets]
		}
		fmt.Fprintf(&sb, "\n  - %s [%s]: %s\n    elements: %s%s\n    see %s",
			v.ID, v.Impact, v.Help, strings.Join(targets, ", "), more, v.HelpURL)
	}
	t.Error(sb.String())
}

// axeViolations injects axe-core into the current page, unless it is there
// already, and returns the page's WCAG 2.1 A/AA violations. It is apart
// from CheckA11y so that the harness's self-test can assert on the list.
func (b *Browser) axeViolations(t testing.TB) []axeViolation {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if b.noScripts {
		// axe-core waits on timers, which do not fire without scripts.
		if err := chromedp.Do(ctx, b.scriptsDisabled(false)); err != nil {
			t.Fatalf("enable JavaScript for axe-core: %v", err)
		}
		defer func() {
			if err := chromedp.Do(ctx, b.scriptsDisabled(true)); err != nil {
				t.Fatalf("disable JavaScript after axe-core: %v", err)
			}
		}()
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err == nil && !loaded {
		// The newline ends the file's last line comment, if it has one.
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](suite.axe+"\n;undefined"))
	}
	if err != nil {
		t.Fatalf("inject axe-core into %s: %v", b.location(), err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core on %s: %v", b.location(), err)
	}
	return vs
}

// Login fills in the login form on the current page with email and
// password and submits it, and returns the status of the page that follows.
func (b *Browser) Login(t testing.TB, email, password string) int {
	t.Helper()
	// The demo's staff sign in with a code from the demo's two-factor
	// key; its next code may be taken (a test signs one user in many
	// times within one time step).
	u, err := b.site.db.UserByEmail(context.Background(), email)
	twoFactor := err == nil && u.TOTPEnabled
	if twoFactor {
		if err := b.site.ops.UseTOTPSecret(context.Background(), email, demo.TOTPSecret); err != nil {
			t.Fatal(err)
		}
	}
	b.do(t, "fill in the login form",
		chromedp.WaitVisible(chromedp.ID("email")),
		// The form may show the address of a failed attempt. (chromedp
		// v0.23's SetValue cannot set "", so clear the fields in the page.)
		chromedp.Evaluate[chromedp.Void](`for (const id of ['email', 'password']) document.getElementById(id).value = ''`),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	status := b.Follow(t, "[data-testid=login-submit]")
	if !twoFactor || !strings.HasPrefix(b.Path(t), "/logga-in/kod") {
		return status
	}
	code, err := auth.TOTPCode(demo.TOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.do(t, "type the code", chromedp.WaitVisible(chromedp.ID("code")), chromedp.SendKeys(chromedp.ID("code"), code))
	return b.Follow(t, "[data-testid=code-submit]")
}

// WaitVisible waits until sel matches an element that is visible.
func (b *Browser) WaitVisible(t testing.TB, sel string) {
	t.Helper()
	b.do(t, "wait for "+sel+" to be visible", chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Count is the number of elements that match sel now, without waiting.
func (b *Browser) Count(t testing.TB, sel string) int {
	t.Helper()
	return Eval[int](t, b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// Text is the visible text of the first element that matches sel, trimmed.
func (b *Browser) Text(t testing.TB, sel string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("read the text of %s (at %s): %v", sel, b.location(), err)
	}
	return strings.TrimSpace(s)
}

// Value is the current value of the form field sel.
func (b *Browser) Value(t testing.TB, sel string) string {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read the value of %s (at %s): %v", sel, b.location(), err)
	}
	return s
}
