package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPanicGivesSwedish500 checks that a handler's panic becomes the
// Swedish error page with status 500, no stack trace, and one log line.
func TestPanicGivesSwedish500(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := &server{pages: pages, log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("database on fire")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/arenden/1", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	if !strings.Contains(string(body), "Något gick fel") {
		t.Errorf("body lacks the Swedish heading: %.300s", body)
	}
	if strings.Contains(string(body), "database on fire") || strings.Contains(string(body), "goroutine") {
		t.Error("the error page leaks the panic")
	}
	if !strings.Contains(logs.String(), "database on fire") {
		t.Error("the panic was not logged")
	}
}

// TestExportErrors checks what a download that fails tells the client:
// before its first byte, the Swedish error page (not saved as a file);
// after it, a broken download, never an error page appended to the rows.
func TestExportErrors(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := &server{pages: pages, log: slog.New(slog.NewTextHandler(&logs, nil))}
	day := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	// rows streams n rows of a CSV export, then fails as a database would.
	rows := func(n int) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error {
			ew, err := newExport(w, "csv", "arenden", "Ärenden", []string{"Ärende", "Ort / Titel"}, day)
			if err != nil {
				return err
			}
			defer ew.Abort()
			for i := range n {
				if err := ew.Row(fmt.Sprintf("ÄR-%06d", i), "Skövde Kyl varm"); err != nil {
					return err
				}
			}
			return errors.New("database gone")
		}
	}
	srv := httptest.NewServer(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		s.handle(rows(n)).ServeHTTP(w, r)
	})))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/export.csv?n=10")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "Något gick fel") {
		t.Errorf("early failure = %d %q (%v), want the 500 page", resp.StatusCode, body, err)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		t.Errorf("the error page carries Content-Disposition %q: it would be saved as the file", cd)
	}

	logs.Reset()
	resp, err = http.Get(srv.URL + "/export.csv?n=10000") // ~250 KB, past the 64 KB buffer
	if err != nil {
		t.Fatal(err)
	}
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("late failure = %d, body read error %v; want 200 and a broken body", resp.StatusCode, err)
	}
	if !bytes.HasPrefix(body, []byte("\uFEFFÄrende;Ort / Titel\r\n")) || bytes.Contains(body, []byte("<html")) ||
		bytes.Contains(body, []byte("Något gick fel")) {
		t.Errorf("late failure sent %d bytes that are not just the rows' start: ...%q", len(body), body[max(0, len(body)-200):])
	}
	if !strings.Contains(logs.String(), "response aborted") || !strings.Contains(logs.String(), "database gone") {
		t.Errorf("the late failure was not logged: %s", logs.String())
	}
}
