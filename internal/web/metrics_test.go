package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"kundportal/internal/metrics"
	"kundportal/internal/metrics/metricstest"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestMetrics: /metrics answers a scraper with the token only, in a form
// Prometheus parses, counting requests by route pattern (an id in a path
// never becomes a label), failed logins, the outbox's depth, the
// database's time and its pools.
func TestMetrics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const token = "skrapnyckel-0123456789abcdef"
		m := metrics.New()
		m.WatchDB(db)
		h, err := New(Options{DB: db, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ops: f.ops,
			Metrics: m, MetricsToken: token})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		defer srv.Close()

		session := sessionToken(t, f.login(f.anna.Email), f.srv.URL)
		for _, id := range []int64{f.myCase.ID, f.myCase.ID, f.theirCase.ID} {
			replayGet(t, srv.URL, session, "/arenden/"+itoa(id)).Body.Close()
		}
		replayGet(t, srv.URL, session, "/finns/inte/4711").Body.Close()
		resp, err := http.PostForm(srv.URL+"/logga-in", url.Values{"email": {f.anna.Email}, "password": {"fel lösenord"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		scrape := func(auth string) *http.Response {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		for _, auth := range []string{"", "Bearer fel", "Bearer " + token + "x", token} {
			if resp := scrape(auth); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("scrape with Authorization %q: %d, want 401", auth, resp.StatusCode)
			}
		}
		resp = scrape("Bearer " + token)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("scrape with the token: %d", resp.StatusCode)
		}
		fams := metricstest.Parse(t, resp)

		requests := func(route, code string) float64 {
			return fams.Value("kundportal_http_requests_total", map[string]string{"route": route, "code": code})
		}
		if n := requests("GET /arenden/{id}", "200"); n != 2 {
			t.Errorf("requests of GET /arenden/{id} answered 200: %v, want 2", n)
		}
		if n := requests("GET /arenden/{id}", "404"); n != 1 {
			t.Errorf("requests of GET /arenden/{id} answered 404 (another customer's case): %v, want 1", n)
		}
		if n := requests(metrics.Unmatched, "404"); n != 1 {
			t.Errorf("unmatched requests answered 404: %v, want 1", n)
		}
		if n := fams.Value("kundportal_http_request_duration_seconds", map[string]string{"route": "GET /arenden/{id}"}); n != 3 {
			t.Errorf("latency samples of GET /arenden/{id}: %v, want 3", n)
		}
		rawPath := regexp.MustCompile(`/[0-9]`)
		for _, route := range fams.Labels("kundportal_http_requests_total", "route") {
			if rawPath.MatchString(route) {
				t.Errorf("route label %q is a raw path", route)
			}
		}
		if n := fams.Value("kundportal_login_failures_total", map[string]string{"reason": "password"}); n != 1 {
			t.Errorf("failed logins (password): %v, want 1", n)
		}
		// The fixture leaves two mails unsent.
		if n := fams.Value("kundportal_outbox_waiting", nil); n != 2 {
			t.Errorf("outbox waiting: %v, want 2", n)
		}
		for _, kind := range []string{"read", "write"} {
			if n := fams.Value("kundportal_db_duration_seconds", map[string]string{"kind": kind}); n < 1 {
				t.Errorf("database %s timings: %v samples, want some", kind, n)
			}
		}
		pools := fams.Labels("go_sql_open_connections", "db_name")
		if len(pools) == 0 {
			t.Errorf("no database pool figures; families: %d", len(fams))
		}
		for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
			if fams.Value(name, nil) < 0 {
				t.Errorf("%s missing", name)
			}
		}
	})
}

// Without a token /metrics is not on the site: it may have its own
// address instead (KUNDPORTAL_METRICS_ADDR).
func TestNoMetricsWithoutToken(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	resp, err := http.Get(f.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics without a token configured: %d, want 404", resp.StatusCode)
	}
}
