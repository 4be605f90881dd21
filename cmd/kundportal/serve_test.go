package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestSiteURL(t *testing.T) {
	for _, tc := range []struct{ configured, actual, want string }{
		{":8080", "[::]:8080", "http://localhost:8080"},
		{":9090", "[::]:9090", "http://localhost:9090"},
		{"127.0.0.1:8081", "127.0.0.1:8081", "http://127.0.0.1:8081"},
		{"0.0.0.0:8082", "0.0.0.0:8082", "http://localhost:8082"},
		{"[::]:8083", "[::]:8083", "http://localhost:8083"},
		{"[::1]:8084", "[::1]:8084", "http://[::1]:8084"},
		{"portal.example:80", "192.0.2.7:80", "http://portal.example:80"},
		{"127.0.0.1:0", "127.0.0.1:41234", "http://127.0.0.1:41234"}, // the port in use
		{":0", "[::]:39999", "http://localhost:39999"},
	} {
		if got := siteURL(tc.configured, tc.actual); got != tc.want {
			t.Errorf("siteURL(%q, %q) = %q, want %q", tc.configured, tc.actual, got, tc.want)
		}
	}
}

// TestTuneGC: the server collects less often than Go's default, under a
// memory limit, unless the operator set GOGC or GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GC percent = %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != gcMemoryLimit {
		t.Errorf("memory limit = %d, want %d", got, gcMemoryLimit)
	}
	set := map[string]string{"GOGC": "100", "GOMEMLIMIT": "1GiB"}
	tuneGC(func(k string) string { return set[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent = %d, want it left at 100", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: memory limit = %d, want it left alone", got)
	}
}
