// Package sv formats values for Swedish readers: money as "1 234,50 kr",
// dates as 2026-03-14 in Swedish time, durations as "1 h 30 min", phone
// numbers as "070-123 45 67". Web pages, exports, PDF documents and
// e-mails all use it, so a value reads the same wherever it is shown.
package sv

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Stockholm on machines without a zone database
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Stockholm is the time zone every date is shown in: a case registered on
// New Year's morning belongs to the new year.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // embedded by time/tzdata; cannot fail
	}
	return loc
}()

// Date shows t as 2026-03-14 in Swedish time; the zero time is empty.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format(time.DateOnly)
}

// DateTime shows t as 2026-03-14 09:05 in Swedish time; the zero time is
// empty.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format("2006-01-02 15:04")
}

// Clock shows the time of day of t as 09:05 in Swedish time.
func Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Stockholm).Format("15:04")
}

// nbsp is the no-break space Swedish puts between thousands and before
// the unit, so that "1 234 kr" never breaks across lines.
const nbsp = '\u00a0'

// Integer writes n with a no-break space between thousands: 1 234 567.
func Integer(n int64) string {
	var buf [32]byte
	return string(appendSigned(buf[:0], n, appendGrouped))
}

// Money shows öre as "1 234,50 kr", negative amounts with a minus sign.
func Money(ore int64) string {
	var buf [40]byte
	return string(append(appendSigned(buf[:0], ore, appendOre), "\u00a0kr"...))
}

// Amount shows öre as "1 234,50", without the unit.
func Amount(ore int64) string {
	var buf [40]byte
	return string(appendSigned(buf[:0], ore, appendOre))
}

// The amounts are written into one buffer, a string allocated once: a
// Fakturaspecifikation or Dashboard page shows hundreds of them
// (formatting them through fmt was 5 % of such a page).

// appendSigned appends n's sign (U+2212, the minus sign) and then its
// size written by digits.
func appendSigned(b []byte, n int64, digits func([]byte, uint64) []byte) []byte {
	u := uint64(n)
	if n < 0 {
		b, u = append(b, "−"...), -u // -u is n's size for every n, math.MinInt64 too
	}
	return digits(b, u)
}

// appendGrouped appends u with a no-break space between thousands.
func appendGrouped(b []byte, u uint64) []byte {
	var buf [20]byte
	s := strconv.AppendUint(buf[:0], u, 10)
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = utf8.AppendRune(b, nbsp)
		}
		b = append(b, d)
	}
	return b
}

// appendOre appends u öre as kronor, grouped, and two decimals.
func appendOre(b []byte, u uint64) []byte {
	b = appendGrouped(b, u/100)
	return append(b, ',', byte('0'+u%100/10), byte('0'+u%10))
}

// AmountInput shows öre as a form field's value: "1 234,50" with plain
// spaces, which repair.ParseAmount reads back; zero is empty.
func AmountInput(ore int64) string {
	if ore == 0 {
		return ""
	}
	return strings.ReplaceAll(Amount(ore), "\u00a0", " ")
}

// Minutes shows a duration in whole minutes: 45 → "45 min", 90 → "1 h 30
// min", 120 → "2 h".
func Minutes(m int) string {
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// Hours shows a lead time in days and whole hours: "5 h", "1 d", "2 d 6 h".
func Hours(d time.Duration) string {
	h := int64(d / time.Hour)
	switch {
	case h < 24:
		return fmt.Sprintf("%d\u00a0h", h)
	case h%24 == 0:
		return Integer(h/24) + "\u00a0d"
	}
	return fmt.Sprintf("%s\u00a0d %d\u00a0h", Integer(h/24), h%24)
}

// Quantity shows thousandths as a Swedish decimal: 1500 → "1,5".
func Quantity(milli int64) string {
	sign := ""
	if milli < 0 {
		sign, milli = "−", -milli
	}
	s := sign + strconv.FormatInt(milli/1000, 10)
	if frac := milli % 1000; frac != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	return s
}

// Bytes shows a file size as "640 byte", "12 kB" or "1,4 MB".
func Bytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d byte", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	mb := (n + 50000) / 100000
	return fmt.Sprintf("%d,%d MB", mb/10, mb%10)
}

// Age shows how long before now t was, coarsely, for queues: "12 min",
// "5 h", "3 dagar".
func Age(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d dagar", int(d.Hours()/24))
}

// Phone shows a stored E.164 number the Swedish way: "070-123 45 67" for
// Swedish numbers, international form otherwise. Anything unparsable is
// shown as stored. Numbers shown before are remembered: parsing one
// against the metadata of every country was 7 % of a case page, which
// shows three.
func Phone(e164 string) string {
	if e164 == "" {
		return ""
	}
	phones.Lock()
	s, ok := phones.m[e164]
	phones.Unlock()
	if ok {
		return s
	}
	s = formatPhone(e164)
	phones.Lock()
	defer phones.Unlock()
	if phones.m == nil || len(phones.m) >= maxPhones {
		phones.m = make(map[string]string, maxPhones) // all dropped, to be formatted again as shown
	}
	phones.m[e164] = s
	return s
}

// phones are the numbers Phone has formatted, at most maxPhones.
var phones struct {
	sync.Mutex
	m map[string]string
}

const maxPhones = 4096

func formatPhone(e164 string) string {
	if n, ok := swedishNumber(e164); ok {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	n, err := phonenumbers.Parse(e164, "SE")
	if err != nil {
		return e164
	}
	if n.GetCountryCode() == 46 {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// swedishNumber reads a Swedish number stored in E.164, "+46" and its
// national significant number, without parsing it as free text: Parse
// tries the number against its patterns of every kind of input and took
// two thirds of formatting one, which an export of 100 000 cases does for
// each (BenchmarkFormatPhone). Anything else is left to Parse.
func swedishNumber(e164 string) (*phonenumbers.PhoneNumber, bool) {
	nsn, ok := strings.CutPrefix(e164, "+46")
	// Parse's bounds on a national significant number, 2 to 17 digits;
	// a leading 0 (the trunk prefix, not part of E.164) is left to it.
	if !ok || len(nsn) < 2 || len(nsn) > 17 || nsn[0] == '0' {
		return nil, false
	}
	var national uint64
	for i := 0; i < len(nsn); i++ {
		c := nsn[i]
		if c < '0' || c > '9' {
			return nil, false
		}
		national = national*10 + uint64(c-'0')
	}
	country := int32(46)
	return &phonenumbers.PhoneNumber{CountryCode: &country, NationalNumber: &national}, true
}

var weekdays = [...]string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}

// Window shows a visit from start to end as "måndag 2026-03-16 kl.
// 08:00–12:00" in Swedish time (the end's date too when it is another
// day).
func Window(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	s := weekdays[start.In(Stockholm).Weekday()] + " " + Date(start) + " kl. " + Clock(start)
	switch {
	case end.IsZero():
	case Date(end) == Date(start):
		s += "–" + Clock(end)
	default:
		s += " – " + DateTime(end)
	}
	return s
}
