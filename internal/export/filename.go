package export

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Filename returns an ASCII-only download file name made of base, the date
// of now and the extension, e.g. Filename("Ärenden", now, "csv") gives
// "arenden-2026-03-14.csv".
//
// base is lower-cased, å ä ö (and other letters with diacritics, such as é
// and ü) lose their marks, runs of white space become a single '-', and
// everything else outside [a-z0-9-] is dropped. Leading, trailing and
// repeated '-' are removed. An empty result becomes "export". ext may be
// given with or without the leading dot and is cleaned the same way; an
// empty ext gives no extension.
//
// The date is now's calendar date in now's location; pass
// now.In(stockholm) if the server does not run in Swedish time.
func Filename(base string, now time.Time, ext string) string {
	name := slug(base)
	if name == "" {
		name = "export"
	}
	name += "-" + now.Format("2006-01-02")
	if e := slug(strings.TrimPrefix(ext, ".")); e != "" {
		name += "." + e
	}
	return name
}

// slug lower-cases s, strips diacritics, turns white space into '-' and
// drops everything else outside [a-z0-9-].
func slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false // a '-' is pending
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '-' || unicode.IsSpace(r):
			dash = true
		}
		// Combining marks (the rings and dots of å ä ö after NFD) and all
		// other runes are dropped.
	}
	return b.String()
}
