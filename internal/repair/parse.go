package repair

import (
	"errors"
	"strconv"
	"strings"
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

// ParseMinutes reads time spent as minutes ("90"), hours and minutes
// ("1:30") or decimal hours ("1,5 h").
func ParseMinutes(s string) (int, error) {
	s = strings.TrimSpace(s)
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, err1 := strconv.Atoi(strings.TrimSpace(h))
		mm, err2 := strconv.Atoi(strings.TrimSpace(m))
		if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 {
			return 0, errNumber
		}
		return hh*60 + mm, nil
	}
	if t, ok := strings.CutSuffix(s, "h"); ok {
		milli, err := parseDecimal(t, 3)
		if err != nil || milli > 24000 {
			return 0, errNumber
		}
		return int((milli*60 + 500) / 1000), nil
	}
	m, err := strconv.Atoi(s)
	if err != nil || m < 0 || m > 24*60 {
		return 0, errNumber
	}
	return m, nil
}
