package repair

import (
	"testing"
	"time"
)

// TestLeadHistogram: cases counted by lead-time bin give the nearest-rank
// percentile as their bin's upper bound; merged histograms add up; a bin
// outside the range counts in the nearest one, never lost.
func TestLeadHistogram(t *testing.T) {
	var h LeadHistogram
	if _, ok := h.Percentile(0.5); ok {
		t.Error("an empty histogram has a median")
	}
	h.Add(LeadBin(90*time.Minute), 3) // under 2 hours
	h.Add(LeadBin(30*time.Hour), 1)   // under 36 hours
	if d, ok := h.Percentile(0.5); !ok || d != 2*time.Hour {
		t.Errorf("median %v, %v; want within 2 h", d, ok)
	}
	if d, _ := h.Percentile(1); d != 36*time.Hour {
		t.Errorf("maximum %v, want within 36 h", d)
	}
	var sum LeadHistogram
	sum.Merge(h)
	sum.Merge(h)
	sum.Add(-5, 1)
	sum.Add(LeadBins+10, 2)
	if sum.Count() != 11 || sum[0] != 1 || sum[LeadBins-1] != 2 {
		t.Errorf("merged and clamped: %d cases, first bin %d, last %d; want 11, 1, 2", sum.Count(), sum[0], sum[LeadBins-1])
	}
	if h.Count() != 4 {
		t.Errorf("merging changed the merged histogram: %d cases", h.Count())
	}
}
