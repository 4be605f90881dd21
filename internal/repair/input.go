package repair

import (
	"strings"

	"kundportal/internal/sv"
)

// The records as their edit forms show them: Validate of the result gives
// the record back unchanged (a test checks it for the demo data), so a
// record can always be saved as it stands.

// Input is the customer as its register form shows it.
func (c Customer) Input() CustomerInput {
	return CustomerInput{Number: c.Number, Name: c.Name, OrgNumber: c.OrgNumber, InvoiceAddress: c.InvoiceAddress, HourlyRate: sv.AmountInput(c.HourlyRateOre),
		InvoicesAdminsOnly: c.InvoicesAdminsOnly}
}

// Input is the contract as its form shows it.
func (k Contract) Input() ContractInput {
	return ContractInput{Number: k.Number, Name: k.Name, ValidFrom: k.ValidFrom, ValidTo: k.ValidTo, HourlyRate: sv.AmountInput(k.HourlyRateOre)}
}

// Input is the machine as its register form shows it.
func (a Asset) Input() AssetInput {
	return AssetInput{Number: a.Number, Kind: a.Kind, Brand: a.Brand, Model: a.Model, SerialNumber: a.SerialNumber,
		SiteName: a.SiteName, Street: a.Street, PostalCode: a.PostalCode, City: a.City, Location: a.Location,
		ContractNumber: a.ContractNumber, InstalledOn: a.InstalledOn}
}

// Input is the case as the Nytt ärende form shows it.
func (c Case) Input() CaseInput {
	in := CaseInput{Title: c.Title, Description: c.Description, SiteName: c.SiteName, Street: c.Street,
		ReporterName: c.ReporterName, ReporterPhone: sv.Phone(c.ReporterPhone), SitePhone1: sv.Phone(c.SitePhone1),
		SitePhone2: sv.Phone(c.SitePhone2), PostalCode: c.PostalCode, City: c.City,
		ContractNumber: c.ContractNumber, InvoiceReference: c.InvoiceReference}
	in.Access, in.DoorCode = AccessInput(c.Access)
	return in
}

// AccessInput is a stored Huvudnyckel as the form's two fields show it
// ("Portkod 1234" is Portkod and 1234); a masked value shows as nothing,
// since the form cannot show what its reader may not see.
func AccessInput(access string) (choice, doorCode string) {
	if IsMaskedAccess(access) {
		return "", ""
	}
	if code, ok := strings.CutPrefix(access, AccessDoorCode+" "); ok {
		return AccessDoorCode, code
	}
	return access, ""
}

// AssetFields are the Nytt ärende fields that choosing a machine fills
// in, in the order of the page.
var AssetFields = []string{FieldSiteName, FieldStreet, FieldPostalCode, FieldCity, FieldContractNumber}

// AssetValue is what the machine knows for one of AssetFields; "" for
// any other field.
func (a Asset) AssetValue(field string) string {
	switch field {
	case FieldSiteName:
		return a.SiteName
	case FieldStreet:
		return a.Street
	case FieldPostalCode:
		return a.PostalCode
	case FieldCity:
		return a.City
	case FieldContractNumber:
		return a.ContractNumber
	}
	return ""
}

// assetField is the input's value for one of AssetFields, nil for any
// other field.
func (in *CaseInput) assetField(field string) *string {
	switch field {
	case FieldSiteName:
		return &in.SiteName
	case FieldStreet:
		return &in.Street
	case FieldPostalCode:
		return &in.PostalCode
	case FieldCity:
		return &in.City
	case FieldContractNumber:
		return &in.ContractNumber
	}
	return nil
}

// FillFromAsset fills in the fields of AssetFields that the person left
// empty with what machine a knows. A typed value is never overwritten:
// AssetOffers tells where it differs from the machine's.
func (in *CaseInput) FillFromAsset(a Asset) {
	for _, f := range AssetFields {
		if v := in.assetField(f); strings.TrimSpace(*v) == "" {
			*v = a.AssetValue(f)
		}
	}
}

// UseAssetValue sets field, one of AssetFields, to machine a's value; it
// reports false for any other field.
func (in *CaseInput) UseAssetValue(a Asset, field string) bool {
	v := in.assetField(field)
	if v == nil {
		return false
	}
	*v = a.AssetValue(field)
	return true
}

// AssetOffers returns, for each of AssetFields where the typed value
// differs from what machine a knows, the machine's value, so that the
// form can offer it next to the field. Spacing, letter case and the
// postal code's space do not count as differences.
func (in CaseInput) AssetOffers(a Asset) map[string]string {
	out := map[string]string{}
	for _, f := range AssetFields {
		typed, known := *in.assetField(f), a.AssetValue(f)
		if strings.TrimSpace(typed) != "" && known != "" && !sameAssetValue(f, typed, known) {
			out[f] = known
		}
	}
	return out
}

// sameAssetValue compares a typed value with a machine's as a person
// would read them. nytt-arende.js compares the same way.
func sameAssetValue(field, a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.Join(strings.Fields(s), " "))
		if field == FieldPostalCode {
			s = strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(s, "se-"), "se"), " ", "")
		}
		return s
	}
	return norm(a) == norm(b)
}
