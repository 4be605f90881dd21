package repair

import "testing"

func TestStreetName(t *testing.T) {
	for in, want := range map[string]string{
		"Vasagatan 21, lgh 1102":   "Vasagatan 21",
		"Vasagatan 21 lgh 1102":    "Vasagatan 21",
		"Vasagatan 21 Lgh. 1102":   "Vasagatan 21",
		"  Vasagatan   21  ":       "Vasagatan 21",
		"Storgatan 5 2 tr":         "Storgatan 5",
		"Storgatan 5 tr":           "Storgatan 5",
		"Storgatan 5A, 3 tr":       "Storgatan 5A",
		"Åsgatan 12 uppg B":        "Åsgatan 12",
		"Tvärgatan 3; källaren":    "Tvärgatan 3",
		"Trappgatan 4":             "Trappgatan 4", // a street whose name starts like a marker
		"Lghvägen 9":               "Lghvägen 9",
		"":                         "",
		"Hertig Johans gata 12":    "Hertig Johans gata 12",
		"Västerhöjdsgatan 3, lgh ": "Västerhöjdsgatan 3",
	} {
		if got := StreetName(in); got != want {
			t.Errorf("StreetName(%q) = %q, want %q", in, got, want)
		}
	}
}
