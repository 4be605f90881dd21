package repair

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WeekOf is the ISO 8601 week (Monday to Sunday, in Swedish time) that
// holds the instant t.
func WeekOf(t time.Time) Period { return PeriodOf(PeriodWeek, t) }

// ParseISOWeek reads an ISO 8601 week as an HTML week input sends it,
// "2026-W49". It also takes the Swedish "2026-V49" that the Dashboard's
// URLs use, and either letter in lower case. A week that the year does not
// have (2026-W53) or a year outside 2000–2100 is not a week.
func ParseISOWeek(s string) (Period, bool) {
	if len(s) != 8 || s[4] != '-' || !strings.ContainsRune("WwVv", rune(s[5])) {
		return Period{}, false
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < periodMinYear || y > periodMaxYear {
		return Period{}, false
	}
	w, err := strconv.Atoi(s[6:])
	if err != nil || s[6] < '0' || s[6] > '9' || w < 1 || w > isoWeeks(y) {
		return Period{}, false
	}
	return Period{Kind: PeriodWeek, Start: isoWeekStart(y, w)}, true
}

// ISOWeek is a week period as ParseISOWeek reads it: "2026-W49". The year
// is the week's own, which differs from the calendar year of its Monday
// around New Year (2024-12-30 starts 2025-W01).
func (p Period) ISOWeek() string {
	y, w := p.Start.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekNumber is the ISO week number of the period's first day, 1–53.
func (p Period) WeekNumber() int {
	_, w := p.Start.ISOWeek()
	return w
}
