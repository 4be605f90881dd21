package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"kundportal/internal/storetest"
)

// TestPagesTakeTurns: a page waits while every turn is taken and is
// served once one is given back, and gives its own back; exports,
// downloads, static files and saves do not wait for a turn; a client
// that goes away while it waits takes none with it.
func TestPagesTakeTurns(t *testing.T) {
	f := newFixture(t, storetest.Open(t))
	s, err := newServer(Options{DB: f.db, Files: f.files, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ops: f.ops})
	if err != nil {
		t.Fatal(err)
	}
	s.turns = make(pageTurns, 1)
	f.srv.Close()
	f.srv = httptest.NewServer(s.middleware(s.routes()))
	t.Cleanup(f.srv.Close)
	anna := f.login(f.anna.Email)

	// get requests path in the background and tells its status.
	get := func(ctx context.Context, path string) <-chan int {
		done := make(chan int, 1)
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL+path, nil)
			resp, err := anna.Do(req)
			if err != nil {
				done <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		return done
	}
	wait := func(what string, done <-chan int) int {
		t.Helper()
		select {
		case status := <-done:
			return status
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no answer", what)
			return 0
		}
	}

	s.turns <- struct{}{} // every turn taken
	t.Cleanup(func() {
		// Given back if the test failed holding it, so that the server
		// can close.
		select {
		case <-s.turns:
		default:
		}
	})
	page := get(context.Background(), "/sok-arende")
	for _, path := range []string{"/sok-arende/export.csv", "/filer/" + itoa(f.myFile.ID), "/static/style.css"} {
		if status := wait(path, get(context.Background(), path)); status != http.StatusOK {
			t.Errorf("%s with every turn taken: %d, want 200", path, status)
		}
	}
	if resp := f.post(anna, "/arenden/"+itoa(f.myCase.ID)+"/information", url.Values{"note": {"Portkoden är 4321."}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a save with every turn taken: %d, want 303", resp.StatusCode)
	}
	select {
	case status := <-page:
		t.Fatalf("a page served (%d) with every turn taken", status)
	case <-time.After(200 * time.Millisecond):
	}
	// A client that gives up waiting.
	ctx, cancel := context.WithCancel(context.Background())
	gone := get(ctx, "/dashboard")
	time.Sleep(50 * time.Millisecond)
	cancel()
	wait("a page given up", gone)

	<-s.turns // the turn given back
	if status := wait("the waiting page", page); status != http.StatusOK {
		t.Errorf("the waiting page: %d, want 200", status)
	}
	// Every page gives its turn back, whatever it answers, so that one
	// turn serves them one after another.
	for _, path := range []string{"/sok-arende", "/arenden/" + itoa(f.theirCase.ID), "/dashboard", "/fakturaspecifikation"} {
		want := http.StatusOK
		if path == "/arenden/"+itoa(f.theirCase.ID) {
			want = http.StatusNotFound
		}
		if status := wait(path, get(context.Background(), path)); status != want {
			t.Errorf("%s: %d, want %d", path, status, want)
		}
	}
	if n := len(s.turns); n != 0 {
		t.Errorf("%d turns still taken", n)
	}
}
