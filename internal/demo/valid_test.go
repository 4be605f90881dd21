package demo

import (
	"context"
	"testing"

	"kundportal/internal/repair"
	"kundportal/internal/sv"
)

// TestDemoPassesTheProductsRules: every demo record can be saved unchanged
// through the product's own forms. Demo data that the forms would refuse
// (an organisation number with a wrong check digit) shows people a
// customer they cannot edit.
func TestDemoPassesTheProductsRules(t *testing.T) {
	ctx := context.Background()
	db, _ := load(t, dialects[0].open, testNow)
	staff := repair.StaffScope()
	customers, err := db.Customers(ctx, staff)
	if err != nil {
		t.Fatal(err)
	}
	if len(customers) == 0 {
		t.Fatal("no demo customers")
	}
	for _, c := range customers {
		if got, fe := c.Input().Validate(); len(fe) > 0 {
			t.Errorf("customer %s: %v", c.Number, fe)
		} else if got.OrgNumber != c.OrgNumber || got.InvoiceAddress != c.InvoiceAddress || got.HourlyRateOre != c.HourlyRateOre {
			t.Errorf("customer %s does not survive its own form: %+v", c.Number, got)
		}
		contracts, err := db.Contracts(ctx, staff, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range contracts {
			if got, fe := k.Input().Validate(); len(fe) > 0 || got.HourlyRateOre != k.HourlyRateOre {
				t.Errorf("contract %s of %s: %v", k.Number, c.Number, fe)
			}
		}
		users, err := db.CustomerUsers(ctx, staff, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			in := repair.UserInput{Name: u.Name, Email: u.Email, Phone: sv.Phone(u.Phone), Role: string(u.Role),
				Password: "ett giltigt lösenord"} // the demo's own, demo1234, is documented and shorter than a new one may be
			if _, _, fe := in.Validate([]repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin}); len(fe) > 0 {
				t.Errorf("user %s: %v", u.Email, fe)
			}
		}
	}
	assets, err := db.SearchAssets(ctx, staff, "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range assets {
		if got, fe := a.Input().Validate(); len(fe) > 0 || got.PostalCode != a.PostalCode || got.InstalledOn != a.InstalledOn {
			t.Errorf("asset %s: %v", a.Number, fe)
		}
	}
	for _, c := range allCases(t, db) {
		// Huvudnyckel is read masked; its form gets the real value.
		plain, _, err := db.CaseAccess(ctx, staff, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := c.Input()
		in.Access, in.DoorCode = repair.AccessInput(plain)
		c.Access = plain
		got, fe := in.Validate()
		if len(fe) > 0 {
			t.Errorf("case %s: %v", c.Number, fe)
			continue
		}
		if got.ReporterPhone != c.ReporterPhone || got.PostalCode != c.PostalCode || got.Access != c.Access {
			t.Errorf("case %s does not survive its own form: %+v", c.Number, got)
		}
	}
}
