package peppol

import "encoding/xml"

// The UBL 2.1 documents as encoding/xml writes them. UBL is sequence-ordered:
// the field order of every struct below is the element order of its type in
// the UBL 2.1 schema (UBL-Invoice-2.1.xsd, UBL-CreditNote-2.1.xsd,
// UBL-CommonAggregateComponents-2.1.xsd), so reordering fields makes the
// document invalid even though it still parses.
//
// Element names carry their prefix ("cbc:ID") and the root declares the cac
// and cbc prefixes itself: encoding/xml would otherwise repeat a namespace
// declaration on every element.

const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// ublDocument is an Invoice or a CreditNote. The two sequences differ, for
// the elements written here, only in the names of the type code, the lines
// and the line quantity, and in DueDate (Invoice only); each variant has
// its own omitempty field in the place its schema puts it.
type ublDocument struct {
	XMLName              xml.Name
	CAC                  string           `xml:"xmlns:cac,attr"`
	CBC                  string           `xml:"xmlns:cbc,attr"`
	CustomizationID      string           `xml:"cbc:CustomizationID"`
	ProfileID            string           `xml:"cbc:ProfileID"`
	ID                   string           `xml:"cbc:ID"`
	IssueDate            string           `xml:"cbc:IssueDate"`
	DueDate              string           `xml:"cbc:DueDate,omitempty"`
	InvoiceTypeCode      string           `xml:"cbc:InvoiceTypeCode,omitempty"`
	CreditNoteTypeCode   string           `xml:"cbc:CreditNoteTypeCode,omitempty"`
	DocumentCurrencyCode string           `xml:"cbc:DocumentCurrencyCode"`
	BuyerReference       string           `xml:"cbc:BuyerReference,omitempty"`
	InvoicePeriod        *ublPeriod       `xml:"cac:InvoicePeriod"`
	BillingReference     *ublBillingRef   `xml:"cac:BillingReference"`
	ContractReference    *ublDocumentRef  `xml:"cac:ContractDocumentReference"`
	Supplier             ublParty         `xml:"cac:AccountingSupplierParty>cac:Party"`
	Customer             ublParty         `xml:"cac:AccountingCustomerParty>cac:Party"`
	PaymentMeans         *ublPaymentMeans `xml:"cac:PaymentMeans"`
	PaymentTerms         *ublPaymentTerms `xml:"cac:PaymentTerms"`
	TaxTotal             ublTaxTotal      `xml:"cac:TaxTotal"`
	LegalMonetaryTotal   ublMonetaryTotal `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines         []ublLine        `xml:"cac:InvoiceLine"`
	CreditNoteLines      []ublLine        `xml:"cac:CreditNoteLine"`
}

type ublAmount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type ublQuantity struct {
	UnitCode string `xml:"unitCode,attr"`
	Value    string `xml:",chardata"`
}

type ublSchemedID struct {
	Scheme string `xml:"schemeID,attr"`
	Value  string `xml:",chardata"`
}

type ublPeriod struct {
	StartDate string `xml:"cbc:StartDate"`
	EndDate   string `xml:"cbc:EndDate"`
}

type ublBillingRef struct {
	InvoiceID string `xml:"cac:InvoiceDocumentReference>cbc:ID"`
}

type ublDocumentRef struct {
	ID string `xml:"cbc:ID"`
}

type ublParty struct {
	EndpointID  *ublSchemedID       `xml:"cbc:EndpointID"`
	Name        string              `xml:"cac:PartyName>cbc:Name"`
	Address     ublAddress          `xml:"cac:PostalAddress"`
	TaxSchemes  []ublPartyTaxScheme `xml:"cac:PartyTaxScheme"`
	LegalEntity ublLegalEntity      `xml:"cac:PartyLegalEntity"`
	Contact     *ublContact         `xml:"cac:Contact"`
}

type ublAddress struct {
	StreetName           string          `xml:"cbc:StreetName,omitempty"`
	AdditionalStreetName string          `xml:"cbc:AdditionalStreetName,omitempty"`
	CityName             string          `xml:"cbc:CityName,omitempty"`
	PostalZone           string          `xml:"cbc:PostalZone,omitempty"`
	AddressLine          *ublAddressLine `xml:"cac:AddressLine"`
	Country              string          `xml:"cac:Country>cbc:IdentificationCode"`
}

type ublAddressLine struct {
	Line string `xml:"cbc:Line"`
}

type ublPartyTaxScheme struct {
	CompanyID string `xml:"cbc:CompanyID"`
	TaxScheme string `xml:"cac:TaxScheme>cbc:ID"`
}

type ublLegalEntity struct {
	RegistrationName string        `xml:"cbc:RegistrationName"`
	CompanyID        *ublSchemedID `xml:"cbc:CompanyID"`
}

type ublContact struct {
	Telephone      string `xml:"cbc:Telephone,omitempty"`
	ElectronicMail string `xml:"cbc:ElectronicMail,omitempty"`
}

type ublPaymentMeans struct {
	Code      string              `xml:"cbc:PaymentMeansCode"`
	PaymentID string              `xml:"cbc:PaymentID"`
	Account   ublFinancialAccount `xml:"cac:PayeeFinancialAccount"`
}

type ublFinancialAccount struct {
	ID     string `xml:"cbc:ID"`
	Branch string `xml:"cac:FinancialInstitutionBranch>cbc:ID"`
}

type ublPaymentTerms struct {
	Note string `xml:"cbc:Note"`
}

type ublTaxTotal struct {
	TaxAmount ublAmount        `xml:"cbc:TaxAmount"`
	Subtotals []ublTaxSubtotal `xml:"cac:TaxSubtotal"`
}

type ublTaxSubtotal struct {
	TaxableAmount ublAmount      `xml:"cbc:TaxableAmount"`
	TaxAmount     ublAmount      `xml:"cbc:TaxAmount"`
	Category      ublTaxCategory `xml:"cac:TaxCategory"`
}

// ublTaxCategory is both cac:TaxCategory and cac:ClassifiedTaxCategory; they
// share the schema type.
type ublTaxCategory struct {
	ID        string `xml:"cbc:ID"`
	Percent   string `xml:"cbc:Percent"`
	TaxScheme string `xml:"cac:TaxScheme>cbc:ID"`
}

type ublMonetaryTotal struct {
	LineExtensionAmount   ublAmount  `xml:"cbc:LineExtensionAmount"`
	TaxExclusiveAmount    ublAmount  `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusiveAmount    ublAmount  `xml:"cbc:TaxInclusiveAmount"`
	PayableRoundingAmount *ublAmount `xml:"cbc:PayableRoundingAmount"`
	PayableAmount         ublAmount  `xml:"cbc:PayableAmount"`
}

// ublLine is an InvoiceLine or a CreditNoteLine; exactly one of the two
// quantities is set.
type ublLine struct {
	ID                  string         `xml:"cbc:ID"`
	Note                string         `xml:"cbc:Note,omitempty"`
	InvoicedQuantity    *ublQuantity   `xml:"cbc:InvoicedQuantity"`
	CreditedQuantity    *ublQuantity   `xml:"cbc:CreditedQuantity"`
	LineExtensionAmount ublAmount      `xml:"cbc:LineExtensionAmount"`
	AccountingCost      string         `xml:"cbc:AccountingCost,omitempty"`
	DocumentReference   *ublLineDocRef `xml:"cac:DocumentReference"`
	Item                ublItem        `xml:"cac:Item"`
	Price               ublPrice       `xml:"cac:Price"`
}

type ublLineDocRef struct {
	ID               string `xml:"cbc:ID"`
	DocumentTypeCode string `xml:"cbc:DocumentTypeCode"`
}

type ublItem struct {
	Description string         `xml:"cbc:Description,omitempty"`
	Name        string         `xml:"cbc:Name"`
	TaxCategory ublTaxCategory `xml:"cac:ClassifiedTaxCategory"`
}

type ublPrice struct {
	PriceAmount ublAmount `xml:"cbc:PriceAmount"`
}
