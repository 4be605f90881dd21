package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// admits says, written out by hand, which roles each access level lets in.
// It is deliberately not computed with access.allows, so that a wrong
// allows disagrees with it. public admits everyone, signed out too, and is
// not listed. That each route has the right level is TestRouteLevels' part.
var admits = map[access][]repair.Role{
	signedIn:      {repair.RoleCustomerUser, repair.RoleCustomerAdmin, repair.RoleDispatcher, repair.RoleTechnician, repair.RoleAdmin},
	customer:      {repair.RoleCustomerUser, repair.RoleCustomerAdmin},
	staff:         {repair.RoleDispatcher, repair.RoleAdmin},
	technician:    {repair.RoleTechnician, repair.RoleAdmin},
	adminOnly:     {repair.RoleAdmin},
	customerAdmin: {repair.RoleCustomerAdmin},
}

// levelRule puts the routes whose path starts with prefix at level.
type levelRule struct {
	prefix string
	level  access
}

// levelNames names the access levels in messages.
var levelNames = map[access]string{public: "public", signedIn: "signedIn", customer: "customer", staff: "staff", technician: "technician", adminOnly: "adminOnly", customerAdmin: "customerAdmin"}

// levelByPath is the site's rule, written out by hand, for which level a
// route's path belongs to: the first prefix that matches decides. The office
// lives under /order, its admin settings under /order/personal.
var levelByPath = []levelRule{
	{"/order/personal", adminOnly},
	{"/order", staff},
	{"/tekniker", technician},
	{"/logga-in", public},
	{"/logga-ut", signedIn},
	{"/byt-losenord", signedIn},
	{"/tvastegs", signedIn},
	{"/filer/", signedIn}, // a case's files, for the customer and the office alike
	{"/nytt-arende", customer},
	{"/sok-arende", customer},
	{"/fakturaspecifikation", customer},
	{"/dashboard", customer},
	{"/arenden/", customer},
	{"/objekt", customer},
	{"/e-post", customer},
	{"/anvandare", customerAdmin},
	{"/avregistrera/", public}, // a mail's unsubscribe link is its own permission
	{"/glomt-losenord", public},
	{"/aterstall-losenord/", public}, // a reset link is its own permission
}

// TestRouteLevels checks every route's access level against levelByPath,
// so that, say, a new office route left at signedIn fails here, while
// TestRouteAccessByRole checks that each level admits the right roles.
func TestRouteLevels(t *testing.T) {
	s := &server{}
	for _, rt := range s.routeTable() {
		_, path, _ := strings.Cut(rt.pattern, " ")
		if path == "/{$}" {
			if rt.access != public {
				t.Errorf("route %q has access %s, want public (it sends each visitor to their start page)", rt.pattern, levelNames[rt.access])
			}
			continue
		}
		i := slices.IndexFunc(levelByPath, func(l levelRule) bool { return strings.HasPrefix(path, l.prefix) })
		if i < 0 {
			t.Errorf("route %q: no rule in levelByPath for its path; add one", rt.pattern)
			continue
		}
		if want := levelByPath[i].level; rt.access != want {
			t.Errorf("route %q has access %s, want %s (paths under %s)", rt.pattern, levelNames[rt.access], levelNames[want], levelByPath[i].prefix)
		}
	}
}

// TestRouteAccessByRole walks the route table and asks every route as every
// role and signed out. Signed out, a route that is not public sends the
// visitor to the login page (and back afterwards, for a GET); a role the
// route's level does not admit gets the 404 page, as if the route did not
// exist; an admitted role reaches the handler. A refused request changes
// nothing, even with a form that would.
func TestRouteAccessByRole(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		custAdmin := f.karin
		emails := map[repair.Role]string{
			repair.RoleCustomerUser:  f.anna.Email,
			repair.RoleCustomerAdmin: custAdmin.Email,
			repair.RoleDispatcher:    f.disp.Email,
			repair.RoleTechnician:    f.tech.Email,
			repair.RoleAdmin:         f.admin.Email,
		}
		tokens := map[repair.Role]string{}
		for _, role := range repair.Roles {
			if emails[role] == "" {
				t.Fatalf("role %s has no user in this test", role)
			}
			tokens[role] = sessionToken(t, f.login(emails[role]), f.srv.URL)
		}

		// The technician has a work order on the customer's case, so that
		// the case's files are among what it may see.
		storetest.WorkOrder(t, db, f.myCase.ID, f.tech.ID)
		// Its own routes get a work order on a case of its own: an empty
		// Starta reaches the handler and starts it, which is no harm to
		// check below.
		techCase := storetest.Case(t, db, f.mine.ID, f.myAsset.ID, "Skövde Spis värmer inte")
		techWO := storetest.WorkOrder(t, db, techCase.ID, f.tech.ID)

		// An id in each route's path that every admitted role may see:
		// records of the customer the customer users belong to.
		inv := f.invoice(f.mine)
		ids := map[string]int64{
			"/order/fakturor/{id}":             inv.ID,
			"/order/fakturor/{id}/kreditera":   inv.ID,
			"/order/fakturor/{id}/export.pdf":  inv.ID,
			"/order/fakturor/{id}/export.xlsx": inv.ID,
			"/order/fakturor/{id}/export.csv":  inv.ID,
			"/order/fakturor/{id}/export.xml":  inv.ID,
			"/arenden/{id}":                    f.myCase.ID,
			"/arenden/{id}/atgarder":           f.myCase.ID,
			"/arenden/{id}/filer":              f.myCase.ID,
			"/arenden/{id}/information":        f.myCase.ID,
			"/arenden/{id}/foto":               f.myCase.ID,
			"/arenden/{id}/avbryt":             f.myCase.ID,
			"/order/arenden/{id}/last":         f.myCase.ID,
			"/objekt/{id}":                     f.myAsset.ID,
			"/objekt/{id}/export.csv":          f.myAsset.ID,
			"/objekt/{id}/export.xlsx":         f.myAsset.ID,
			"/filer/{id}":                      f.myFile.ID,
			"/filer/{id}/miniatyr":             f.myFile.ID,
			"/order/arenden/{id}":              f.myCase.ID,
			"/order/arenden/{id}/status":       f.myCase.ID,
			"/order/arenden/{id}/huvudnyckel":  f.myCase.ID,
			"/order/arenden/{id}/arbetsorder":  f.myCase.ID,
			"/order/arenden/{id}/filer":        f.myCase.ID,
			"/order/arbetsorder/{id}/status":   f.myWorkOrder.ID,
			"/order/arbetsorder/{id}/atgard":   f.myWorkOrder.ID,
			"/order/arbetsorder/{id}/kostnad":  f.myWorkOrder.ID,
			"/order/arbetsorder/{id}/oppna":    f.myWorkOrder.ID,
			"/order/kunder/{id}":               f.mine.ID,
			"/order/kunder/{id}/anvandare":     f.mine.ID,
			"/order/kunder/{id}/avtal":         f.mine.ID,
			"/order/kunder/{id}/objekt":        f.mine.ID,
			"/order/kunder/{id}/import":        f.mine.ID,
			"/order/kunder/{id}/etiketter":     f.mine.ID,
			"/order/avtal/{id}":                f.myContract.ID,
			"/order/objekt/{id}":               f.myAsset.ID,
			"/order/anvandare/{id}/sparr":      f.anna.ID,
			"/order/anvandare/{id}/losenord":   f.anna.ID,
			"/order/personal/{id}/sparr":       f.tech.ID,
			"/order/utskick/{id}":              f.myMail.ID,
			"/order/utskick/{id}/html":         f.myMail.ID,
			"/order/utskick/{id}/forsok-igen":  f.myMail.ID,
			"/anvandare/{id}/sparr":            f.anna.ID,
			"/anvandare/{id}/roll":             f.anna.ID,
			"/order/personal/{id}/tvastegs":    f.tech.ID,
			"/order/personal/{id}/losenord":    f.tech.ID,
		}
		for _, rt := range (&server{}).routeTable() {
			_, path, _ := strings.Cut(rt.pattern, " ")
			if strings.HasPrefix(path, "/tekniker/arbetsorder/{id}") {
				ids[path] = techWO.ID
			}
		}
		// A query that makes a GET show its page rather than send the
		// user elsewhere: a label sheet needs at least one machine, an
		// e-invoice an invoice.
		queries := map[string]string{
			"/order/kunder/{id}/etiketter":     "?id=" + itoa(f.myAsset.ID),
			"/fakturaspecifikation/export.xml": "?faktura=" + itoa(inv.ID),
		}
		// What a refused POST carries: it would change the case's status,
		// block a login or create a record if it reached a handler.
		harmful := url.Values{"status": {"received"}, "disabled": {"1"}, "name": {"X"}, "number": {"X1"},
			"email": {"x@example.se"}, "role": {"admin"}, "password": {"ett-långt-lösen-1"}}

		s := &server{}
		pairs := 0
		for _, rt := range s.routeTable() {
			method, path, _ := strings.Cut(rt.pattern, " ")
			path = strings.TrimSuffix(path, "{$}")
			query := queries[path]
			if strings.Contains(path, "{id}") {
				id, ok := ids[path]
				if !ok {
					t.Errorf("route %q takes an id but this test has none for it", rt.pattern)
					continue
				}
				path = strings.Replace(path, "{id}", itoa(id), 1)
			}
			switch {
			case strings.HasPrefix(path, "/avregistrera/"):
				path = strings.Replace(path, "{token}", f.ops.UnsubscribeToken(f.anna.ID, repair.MailDone), 1)
			case strings.HasPrefix(path, "/aterstall-losenord/"):
				path = strings.Replace(path, "{token}", f.resetToken(f.anna.Email), 1)
			}
			path += query
			roles, listed := admits[rt.access]
			if rt.access != public && !listed {
				t.Errorf("route %q: access level %d is not in the admits table", rt.pattern, int(rt.access))
				continue
			}
			send := func(token string, form url.Values) *http.Response {
				t.Helper()
				if method == http.MethodPost {
					return replay(t, f.srv.URL, token, method, path, form)
				}
				return replayGet(t, f.srv.URL, token, path)
			}

			// Where require sends the signed-out: back here after login,
			// for a GET.
			toLogin := "/logga-in"
			if method == http.MethodGet {
				toLogin += "?next=" + url.QueryEscape(path)
			}
			t.Run(rt.pattern, func(t *testing.T) {
				// Signed out.
				pairs++
				if rt.access == public {
					if resp := send("", url.Values{}); resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 {
						t.Errorf("signed out = %d, want the public page", resp.StatusCode)
					}
				} else {
					resp := send("", harmful)
					if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != toLogin {
						t.Errorf("signed out = %d → %q, want 303 → %q", resp.StatusCode, loc, toLogin)
					}
				}

				for _, role := range repair.Roles {
					pairs++
					token := tokens[role]
					if rt.pattern == "POST /logga-ut" {
						// Logging out ends the session: use one of its own.
						token = sessionToken(t, f.login(emails[role]), f.srv.URL)
					}
					if rt.access != public && !slices.Contains(roles, role) {
						resp := send(token, harmful)
						if resp.StatusCode != http.StatusNotFound {
							t.Errorf("as %s = %d → %q, want 404", role, resp.StatusCode, resp.Header.Get("Location"))
						} else if h := doc(t, resp).Find("h1").Text(); h != "Sidan finns inte" {
							t.Errorf("as %s: 404 page heading = %q, want Sidan finns inte", role, h)
						}
						continue
					}
					// Admitted: a page is shown; an empty form is refused
					// with messages, or is a no-op, but reaches the handler.
					resp := send(token, url.Values{})
					loc := resp.Header.Get("Location")
					switch {
					case method == http.MethodGet && rt.access != public && resp.StatusCode != http.StatusOK:
						t.Errorf("as %s = %d → %q, want 200", role, resp.StatusCode, loc)
					case resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 || loc == toLogin:
						t.Errorf("as %s = %d → %q, want the route reached", role, resp.StatusCode, loc)
					}
				}
			})
		}
		if want := len(s.routeTable()) * (len(repair.Roles) + 1); pairs != want {
			t.Errorf("checked %d route × role pairs, want %d", pairs, want)
		}

		// The refused requests left everything as it was.
		if c, err := db.Case(ctx, repair.StaffScope(), f.myCase.ID); err != nil || c.Status != repair.StatusRegistered {
			t.Errorf("case after the refused requests = %v (%v), want still %v", c.Status, err, repair.StatusRegistered)
		}
		for _, u := range []repair.User{f.anna, f.tech} {
			if got, err := db.User(ctx, repair.StaffScope(), u.ID); err != nil || got.Disabled || got.PasswordHash != f.hash {
				t.Errorf("user %s after the refused requests: disabled %v, password changed %v (%v)", u.Email, got.Disabled, got.PasswordHash != f.hash, err)
			}
		}
		if _, err := db.UserByEmail(ctx, "x@example.se"); err == nil {
			t.Error("a refused request created a user")
		}
	})
}
