// Package metrics keeps the figures an operator watches, in Prometheus's
// format (/metrics): requests and their latency by route pattern, the
// database's pools and query times, the outbox, failed logins, and Go's
// own runtime and process figures. A nil *Metrics counts nothing, so that
// code and tests without metrics need no checks.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kundportal/internal/store"
)

// Unmatched is the route of a request no route pattern took (a 404 or
// 405 from the router), so that raw paths never become label values.
const Unmatched = "unmatched"

// Metrics is one server's registry and its instruments.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	loginFailures *prometheus.CounterVec
	mailSent      prometheus.Counter
	mailFailures  *prometheus.CounterVec
	queries       *prometheus.HistogramVec
}

// New returns the instruments, registered with Go's runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kundportal_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kundportal_http_request_duration_seconds",
			Help:    "Time from a request's arrival to the end of its answer, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		loginFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kundportal_login_failures_total",
			Help: "Refused logins: a wrong password, a wrong two-factor code, or an attempt refused by the throttle.",
		}, []string{"reason"}),
		mailSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kundportal_mail_sent_total",
			Help: "Mails the mail server accepted.",
		}),
		mailFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kundportal_mail_send_failures_total",
			Help: "Failed attempts to send a mail; final=\"true\" when the outbox gave the mail up.",
		}, []string{"final"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kundportal_db_duration_seconds",
			Help:    "Database time: a read query until its first row, or a write transaction until its commit.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"kind"}),
	}
	for _, reason := range []string{"password", "code", "throttled"} {
		m.loginFailures.WithLabelValues(reason)
	}
	for _, final := range []string{"false", "true"} {
		m.mailFailures.WithLabelValues(final)
	}
	m.reg.MustRegister(m.requests, m.latency, m.loginFailures, m.mailSent, m.mailFailures, m.queries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler answers a scrape in the Prometheus text format.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)})
}

// Request counts an answered request on route, a route pattern such as
// "GET /arenden/{id}", or Unmatched.
func (m *Metrics) Request(route string, code int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// LoginFailed counts a refused login: "password", "code" or "throttled".
func (m *Metrics) LoginFailed(reason string) {
	if m == nil {
		return
	}
	m.loginFailures.WithLabelValues(reason).Inc()
}

// MailSent counts a mail the mail server accepted.
func (m *Metrics) MailSent() {
	if m == nil {
		return
	}
	m.mailSent.Inc()
}

// MailFailed counts a failed attempt to send; final when the mail is
// given up.
func (m *Metrics) MailFailed(final bool) {
	if m == nil {
		return
	}
	m.mailFailures.WithLabelValues(strconv.FormatBool(final)).Inc()
}

// WatchDB times db's queries and transactions and reports its pools and
// its outbox at every scrape.
func (m *Metrics) WatchDB(db *store.DB) {
	db.ObserveQueries(m.queries.WithLabelValues("read"), m.queries.WithLabelValues("write"))
	for name, pool := range db.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	m.reg.MustRegister(&outboxCollector{db: db})
}

var (
	outboxWaiting = prometheus.NewDesc("kundportal_outbox_waiting",
		"Mails in the outbox not yet sent (due or waiting for a retry).", nil, nil)
	outboxFailed = prometheus.NewDesc("kundportal_outbox_failed",
		"Mails the outbox gave up on, shown as failed on the Utskick page.", nil, nil)
)

// outboxCollector reads the outbox's depth at each scrape.
type outboxCollector struct{ db *store.DB }

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxWaiting
	ch <- outboxFailed
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	waiting, failed, err := c.db.OutboxDepth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxWaiting, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxWaiting, prometheus.GaugeValue, float64(waiting))
	ch <- prometheus.MustNewConstMetric(outboxFailed, prometheus.GaugeValue, float64(failed))
}
