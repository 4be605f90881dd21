package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestCreateStaffUser: an admin creates a staff login, bound to no
// customer; a customer role is refused on the staff form. (Who may reach
// the form is TestRouteAccessByRole's part.)
func TestCreateStaffUser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.login(f.admin.Email)
		if resp := f.post(admin, "/order/personal", url.Values{"name": {"Ny Tekniker"}, "email": {"ny@kundportal.example"}, "role": {"technician"}, "password": {"ett-långt-lösen"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin creates staff = %d, want 303", resp.StatusCode)
		}
		if u, err := f.db.UserByEmail(context.Background(), "ny@kundportal.example"); err != nil || u.Role != repair.RoleTechnician || u.CustomerID != 0 || !u.MustChangePassword {
			t.Errorf("new staff user = %+v, %v; want a technician of no customer with a start password", u, err)
		}
		if resp := f.post(admin, "/order/personal", url.Values{"name": {"Kund"}, "email": {"k@x.se"}, "role": {"customer_user"}, "password": {"ett-långt-lösen"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("customer role on the staff form = %d, want 422", resp.StatusCode)
		}
		if _, err := f.db.UserByEmail(context.Background(), "k@x.se"); err == nil {
			t.Error("the refused customer role was saved")
		}
	})
}
