package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/orders"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestTwoInstancesShareSessions runs two handlers, each with its own store
// handle on one database, like two app instances behind a load balancer: a
// login on one is valid on the other, a logout on one ends it on both, and
// login throttling counts failures from both.
func TestTwoInstancesShareSessions(t *testing.T) {
	storetest.ForEachPair(t, func(t *testing.T, dbA, dbB *store.DB) {
		f := newFixture(t, dbA) // instance A, and the data
		hB, err := New(Options{DB: dbB, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		b := httptest.NewServer(hB)
		defer b.Close()

		c := f.login(f.anna.Email) // on A
		uA, _ := url.Parse(f.srv.URL)
		uB, _ := url.Parse(b.URL)
		c.Jar.SetCookies(uB, c.Jar.Cookies(uA)) // the balancer sends the next request to B

		get := func(base, path string) *http.Response {
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { resp.Body.Close() })
			return resp
		}
		resp := get(b.URL, "/arenden/"+itoa(f.myCase.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("B: GET own case with A's session = %d, want 200", resp.StatusCode)
		}
		if h := doc(t, resp).Find("h1").Text(); !strings.Contains(h, f.myCase.Number) {
			t.Errorf("B: case page heading = %q", h)
		}
		if resp := get(b.URL, "/arenden/"+itoa(f.theirCase.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("B: foreign case = %d, want 404", resp.StatusCode)
		}

		// Log out on B; A must no longer accept the session.
		if resp, err := c.PostForm(b.URL+"/logga-ut", nil); err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("B: logout = %v, %v", resp, err)
		}
		c.Jar.SetCookies(uA, c.Jar.Cookies(uB))
		old := f.client()
		if resp := get(f.srv.URL, "/sok-arende"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("A: after logout on B = %d, want redirect to login", resp.StatusCode)
		}

		// Failures split across instances add up.
		for i := 0; i < orders.MaxAccountFailures; i++ {
			base := f.srv.URL
			if i%2 == 1 {
				base = b.URL
			}
			old.PostForm(base+"/logga-in", url.Values{"email": {f.olle.Email}, "password": {"fel"}})
		}
		for _, base := range []string{f.srv.URL, b.URL} {
			resp, err := old.PostForm(base+"/logga-in", url.Values{"email": {f.olle.Email}, "password": {testPassword}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Errorf("%s: login after failures on both instances = %d, want 429", base, resp.StatusCode)
			}
		}
	})
}
