package orders_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
	"kundportal/internal/storetest"
)

// TestColleagues: a customer's admin invites a colleague, whose
// invitation link sets the password and then works no more; blocks and
// unblocks, and changes roles, of its own customer's people only, never
// its own login; sees its customer's mail, without the links' tokens. A
// customer's user, another customer's admin and a staff login's id get
// not found.
func TestColleagues(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		w.ops.UseMail("https://portal.example")
		karin := storetest.User(t, db, w.mine.ID, repair.RoleCustomerAdmin, "karin@solgarden.example", "x")
		theirAdmin := storetest.User(t, db, w.theirs.ID, repair.RoleCustomerAdmin, "admin@bjorkhagen.example", "x")

		_, err := w.ops.InviteColleague(ctx, karin, repair.UserInput{Name: "David Ek", Email: "david@", Role: "customer_user"})
		wantFields(t, "a bad address", err, "email")
		_, err = w.ops.InviteColleague(ctx, karin, repair.UserInput{Name: "Anna igen", Email: w.anna.Email, Role: "customer_user"})
		wantFields(t, "a taken address", err, "email")
		_, err = w.ops.InviteColleague(ctx, karin, repair.UserInput{Name: "David Ek", Email: "david@solgarden.example", Role: "admin"})
		wantFields(t, "a staff role", err, "role")
		if _, err := w.ops.InviteColleague(ctx, w.anna, repair.UserInput{Name: "D", Email: "d@solgarden.example", Role: "customer_user"}); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a customer's user invites: %v, want not found", err)
		}
		david, err := w.ops.InviteColleague(ctx, karin, repair.UserInput{Name: "David Ek", Email: "David@Solgarden.example", Role: "customer_user"})
		if err != nil {
			t.Fatal(err)
		}
		if david.CustomerID != w.mine.ID || david.Email != "david@solgarden.example" || david.Role != repair.RoleCustomerUser {
			t.Errorf("invited %+v", david)
		}
		ms, _, _ := db.Mails(ctx, repair.StaffScope(), store.MailFilter{})
		if len(ms) != 1 || ms[0].Event != repair.MailInvitation || ms[0].Recipient != david.Email || !strings.Contains(ms[0].Text, karin.Name) {
			t.Fatalf("invitation mails %+v", ms)
		}
		link := regexp.MustCompile(`https://portal\.example` + repair.ResetPath + `([A-Za-z0-9_-]{43})`).FindStringSubmatch(ms[0].Text)
		if link == nil {
			t.Fatalf("no link in the invitation:\n%s", ms[0].Text)
		}
		if _, err := w.ops.SignIn(ctx, orders.LoginInput{Email: david.Email, Password: "något långt lösenord"}); !errors.Is(err, orders.ErrBadLogin) {
			t.Errorf("the invited signs in before choosing a password: %v", err)
		}
		pw := repair.NewPasswordInput{New: "Davids egna lösenord", Again: "Davids egna lösenord"}
		if _, err := w.ops.ResetForgottenPassword(ctx, link[1], pw); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.SignIn(ctx, orders.LoginInput{Email: david.Email, Password: pw.New}); err != nil {
			t.Errorf("the invited signs in with its password: %v", err)
		}
		if _, err := w.ops.ResetForgottenPassword(ctx, link[1], pw); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("the invitation's link used twice: %v", err)
		}

		// Blocking, roles: own customer's people, never oneself.
		if _, err := w.ops.SetColleagueDisabled(ctx, karin, david.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.SignIn(ctx, orders.LoginInput{Email: david.Email, Password: pw.New}); !errors.Is(err, orders.ErrBadLogin) {
			t.Errorf("a blocked colleague signs in: %v", err)
		}
		if _, err := w.ops.SetColleagueDisabled(ctx, karin, david.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ops.SetColleagueRole(ctx, karin, david.ID, repair.RoleCustomerAdmin); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.User(ctx, repair.StaffScope(), david.ID); u.Role != repair.RoleCustomerAdmin || u.Disabled {
			t.Errorf("david after unblock and role: %+v", u)
		}
		_, err = w.ops.SetColleagueRole(ctx, karin, david.ID, repair.RoleAdmin)
		wantFields(t, "a staff role", err, "role")
		_, err = w.ops.SetColleagueDisabled(ctx, karin, karin.ID, true)
		wantFields(t, "blocking oneself", err, "user")
		_, err = w.ops.SetColleagueRole(ctx, karin, karin.ID, repair.RoleCustomerUser)
		wantFields(t, "one's own role", err, "role")
		for _, id := range []int64{w.olle.ID, theirAdmin.ID, w.disp.ID, w.adm.ID, 987654} {
			if _, err := w.ops.SetColleagueDisabled(ctx, karin, id, true); !errors.Is(err, repair.ErrNotFound) {
				t.Errorf("blocking user %d: %v, want not found", id, err)
			}
			if _, err := w.ops.SetColleagueRole(ctx, karin, id, repair.RoleCustomerAdmin); !errors.Is(err, repair.ErrNotFound) {
				t.Errorf("the role of user %d: %v, want not found", id, err)
			}
		}
		if u, _ := db.User(ctx, repair.StaffScope(), w.olle.ID); u.Disabled || u.Role != repair.RoleCustomerUser {
			t.Errorf("another customer's user changed: %+v", u)
		}
		mine, err := w.ops.Colleagues(ctx, karin)
		if err != nil || len(mine) != 3 {
			t.Errorf("colleagues: %d, %v; want anna, karin, david", len(mine), err)
		}

		// The mail log: the customer's own, no token.
		log, _, err := w.ops.CustomerMails(ctx, karin, 0)
		if err != nil || len(log) != 1 || strings.Contains(log[0].Text, link[1]) {
			t.Errorf("karin's mail log: %d mails, %v; token shown: %v", len(log), err, len(log) > 0 && strings.Contains(log[0].Text, link[1]))
		}
		if theirs, _, _ := w.ops.CustomerMails(ctx, theirAdmin, 0); len(theirs) != 0 {
			t.Errorf("another customer's admin sees %d of mine's mails", len(theirs))
		}
		if _, _, err := w.ops.CustomerMails(ctx, w.anna, 0); !errors.Is(err, repair.ErrNotFound) {
			t.Errorf("a customer's user reads the mail log: %v", err)
		}
	})
}
