package repair

import "testing"

func TestNormalizeOrgNumber(t *testing.T) {
	good := map[string]string{"556036-0793": "556036-0793", "5560360793": "556036-0793", "16556036-0793": "556036-0793", "212000-1355": "212000-1355"}
	for in, want := range good {
		if got, ok := NormalizeOrgNumber(in); !ok || got != want {
			t.Errorf("NormalizeOrgNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"556036-0794", "55603-0793", "abc", ""} {
		if _, ok := NormalizeOrgNumber(in); ok {
			t.Errorf("NormalizeOrgNumber(%q) accepted", in)
		}
	}
}

func TestRegisterValidation(t *testing.T) {
	if _, fe := (CustomerInput{Number: "k 1", Name: "", HourlyRate: "x", OrgNumber: "1"}).Validate(); len(fe) != 4 {
		t.Errorf("customer errors = %v, want number, name, rate, org", fe)
	}
	if c, fe := (CustomerInput{Number: "k1001", Name: "Solgården", HourlyRate: "650", OrgNumber: "5560360793"}).Validate(); len(fe) != 0 || c.Number != "K1001" || c.HourlyRateOre != 65000 {
		t.Errorf("customer = %+v, %v", c, fe)
	}
	if _, fe := (ContractInput{Number: "AV-1", ValidFrom: "2026-05-01", ValidTo: "2026-04-01"}).Validate(); fe["valid_to"] == "" {
		t.Errorf("contract ending before it starts accepted: %v", fe)
	}
	if a, fe := (AssetInput{Number: "100001", Kind: "Kyl", PostalCode: "54130"}).Validate(); len(fe) != 0 || a.PostalCode != "541 30" {
		t.Errorf("asset = %+v, %v", a, fe)
	}
	roles := []Role{RoleCustomerUser, RoleCustomerAdmin}
	if _, _, fe := (UserInput{Name: "Eva", Email: "eva@x.se", Role: "admin", Password: "tio-tecken-minst"}).Validate(roles); fe["role"] == "" {
		t.Error("a customer form accepted the admin role")
	}
	if _, _, fe := (UserInput{Name: "Eva", Email: "Eva <eva@x.se>", Role: "customer_user", Password: "kort"}).Validate(roles); fe["email"] == "" || fe["password"] == "" {
		t.Errorf("errors = %v, want email and password", fe)
	}
}
