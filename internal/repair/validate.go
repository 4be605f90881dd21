package repair

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// Field length limits, in characters. They bound what one case can store
// and keep the pages readable.
const (
	MaxTitle       = 120
	MaxDescription = 4000
	MaxLine        = 120 // Kund, Gata
	MaxName        = 80
	MaxCity        = 60
	MaxContract    = 40
	MaxReference   = 60
	MaxDoorCode    = 20
)

// Access values for Huvudnyckel.
const (
	AccessYes      = "Ja"
	AccessNo       = "Nej"
	AccessDoorCode = "Portkod"
)

// CaseInput is what a person enters in "Nytt ärende", before validation.
type CaseInput struct {
	Title            string
	Description      string
	SiteName         string
	Street           string
	ReporterName     string
	ReporterPhone    string
	SitePhone1       string
	SitePhone2       string
	PostalCode       string
	City             string
	Access           string // "", Ja, Nej or Portkod
	DoorCode         string // with Portkod
	ContractNumber   string
	InvoiceReference string
}

// Form field names, shared by validation messages and the HTML form.
const (
	FieldTitle            = "title"
	FieldDescription      = "description"
	FieldAsset            = "asset"
	FieldSiteName         = "site_name"
	FieldStreet           = "street"
	FieldReporterName     = "reporter_name"
	FieldReporterPhone    = "reporter_phone"
	FieldSitePhone1       = "site_phone1"
	FieldSitePhone2       = "site_phone2"
	FieldPostalCode       = "postal_code"
	FieldCity             = "city"
	FieldAccess           = "access"
	FieldDoorCode         = "door_code"
	FieldContractNumber   = "contract_number"
	FieldInvoiceReference = "invoice_reference"
	FieldPhotos           = "photos"
)

// Validate checks every field at once and returns the case fields in their
// stored form (trimmed, phone numbers in E.164, postal code as "123 45"),
// or the messages for each wrong field.
func (in CaseInput) Validate() (Case, FieldErrors) {
	fe := FieldErrors{}
	var c Case
	text := func(field, v string, max int, required bool, multiline bool) string {
		return textRule{max: max, required: required, multiline: multiline}.check(fe, field, v)
	}
	c.Title = text(FieldTitle, in.Title, MaxTitle, true, false)
	c.Description = text(FieldDescription, in.Description, MaxDescription, true, true)
	c.SiteName = text(FieldSiteName, in.SiteName, MaxLine, false, false)
	c.Street = text(FieldStreet, in.Street, MaxLine, true, false)
	c.ReporterName = text(FieldReporterName, in.ReporterName, MaxName, true, false)
	c.City = text(FieldCity, in.City, MaxCity, true, false)
	c.ContractNumber = text(FieldContractNumber, in.ContractNumber, MaxContract, false, false)
	c.InvoiceReference = text(FieldInvoiceReference, in.InvoiceReference, MaxReference, false, false)

	phone := func(field, v string, required bool) string {
		v = text(field, v, 40, required, false)
		if v == "" || fe[field] != "" {
			return ""
		}
		p, err := NormalizePhone(v)
		if err != nil {
			fe.Add(field, "Ange ett svenskt telefonnummer, t.ex. 070-123 45 67 eller 08-123 456 78.")
		}
		return p
	}
	c.ReporterPhone = phone(FieldReporterPhone, in.ReporterPhone, true)
	c.SitePhone1 = phone(FieldSitePhone1, in.SitePhone1, false)
	c.SitePhone2 = phone(FieldSitePhone2, in.SitePhone2, false)

	pc := text(FieldPostalCode, in.PostalCode, 10, true, false)
	if pc != "" && fe[FieldPostalCode] == "" {
		if norm, ok := NormalizePostalCode(pc); ok {
			pc = norm
		} else {
			fe.Add(FieldPostalCode, "Ange postnumret med fem siffror, t.ex. 541 30.")
		}
	}
	c.PostalCode = pc

	// Portkod belongs to the choice Portkod only. A code typed with
	// another choice is refused rather than dropped: the form shows the
	// field to those without JavaScript whatever the choice (the script
	// hides and disables it otherwise, so it is not sent), and a code
	// silently thrown away would leave the technician outside the door.
	access := strings.TrimSpace(in.Access)
	if (access == "" || access == AccessYes || access == AccessNo) && strings.TrimSpace(in.DoorCode) != "" {
		fe.Add(FieldDoorCode, "Portkod fylls i bara när Huvudnyckel är Portkod. Välj Portkod eller töm fältet.")
	}
	switch access {
	case "":
	case AccessYes, AccessNo:
		c.Access = access
	case AccessDoorCode:
		code := text(FieldDoorCode, in.DoorCode, MaxDoorCode, false, false)
		if code == "" && fe[FieldDoorCode] == "" {
			fe.Add(FieldDoorCode, "Ange portkoden.")
		}
		c.Access = AccessDoorCode + " " + code
	default:
		fe.Add(FieldAccess, "Välj Ja, Nej eller Portkod.")
	}
	return c, fe
}

// NormalizePhone parses a Swedish (or international, with +) phone number
// and returns it in E.164 form, "+46701234567". The numbers it took
// lately are remembered: the same reporter's number comes with every
// case, and parsing it was a twelfth of a filed case's time.
func NormalizePhone(s string) (string, error) {
	if e164, ok := phones.get(s); ok {
		return e164, nil
	}
	n, err := phonenumbers.Parse(s, "SE")
	if err != nil {
		return "", err
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("repair: not a valid phone number: %q", s)
	}
	e164 := phonenumbers.Format(n, phonenumbers.E164)
	phones.put(s, e164)
	return e164, nil
}

// phones are the valid numbers NormalizePhone took lately, as typed, up
// to maxPhones; then it starts over.
var phones phoneCache

const maxPhones = 4096

type phoneCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *phoneCache) get(s string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e164, ok := c.m[s]
	return e164, ok
}

func (c *phoneCache) put(s, e164 string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxPhones {
		c.m = make(map[string]string)
	}
	c.m[s] = e164
}

var postalCode = regexp.MustCompile(`^(?:SE-?)?([1-9][0-9]{2}) ?([0-9]{2})$`)

// NormalizePostalCode accepts "54130", "541 30" or "SE-541 30" and returns
// "541 30".
func NormalizePostalCode(s string) (string, bool) {
	m := postalCode.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	return m[1] + " " + m[2], true
}

// accessMask is what stands for a hidden door code or master-key consent.
const accessMask = "••••"

// MaskAccess is Huvudnyckel as those who may not see it are shown it: the
// kind of access without its value ("Portkod ••••"), or "••••".
func MaskAccess(access string) string {
	switch {
	case access == "":
		return ""
	case strings.HasPrefix(access, AccessDoorCode):
		return AccessDoorCode + " " + accessMask
	}
	return accessMask
}

// IsMaskedAccess reports whether access is a masked value, not the real
// one.
func IsMaskedAccess(access string) bool { return strings.HasSuffix(access, accessMask) }
