package demo

import (
	"context"
	"strings"
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
		in := repair.CustomerInput{Number: c.Number, Name: c.Name, OrgNumber: c.OrgNumber, InvoiceAddress: c.InvoiceAddress, HourlyRate: sv.AmountInput(c.HourlyRateOre)}
		if got, fe := in.Validate(); len(fe) > 0 {
			t.Errorf("customer %s: %v", c.Number, fe)
		} else if got.OrgNumber != c.OrgNumber || got.InvoiceAddress != c.InvoiceAddress {
			t.Errorf("customer %s does not survive its own form: %+v", c.Number, got)
		}
		contracts, err := db.Contracts(ctx, staff, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range contracts {
			in := repair.ContractInput{Number: k.Number, Name: k.Name, ValidFrom: k.ValidFrom, ValidTo: k.ValidTo, HourlyRate: sv.AmountInput(k.HourlyRateOre)}
			if _, fe := in.Validate(); len(fe) > 0 {
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
		in := repair.AssetInput{Number: a.Number, Kind: a.Kind, Brand: a.Brand, Model: a.Model, SerialNumber: a.SerialNumber,
			SiteName: a.SiteName, Street: a.Street, PostalCode: a.PostalCode, City: a.City, Location: a.Location,
			ContractNumber: a.ContractNumber, InstalledOn: a.InstalledOn}
		if _, fe := in.Validate(); len(fe) > 0 {
			t.Errorf("asset %s: %v", a.Number, fe)
		}
	}
	for _, c := range allCases(t, db) {
		in := repair.CaseInput{Title: c.Title, Description: c.Description, SiteName: c.SiteName, Street: c.Street,
			ReporterName: c.ReporterName, ReporterPhone: sv.Phone(c.ReporterPhone), SitePhone1: sv.Phone(c.SitePhone1),
			SitePhone2: sv.Phone(c.SitePhone2), PostalCode: c.PostalCode, City: c.City,
			ContractNumber: c.ContractNumber, InvoiceReference: c.InvoiceReference}
		in.Access = c.Access
		if code, ok := strings.CutPrefix(c.Access, repair.AccessDoorCode+" "); ok {
			in.Access, in.DoorCode = repair.AccessDoorCode, code
		}
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
