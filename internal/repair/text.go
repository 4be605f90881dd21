package repair

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The rules every text field shares, whichever form or surface it comes
// from: valid UTF-8, no control characters (line breaks and tabs only in
// multi-line text), no U+FFFD (what the web layer puts where a request
// carried bytes that were not UTF-8 or a NUL), trimmed, required or not,
// at most max characters.
type textRule struct {
	max       int
	required  bool
	multiline bool
}

func (r textRule) check(fe FieldErrors, field, v string) string {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError):
		fe.Add(field, "Texten innehåller ogiltiga tecken.")
	case hasControl(v, r.multiline):
		fe.Add(field, "Texten innehåller otillåtna styrtecken.")
	case r.required && v == "":
		fe.Add(field, requiredMessage(field))
	case utf8.RuneCountInString(v) > r.max:
		fe.Add(field, fmt.Sprintf("Högst %d tecken (nu %d).", r.max, utf8.RuneCountInString(v)))
	}
	if r.multiline {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	return v
}

// line checks a one-line text field.
func line(fe FieldErrors, field, v string, max int, required bool) string {
	return textRule{max: max, required: required}.check(fe, field, v)
}

// lines checks a multi-line text field.
func lines(fe FieldErrors, field, v string, max int, required bool) string {
	return textRule{max: max, required: required, multiline: true}.check(fe, field, v)
}

// requiredMessage says what is missing; fields that share a label (Postnr
// / ort) need their own words.
func requiredMessage(field string) string {
	switch field {
	case FieldPostalCode:
		return "Ange postnummer."
	case FieldCity:
		return "Ange ort."
	}
	return "Fältet måste fyllas i."
}

// hasControl reports control characters and the invisible characters that
// reorder text (bidi overrides, line separators); multi-line text may hold
// line breaks and tabs.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// CleanText reports whether s may be used as a value at all: valid UTF-8
// without NUL. The web layer checks every value of a request with it
// before anything reaches the store (PostgreSQL refuses both).
func CleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// DateRange is the span a date field accepts, both ends included.
type DateRange struct{ Min, Max time.Time }

// Sane date spans. A date outside them is a typing mistake (0000-01-01,
// 9999-12-31) that would otherwise be shown to customers for years.
var (
	// RegisterDates bounds contract and installation dates.
	RegisterDates = DateRange{Min: day(1950, 1, 1), Max: day(2099, 12, 31)}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Stockholm) }

// Midnight is the start of t's day in Swedish time.
func Midnight(t time.Time) time.Time {
	t = t.In(Stockholm)
	return day(t.Year(), t.Month(), t.Day())
}

// Around is the span from yearsBefore to yearsAfter around today's date
// (in Swedish time).
func Around(today time.Time, yearsBefore, yearsAfter int) DateRange {
	d := Midnight(today)
	return DateRange{Min: d.AddDate(-yearsBefore, 0, 0), Max: d.AddDate(yearsAfter, 0, 0)}
}

// date checks a YYYY-MM-DD field within r and returns the day at midnight
// in Swedish time; empty is the zero time (the caller decides whether it
// is required).
func date(fe FieldErrors, field, v string, r DateRange) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, v, Stockholm)
	switch {
	case err != nil:
		fe.Add(field, "Ange datum som ÅÅÅÅ-MM-DD, t.ex. 2026-03-14.")
	case d.Before(r.Min) || d.After(r.Max):
		fe.Add(field, fmt.Sprintf("Ange ett datum mellan %s och %s.", r.Min.Format(time.DateOnly), r.Max.Format(time.DateOnly)))
		return time.Time{}
	}
	return d
}

// dateString is date as stored in register records: YYYY-MM-DD or empty.
func dateString(fe FieldErrors, field, v string, r DateRange) string {
	d := date(fe, field, v, r)
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// CheckLine checks a one-line text field with the shared rules, for
// fields the operations layer reads without an input type of their own.
func CheckLine(fe FieldErrors, field, v string, max int, required bool) string {
	return line(fe, field, v, max, required)
}

// CheckLines is CheckLine for multi-line text.
func CheckLines(fe FieldErrors, field, v string, max int, required bool) string {
	return lines(fe, field, v, max, required)
}
