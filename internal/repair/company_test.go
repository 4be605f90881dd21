package repair

import (
	"strings"
	"testing"
)

func TestCompanyValidate(t *testing.T) {
	if err := DemoCompany.Validate(); err != nil {
		t.Fatalf("the demo company: %v", err)
	}
	if got := DemoCompany.Address(); got != "Industrigatan 8, 541 37 Skövde" {
		t.Errorf("Address() = %q", got)
	}
	for name, tc := range map[string]struct {
		change func(*Company)
		want   string
	}{
		"no name":         {func(c *Company) { c.Name = " " }, "KUNDPORTAL_COMPANY_NAME"},
		"bad check digit": {func(c *Company) { c.OrgNumber = "556789-0124" }, "KUNDPORTAL_COMPANY_ORG_NUMBER"},
		"VAT of another":  {func(c *Company) { c.VATNumber = "SE556677889901" }, "KUNDPORTAL_COMPANY_VAT_NUMBER"},
		"no city":         {func(c *Company) { c.City = "" }, "KUNDPORTAL_COMPANY_CITY"},
		"bad postal code": {func(c *Company) { c.PostalCode = "5413" }, "KUNDPORTAL_COMPANY_POSTAL_CODE"},
		"bad phone":       {func(c *Company) { c.Phone = "0500-44 12 00" }, "KUNDPORTAL_COMPANY_PHONE"},
		"bad bankgiro":    {func(c *Company) { c.Bankgiro = "12" }, "KUNDPORTAL_COMPANY_BANKGIRO"},
	} {
		c := DemoCompany
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %s", name, err, tc.want)
		}
	}
}
