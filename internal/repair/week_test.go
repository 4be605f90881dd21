package repair

import (
	"testing"
	"time"
)

func TestParseISOWeek(t *testing.T) {
	for _, tc := range []struct {
		in, monday string // monday "" means not a week
	}{
		{"2026-W49", "2026-11-30"},
		{"2026-w49", "2026-11-30"},
		{"2026-V49", "2026-11-30"},
		{"2026-W01", "2025-12-29"}, // week 1 holds the year's first Thursday
		{"2025-W01", "2024-12-30"},
		{"2026-W53", "2026-12-28"}, // 2026 has 53 weeks
		{"2027-W53", ""},           // 2027 has 52
		{"2026-W00", ""},
		{"2026-W+1", ""},
		{"2026-W1", ""},
		{"2026-49", ""},
		{"1999-W10", ""},
		{"2026-X10", ""},
		{"", ""},
	} {
		p, ok := ParseISOWeek(tc.in)
		switch {
		case tc.monday == "" && ok:
			t.Errorf("ParseISOWeek(%q) = %s, want not a week", tc.in, p.Start.Format(time.DateOnly))
		case tc.monday != "" && (!ok || p.Start.Format(time.DateOnly) != tc.monday || p.Kind != PeriodWeek):
			t.Errorf("ParseISOWeek(%q) = %s, %v; want the week from %s", tc.in, p.Start.Format(time.DateOnly), ok, tc.monday)
		case ok && p.Start.Location() != Stockholm:
			t.Errorf("ParseISOWeek(%q) starts in %s, want Stockholm", tc.in, p.Start.Location())
		}
	}
}

func TestWeekOf(t *testing.T) {
	for _, tc := range []struct {
		at, week, monday string
	}{
		{"2026-12-02T12:00:00Z", "2026-W49", "2026-11-30"}, // a Wednesday
		{"2026-11-30T00:30:00+01:00", "2026-W49", "2026-11-30"},
		{"2026-11-29T23:30:00Z", "2026-W49", "2026-11-30"}, // Monday 00:30 in Stockholm
		{"2026-12-06T22:59:00Z", "2026-W49", "2026-11-30"}, // Sunday 23:59
		{"2024-12-31T12:00:00Z", "2025-W01", "2024-12-30"},
		{"2026-03-29T12:00:00Z", "2026-W13", "2026-03-23"}, // the Sunday clocks go forward
	} {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		p := WeekOf(at)
		if p.ISOWeek() != tc.week || p.Start.Format(time.DateOnly) != tc.monday || p.Start.Hour() != 0 {
			t.Errorf("WeekOf(%s) = %s from %s, want %s from %s at midnight", tc.at, p.ISOWeek(), p.Start, tc.week, tc.monday)
		}
		if back, ok := ParseISOWeek(p.ISOWeek()); !ok || !back.Start.Equal(p.Start) {
			t.Errorf("ParseISOWeek(%q) = %v, %v; want it back", p.ISOWeek(), back.Start, ok)
		}
	}
}
