package repair

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

var errNumber = errors.New("repair: not a number")

// ParseAmount reads a Swedish amount in kronor ("1 234,50", "1234.5",
// "650") into öre. Negative amounts are refused: credits are not entered
// as cost lines.
func ParseAmount(s string) (int64, error) {
	milli, err := parseDecimal(s, 2)
	return milli, err
}

// ParseQuantity reads a Swedish decimal quantity ("1,5", "2") into
// thousandths.
func ParseQuantity(s string) (int64, error) { return parseDecimal(s, 3) }

// parseDecimal reads a non-negative decimal with at most places decimals
// into an integer scaled by 10^places. Spaces (also no-break) group
// thousands; comma or point is the decimal mark; "kr" may follow.
func parseDecimal(s string, places int) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "kr"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	if s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, errNumber
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > places || whole == "" && frac == "" {
		return 0, errNumber
	}
	for len(frac) < places {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || len(whole) > 12 {
		return 0, errNumber
	}
	return n, nil
}

// durationPattern is time spent as a person types it: "45 min", "1 h 30
// min", "2 h", "1,5 h", "1 tim 30 min".
var durationPattern = regexp.MustCompile(`^(?:(\d+(?:[.,]\d+)?)\s*(?:timmar|timme|tim|h|t)\s*)?(?:(\d+)\s*(?:minuter|min|m))?$`)

// ParseMinutes reads time spent as minutes ("90"), hours and minutes
// ("1:30"), decimal hours ("1,5" or "1,5 h") or words ("45 min", "1 h 30
// min"). A bare whole number is minutes; a bare decimal number is hours,
// since nobody records 1,5 minutes. At most 24 hours.
func ParseMinutes(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	const maxMinutes = 24 * 60
	check := func(m int) (int, error) {
		if m < 0 || m > maxMinutes {
			return 0, errNumber
		}
		return m, nil
	}
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, err1 := strconv.Atoi(strings.TrimSpace(h))
		mm, err2 := strconv.Atoi(strings.TrimSpace(m))
		if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 {
			return 0, errNumber
		}
		return check(hh*60 + mm)
	}
	if m, err := strconv.Atoi(s); err == nil {
		return check(m)
	}
	if strings.ContainsAny(s, ",.") && !strings.ContainsFunc(s, unicode.IsLetter) {
		s += " h"
	}
	p := durationPattern.FindStringSubmatch(s)
	if s == "" || p == nil || p[1] == "" && p[2] == "" {
		return 0, errNumber
	}
	total := 0
	if p[1] != "" {
		milli, err := parseDecimal(p[1], 3)
		if err != nil || milli > maxMinutes*1000/60 {
			return 0, errNumber
		}
		total = int((milli*60 + 500) / 1000)
	}
	if p[2] != "" {
		m, err := strconv.Atoi(p[2])
		if err != nil {
			return 0, errNumber
		}
		total += m
	}
	return check(total)
}
