package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
