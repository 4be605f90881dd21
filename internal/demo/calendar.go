package demo

import (
	"math/rand/v2"
	"time"

	"kundportal/internal/repair"
)

// between is a random duration in [lo, hi).
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// Working hours of the office and the technicians.
const (
	openHour    = 7
	closeHour   = 16
	closeMinute = 30
)

// work moves t into working hours: t itself if it is in them, otherwise
// shortly after opening on the next working day. The minutes past opening
// come from t, so that not everything happens at 07:00 sharp.
func (g *generator) work(t time.Time) time.Time {
	t = t.In(stockholm)
	jitter := time.Duration(t.Minute()%40)*time.Minute + time.Duration(t.Second())*time.Second
	for day, first := t, true; ; day, first = day.AddDate(0, 0, 1), false {
		if !workday(day) {
			continue
		}
		open := time.Date(day.Year(), day.Month(), day.Day(), openHour, 0, 0, 0, stockholm)
		closing := time.Date(day.Year(), day.Month(), day.Day(), closeHour, closeMinute, 0, 0, stockholm)
		if !first || t.Before(open) {
			return open.Add(jitter)
		}
		if t.Before(closing) {
			return t
		}
	}
}

// slotHours are when visits start; each visit is booked for two hours.
var slotHours = []int{8, 10, 13, 15}

// booking is a technician's visit slot, so that no technician is booked
// twice at once.
type booking struct {
	tech  *repair.User
	start int64 // Unix seconds
}

// book reserves the case technician's first free visit slot on the first
// working day at or after earliest that has one, picking at random among
// that day's free slots.
func (g *generator) book(cp *casePlan, r *rand.Rand, earliest time.Time) time.Time {
	earliest = earliest.In(stockholm)
	for day := earliest; ; day = day.AddDate(0, 0, 1) {
		if !workday(day) {
			continue
		}
		var free []time.Time
		for _, h := range slotHours {
			s := time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, stockholm)
			if !s.Before(earliest) && !g.booked[booking{cp.tech, s.Unix()}] {
				free = append(free, s)
			}
		}
		if len(free) > 0 {
			s := free[r.IntN(len(free))]
			b := booking{cp.tech, s.Unix()}
			g.booked[b] = true
			cp.bookings = append(cp.bookings, b)
			return s
		}
	}
}

// workday reports whether t falls on a Swedish working day.
func workday(t time.Time) bool {
	t = t.In(stockholm)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	m, d := t.Month(), t.Day()
	switch {
	case m == time.January && (d == 1 || d == 6),
		m == time.May && d == 1,
		m == time.June && d == 6,
		m == time.June && t.Weekday() == time.Friday && d >= 19 && d <= 25, // midsommarafton
		m == time.December && (d == 24 || d == 25 || d == 26 || d == 31):
		return false
	}
	easter := easterSunday(t.Year())
	for _, off := range []int{-2, 1, 39} { // långfredag, annandag påsk, Kristi himmelsfärd
		h := easter.AddDate(0, 0, off)
		if h.Month() == m && h.Day() == d {
			return false
		}
	}
	return true
}

// easterSunday is Easter Day of year (Gregorian computus).
func easterSunday(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	gg := (b - f + 1) / 3
	h := (19*a + b - d - gg + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, stockholm)
}
