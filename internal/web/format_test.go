package web

import (
	"testing"

	"kundportal/internal/repair"
)

func TestAmountInputRoundTrip(t *testing.T) {
	for _, ore := range []int64{0, 5, 65000, 123450, 100000000} {
		s := amountInput(ore)
		if ore == 0 {
			if s != "" {
				t.Errorf("amountInput(0) = %q, want empty", s)
			}
			continue
		}
		back, err := repair.ParseAmount(s)
		if err != nil || back != ore {
			t.Errorf("ParseAmount(amountInput(%d) = %q) = %d, %v", ore, s, back, err)
		}
	}
}
