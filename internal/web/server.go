// Package web serves Kundportal's HTML: the customer portal, the order
// system's office screens, login and the static files. Pages are rendered
// on the server and work without JavaScript.
package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"kundportal/internal/filestore"
	"kundportal/internal/links"
	"kundportal/internal/metrics"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Options configures the handler.
type Options struct {
	DB     *store.DB
	Files  filestore.Store
	Logger *slog.Logger
	// SecureCookies marks cookies Secure even when the request itself came
	// over plain HTTP, for deployments behind a TLS-terminating proxy.
	SecureCookies bool
	// BaseURL is the site's public address (https://portal.example), for
	// links that leave the site, such as QR codes on object labels.
	BaseURL string
	// TrustProxy takes the client address for login throttling from the
	// last X-Forwarded-For entry, for instances behind a load balancer.
	TrustProxy bool
	// Clock is the time source of every page and operation; nil means
	// time.Now. Tests set it to control dates.
	Clock func() time.Time
	// Ops are the operations the handlers call; nil means operations on DB
	// and Files with an ephemeral key for door codes (for tests). A server
	// passes its own, with the signing and sealing keys set.
	Ops *orders.Ops
	// MailServer says a mail server is set (KUNDPORTAL_SMTP_URL); without
	// one the Utskick page says mail is shown there only.
	MailServer bool
	// Metrics counts requests by route pattern and failed logins; nil
	// counts nothing.
	Metrics *metrics.Metrics
	// MetricsToken, when set, serves Metrics on /metrics to a scraper
	// that sends it as a bearer token (KUNDPORTAL_METRICS_TOKEN); empty
	// means /metrics is not on this handler (it may have its own
	// address, KUNDPORTAL_METRICS_ADDR).
	MetricsToken string
}

// server holds what the handlers share. It is not exported: callers get an
// http.Handler from New.
type server struct {
	db               *store.DB
	ops              *orders.Ops
	files            filestore.Store
	log              *slog.Logger
	pages            *template.Template // every page, see parsePages
	headers          formCache          // the site's header, kept rendered (headercache.go)
	secureCookies    bool
	publicURL        links.Base
	trustProxy       bool
	now              func() time.Time
	searchForms      formCache // the portal's rendered Sök ärende forms (formcache.go)
	staffSearchForms formCache // the office's rendered Sök ärenden forms
	mailServer       bool
	metrics          *metrics.Metrics
	metricsToken     string
	turns            pageTurns // the pages' turns (pageturns.go)
}

// New parses every template (failing if one is broken) and returns the
// site's handler with its middleware.
func New(o Options) (http.Handler, error) {
	s, err := newServer(o)
	if err != nil {
		return nil, err
	}
	return s.middleware(s.routes()), nil
}

// newServer is New's server, before its routes and middleware.
func newServer(o Options) (*server, error) {
	if o.DB == nil || o.Files == nil {
		return nil, errors.New("web: DB and Files are required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	ops := o.Ops
	if ops == nil {
		ops = orders.New(o.DB, o.Files, o.Clock)
	}
	s := &server{db: o.DB, ops: ops, files: o.Files, log: o.Logger, pages: pages, headers: formCache{size: maxHeaders}, secureCookies: o.SecureCookies,
		publicURL: links.NewBase(o.BaseURL), trustProxy: o.TrustProxy, now: o.Clock, mailServer: o.MailServer,
		metrics: o.Metrics, metricsToken: o.MetricsToken, turns: newPageTurns()}
	return s, nil
}

// middleware wraps the route table: request log outermost, so it sees the
// final status; then panic recovery; then cross-origin protection, which
// refuses cross-site POSTs before any handler runs; then the session; then
// the check of every value the request carries.
func (s *server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden)
	}))
	h = s.checkInput(h)
	h = s.withSession(h)
	h = cop.Handler(h)
	h = s.recoverPanics(h)
	h = securityHeaders(h)
	return s.logRequests(h)
}

// statusWriter records the status a handler sent: zero until the
// response has started, after which an error can no longer become an
// error page.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests logs every request and counts it in the metrics by the
// route pattern that took it (routed), never by its raw path.
func (s *server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		route := metrics.Unmatched
		h.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		d := time.Since(start)
		s.metrics.Request(route, cmp.Or(sw.status, http.StatusOK), d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("duration", d))
	})
}

// routeKey holds, in a request's context, where routed writes the
// pattern of the route that took the request.
type routeKey struct{}

// routed serves h as the route pattern, telling logRequests so.
func routed(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route, ok := r.Context().Value(routeKey{}).(*string); ok {
			*route = pattern
		}
		h.ServeHTTP(w, r)
	})
}

func (s *server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				if sw.status != 0 {
					panic(http.ErrAbortHandler) // see handle
				}
				s.renderError(w, r, http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(sw, r)
	})
}

// securityHeaders sets headers every response should carry. The content
// security policy allows only this site's own scripts and styles; the
// permissions policy turns off every browser feature the site does not
// use (a photo is taken through the file picker, which needs none); the
// opener policy keeps a window this site opened, or that opened it, from
// reaching into the other.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Permissions-Policy", permissionsPolicy)
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.ServeHTTP(w, r)
	})
}

const permissionsPolicy = "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), " +
	"fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), " +
	"publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"

// handlerFunc is a handler that returns its error instead of writing it, so
// that errors map to status codes in one place (serveError).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle serves h and maps its error to an error page, unless h had
// already started its response, as a streamed export does: an error page
// then would be appended to half a file. Such an error is logged and the
// response aborted (http.ErrAbortHandler: the connection is closed without
// ending the body), so the client sees a failed download rather than a
// file that looks complete.
func (s *server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		err := h(sw, r)
		switch {
		case err == nil:
		case sw.status != 0:
			s.log.Error("response aborted", "method", r.Method, "path", r.URL.Path, "status", sw.status, "err", err)
			panic(http.ErrAbortHandler)
		default:
			s.serveError(w, r, err)
		}
	})
}

func (s *server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("readyz", "err", err)
		http.Error(w, "databasen svarar inte", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// fieldErrors reports whether err is an operation's verdict on invalid
// input, and its messages, to show next to the fields.
func fieldErrors(err error) (repair.FieldErrors, bool) {
	var fe repair.FieldErrors
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}
