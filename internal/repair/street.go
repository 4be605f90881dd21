package repair

import (
	"strings"
	"unicode"
)

// StreetName is a street address without its apartment part: Sök ärende's
// Gata matches on it, so that "Vasagatan 21" finds every apartment of the
// house. The apartment part is everything after a comma, or from a word
// that starts one ("lgh 1102", "uppg B", "vån 3"), or a floor written
// after the house number ("Storgatan 5 2 tr").
func StreetName(street string) string {
	if i := strings.IndexAny(street, ",;"); i >= 0 {
		street = street[:i]
	}
	fields := strings.Fields(street)
	for i, f := range fields {
		switch strings.ToLower(strings.TrimSuffix(f, ".")) {
		case "lgh", "lägenhet", "lägenhetsnr", "uppg", "uppgång", "vån", "våning", "bv", "nb", "ög":
			return strings.Join(fields[:i], " ")
		case "tr", "trappa", "trappor":
			// "2 tr": the floor's number goes too, unless it is the
			// house number itself ("Storgatan 5 tr" keeps the 5).
			if i >= 2 && isNumber(fields[i-1]) && hasNumber(fields[:i-1]) {
				return strings.Join(fields[:i-1], " ")
			}
			return strings.Join(fields[:i], " ")
		}
	}
	return strings.Join(fields, " ")
}

func isNumber(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}

// hasNumber reports whether one of the words starts with a digit: a house
// number, "21" or "21A".
func hasNumber(words []string) bool {
	for _, w := range words {
		if w != "" && unicode.IsDigit(rune(w[0])) {
			return true
		}
	}
	return false
}
