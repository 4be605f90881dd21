package web

import (
	"crypto/subtle"
	"io/fs"
	"net/http"
)

// route is one entry of the site map. The table is data so that tests can
// walk it (every route taking an id is checked for tenant isolation).
type route struct {
	pattern string
	access  access
	h       handlerFunc
}

// routes is the whole site, read top to bottom like a site map.
func (s *server) routeTable() []route {
	return []route{
		{"GET /{$}", public, s.home},
		{"GET /logga-in", public, s.showLogin},
		{"POST /logga-in", public, s.login},
		{"GET /logga-in/kod", public, s.showCode},
		{"POST /logga-in/kod", public, s.code},
		{"GET /tvastegs", signedIn, s.showTOTP},
		{"POST /tvastegs", signedIn, s.enableTOTP},
		{"POST /tvastegs/reservkoder", signedIn, s.newRecoveryCodes},
		{"POST /tvastegs/stang-av", signedIn, s.disableTOTP},
		{"POST /logga-ut", signedIn, s.logout},
		{"GET /glomt-losenord", public, s.showForgot},
		{"POST /glomt-losenord", public, s.forgot},
		{"GET /aterstall-losenord/{token}", public, s.showReset},
		{"POST /aterstall-losenord/{token}", public, s.reset},
		{"GET /byt-losenord", signedIn, s.showChangePassword},
		{"POST /byt-losenord", signedIn, s.changePassword},
		// A mail's unsubscribe link: no login, the link is its own
		// permission (orders.Ops.Unsubscribe).
		{"GET /avregistrera/{token}", public, s.showUnsubscribe},
		{"POST /avregistrera/{token}", public, s.unsubscribe},

		// The customer portal: the seed's tabs, and the records behind them.
		{"GET /nytt-arende", customer, s.newCase},
		{"POST /nytt-arende", customer, s.createCase},
		{"GET /nytt-arende/objekt", customer, s.searchAssetsJSON},
		{"GET /sok-arende", customer, s.searchCases},
		{"GET /sok-arende/export.csv", customer, s.exportCases("csv")},
		{"GET /sok-arende/export.xlsx", customer, s.exportCases("xlsx")},
		{"GET /fakturaspecifikation", customer, s.invoiceSpec},
		{"GET /fakturaspecifikation/export.pdf", customer, s.exportSpec("pdf")},
		{"GET /fakturaspecifikation/export.xlsx", customer, s.exportSpec("xlsx")},
		{"GET /fakturaspecifikation/export.csv", customer, s.exportSpec("csv")},
		{"GET /fakturaspecifikation/export.xml", customer, s.exportSpec("xml")},
		{"GET /dashboard", customer, s.dashboard},
		{"GET /dashboard/export.csv", customer, s.exportDashboard("csv")},
		{"GET /dashboard/export.xlsx", customer, s.exportDashboard("xlsx")},
		{"GET /arenden/{id}", customer, s.showCase},
		{"GET /arenden/{id}/atgarder", customer, s.caseActions},
		{"GET /arenden/{id}/filer", customer, s.caseFiles},
		{"POST /arenden/{id}/information", customer, s.addCustomerNote},
		{"POST /arenden/{id}/foto", customer, s.addCustomerPhoto},
		{"POST /arenden/{id}/avbryt", customer, s.cancelByCustomer},
		// A customer's admin: its colleagues' logins and their mail.
		{"GET /anvandare", customerAdmin, s.listColleagues},
		{"POST /anvandare", customerAdmin, s.inviteColleague},
		{"POST /anvandare/{id}/sparr", customerAdmin, s.setColleagueDisabled},
		{"POST /anvandare/{id}/roll", customerAdmin, s.setColleagueRole},
		{"GET /anvandare/utskick", customerAdmin, s.customerMails},
		{"GET /e-post", customer, s.mailSettings},
		{"POST /e-post", customer, s.setMailSettings},
		{"GET /objekt", customer, s.listAssets},
		{"GET /objekt/export.csv", customer, s.exportAssets("csv")},
		{"GET /objekt/export.xlsx", customer, s.exportAssets("xlsx")},
		{"GET /objekt/{id}", customer, s.showAsset},
		{"GET /objekt/{id}/export.csv", customer, s.exportAssetHistory("csv")},
		{"GET /objekt/{id}/export.xlsx", customer, s.exportAssetHistory("xlsx")},
		{"GET /filer/{id}", signedIn, s.downloadFile},
		{"GET /filer/{id}/miniatyr", signedIn, s.downloadThumbnail},

		// The order system, for dispatchers and admins.
		{"GET /order", staff, s.intake},
		{"GET /order/nytt-arende", staff, s.newPhoneCase},
		{"POST /order/nytt-arende", staff, s.createPhoneCase},
		{"GET /order/arbetsorder", staff, s.listWorkOrders},
		{"GET /order/fakturering", staff, s.invoiceRun},
		{"POST /order/fakturering", staff, s.issueInvoice},
		{"GET /order/fakturor/{id}", staff, s.showInvoice},
		{"POST /order/fakturor/{id}/kreditera", staff, s.creditInvoice},
		{"GET /order/fakturor/{id}/export.pdf", staff, s.exportInvoice("pdf")},
		{"GET /order/fakturor/{id}/export.xlsx", staff, s.exportInvoice("xlsx")},
		{"GET /order/fakturor/{id}/export.csv", staff, s.exportInvoice("csv")},
		{"GET /order/fakturor/{id}/export.xml", staff, s.exportInvoice("xml")},
		{"GET /order/utskick", staff, s.listMails},
		{"GET /order/utskick/{id}", staff, s.showMail},
		{"GET /order/utskick/{id}/html", staff, s.mailHTML},
		{"POST /order/utskick/{id}/forsok-igen", staff, s.retryMail},
		{"GET /order/arenden", staff, s.staffSearch},
		{"GET /order/arenden/export.csv", staff, s.exportCases("csv")},
		{"GET /order/arenden/export.xlsx", staff, s.exportCases("xlsx")},
		{"GET /order/arenden/{id}", staff, s.staffShowCase},
		{"POST /order/arenden/{id}/status", staff, s.setCaseStatus},
		{"POST /order/arenden/{id}/last", staff, s.seenCustomerNews},
		{"POST /order/arenden/{id}/huvudnyckel", staff, s.revealAccess},
		{"POST /order/arenden/{id}/arbetsorder", staff, s.createWorkOrder},
		{"POST /order/arenden/{id}/filer", staff, s.uploadFile},
		{"POST /order/arbetsorder/{id}/status", staff, s.setWorkOrderStatus},
		{"POST /order/arbetsorder/{id}/atgard", staff, s.addAction},
		{"POST /order/arbetsorder/{id}/kostnad", staff, s.addCostLine},
		{"POST /order/arbetsorder/{id}/oppna", staff, s.reopenWorkOrder},

		// The order system's registers.
		{"GET /order/kunder", staff, s.listCustomers},
		{"POST /order/kunder", staff, s.createCustomer},
		{"GET /order/kunder/{id}", staff, s.showCustomer},
		{"POST /order/kunder/{id}", staff, s.updateCustomer},
		{"POST /order/kunder/{id}/anvandare", staff, s.createCustomerUser},
		{"POST /order/kunder/{id}/avtal", staff, s.createContract},
		{"GET /order/avtal/{id}", staff, s.editContract},
		{"POST /order/avtal/{id}", staff, s.updateContract},
		{"GET /order/kunder/{id}/objekt", staff, s.customerAssets},
		{"POST /order/kunder/{id}/objekt", staff, s.createAsset},
		{"POST /order/kunder/{id}/import", staff, s.importAssets},
		{"GET /order/kunder/{id}/etiketter", staff, s.printLabels},
		{"GET /order/objekt/{id}", staff, s.editAsset},
		{"POST /order/objekt/{id}", staff, s.updateAsset},
		{"POST /order/anvandare/{id}/sparr", staff, s.setUserDisabled},
		{"POST /order/anvandare/{id}/losenord", staff, s.resetPassword},

		// Admin-only settings.
		{"GET /order/personal", adminOnly, s.listStaff},
		{"POST /order/personal", adminOnly, s.createStaffUser},
		{"POST /order/personal/{id}/sparr", adminOnly, s.setStaffDisabled},
		{"POST /order/personal/{id}/tvastegs", adminOnly, s.resetStaffTOTP},
		{"POST /order/personal/{id}/losenord", adminOnly, s.resetStaffPassword},

		// The technician's phone view.
		{"GET /tekniker", technician, s.technicianHome},
		{"GET /tekniker/sw.js", technician, s.serviceWorker},
		{"GET /tekniker/arbetsorder/{id}", technician, s.technicianWorkOrder},
		{"POST /tekniker/arbetsorder/{id}/start", technician, s.technicianStart},
		{"POST /tekniker/arbetsorder/{id}/atgard", technician, s.technicianAction},
		{"POST /tekniker/arbetsorder/{id}/kostnad", technician, s.technicianCost},
		{"POST /tekniker/arbetsorder/{id}/foto", technician, s.technicianPhoto},
		{"POST /tekniker/arbetsorder/{id}/reservdel", technician, s.technicianWaitForPart},
		{"POST /tekniker/arbetsorder/{id}/klar", technician, s.technicianFinish},
		{"POST /tekniker/arbetsorder/{id}/signera", technician, s.technicianSign},
		{"POST /tekniker/arbetsorder/{id}/huvudnyckel", technician, s.technicianRevealAccess},
	}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { mux.Handle(pattern, routed(pattern, h)) }
	for _, rt := range s.routeTable() {
		h := rt.h
		if takesTurns(rt.pattern) {
			h = s.inTurn(h)
		}
		handle(rt.pattern, s.require(rt.access, s.handle(h)))
	}
	static, _ := fs.Sub(staticFS, "static")
	handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	// Browsers ask for /favicon.ico whatever the layout links; the SVG
	// answers there too (by its own type), so that the request is no 404.
	handle("GET /favicon.ico", cacheStatic(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "favicon.svg")
	})))
	handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) }))
	handle("GET /readyz", http.HandlerFunc(s.ready))
	if s.metricsToken != "" && s.metrics != nil {
		handle("GET /metrics", bearer(s.metricsToken, s.metrics.Handler(s.log)))
	}
	mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
	return mux
}

// bearer serves h only to a request that carries token as its bearer
// token, as a Prometheus scraper sends it (authorization.credentials).
func bearer(token string, h http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "401 Unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
