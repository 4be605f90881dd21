package sv

import (
	"fmt"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// benchPhones are Swedish numbers of the common kinds: mobile, Stockholm,
// Gothenburg and a four-digit area code.
var benchPhones = func() []string {
	var out []string
	for i := range 1000 {
		switch i % 4 {
		case 0:
			out = append(out, fmt.Sprintf("+4670%07d", i*7919%10000000))
		case 1:
			out = append(out, fmt.Sprintf("+468%07d", i*7919%10000000))
		case 2:
			out = append(out, fmt.Sprintf("+4631%06d", i*7919%1000000))
		default:
			out = append(out, fmt.Sprintf("+46431%05d", i*7919%100000))
		}
	}
	return out
}()

// TestSwedishNumberAsParsed holds formatPhone's reading of Swedish E.164
// numbers to what phonenumbers.Parse makes of them, and what it leaves to
// Parse.
func TestSwedishNumberAsParsed(t *testing.T) {
	for _, s := range append(benchPhones, "+4612", "+4612345", "+4612345678901234567") {
		n, ok := swedishNumber(s)
		if !ok {
			t.Fatalf("swedishNumber(%q) refused", s)
		}
		p, err := phonenumbers.Parse(s, "SE")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := phonenumbers.Format(n, phonenumbers.NATIONAL), phonenumbers.Format(p, phonenumbers.NATIONAL); got != want {
			t.Errorf("%s: %q, parsed %q", s, got, want)
		}
	}
	for _, s := range []string{"+4570123456", "+460701234567", "+46 70 123 45 67", "+46701x34567", "+461", "+46123456789012345678", "46701234567", "+46"} {
		if _, ok := swedishNumber(s); ok {
			t.Errorf("swedishNumber(%q) took it", s)
		}
	}
}

func BenchmarkFormatPhone(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		formatPhone(benchPhones[i%len(benchPhones)])
	}
}
