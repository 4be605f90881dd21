package repair

import (
	"fmt"
	"regexp"
	"strings"
)

// Company is the repair company itself, as its documents and invoices
// name it: the letterhead of delivery notes and specifications, and the
// seller of its e-invoices. The operator configures it (the
// KUNDPORTAL_COMPANY_* variables); until then it is DemoCompany.
type Company struct {
	Name       string // "Skaraborgs Vitvaruservice AB"
	OrgNumber  string // "556789-0123", with a valid check digit
	VATNumber  string // "SE556789012301": SE, the organisation number, 01
	Street     string
	PostalCode string // "541 37"
	City       string
	Phone      string // E.164, "+46500441200"
	Email      string // where invoice questions go
	Bankgiro   string // "5050-1055"
	FSkatt     bool   // approved for F-skatt, which invoices must say
}

// DemoCompany is the demo's company, the default until one is configured.
var DemoCompany = Company{
	Name:       "Skaraborgs Vitvaruservice AB",
	OrgNumber:  "556789-0123",
	VATNumber:  "SE556789012301",
	Street:     "Industrigatan 8",
	PostalCode: "541 37",
	City:       "Skövde",
	Phone:      "+46500441200",
	Email:      "faktura@skaraborgsvitvaruservice.example",
	Bankgiro:   "5050-1055",
	FSkatt:     true,
}

// Address is the company's address on one line: "Industrigatan 8, 541 37
// Skövde".
func (c Company) Address() string {
	return strings.TrimPrefix(strings.TrimSpace(c.Street+", "+strings.TrimSpace(c.PostalCode+" "+c.City)), ", ")
}

var (
	bankgiroPattern = regexp.MustCompile(`^\d{3,4}-?\d{4}$`)
	e164Pattern     = regexp.MustCompile(`^\+\d{7,15}$`)
)

// Validate names the first thing wrong with the configured company, by
// the variable that sets it, so that a server refuses to start with
// invoices it could not issue.
func (c Company) Validate() error {
	org, ok := NormalizeOrgNumber(c.OrgNumber)
	switch {
	case strings.TrimSpace(c.Name) == "":
		return fmt.Errorf("KUNDPORTAL_COMPANY_NAME is empty")
	case !ok:
		return fmt.Errorf("KUNDPORTAL_COMPANY_ORG_NUMBER=%q is not an organisation number with a valid check digit", c.OrgNumber)
	case c.VATNumber != "SE"+strings.ReplaceAll(org, "-", "")+"01":
		return fmt.Errorf("KUNDPORTAL_COMPANY_VAT_NUMBER=%q is not SE, the organisation number and 01 (SE%s01)", c.VATNumber, strings.ReplaceAll(org, "-", ""))
	case strings.TrimSpace(c.Street) == "" || strings.TrimSpace(c.City) == "":
		return fmt.Errorf("KUNDPORTAL_COMPANY_STREET and KUNDPORTAL_COMPANY_CITY must both be set")
	case !postalCode.MatchString(c.PostalCode):
		return fmt.Errorf("KUNDPORTAL_COMPANY_POSTAL_CODE=%q is not a postal code like 541 37", c.PostalCode)
	case c.Phone != "" && !e164Pattern.MatchString(c.Phone):
		return fmt.Errorf("KUNDPORTAL_COMPANY_PHONE=%q is not a number like +46500441200", c.Phone)
	case !bankgiroPattern.MatchString(c.Bankgiro):
		return fmt.Errorf("KUNDPORTAL_COMPANY_BANKGIRO=%q is not a bankgiro number like 5050-1055", c.Bankgiro)
	}
	return nil
}
