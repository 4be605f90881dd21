package repair

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// fieldText checks a one-line text field with the shared rules.
func fieldText(fe FieldErrors, field, v string, max int, required bool) string {
	return line(fe, field, v, max, required)
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,19}$`)

func fieldCode(fe FieldErrors, field, v string, required bool) string {
	v = fieldText(fe, field, v, 20, required)
	if v != "" && fe[field] == "" && !codePattern.MatchString(v) {
		fe.Add(field, "Använd bokstäver, siffror och bindestreck (högst 20).")
	}
	return v
}

func fieldRate(fe FieldErrors, field, v string) int64 {
	if strings.TrimSpace(v) == "" {
		return 0
	}
	ore, err := ParseAmount(v)
	if err != nil {
		fe.Add(field, "Ange timpris i kronor, t.ex. 650 eller 650,50.")
	}
	return ore
}

// CustomerInput is the customer register form.
type CustomerInput struct {
	Number, Name, OrgNumber, InvoiceAddress, HourlyRate string
	InvoicesAdminsOnly                                  bool
}

// Validate checks every field and returns the customer to save.
func (in CustomerInput) Validate() (Customer, FieldErrors) {
	fe := FieldErrors{}
	c := Customer{
		Number:             strings.ToUpper(fieldCode(fe, "number", in.Number, true)),
		Name:               fieldText(fe, "name", in.Name, 120, true),
		HourlyRateOre:      fieldRate(fe, "hourly_rate", in.HourlyRate),
		InvoicesAdminsOnly: in.InvoicesAdminsOnly,
	}
	c.InvoiceAddress = lines(fe, "invoice_address", in.InvoiceAddress, 300, false)
	if org := fieldText(fe, "org_number", in.OrgNumber, 20, false); org != "" && fe["org_number"] == "" {
		norm, ok := NormalizeOrgNumber(org)
		if !ok {
			fe.Add("org_number", "Ange organisationsnummer som 556677-8899 (tio siffror med giltig kontrollsiffra).")
		}
		c.OrgNumber = norm
	}
	return c, fe
}

var orgPattern = regexp.MustCompile(`^(?:16)?(\d{6})-?(\d{4})$`)

// NormalizeOrgNumber checks a Swedish organisation number (with its Luhn
// check digit) and returns it as "556677-8899".
func NormalizeOrgNumber(s string) (string, bool) {
	m := orgPattern.FindStringSubmatch(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if m == nil {
		return s, false
	}
	digits := m[1] + m[2]
	sum := 0
	for i, r := range digits {
		d := int(r - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return m[1] + "-" + m[2], sum%10 == 0
}

// ContractInput is the contract form.
type ContractInput struct{ Number, Name, ValidFrom, ValidTo, HourlyRate string }

// Validate checks every field and returns the contract to save.
func (in ContractInput) Validate() (Contract, FieldErrors) {
	fe := FieldErrors{}
	k := Contract{
		Number:        fieldCode(fe, "number", in.Number, true),
		Name:          fieldText(fe, "name", in.Name, 120, false),
		ValidFrom:     dateString(fe, "valid_from", in.ValidFrom, RegisterDates),
		ValidTo:       dateString(fe, "valid_to", in.ValidTo, RegisterDates),
		HourlyRateOre: fieldRate(fe, "hourly_rate", in.HourlyRate),
	}
	if k.ValidFrom != "" && k.ValidTo != "" && k.ValidTo < k.ValidFrom && fe["valid_to"] == "" {
		fe.Add("valid_to", "Slutdatum är före startdatum.")
	}
	return k, fe
}

// AssetInput is the machine register form.
type AssetInput struct {
	Number, Kind, Brand, Model, SerialNumber, SiteName, Street, PostalCode, City, Location, ContractNumber, InstalledOn string
}

// Validate checks every field and returns the asset to save; the caller
// resolves ContractNumber to the customer's contract.
func (in AssetInput) Validate() (Asset, FieldErrors) {
	fe := FieldErrors{}
	a := Asset{
		Number:         fieldCode(fe, "number", in.Number, true),
		Kind:           fieldText(fe, "kind", in.Kind, 60, true),
		Brand:          fieldText(fe, "brand", in.Brand, 60, false),
		Model:          fieldText(fe, "model", in.Model, 60, false),
		SerialNumber:   fieldText(fe, "serial_number", in.SerialNumber, 60, false),
		SiteName:       fieldText(fe, "site_name", in.SiteName, MaxLine, false),
		Street:         fieldText(fe, "street", in.Street, MaxLine, false),
		City:           fieldText(fe, "city", in.City, MaxCity, false),
		Location:       fieldText(fe, "location", in.Location, MaxLine, false),
		ContractNumber: fieldText(fe, "contract_number", in.ContractNumber, MaxContract, false),
		InstalledOn:    dateString(fe, "installed_on", in.InstalledOn, RegisterDates),
	}
	if pc := fieldText(fe, "postal_code", in.PostalCode, 10, false); pc != "" && fe["postal_code"] == "" {
		norm, ok := NormalizePostalCode(pc)
		if !ok {
			fe.Add("postal_code", "Ange postnumret med fem siffror, t.ex. 541 30.")
		}
		a.PostalCode = norm
	}
	return a, fe
}

// UserInput is the form for a new login.
type UserInput struct{ Name, Email, Phone, Role, Password string }

// Validate checks every field and returns the user to create (without its
// password hash) and the password to hash.
func (in UserInput) Validate(allowed []Role) (User, string, FieldErrors) {
	fe := FieldErrors{}
	u := User{
		Name:  fieldText(fe, "name", in.Name, MaxName, true),
		Email: strings.ToLower(fieldText(fe, "email", in.Email, 254, true)),
		Role:  Role(in.Role),
	}
	if u.Email != "" && fe["email"] == "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			fe.Add("email", "Ange en e-postadress, t.ex. namn@foretag.se.")
		}
	}
	if p := fieldText(fe, "phone", in.Phone, 40, false); p != "" && fe["phone"] == "" {
		norm, err := NormalizePhone(p)
		if err != nil {
			fe.Add("phone", "Ange ett svenskt telefonnummer, t.ex. 070-123 45 67.")
		}
		u.Phone = norm
	}
	ok := false
	for _, r := range allowed {
		ok = ok || r == u.Role
	}
	if !ok {
		fe.Add("role", "Välj en roll.")
	}
	if msg := PasswordProblem(in.Password); msg != "" {
		fe.Add("password", msg+" Användaren byter det vid första inloggningen.")
	}
	return u, in.Password, fe
}

// Password length limits, in characters. Long passphrases are encouraged;
// the upper limit only bounds the work of hashing.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 200
)

// PasswordProblem says in Swedish what is wrong with a new password, or
// returns "" when it is acceptable.
func PasswordProblem(pw string) string {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLength || n > MaxPasswordLength {
		return fmt.Sprintf("Lösenordet ska ha %d–%d tecken.", MinPasswordLength, MaxPasswordLength)
	}
	return ""
}
