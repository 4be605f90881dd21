package web

import (
	"io"
	"net/http"
	"testing"

	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// bodyText reads the whole response body.
func bodyText(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHealth(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, p := range []string{"/healthz", "/readyz"} {
			resp := f.get(f.client(), p)
			if b := bodyText(t, resp); resp.StatusCode != http.StatusOK || b != "ok\n" {
				t.Errorf("GET %s = %d %q, want 200 \"ok\\n\"", p, resp.StatusCode, b)
			}
		}
	})
}

// TestReadyzDatabaseDown: with the database gone, /readyz tells the load
// balancer to send no traffic here (503, in Swedish), while /healthz, which
// says only that the process runs, stays 200 so that it is not restarted
// for a fault of the database.
func TestReadyzDatabaseDown(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if err := db.Close(); err != nil {
			t.Fatalf("close the database: %v", err)
		}
		resp := f.get(f.client(), "/readyz")
		if b := bodyText(t, resp); resp.StatusCode != http.StatusServiceUnavailable || b != "databasen svarar inte\n" {
			t.Errorf("GET /readyz with the database closed = %d %q, want 503 \"databasen svarar inte\\n\"", resp.StatusCode, b)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("GET /readyz Content-Type = %q, want text/plain; charset=utf-8", ct)
		}
		resp = f.get(f.client(), "/healthz")
		if b := bodyText(t, resp); resp.StatusCode != http.StatusOK || b != "ok\n" {
			t.Errorf("GET /healthz with the database closed = %d %q, want 200 \"ok\\n\"", resp.StatusCode, b)
		}
	})
}
