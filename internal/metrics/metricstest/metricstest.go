// Package metricstest reads metrics back the way Prometheus does: a
// scrape parsed with Prometheus's own text parser.
package metricstest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families is a parsed scrape, by metric name.
type Families map[string]*dto.MetricFamily

// Scrape asks h for its metrics and parses the answer, failing t if the
// answer is not 200 or does not parse.
func Scrape(t testing.TB, h http.Handler) Families {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	return Parse(t, rec.Result())
}

// Parse parses a scrape's response in the Prometheus text format.
func Parse(t testing.TB, resp *http.Response) Families {
	t.Helper()
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("scrape does not parse: %v", err)
	}
	return fams
}

// Value is the value of the sample of name whose labels include labels:
// a counter's or gauge's value, a histogram's count. It is -1 when there
// is no such sample.
func (f Families) Value(name string, labels map[string]string) float64 {
	fam := f[name]
	if fam == nil {
		return -1
	}
next:
	for _, m := range fam.Metric {
		for k, v := range labels {
			if labelOf(m, k) != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			return m.Untyped.GetValue()
		}
	}
	return -1
}

// Labels are the values the label takes in name's samples.
func (f Families) Labels(name, label string) []string {
	var vs []string
	if fam := f[name]; fam != nil {
		for _, m := range fam.Metric {
			vs = append(vs, labelOf(m, label))
		}
	}
	return vs
}

func labelOf(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
