package peppol

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"kundportal/internal/repair"
)

// testSeller's organisation number 556789-0123 passes the Luhn check
// (repair.NormalizeOrgNumber), as does the buyer's 556677-8899.
func testSeller() Seller {
	return Seller{
		Name:       "Skövde Vitvaruservice AB",
		OrgNumber:  "556789-0123",
		VATNumber:  "SE556789012301",
		Street:     "Industrigatan 8",
		PostalCode: "541 37",
		City:       "Skövde",
		Phone:      "0500-12 34 56",
		Email:      "faktura@vitvaruservice.se",
		Bankgiro:   "5050-1055",
		FSkatt:     true,
	}
}

type caseInfo struct{ caseNo, wo, title, asset, street, ref, contract, done string }

func line(c caseInfo, kind repair.CostKind, desc string, qtyMilli, priceOre int64, rate repair.VATRate) repair.InvoicedLine {
	l := repair.InvoicedLine{
		CaseNumber: c.caseNo, WorkOrderNumber: c.wo, CaseTitle: c.title, AssetNumber: c.asset,
		Street: c.street, InvoiceReference: c.ref, ContractNumber: c.contract, CompletedOn: c.done,
		Kind: kind, Description: desc,
		InvoiceLine: repair.InvoiceLine{QuantityMilli: qtyMilli, UnitPriceOre: priceOre, Rate: rate},
	}
	l.AmountOre = l.Amount()
	return l
}

// newInvoice totals the lines the way invoice runs do.
func newInvoice(t *testing.T, number string, lines []repair.InvoicedLine) repair.Invoice {
	t.Helper()
	var ls []repair.InvoiceLine
	for _, l := range lines {
		ls = append(ls, l.InvoiceLine)
	}
	totals, err := repair.Totals(ls)
	if err != nil {
		t.Fatal(err)
	}
	return repair.Invoice{
		ID: 42, Number: number,
		InvoiceDate: "2026-03-14", DueDate: "2026-04-13",
		PeriodFrom: "2026-02-01", PeriodTo: "2026-02-28",
		CustomerName:   "Solgårdens Fastigheter AB",
		OrgNumber:      "556677-8899",
		InvoiceAddress: "Solgårdens Fastigheter AB\nBox 123\n541 21 Skövde",
		Totals:         totals,
		Lines:          lines,
	}
}

// invoiceA has two cases under two references and two contracts, every
// cost kind, and rounds up by 0.39 (an invoice of 25 % lines alone cannot
// round by 0.38: net + VAT is then never 2 modulo 5 öre).
func invoiceA(t *testing.T) repair.Invoice {
	tm := caseInfo{"2026-0012", "AO-1", "Tvättmaskin trasig", "TM-1001", "Solgårdsvägen 3", "Hus A", "AV-7", "2026-02-10"}
	tt := caseInfo{"2026-0015", "AO-2", "Torktumlare låter", "TT-2040", "Solgårdsvägen 5", "Hus B", "AV-9", "2026-02-21"}
	inv := newInvoice(t, "2026-0042", []repair.InvoicedLine{
		line(tm, repair.CostLabour, "Felsökning och byte av pump", 1500, 65000, repair.VATStandard),
		line(tm, repair.CostPart, "Avloppspump Electrolux 140", 1000, 125059, repair.VATStandard),
		line(tm, repair.CostTravel, "Resa Skövde tätort", 1000, 39500, repair.VATStandard),
		line(tt, repair.CostLabour, "Byte av trumlager", 750, 65000, repair.VATStandard),
		line(tt, repair.CostFee, "Småmaterial", 2000, 4900, repair.VATStandard),
	})
	if inv.Totals.RoundingOre != 39 || inv.Totals.ToPayOre != 400800 {
		t.Fatalf("fixture: rounding %d, to pay %d, want 39 and 400800", inv.Totals.RoundingOre, inv.Totals.ToPayOre)
	}
	return inv
}

// invoiceB has one reference, no contract, a 0 % line beside the 25 % ones,
// and rounds down by 0.25.
func invoiceB(t *testing.T) repair.Invoice {
	dm := caseInfo{"2026-0020", "AO-3", "Diskmaskin läcker", "DM-3003", "Solgårdsvägen 7", "Hus C", "", "2026-02-25"}
	inv := newInvoice(t, "2026-0043", []repair.InvoicedLine{
		line(dm, repair.CostLabour, "Byte av dörrpackning", 2250, 65000, repair.VATStandard),
		line(dm, repair.CostPart, "Dörrpackning", 1000, 89950, repair.VATStandard),
		line(dm, repair.CostTravel, "Resa", 1000, 39500, repair.VATStandard),
		line(dm, repair.CostFee, "Avgift", 1000, 6000, repair.VATNone),
	})
	if inv.Totals.RoundingOre != -25 || inv.Totals.ToPayOre != 350600 {
		t.Fatalf("fixture: rounding %d, to pay %d, want -25 and 350600", inv.Totals.RoundingOre, inv.Totals.ToPayOre)
	}
	return inv
}

// creditOf is a credit note of inv as the credit operation stores it:
// negative quantities, amounts and totals.
func creditOf(t *testing.T, inv repair.Invoice) repair.Invoice {
	t.Helper()
	var lines []repair.InvoicedLine
	for _, l := range inv.Lines {
		l.QuantityMilli = -l.QuantityMilli
		l.AmountOre = l.Amount()
		lines = append(lines, l)
	}
	c := newInvoice(t, "2026-0050", lines)
	c.CreditsID = inv.ID
	c.InvoiceDate = "2026-03-20"
	if c.Totals.ToPayOre != -inv.Totals.ToPayOre || c.Totals.RoundingOre != -inv.Totals.RoundingOre {
		t.Fatalf("fixture: credit totals %+v do not mirror %+v", c.Totals, inv.Totals)
	}
	return c
}

func write(t *testing.T, inv repair.Invoice, s Seller, credited string) []byte {
	t.Helper()
	var buf bytes.Buffer
	inv.CreditsNumber = credited
	if err := Write(&buf, inv, s); err != nil {
		t.Fatalf("Write(%s) = %v", inv.Number, err)
	}
	return buf.Bytes()
}

func checkClean(t *testing.T, doc []byte) {
	t.Helper()
	for _, v := range Check(doc) {
		t.Errorf("Check: %s", v)
	}
	if t.Failed() {
		t.Logf("document:\n%s", doc)
	}
}

func tree(t *testing.T, doc []byte) *node {
	t.Helper()
	root, err := parseTree(doc)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return root
}

// expect compares the values at paths below root.
func expect(t *testing.T, root *node, want map[string]string) {
	t.Helper()
	for path, w := range want {
		if got := root.val(path); got != w {
			t.Errorf("%s = %q, want %q", path, got, w)
		}
	}
}

func TestWriteInvoice(t *testing.T) {
	doc := write(t, invoiceA(t), testSeller(), "")
	checkClean(t, doc)

	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<Invoice ")) {
		t.Errorf("document starts %q", doc[:80])
	}
	if !bytes.Contains(doc, []byte("\n  <cbc:CustomizationID>")) {
		t.Error("document is not indented")
	}
	root := tree(t, doc)
	if root.name.Space != "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" || root.name.Local != "Invoice" {
		t.Errorf("root = %v", root.name)
	}
	seller := "cac:AccountingSupplierParty/cac:Party/"
	buyer := "cac:AccountingCustomerParty/cac:Party/"
	expect(t, root, map[string]string{
		"cbc:CustomizationID":                                          "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
		"cbc:ProfileID":                                                "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0",
		"cbc:ID":                                                       "2026-0042",
		"cbc:IssueDate":                                                "2026-03-14",
		"cbc:DueDate":                                                  "2026-04-13",
		"cbc:InvoiceTypeCode":                                          "380",
		"cbc:DocumentCurrencyCode":                                     "SEK",
		"cbc:BuyerReference":                                           "Hus A, Hus B",
		"cac:InvoicePeriod/cbc:StartDate":                              "2026-02-01",
		"cac:InvoicePeriod/cbc:EndDate":                                "2026-02-28",
		"cac:ContractDocumentReference/cbc:ID":                         "AV-7, AV-9",
		seller + "cbc:EndpointID":                                      "5567890123",
		seller + "cac:PartyName/cbc:Name":                              "Skövde Vitvaruservice AB",
		seller + "cac:PostalAddress/cbc:StreetName":                    "Industrigatan 8",
		seller + "cac:PostalAddress/cbc:PostalZone":                    "541 37",
		seller + "cac:PartyLegalEntity/cbc:CompanyID":                  "5567890123",
		seller + "cac:Contact/cbc:ElectronicMail":                      "faktura@vitvaruservice.se",
		buyer + "cbc:EndpointID":                                       "5566778899",
		buyer + "cac:PostalAddress/cbc:StreetName":                     "Box 123",
		buyer + "cac:PostalAddress/cbc:PostalZone":                     "541 21",
		buyer + "cac:PostalAddress/cbc:CityName":                       "Skövde",
		buyer + "cac:PostalAddress/cac:Country/cbc:IdentificationCode": "SE",
		buyer + "cac:PartyLegalEntity/cbc:RegistrationName":            "Solgårdens Fastigheter AB",
		buyer + "cac:PartyLegalEntity/cbc:CompanyID":                   "5566778899",
		"cac:PaymentMeans/cbc:PaymentMeansCode":                        "30",
		"cac:PaymentMeans/cbc:PaymentID":                               "2026-0042",
		"cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID":            "50501055",
		"cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID": "SE:BANKGIRO",
		"cac:PaymentTerms/cbc:Note":                                "30 dagar netto, förfallodag 2026-04-13",
		"cac:TaxTotal/cbc:TaxAmount":                               "801.52",
		"cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount":           "3206.09",
		"cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID":      "S",
		"cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent": "25",
		"cac:LegalMonetaryTotal/cbc:LineExtensionAmount":           "3206.09",
		"cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount":            "3206.09",
		"cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount":            "4007.61",
		"cac:LegalMonetaryTotal/cbc:PayableRoundingAmount":         "0.39",
		"cac:LegalMonetaryTotal/cbc:PayableAmount":                 "4008.00",
	})
	for _, e := range []*node{root.get(seller + "cbc:EndpointID"), root.get(seller + "cac:PartyLegalEntity/cbc:CompanyID"), root.get(buyer + "cbc:EndpointID")} {
		if got := e.attr("schemeID"); got != "0007" {
			t.Errorf("%s schemeID = %q, want 0007", e.qname(), got)
		}
	}
	var fskatt bool
	for _, ts := range root.all(seller + "cac:PartyTaxScheme") {
		if ts.val("cbc:CompanyID") == "Godkänd för F-skatt" && ts.val("cac:TaxScheme/cbc:ID") == "TAX" {
			fskatt = true
		}
	}
	if !fskatt {
		t.Error("seller has no PartyTaxScheme 'Godkänd för F-skatt' / TAX")
	}

	lines := root.all("cac:InvoiceLine")
	if len(lines) != 5 {
		t.Fatalf("%d invoice lines, want 5", len(lines))
	}
	wantLines := []struct{ id, qty, unit, amount, price, ref, asset, name string }{
		{"1", "1.5", "HUR", "975.00", "650.00", "Hus A", "TM-1001", "Arbete · Ärende 2026-0012 · AO-1 · Tvättmaskin trasig"},
		{"2", "1", "C62", "1250.59", "1250.59", "Hus A", "TM-1001", "Reservdel · Ärende 2026-0012 · AO-1 · Tvättmaskin trasig"},
		{"3", "1", "C62", "395.00", "395.00", "Hus A", "TM-1001", "Resa · Ärende 2026-0012 · AO-1 · Tvättmaskin trasig"},
		{"4", "0.75", "HUR", "487.50", "650.00", "Hus B", "TT-2040", "Arbete · Ärende 2026-0015 · AO-2 · Torktumlare låter"},
		{"5", "2", "C62", "98.00", "49.00", "Hus B", "TT-2040", "Avgift · Ärende 2026-0015 · AO-2 · Torktumlare låter"},
	}
	for i, w := range wantLines {
		l := lines[i]
		expect(t, l, map[string]string{
			"cbc:ID":                                         w.id,
			"cbc:InvoicedQuantity":                           w.qty,
			"cbc:LineExtensionAmount":                        w.amount,
			"cbc:AccountingCost":                             w.ref,
			"cac:DocumentReference/cbc:ID":                   w.asset,
			"cac:DocumentReference/cbc:DocumentTypeCode":     "130",
			"cac:Item/cbc:Name":                              w.name,
			"cac:Item/cac:ClassifiedTaxCategory/cbc:ID":      "S",
			"cac:Item/cac:ClassifiedTaxCategory/cbc:Percent": "25",
			"cac:Price/cbc:PriceAmount":                      w.price,
		})
		if got := l.get("cbc:InvoicedQuantity").attr("unitCode"); got != w.unit {
			t.Errorf("line %s unitCode = %q, want %q", w.id, got, w.unit)
		}
	}
	expect(t, lines[0], map[string]string{
		"cbc:Note":                 "Solgårdsvägen 3, utfört 2026-02-10",
		"cac:Item/cbc:Description": "Felsökning och byte av pump",
	})
}

func TestWriteInvoiceRoundingDownAndZeroRate(t *testing.T) {
	doc := write(t, invoiceB(t), testSeller(), "")
	checkClean(t, doc)
	root := tree(t, doc)
	expect(t, root, map[string]string{
		"cbc:BuyerReference":                               "Hus C",
		"cac:LegalMonetaryTotal/cbc:LineExtensionAmount":   "2817.00",
		"cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount":    "3506.25",
		"cac:LegalMonetaryTotal/cbc:PayableRoundingAmount": "-0.25",
		"cac:LegalMonetaryTotal/cbc:PayableAmount":         "3506.00",
		"cac:TaxTotal/cbc:TaxAmount":                       "689.25",
	})
	if root.get("cac:ContractDocumentReference") != nil {
		t.Error("ContractDocumentReference written for lines without a contract")
	}
	var got []string
	for _, s := range root.all("cac:TaxTotal/cac:TaxSubtotal") {
		got = append(got, s.val("cac:TaxCategory/cbc:ID")+" "+s.val("cac:TaxCategory/cbc:Percent")+" "+
			s.val("cbc:TaxableAmount")+" "+s.val("cbc:TaxAmount"))
	}
	if want := "S 25 2757.00 689.25|Z 0 60.00 0.00"; strings.Join(got, "|") != want {
		t.Errorf("tax subtotals = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestWriteNoRoundingOmitsIt(t *testing.T) {
	c := caseInfo{caseNo: "2026-0030", wo: "AO-9", ref: "Hus D"}
	inv := newInvoice(t, "2026-0044", []repair.InvoicedLine{line(c, repair.CostLabour, "Service", 1000, 80000, repair.VATStandard)})
	doc := write(t, inv, testSeller(), "")
	checkClean(t, doc)
	if bytes.Contains(doc, []byte("PayableRoundingAmount")) {
		t.Error("PayableRoundingAmount written for a rounding of 0")
	}
	// A line without a machine has no object identifier.
	if bytes.Contains(doc, []byte("<cac:DocumentReference>")) {
		t.Error("DocumentReference written for a line without an asset number")
	}
}

func TestWriteSellerWithoutFSkattOrContact(t *testing.T) {
	s := testSeller()
	s.FSkatt, s.Phone, s.Email = false, "", ""
	doc := write(t, invoiceB(t), s, "")
	checkClean(t, doc)
	root := tree(t, doc)
	if n := len(root.all("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")); n != 1 {
		t.Errorf("%d seller tax schemes, want only VAT", n)
	}
	if bytes.Contains(doc, []byte("F-skatt")) || bytes.Contains(doc, []byte("<cac:Contact>")) {
		t.Error("F-skatt or an empty contact written for a seller without them")
	}
}

func TestWriteCreditNote(t *testing.T) {
	inv := invoiceA(t)
	invDoc := tree(t, write(t, inv, testSeller(), ""))
	doc := write(t, creditOf(t, inv), testSeller(), inv.Number)
	checkClean(t, doc)

	root := tree(t, doc)
	if root.name.Space != "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" || root.name.Local != "CreditNote" {
		t.Fatalf("root = %v", root.name)
	}
	expect(t, root, map[string]string{
		"cbc:ID":                 "2026-0050",
		"cbc:IssueDate":          "2026-03-20",
		"cbc:CreditNoteTypeCode": "381",
		"cbc:InvoiceTypeCode":    "",
		"cbc:DueDate":            "",
		"cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID": "2026-0042",
		"cac:PaymentTerms/cbc:Note":                                "Kreditering av faktura 2026-0042",
	})
	if root.get("cac:PaymentMeans") != nil || len(root.all("cac:InvoiceLine")) != 0 {
		t.Error("credit note has payment means or InvoiceLines")
	}
	// A credit note states the invoice's amounts, positive.
	for _, path := range []string{
		"cac:TaxTotal/cbc:TaxAmount",
		"cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount",
		"cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
		"cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
		"cac:LegalMonetaryTotal/cbc:PayableRoundingAmount",
		"cac:LegalMonetaryTotal/cbc:PayableAmount",
	} {
		if got, want := root.val(path), invDoc.val(path); got != want || strings.HasPrefix(got, "-") {
			t.Errorf("credit note %s = %q, want the invoice's %q", path, got, want)
		}
	}
	lines := root.all("cac:CreditNoteLine")
	invLines := invDoc.all("cac:InvoiceLine")
	if len(lines) != len(invLines) {
		t.Fatalf("%d credit note lines, want %d", len(lines), len(invLines))
	}
	for i, l := range lines {
		for _, p := range [][2]string{
			{"cbc:CreditedQuantity", "cbc:InvoicedQuantity"},
			{"cbc:LineExtensionAmount", "cbc:LineExtensionAmount"},
			{"cac:Price/cbc:PriceAmount", "cac:Price/cbc:PriceAmount"},
			{"cac:DocumentReference/cbc:ID", "cac:DocumentReference/cbc:ID"},
		} {
			if got, want := l.val(p[0]), invLines[i].val(p[1]); got != want {
				t.Errorf("credit line %d %s = %q, want %q", i+1, p[0], got, want)
			}
		}
	}
}

// TestCheckCatchesEachRule breaks valid documents one value at a time and
// asserts that the rule guarding that value is reported.
func TestCheckCatchesEachRule(t *testing.T) {
	invoice := string(write(t, invoiceA(t), testSeller(), ""))
	credit := string(write(t, creditOf(t, invoiceA(t)), testSeller(), "2026-0042"))
	replace := func(old, new string) func(string) string {
		return func(doc string) string { return strings.Replace(doc, old, new, 1) }
	}
	replaceAll := func(old, new string) func(string) string {
		return func(doc string) string { return strings.ReplaceAll(doc, old, new) }
	}
	cut := func(pattern string) func(string) string {
		re := regexp.MustCompile(`(?s)\s*` + pattern)
		return func(doc string) string { return re.ReplaceAllString(doc, "") }
	}
	tests := []struct {
		rule string
		doc  string
		edit func(string) string
	}{
		{"XML", invoice, func(doc string) string { return doc[:len(doc)/2] }},
		{"UBL-ROOT", invoice, replace("xsd:Invoice-2", "xsd:Invoice-3")},
		{"UBL-SEQ", invoice, func(doc string) string {
			due := "<cbc:DueDate>2026-04-13</cbc:DueDate>"
			doc = strings.Replace(doc, due, "", 1)
			return strings.Replace(doc, "<cbc:IssueDate>", due+"<cbc:IssueDate>", 1)
		}},
		{"UBL-SEQ", invoice, replace("<cbc:ProfileID>", "<cbc:Colour>blå</cbc:Colour><cbc:ProfileID>")},
		{"PEPPOL-EN16931-R008", invoice, replace("<cbc:AccountingCost>Hus A</cbc:AccountingCost>", "<cbc:AccountingCost> </cbc:AccountingCost>")},
		{"BR-01", invoice, cut(`<cbc:CustomizationID>.*?</cbc:CustomizationID>`)},
		{"PEPPOL-EN16931-R004", invoice, replace("poacc:billing:3.0", "poacc:billing:2.0")},
		{"PEPPOL-EN16931-R001", invoice, cut(`<cbc:ProfileID>.*?</cbc:ProfileID>`)},
		{"PEPPOL-EN16931-R007", invoice, replace("billing:01:1.0", "billing:02:1.0")},
		{"BR-02", invoice, cut(`<cbc:ID>2026-0042</cbc:ID>`)},
		{"BR-03", invoice, cut(`<cbc:IssueDate>.*?</cbc:IssueDate>`)},
		{"UBL-DATE", invoice, replace("<cbc:IssueDate>2026-03-14", "<cbc:IssueDate>14/03/2026")},
		{"BR-04", invoice, cut(`<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>`)},
		{"PEPPOL-EN16931-P0100", invoice, replace("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>381")},
		{"BR-05", invoice, cut(`<cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>`)},
		{"PEPPOL-EN16931-R051", invoice, replace(`currencyID="SEK">801.52`, `currencyID="EUR">801.52`)},
		{"BR-DEC", invoice, replace(`>801.52<`, `>801.520<`)},
		{"PEPPOL-EN16931-R003", invoice, cut(`<cbc:BuyerReference>.*?</cbc:BuyerReference>`)},
		{"BR-06", invoice, cut(`<cbc:RegistrationName>Skövde Vitvaruservice AB</cbc:RegistrationName>`)},
		{"BR-07", invoice, cut(`<cbc:RegistrationName>Solgårdens Fastigheter AB</cbc:RegistrationName>`)},
		{"BR-09", invoice, cut(`<cac:Country>.*?</cac:Country>`)},
		{"PEPPOL-EN16931-R020", invoice, cut(`<cbc:EndpointID schemeID="0007">5567890123</cbc:EndpointID>`)},
		{"PEPPOL-COMMON-R049", invoice, replace(`<cbc:EndpointID schemeID="0007">5566778899`, `<cbc:EndpointID schemeID="0007">556677-8899`)},
		{"PEPPOL-EN16931-R010", invoice, cut(`<cbc:EndpointID schemeID="0007">5566778899</cbc:EndpointID>`)},
		{"BR-16", invoice, cut(`<cac:InvoiceLine>.*?</cac:InvoiceLine>`)},
		{"BR-25", invoice, cut(`<cbc:Name>Arbete · Ärende 2026-0012[^<]*</cbc:Name>`)},
		{"BR-27", invoice, replace(`<cbc:PriceAmount currencyID="SEK">650.00`, `<cbc:PriceAmount currencyID="SEK">-650.00`)},
		{"PEPPOL-EN16931-R120", invoice, replace(`<cbc:PriceAmount currencyID="SEK">650.00`, `<cbc:PriceAmount currencyID="SEK">660.00`)},
		{"PEPPOL-EN16931-R120", invoice, replace(`unitCode="HUR">1.5<`, `unitCode="HUR">1.25<`)},
		{"BR-CO-10", invoice, replace(`<cbc:LineExtensionAmount currencyID="SEK">3206.09`, `<cbc:LineExtensionAmount currencyID="SEK">3206.00`)},
		{"BR-CO-10", invoice, replace(`<cbc:LineExtensionAmount currencyID="SEK">395.00`, `<cbc:LineExtensionAmount currencyID="SEK">395.01`)},
		{"BR-CO-13", invoice, replace(`<cbc:TaxExclusiveAmount currencyID="SEK">3206.09`, `<cbc:TaxExclusiveAmount currencyID="SEK">3200.09`)},
		{"BR-CO-14", invoice, replace(`<cbc:TaxAmount currencyID="SEK">801.52`, `<cbc:TaxAmount currencyID="SEK">801.50`)},
		{"BR-CO-15", invoice, replace(`<cbc:TaxInclusiveAmount currencyID="SEK">4007.61`, `<cbc:TaxInclusiveAmount currencyID="SEK">4007.62`)},
		{"BR-CO-16", invoice, replace(`<cbc:PayableRoundingAmount currencyID="SEK">0.39`, `<cbc:PayableRoundingAmount currencyID="SEK">0.38`)},
		{"BR-CO-16", invoice, replace(`<cbc:PayableAmount currencyID="SEK">4008.00`, `<cbc:PayableAmount currencyID="SEK">4009.00`)},
		{"BR-CO-16", invoice, cut(`<cbc:PayableRoundingAmount.*?</cbc:PayableRoundingAmount>`)},
		{"BR-CO-25", invoice, func(doc string) string {
			return cut(`<cac:PaymentTerms>.*?</cac:PaymentTerms>`)(cut(`<cbc:DueDate>.*?</cbc:DueDate>`)(doc))
		}},
		{"PEPPOL-EN16931-R053", invoice, cut(`<cac:TaxTotal>.*?</cac:TaxTotal>`)},
		{"BR-S-08", invoice, replace(`<cbc:TaxableAmount currencyID="SEK">3206.09`, `<cbc:TaxableAmount currencyID="SEK">3206.19`)},
		{"BR-S-09", invoice, replace(`<cbc:Percent>25</cbc:Percent>`, `<cbc:Percent>12</cbc:Percent>`)},
		{"BR-S-01", invoice, replace(`<cbc:Percent>25</cbc:Percent>`, `<cbc:Percent>12</cbc:Percent>`)},
		{"SE-R-006", invoice, replaceAll(`<cbc:Percent>25</cbc:Percent>`, `<cbc:Percent>19</cbc:Percent>`)},
		{"SE-R-001", invoice, replace("SE556789012301", "SE5567890123")},
		{"SE-R-005", invoice, replace("Godkänd för F-skatt", "F-skatt")},
		{"SE-R-004", invoice, replace(`<cbc:CompanyID schemeID="0007">5567890123</cbc:CompanyID>`, `<cbc:CompanyID schemeID="0007">556789012</cbc:CompanyID>`)},
		{"SE-R-013", invoice, replace(`<cbc:CompanyID schemeID="0007">5567890123</cbc:CompanyID>`, `<cbc:CompanyID schemeID="0007">5567890124</cbc:CompanyID>`)},
		{"PEPPOL-COMMON-R049", invoice, replace(`<cbc:CompanyID schemeID="0007">5566778899</cbc:CompanyID>`, `<cbc:CompanyID schemeID="0007">5566778898</cbc:CompanyID>`)},
		{"SE-R-008", invoice, replace(`<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>5050-1055</cbc:ID>`)},
		{"SE-R-009", invoice, replace(`<cbc:ID>50501055</cbc:ID>`, `<cbc:ID>505010555</cbc:ID>`)},
		{"BR-55", credit, cut(`<cac:BillingReference>.*?</cac:BillingReference>`)},
		{"PEPPOL-EN16931-P0101", credit, replace("<cbc:CreditNoteTypeCode>381", "<cbc:CreditNoteTypeCode>380")},
		{"UBL-SEQ", credit, replace("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode><cbc:DueDate>2026-04-13</cbc:DueDate>")},
		{"BR-CO-10", credit, replace(`<cbc:LineExtensionAmount currencyID="SEK">395.00`, `<cbc:LineExtensionAmount currencyID="SEK">-395.00`)},
	}
	for _, tt := range tests {
		doc := tt.edit(tt.doc)
		if doc == tt.doc {
			t.Errorf("%s: the edit changed nothing; the test no longer breaks the document", tt.rule)
			continue
		}
		got := Check([]byte(doc))
		found := false
		for _, v := range got {
			found = found || strings.HasPrefix(v, tt.rule+": ")
		}
		if !found {
			t.Errorf("%s: not reported; Check = %q", tt.rule, got)
		}
	}
}

func TestWriteEscapes(t *testing.T) {
	c := caseInfo{caseNo: "2026-0031", wo: "AO-5", title: "Spis <&> å ä ö", asset: "S-<1>", ref: `Märkt "<&>"`}
	inv := newInvoice(t, "2026-0045", []repair.InvoicedLine{line(c, repair.CostPart, "Knapp <&> å ä ö", 1000, 12500, repair.VATStandard)})
	inv.CustomerName = "Bolaget <&> å ä ö AB"
	inv.InvoiceAddress = "Bolaget <&> å ä ö AB\nGatan <1> & 2\n541 30 Skövde"
	doc := write(t, inv, testSeller(), "")
	checkClean(t, doc)
	if !bytes.Contains(doc, []byte("Bolaget &lt;&amp;&gt; å ä ö AB")) {
		t.Errorf("name not escaped as &lt;&amp;&gt; with å ä ö kept:\n%s", doc)
	}
	if bytes.Contains(doc, []byte("<&>")) {
		t.Error("raw <&> in the document")
	}
	root := tree(t, doc)
	expect(t, root, map[string]string{
		"cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name":           "Bolaget <&> å ä ö AB",
		"cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cbc:StreetName": "Gatan <1> & 2",
		"cbc:BuyerReference":                           `Märkt "<&>"`,
		"cac:InvoiceLine/cac:Item/cbc:Description":     "Knapp <&> å ä ö",
		"cac:InvoiceLine/cac:Item/cbc:Name":            "Reservdel · Ärende 2026-0031 · AO-5 · Spis <&> å ä ö",
		"cac:InvoiceLine/cac:DocumentReference/cbc:ID": "S-<1>",
	})
}

func TestWriteRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(inv *repair.Invoice, s *Seller, credited *string)
		want string
	}{
		{"seller check digit", func(_ *repair.Invoice, s *Seller, _ *string) { s.OrgNumber = "556789-0124" }, "seller organisation number"},
		{"seller org missing", func(_ *repair.Invoice, s *Seller, _ *string) { s.OrgNumber = "" }, "seller organisation number"},
		{"VAT of another company", func(_ *repair.Invoice, s *Seller, _ *string) { s.VATNumber = "SE556677889901" }, "seller VAT number"},
		{"VAT without 01", func(_ *repair.Invoice, s *Seller, _ *string) { s.VATNumber = "SE556789012302" }, "seller VAT number"},
		{"no bankgiro", func(_ *repair.Invoice, s *Seller, _ *string) { s.Bankgiro = "" }, "Bankgiro"},
		{"seller name", func(_ *repair.Invoice, s *Seller, _ *string) { s.Name = " " }, "seller name"},
		{"no number", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Number = "" }, "invoice number is empty"},
		{"no invoice date", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.InvoiceDate = "" }, "invoice date is empty"},
		{"no due date", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.DueDate = "" }, "due date is empty"},
		{"bad date", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.DueDate = "13/04/2026" }, "due date"},
		{"half a period", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.PeriodTo = "" }, "period end is empty"},
		{"period backwards", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.PeriodTo = "2026-01-01" }, "before it starts"},
		{"no customer", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.CustomerName = "" }, "customer name"},
		{"customer org", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.OrgNumber = "556677-8890" }, "customer organisation number"},
		{"no lines", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Lines = nil }, "no lines"},
		{"net ≠ lines", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Totals.NetOre++; inv.Totals.ToPayOre++ }, "lines sum to"},
		{"to pay ≠ parts", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Totals.ToPayOre += 100 }, "is not the total to pay"},
		{"VAT ≠ rates", func(inv *repair.Invoice, _ *Seller, _ *string) {
			inv.Totals.VATOre++
			inv.Totals.RoundingOre--
		}, "VAT per rate sums"},
		{"rate total ≠ its lines", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Totals.ByRate[0].AmountOre++ }, "lines at 25 % sum to"},
		{"line ≠ qty × price", func(inv *repair.Invoice, _ *Seller, _ *string) {
			inv.Lines[0].AmountOre++
			inv.Totals.NetOre++
			inv.Totals.ByRate[0].AmountOre++
			inv.Totals.RoundingOre--
		}, "is not quantity × price"},
		{"bad rate", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.Lines[0].Rate = 1900 }, "not a Swedish rate"},
		{"credit without credited number", func(inv *repair.Invoice, _ *Seller, _ *string) { inv.CreditsID = 7 }, "credited invoice's number"},
		{"invoice with credited number", func(_ *repair.Invoice, _ *Seller, credited *string) { *credited = "2026-0001" }, "given a credited number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, s, credited := invoiceA(t), testSeller(), ""
			tt.edit(&inv, &s, &credited)
			var buf bytes.Buffer
			inv.CreditsNumber = credited
			err := Write(&buf, inv, s)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write = %v, want ErrInvalid saying %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes for invalid input", buf.Len())
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	const name = "Solgårdens Fastigheter AB"
	tests := []struct {
		text string
		want ublAddress
	}{
		{"Solgårdens Fastigheter AB\nBox 123\n541 21 Skövde",
			ublAddress{StreetName: "Box 123", PostalZone: "541 21", CityName: "Skövde", Country: "SE"}},
		{"Box 123\n54121 Skövde\n",
			ublAddress{StreetName: "Box 123", PostalZone: "541 21", CityName: "Skövde", Country: "SE"}},
		{"solgårdens fastigheter ab\nEkonomiavdelningen\nBox 123\n541 21 Skövde\nSverige",
			ublAddress{StreetName: "Ekonomiavdelningen", AdditionalStreetName: "Box 123", PostalZone: "541 21", CityName: "Skövde", Country: "SE"}},
		{"Solgårdens Fastigheter AB\nFE 123\nc/o Ekonomi\nScanning\nSE-105 69 Stockholm",
			ublAddress{StreetName: "FE 123", AdditionalStreetName: "c/o Ekonomi", AddressLine: &ublAddressLine{Line: "Scanning"}, PostalZone: "105 69", CityName: "Stockholm", Country: "SE"}},
		{"Solgårdens Fastigheter AB\nStorgatan 1\nSkövde",
			ublAddress{StreetName: "Storgatan 1", AdditionalStreetName: "Skövde", Country: "SE"}},
		{"", ublAddress{Country: "SE"}},
	}
	for _, tt := range tests {
		got := parseAddress(tt.text, name)
		if got.AddressLine == nil != (tt.want.AddressLine == nil) || got.AddressLine != nil && *got.AddressLine != *tt.want.AddressLine {
			t.Errorf("parseAddress(%q) address line = %v, want %v", tt.text, got.AddressLine, tt.want.AddressLine)
		}
		got.AddressLine, tt.want.AddressLine = nil, nil
		if got != tt.want {
			t.Errorf("parseAddress(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestBuyerReference(t *testing.T) {
	ref := func(refs ...string) repair.Invoice {
		inv := repair.Invoice{OrgNumber: "556677-8899", CustomerName: "Solgårdens Fastigheter AB"}
		for _, r := range refs {
			inv.Lines = append(inv.Lines, repair.InvoicedLine{InvoiceReference: r})
		}
		return inv
	}
	noOrg := ref("")
	noOrg.OrgNumber = ""
	tests := []struct {
		inv  repair.Invoice
		want string
	}{
		{ref("Hus A", "Hus A"), "Hus A"},
		{ref("Hus B", "Hus A", "Hus B"), "Hus A, Hus B"},
		{ref("Hus A", ""), "Hus A"},
		{ref("", ""), "556677-8899"},
		{noOrg, "Solgårdens Fastigheter AB"},
	}
	for _, tt := range tests {
		if got := buyerReference(tt.inv); got != tt.want {
			t.Errorf("buyerReference(%v) = %q, want %q", tt.inv.Lines, got, tt.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{money(123450), "1234.50"},
		{money(5), "0.05"},
		{money(-25), "-0.25"},
		{money(0), "0.00"},
		{quantity(1500), "1.5"},
		{quantity(1000), "1"},
		{quantity(125), "0.125"},
		{quantity(-750), "-0.75"},
		{percent(2500), "25"},
		{percent(1250), "12.5"},
		{percent(0), "0"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
