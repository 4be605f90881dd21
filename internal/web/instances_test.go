package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/s3test"
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

		// Go's cookie jar ignores ports, so one jar cannot tell A from B:
		// the token goes to each instance by hand instead.
		token := sessionToken(t, f.login(f.anna.Email), f.srv.URL) // signed in on A
		resp := replayGet(t, b.URL, token, "/arenden/"+itoa(f.myCase.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("B: GET own case with A's session = %d, want 200", resp.StatusCode)
		}
		if h := doc(t, resp).Find("h1").Text(); !strings.Contains(h, f.myCase.Number) {
			t.Errorf("B: case page heading = %q", h)
		}
		if resp := replayGet(t, b.URL, token, "/arenden/"+itoa(f.theirCase.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("B: foreign case = %d, want 404", resp.StatusCode)
		}

		// Log out on B; A must no longer accept the token.
		if resp := replay(t, b.URL, token, http.MethodPost, "/logga-ut", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("B: logout = %d, want 303", resp.StatusCode)
		}
		wantRefused(t, "A, after logout on B", replayGet(t, f.srv.URL, token, "/sok-arende"))
		wantRefused(t, "B, after logout on B", replayGet(t, b.URL, token, "/sok-arende"))

		// Failures split across instances add up.
		anon := f.client()
		for i := 0; i < orders.MaxAccountFailures; i++ {
			base := f.srv.URL
			if i%2 == 1 {
				base = b.URL
			}
			anon.PostForm(base+"/logga-in", url.Values{"email": {f.olle.Email}, "password": {"fel"}})
		}
		for _, base := range []string{f.srv.URL, b.URL} {
			resp, err := anon.PostForm(base+"/logga-in", url.Values{"email": {f.olle.Email}, "password": {testPassword}})
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

// TestTwoInstancesShareFiles runs two instances on one PostgreSQL
// database and one S3 bucket, each with its own store and bucket client:
// a photo uploaded through one is served, with its thumbnail, by the
// other, both ways.
func TestTwoInstancesShareFiles(t *testing.T) {
	url := storetest.PostgresURL(t)
	cfg := s3test.Config(t)
	ctx := context.Background()
	instance := func() (*store.DB, *httptest.Server) {
		db, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		files, err := filestore.NewS3(ctx, cfg, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		h, err := New(Options{DB: db, Files: files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ops: orders.New(db, files, nil)})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return db, srv
	}
	dbA, a := instance()
	_, b := instance()
	f := newFixture(t, dbA)
	// Signed in on the fixture's own instance, which holds the keys of
	// the two-factor secrets; the sessions are in the database and the
	// jar's cookies go to every instance, since it ignores ports.
	disp, anna := f.login(f.disp.Email), f.login(f.anna.Email)
	path := "/order/arenden/" + itoa(f.myCase.ID) + "/filer"

	for i, via := range []*httptest.Server{a, b} {
		from, to := a, b
		if via == b {
			from, to = b, a
		}
		f.srv = from
		photo := pngBytes(t, 400+i, 200)
		if resp := f.postFile(disp, path, "photo", "pump.png", photo); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload on instance %d = %d", i+1, resp.StatusCode)
		}
		files, err := dbA.CaseFiles(ctx, repair.StaffScope(), f.myCase.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored := files[len(files)-1]
		f.srv = to
		got := f.get(anna, "/filer/"+itoa(stored.ID))
		if body, _ := io.ReadAll(got.Body); got.StatusCode != http.StatusOK || !bytes.Equal(body, photo) {
			t.Errorf("the other instance serves the upload: %d, %d bytes; want 200 and the %d bytes sent", got.StatusCode, len(body), len(photo))
		}
		if th := f.get(anna, "/filer/"+itoa(stored.ID)+"/miniatyr"); th.StatusCode != http.StatusOK || th.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("the other instance serves the thumbnail: %d %s", th.StatusCode, th.Header.Get("Content-Type"))
		}
	}
}
