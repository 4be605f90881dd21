package peppol

import "strings"

// sequence checks, for the UBL types this package writes, that each
// element's children are ones its type allows, in the order the UBL 2.1
// schema gives (copied from UBL-Invoice-2.1.xsd, UBL-CreditNote-2.1.xsd
// and UBL-CommonAggregateComponents-2.1.xsd).
func (c *checker) sequence(n *node) {
	name := n.name.Local
	if n != c.root {
		name = n.qname()
	}
	if order, ok := ublSequences[name]; ok {
		last, lastName := -1, ""
		for _, k := range n.kids {
			i := order[k.qname()]
			switch {
			case i == 0:
				c.add("UBL-SEQ", "%s is not allowed in %s", k.qname(), name)
			case i < last:
				c.add("UBL-SEQ", "%s comes after %s in %s; the schema puts it before", k.qname(), lastName, name)
			default:
				last, lastName = i, k.qname()
			}
		}
	}
	for _, k := range n.kids {
		c.sequence(k)
	}
}

var ublSequences = func() map[string]map[string]int {
	types := map[string]string{
		"Invoice": `ext:UBLExtensions cbc:UBLVersionID cbc:CustomizationID cbc:ProfileID cbc:ProfileExecutionID
			cbc:ID cbc:CopyIndicator cbc:UUID cbc:IssueDate cbc:IssueTime cbc:DueDate cbc:InvoiceTypeCode cbc:Note
			cbc:TaxPointDate cbc:DocumentCurrencyCode cbc:TaxCurrencyCode cbc:PricingCurrencyCode cbc:PaymentCurrencyCode
			cbc:PaymentAlternativeCurrencyCode cbc:AccountingCostCode cbc:AccountingCost cbc:LineCountNumeric
			cbc:BuyerReference cac:InvoicePeriod cac:OrderReference cac:BillingReference cac:DespatchDocumentReference
			cac:ReceiptDocumentReference cac:StatementDocumentReference cac:OriginatorDocumentReference
			cac:ContractDocumentReference cac:AdditionalDocumentReference cac:ProjectReference cac:Signature
			cac:AccountingSupplierParty cac:AccountingCustomerParty cac:PayeeParty cac:BuyerCustomerParty
			cac:SellerSupplierParty cac:TaxRepresentativeParty cac:Delivery cac:DeliveryTerms cac:PaymentMeans
			cac:PaymentTerms cac:PrepaidPayment cac:AllowanceCharge cac:TaxExchangeRate cac:PricingExchangeRate
			cac:PaymentExchangeRate cac:PaymentAlternativeExchangeRate cac:TaxTotal cac:WithholdingTaxTotal
			cac:LegalMonetaryTotal cac:InvoiceLine`,
		"CreditNote": `ext:UBLExtensions cbc:UBLVersionID cbc:CustomizationID cbc:ProfileID cbc:ProfileExecutionID
			cbc:ID cbc:CopyIndicator cbc:UUID cbc:IssueDate cbc:IssueTime cbc:TaxPointDate cbc:CreditNoteTypeCode
			cbc:Note cbc:DocumentCurrencyCode cbc:TaxCurrencyCode cbc:PricingCurrencyCode cbc:PaymentCurrencyCode
			cbc:PaymentAlternativeCurrencyCode cbc:AccountingCostCode cbc:AccountingCost cbc:LineCountNumeric
			cbc:BuyerReference cac:InvoicePeriod cac:DiscrepancyResponse cac:OrderReference cac:BillingReference
			cac:DespatchDocumentReference cac:ReceiptDocumentReference cac:ContractDocumentReference
			cac:AdditionalDocumentReference cac:StatementDocumentReference cac:OriginatorDocumentReference
			cac:Signature cac:AccountingSupplierParty cac:AccountingCustomerParty cac:PayeeParty
			cac:BuyerCustomerParty cac:SellerSupplierParty cac:TaxRepresentativeParty cac:Delivery
			cac:DeliveryTerms cac:PaymentMeans cac:PaymentTerms cac:TaxExchangeRate cac:PricingExchangeRate
			cac:PaymentExchangeRate cac:PaymentAlternativeExchangeRate cac:AllowanceCharge cac:TaxTotal
			cac:LegalMonetaryTotal cac:CreditNoteLine`,
		"cac:InvoiceLine": `cbc:ID cbc:UUID cbc:Note cbc:InvoicedQuantity cbc:LineExtensionAmount cbc:TaxPointDate
			cbc:AccountingCostCode cbc:AccountingCost cbc:PaymentPurposeCode cbc:FreeOfChargeIndicator
			cac:InvoicePeriod cac:OrderLineReference cac:DespatchLineReference cac:ReceiptLineReference
			cac:BillingReference cac:DocumentReference cac:PricingReference cac:OriginatorParty cac:Delivery
			cac:PaymentTerms cac:AllowanceCharge cac:TaxTotal cac:WithholdingTaxTotal cac:Item cac:Price
			cac:DeliveryTerms cac:SubInvoiceLine cac:ItemPriceExtension`,
		"cac:CreditNoteLine": `cbc:ID cbc:UUID cbc:Note cbc:CreditedQuantity cbc:LineExtensionAmount
			cbc:TaxPointDate cbc:AccountingCostCode cbc:AccountingCost cbc:PaymentPurposeCode
			cbc:FreeOfChargeIndicator cac:InvoicePeriod cac:OrderLineReference cac:DiscrepancyResponse
			cac:DespatchLineReference cac:ReceiptLineReference cac:BillingReference cac:DocumentReference
			cac:PricingReference cac:OriginatorParty cac:Delivery cac:PaymentTerms cac:TaxTotal
			cac:AllowanceCharge cac:Item cac:Price cac:DeliveryTerms cac:SubCreditNoteLine cac:ItemPriceExtension`,
		"cac:Party": `cbc:MarkCareIndicator cbc:MarkAttentionIndicator cbc:WebsiteURI cbc:LogoReferenceID
			cbc:EndpointID cbc:IndustryClassificationCode cac:PartyIdentification cac:PartyName cac:Language
			cac:PostalAddress cac:PhysicalLocation cac:PartyTaxScheme cac:PartyLegalEntity cac:Contact cac:Person
			cac:AgentParty cac:ServiceProviderParty cac:PowerOfAttorney cac:FinancialAccount`,
		"cac:PostalAddress": `cbc:ID cbc:AddressTypeCode cbc:AddressFormatCode cbc:Postbox cbc:Floor cbc:Room
			cbc:StreetName cbc:AdditionalStreetName cbc:BlockName cbc:BuildingName cbc:BuildingNumber
			cbc:InhouseMail cbc:Department cbc:MarkAttention cbc:MarkCare cbc:PlotIdentification
			cbc:CitySubdivisionName cbc:CityName cbc:PostalZone cbc:CountrySubentity cbc:CountrySubentityCode
			cbc:Region cbc:District cbc:TimezoneOffset cac:AddressLine cac:Country cac:LocationCoordinate`,
		"cac:PartyTaxScheme": `cbc:RegistrationName cbc:CompanyID cbc:TaxLevelCode cbc:ExemptionReasonCode
			cbc:ExemptionReason cac:RegistrationAddress cac:TaxScheme`,
		"cac:PartyLegalEntity": `cbc:RegistrationName cbc:CompanyID cbc:RegistrationDate
			cbc:RegistrationExpirationDate cbc:CompanyLegalFormCode cbc:CompanyLegalForm
			cbc:SoleProprietorshipIndicator cbc:CompanyLiquidationStatusCode cbc:CorporateStockAmount
			cbc:FullyPaidSharesIndicator cac:RegistrationAddress cac:CorporateRegistrationScheme
			cac:HeadOfficeParty cac:ShareholderParty`,
		"cac:Contact": `cbc:ID cbc:Name cbc:Telephone cbc:Telefax cbc:ElectronicMail cbc:Note cac:OtherCommunication`,
		"cac:PaymentMeans": `cbc:ID cbc:PaymentMeansCode cbc:PaymentDueDate cbc:PaymentChannelCode
			cbc:InstructionID cbc:InstructionNote cbc:PaymentID cac:CardAccount cac:PayerFinancialAccount
			cac:PayeeFinancialAccount cac:CreditAccount cac:PaymentMandate cac:TradeFinancing`,
		"cac:PayeeFinancialAccount": `cbc:ID cbc:Name cbc:AliasName cbc:AccountTypeCode cbc:AccountFormatCode
			cbc:CurrencyCode cbc:PaymentNote cac:FinancialInstitutionBranch cac:Country`,
		"cac:PaymentTerms": `cbc:ID cbc:PaymentMeansID cbc:PrepaidPaymentReferenceID cbc:Note
			cbc:ReferenceEventCode cbc:SettlementDiscountPercent cbc:PenaltySurchargePercent cbc:PaymentPercent
			cbc:Amount cbc:SettlementDiscountAmount cbc:PenaltyAmount cbc:PaymentTermsDetailsURI
			cbc:PaymentDueDate cbc:InstallmentDueDate cbc:InvoicingPartyReference cac:SettlementPeriod
			cac:PenaltyPeriod cac:ExchangeRate cac:ValidityPeriod`,
		"cac:TaxTotal":    `cbc:TaxAmount cbc:RoundingAmount cbc:TaxEvidenceIndicator cbc:TaxIncludedIndicator cac:TaxSubtotal`,
		"cac:TaxSubtotal": `cbc:TaxableAmount cbc:TaxAmount cbc:CalculationSequenceNumeric cbc:TransactionCurrencyTaxAmount cbc:Percent cbc:BaseUnitMeasure cbc:PerUnitAmount cbc:TierRange cbc:TierRatePercent cac:TaxCategory`,
		"cac:TaxCategory": `cbc:ID cbc:Name cbc:Percent cbc:BaseUnitMeasure cbc:PerUnitAmount
			cbc:TaxExemptionReasonCode cbc:TaxExemptionReason cbc:TierRange cbc:TierRatePercent cac:TaxScheme`,
		"cac:LegalMonetaryTotal": `cbc:LineExtensionAmount cbc:TaxExclusiveAmount cbc:TaxInclusiveAmount
			cbc:AllowanceTotalAmount cbc:ChargeTotalAmount cbc:PrepaidAmount cbc:PayableRoundingAmount
			cbc:PayableAmount cbc:PayableAlternativeAmount`,
		"cac:Item": `cbc:Description cbc:PackQuantity cbc:PackSizeNumeric cbc:CatalogueIndicator cbc:Name
			cbc:HazardousRiskIndicator cbc:AdditionalInformation cbc:Keyword cbc:BrandName cbc:ModelName
			cac:BuyersItemIdentification cac:SellersItemIdentification cac:ManufacturersItemIdentification
			cac:StandardItemIdentification cac:CatalogueItemIdentification cac:AdditionalItemIdentification
			cac:CatalogueDocumentReference cac:ItemSpecificationDocumentReference cac:OriginCountry
			cac:CommodityClassification cac:TransactionConditions cac:HazardousItem cac:ClassifiedTaxCategory
			cac:AdditionalItemProperty cac:ManufacturerParty cac:InformationContentProviderParty
			cac:OriginAddress cac:ItemInstance cac:Certificate cac:Dimension`,
		"cac:Price": `cbc:PriceAmount cbc:BaseQuantity cbc:PriceChangeReason cbc:PriceTypeCode cbc:PriceType
			cbc:OrderableUnitFactorRate cac:ValidityPeriod cac:PriceList cac:AllowanceCharge cac:PricingExchangeRate`,
		"cac:DocumentReference": `cbc:ID cbc:CopyIndicator cbc:UUID cbc:IssueDate cbc:IssueTime
			cbc:DocumentTypeCode cbc:DocumentType cbc:XPath cbc:LanguageID cbc:LocaleCode cbc:VersionID
			cbc:DocumentStatusCode cbc:DocumentDescription cac:Attachment cac:ValidityPeriod cac:IssuerParty
			cac:ResultOfVerification`,
		"cac:BillingReference": `cac:InvoiceDocumentReference cac:SelfBilledInvoiceDocumentReference
			cac:CreditNoteDocumentReference cac:SelfBilledCreditNoteDocumentReference
			cac:DebitNoteDocumentReference cac:ReminderDocumentReference cac:AdditionalDocumentReference
			cac:BillingReferenceLine`,
		"cac:InvoicePeriod": `cbc:StartDate cbc:StartTime cbc:EndDate cbc:EndTime cbc:DurationMeasure
			cbc:DescriptionCode cbc:Description`,
	}
	// Elements whose type is one of the above under another name.
	same := map[string]string{
		"cac:ClassifiedTaxCategory":     "cac:TaxCategory",
		"cac:ContractDocumentReference": "cac:DocumentReference",
		"cac:InvoiceDocumentReference":  "cac:DocumentReference",
	}
	seqs := map[string]map[string]int{}
	for name, list := range types {
		seqs[name] = map[string]int{}
		for i, e := range strings.Fields(list) {
			seqs[name][e] = i + 1 // 0 is "not allowed"
		}
	}
	for name, as := range same {
		seqs[name] = seqs[as]
	}
	return seqs
}()
