package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/metrics/metricstest"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(dir string) func(string) string {
	return func(k string) string {
		switch k {
		case "KUNDPORTAL_DATA_DIR":
			return dir
		case "KUNDPORTAL_ADDR":
			return "127.0.0.1:0"
		}
		return ""
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var out, errOut bytes.Buffer
	add := func(stdin string, args ...string) error {
		out.Reset()
		return run(ctx, append([]string{"user", "add"}, args...), env(dir), strings.NewReader(stdin), &out, &errOut)
	}
	if err := add("ett-långt-lösenord\n", "-email", "Disp2@Example.se", "-name", "Disa Två", "-role", "dispatcher"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out.String(), "disp2@example.se") {
		t.Errorf("output = %q", out.String())
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "kundportal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, "disp2@example.se")
	if err != nil || u.Role != repair.RoleDispatcher || auth.CheckPassword(u.PasswordHash, "ett-långt-lösenord") != nil {
		t.Errorf("created user = %+v, %v; want a dispatcher with the password", u, err)
	}

	bad := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"duplicate", "ett-långt-lösenord\n", []string{"-email", "disp2@example.se", "-name", "X", "-role", "dispatcher"}},
		{"short password", "kort\n", []string{"-email", "a@example.se", "-name", "X", "-role", "admin"}},
		{"customer role without customer", "ett-långt-lösenord\n", []string{"-email", "b@example.se", "-name", "X", "-role", "customer_user"}},
		{"unknown customer", "ett-långt-lösenord\n", []string{"-email", "c@example.se", "-name", "X", "-role", "customer_user", "-customer", "K9999"}},
		{"staff with customer", "ett-långt-lösenord\n", []string{"-email", "d@example.se", "-name", "X", "-role", "admin", "-customer", "K1001"}},
		{"unknown role", "ett-långt-lösenord\n", []string{"-email", "e@example.se", "-name", "X", "-role", "boss"}},
	}
	for _, tt := range bad {
		if err := add(tt.stdin, tt.args...); err == nil {
			t.Errorf("user add (%s) succeeded, want an error", tt.name)
		}
	}
}

// TestServeDemoAndShutdown starts the server with demo data on a free port
// and stops it as SIGTERM would, by cancelling its context.
func TestServeDemoAndShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo data")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	getenv := func(k string) string {
		switch k {
		case "KUNDPORTAL_DEMO":
			return "1"
		case "KUNDPORTAL_METRICS_ADDR":
			return "127.0.0.1:0"
		}
		return env(dir)(k)
	}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, getenv, strings.NewReader(""), &out, &errOut) }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(errOut.String(), "kundportal listening") {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start; log:\n%s", errOut.String())
		}
		select {
		case err := <-done:
			t.Fatalf("server exited early: %v\n%s", err, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	for _, login := range []string{"anna@solgarden.example", "disp@kundportal.example", "demo1234"} {
		if !strings.Contains(out.String(), login) {
			t.Errorf("start-up banner lacks %q", login)
		}
	}
	// The banner names the address the server listens on (port 0 picks one).
	m := regexp.MustCompile(`kundportal listening" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Errorf("no listening address in the log:\n%s", errOut.String())
	} else if want := "logga in på http://" + m[1] + " "; !strings.Contains(out.String(), want) {
		t.Errorf("start-up banner = %q, want %q", out.String(), want)
	} else {
		// The metrics have their own address, and count the site's
		// requests by route.
		site := "http://" + m[1]
		if resp, err := http.Get(site + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("readyz: %v %v", resp, err)
		}
		if resp, _ := http.Get(site + "/metrics"); resp == nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the site without a token: %v, want 404", resp)
		}
		addr := regexp.MustCompile(`metrics listening" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(errOut.String())
		if addr == nil {
			t.Fatalf("no metrics address in the log:\n%s", errOut.String())
		}
		resp, err := http.Get("http://" + addr[1] + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		fams := metricstest.Parse(t, resp)
		if n := fams.Value("kundportal_http_requests_total", map[string]string{"route": "GET /readyz", "code": "200"}); n != 1 {
			t.Errorf("metrics count %v readyz requests, want 1", n)
		}
	}
	// The container's health check: kundportal health on the address.
	listening := "127.0.0.1:0"
	if m != nil {
		listening = m[1]
	}
	checkHealth := func() error {
		return run(context.Background(), []string{"health"}, func(k string) string {
			if k == "KUNDPORTAL_ADDR" {
				return listening
			}
			return ""
		}, strings.NewReader(""), io.Discard, io.Discard)
	}
	if err := checkHealth(); err != nil {
		t.Errorf("health of the running server: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not shut down")
	}
	if err := checkHealth(); err == nil {
		t.Error("health succeeded with the server stopped")
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, env(t.TempDir()), strings.NewReader(""), &out, &out); err == nil {
		t.Error("unknown command succeeded")
	}
}
