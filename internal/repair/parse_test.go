package repair

import "testing"

func TestParseAmount(t *testing.T) {
	good := map[string]int64{"650": 65000, "1 234,50": 123450, "1234.5": 123450, "0,05": 5, "12 kr": 1200, "1\u00a0000": 100000}
	for in, want := range good {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5", "1,234", "abc", "1,2,3", "1e5", "99999999999999"} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) succeeded, want an error", in)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	good := map[string]int64{"1": 1000, "1,5": 1500, "0,25": 250, "2.125": 2125}
	for in, want := range good {
		if got, err := ParseQuantity(in); err != nil || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseQuantity("1,2345"); err == nil {
		t.Error("ParseQuantity(1,2345) succeeded")
	}
}

func TestParseMinutes(t *testing.T) {
	good := map[string]int{"90": 90, "1:30": 90, "1,5 h": 90, "0:05": 5, "2h": 120, "1,5": 90, "1.25": 75,
		"45 min": 45, "45min": 45, "1 h 30 min": 90, "1h30min": 90, "2 tim": 120, "1 tim 15 min": 75, "24 h": 1440}
	for in, want := range good {
		if got, err := ParseMinutes(in); err != nil || got != want {
			t.Errorf("ParseMinutes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "1:75", "-5", "2000", "25:00", "25 h", "h", "min", "1 h 2000 min", "1,5 min", "90 sek"} {
		if _, err := ParseMinutes(in); err == nil {
			t.Errorf("ParseMinutes(%q) succeeded", in)
		}
	}
}
