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
	return CustomerInput{Number: c.Number, Name: c.Name, OrgNumber: c.OrgNumber, InvoiceAddress: c.InvoiceAddress, HourlyRate: sv.AmountInput(c.HourlyRateOre)}
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
