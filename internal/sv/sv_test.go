package sv

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		ore  int64
		want string
	}{
		{0, "0,00\u00a0kr"},
		{5, "0,05\u00a0kr"},
		{123450, "1\u00a0234,50\u00a0kr"},
		{100000000, "1\u00a0000\u00a0000,00\u00a0kr"},
		{-65000, "−650,00\u00a0kr"},
		{-5, "−0,05\u00a0kr"},
		{99999, "999,99\u00a0kr"},
		{100000, "1\u00a0000,00\u00a0kr"},
		{math.MaxInt64, "92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,07\u00a0kr"},
		{math.MinInt64, "−92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,08\u00a0kr"},
	} {
		if got := Money(tc.ore); got != tc.want {
			t.Errorf("Money(%d) = %q, want %q", tc.ore, got, tc.want)
		}
	}
}

func TestInteger(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1\u00a0000", -1234567: "−1\u00a0234\u00a0567",
		math.MinInt64: "−9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0808"} {
		if got := Integer(n); got != want {
			t.Errorf("Integer(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Amount(-123456); got != "−1\u00a0234,56" {
		t.Errorf("Amount(-123456) = %q", got)
	}
}

var sink string

func BenchmarkMoney(b *testing.B) {
	for i := range b.N {
		sink = Money(int64(i) * 1237)
	}
}

func TestAmountInput(t *testing.T) {
	for ore, want := range map[int64]string{0: "", 65000: "650,00", 123450: "1 234,50"} {
		if got := AmountInput(ore); got != want {
			t.Errorf("AmountInput(%d) = %q, want %q", ore, got, want)
		}
	}
}

func TestDatesInStockholm(t *testing.T) {
	// 23:30 UTC on New Year's Eve is already the new year in Sweden.
	at := time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)
	if got := Date(at); got != "2026-01-01" {
		t.Errorf("Date = %q, want 2026-01-01", got)
	}
	if got := DateTime(at); got != "2026-01-01 00:30" {
		t.Errorf("DateTime = %q, want 2026-01-01 00:30", got)
	}
	if Date(time.Time{}) != "" || DateTime(time.Time{}) != "" {
		t.Error("zero time should be empty")
	}
}

func TestMinutesQuantityBytes(t *testing.T) {
	for m, want := range map[int]string{0: "0 min", 45: "45 min", 60: "1 h", 95: "1 h 35 min"} {
		if got := Minutes(m); got != want {
			t.Errorf("Minutes(%d) = %q, want %q", m, got, want)
		}
	}
	for q, want := range map[int64]string{1000: "1", 1500: "1,5", 250: "0,25", 12345: "12,345"} {
		if got := Quantity(q); got != want {
			t.Errorf("Quantity(%d) = %q, want %q", q, got, want)
		}
	}
	for n, want := range map[int64]string{999: "999 byte", 12_400: "12 kB", 1_449_999: "1,4 MB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPhone(t *testing.T) {
	want := map[string]string{"+46701234567": "070-123 45 67", "+4781549300": "+47 815 49 300", "+46812345678": "08-123 456 78", "+4915112345678": "+49 1511 2345678", "": "", "junk": "junk"}
	// Twice, the second time remembered; then again after more numbers
	// than are remembered, from several goroutines at once.
	for range 2 {
		for in, w := range want {
			if got := Phone(in); got != w {
				t.Errorf("Phone(%q) = %q, want %q", in, got, w)
			}
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range maxPhones {
				in := fmt.Sprintf("+46701%06d", g*maxPhones+i)
				if got, w := Phone(in), formatPhone(in); got != w {
					t.Errorf("Phone(%q) = %q, want %q", in, got, w)
					return
				}
			}
		})
	}
	wg.Wait()
	for in, w := range want {
		if got := Phone(in); got != w {
			t.Errorf("after many numbers, Phone(%q) = %q, want %q", in, got, w)
		}
	}
}

func TestHours(t *testing.T) {
	for h, want := range map[int]string{0: "0\u00a0h", 5: "5\u00a0h", 24: "1\u00a0d", 54: "2\u00a0d 6\u00a0h", 24 * 1200: "1\u00a0200\u00a0d"} {
		if got := Hours(time.Duration(h) * time.Hour); got != want {
			t.Errorf("Hours(%d h) = %q, want %q", h, got, want)
		}
	}
}

func TestWindow(t *testing.T) {
	start := time.Date(2026, 3, 16, 7, 0, 0, 0, time.UTC) // 08:00 in Stockholm, a Monday
	for _, c := range []struct {
		start, end time.Time
		want       string
	}{
		{start, start.Add(4 * time.Hour), "måndag 2026-03-16 kl. 08:00–12:00"},
		{start, start.Add(24 * time.Hour), "måndag 2026-03-16 kl. 08:00 – 2026-03-17 08:00"},
		{start, time.Time{}, "måndag 2026-03-16 kl. 08:00"},
		{time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC), time.Time{}, "söndag 2026-03-15 kl. 00:30"},
		{time.Time{}, start, ""},
	} {
		if got := Window(c.start, c.end); got != c.want {
			t.Errorf("Window(%v, %v) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
}
