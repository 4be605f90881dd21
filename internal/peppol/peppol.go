// Package peppol writes issued invoices and credit notes as Peppol BIS
// Billing 3.0 documents (UBL 2.1 XML), and checks such documents against
// the business rules that matter for them (Check).
package peppol

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// Identifiers a Peppol BIS Billing 3.0 document is claimed under (BT-24,
// BT-23).
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Codes written into the documents.
const (
	typeInvoice    = "380" // UNTDID 1001 commercial invoice
	typeCreditNote = "381" // UNTDID 1001 credit note
	currency       = "SEK"
	schemeOrgNr    = "0007"        // ICD: Swedish organisation number
	objectID       = "130"         // UNTDID 1153: invoiced object identifier (BT-128)
	creditTransfer = "30"          // UNTDID 4461; SE-R-011 wants 30 for Bankgiro
	bankgiroBranch = "SE:BANKGIRO" // how SE-R-008/009 recognise a Bankgiro account
	fSkattText     = "Godkänd för F-skatt"
)

// ErrInvalid is wrapped by every error Write returns for input it cannot
// turn into a valid document.
var ErrInvalid = errors.New("peppol: invalid invoice")

// Seller is the seller as the invoice names it.
type Seller struct {
	Name       string
	OrgNumber  string // "556789-0123"
	VATNumber  string // "SE556789012301"
	Street     string // "Industrigatan 8"
	PostalCode string // "541 37"
	City       string // "Skövde"
	Phone      string
	Email      string
	Bankgiro   string // "5050-1055"
	FSkatt     bool   // approved for F-skatt: stated as SE-R-005 asks
}

// Write writes inv as a Peppol BIS Billing 3.0 Invoice, or as a CreditNote
// when inv credits another invoice (CreditsID set), naming the credited
// invoice by inv.CreditsNumber (which an invoice leaves ""). A credit note
// states positive amounts: the negative amounts a credit is stored with are
// negated. Nothing is written when the input is invalid.
func Write(w io.Writer, inv repair.Invoice, seller Seller) error {
	doc, err := build(inv, seller, inv.CreditsNumber)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("peppol: encode: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("peppol: write: %w", err)
	}
	return nil
}

// build turns the invoice into the UBL document, after checking that it can
// be one.
func build(inv repair.Invoice, s Seller, creditedNumber string) (*ublDocument, error) {
	if err := validate(inv, s, creditedNumber); err != nil {
		return nil, err
	}
	credit := inv.CreditsID != 0
	sign := int64(1)
	if credit {
		sign = -1
	}
	sek := func(ore int64) ublAmount { return ublAmount{Currency: currency, Value: money(sign * ore)} }

	doc := &ublDocument{
		XMLName:              xml.Name{Space: nsInvoice, Local: "Invoice"},
		CAC:                  nsCAC,
		CBC:                  nsCBC,
		CustomizationID:      CustomizationID,
		ProfileID:            ProfileID,
		ID:                   inv.Number,
		IssueDate:            inv.InvoiceDate,
		DocumentCurrencyCode: currency,
		BuyerReference:       buyerReference(inv),
		Supplier:             sellerParty(s),
		Customer:             buyerParty(inv),
	}
	if inv.PeriodFrom != "" {
		doc.InvoicePeriod = &ublPeriod{StartDate: inv.PeriodFrom, EndDate: inv.PeriodTo}
	}
	if c := distinct(inv.Lines, func(l repair.InvoicedLine) string { return l.ContractNumber }); len(c) > 0 {
		// Peppol allows one contract reference (BT-12); an invoice run
		// can span several contracts, so all of them share it.
		doc.ContractReference = &ublDocumentRef{ID: strings.Join(c, ", ")}
	}
	if credit {
		// UBL 2.1's CreditNote has no DueDate, and the buyer pays nothing,
		// so there are no payment means; the terms say what is credited,
		// which also satisfies BR-CO-25 for the positive amount.
		doc.XMLName = xml.Name{Space: nsCreditNote, Local: "CreditNote"}
		doc.CreditNoteTypeCode = typeCreditNote
		doc.BillingReference = &ublBillingRef{InvoiceID: creditedNumber}
		doc.PaymentTerms = &ublPaymentTerms{Note: "Kreditering av faktura " + creditedNumber}
	} else {
		doc.DueDate = inv.DueDate
		doc.InvoiceTypeCode = typeInvoice
		doc.PaymentMeans = &ublPaymentMeans{
			Code:      creditTransfer,
			PaymentID: inv.Number,
			Account:   ublFinancialAccount{ID: digits(s.Bankgiro), Branch: bankgiroBranch},
		}
		doc.PaymentTerms = &ublPaymentTerms{Note: paymentTerms(inv.InvoiceDate, inv.DueDate)}
	}

	t := inv.Totals
	doc.TaxTotal.TaxAmount = sek(t.VATOre)
	for _, r := range t.ByRate {
		doc.TaxTotal.Subtotals = append(doc.TaxTotal.Subtotals, ublTaxSubtotal{
			TaxableAmount: sek(r.AmountOre),
			TaxAmount:     sek(r.VATOre),
			Category:      taxCategory(r.Rate),
		})
	}
	doc.LegalMonetaryTotal = ublMonetaryTotal{
		LineExtensionAmount: sek(t.NetOre),
		TaxExclusiveAmount:  sek(t.NetOre),
		TaxInclusiveAmount:  sek(t.NetOre + t.VATOre),
		PayableAmount:       sek(t.ToPayOre),
	}
	if t.RoundingOre != 0 {
		// Omitted when zero: BR-CO-16 counts a missing rounding as 0.
		r := sek(t.RoundingOre)
		doc.LegalMonetaryTotal.PayableRoundingAmount = &r
	}

	for i, l := range inv.Lines {
		line := invoiceLine(i+1, l, sign)
		if credit {
			line.CreditedQuantity, line.InvoicedQuantity = line.InvoicedQuantity, nil
			doc.CreditNoteLines = append(doc.CreditNoteLines, line)
		} else {
			doc.InvoiceLines = append(doc.InvoiceLines, line)
		}
	}
	return doc, nil
}

// invoiceLine is one invoiced line; sign is -1 for a credit note.
func invoiceLine(n int, l repair.InvoicedLine, sign int64) ublLine {
	qty, price := sign*l.QuantityMilli, l.UnitPriceOre
	if price < 0 {
		// BR-27: the price is never negative; the quantity carries the sign.
		qty, price = -qty, -price
	}
	unit := "C62" // one (piece)
	if l.Kind == repair.CostLabour {
		unit = "HUR" // hour
	}
	line := ublLine{
		ID:                  fmt.Sprint(n),
		Note:                joinNonEmpty(", ", l.Street, prefixed("utfört ", l.CompletedOn)),
		InvoicedQuantity:    &ublQuantity{UnitCode: unit, Value: quantity(qty)},
		LineExtensionAmount: ublAmount{Currency: currency, Value: money(sign * l.AmountOre)},
		AccountingCost:      l.InvoiceReference,
		Item: ublItem{
			Description: l.Description,
			Name:        itemName(l),
			TaxCategory: taxCategory(l.Rate),
		},
		Price: ublPrice{PriceAmount: ublAmount{Currency: currency, Value: money(price)}},
	}
	if l.AssetNumber != "" {
		line.DocumentReference = &ublLineDocRef{ID: l.AssetNumber, DocumentTypeCode: objectID}
	}
	return line
}

// itemName is the line's item name (BT-153, mandatory): what it was for and
// where it belongs, e.g. "Arbete · Ärende 2026-0012 · AO-1 · Tvättmaskin trasig".
func itemName(l repair.InvoicedLine) string {
	title := []rune(l.CaseTitle)
	if len(title) > 60 {
		title = append(title[:59], '…')
	}
	name := joinNonEmpty(" · ", l.Kind.Label(), prefixed("Ärende ", l.CaseNumber), l.WorkOrderNumber, string(title))
	if name == "" {
		return l.Description
	}
	return name
}

// buyerReference is BT-10, which Peppol requires when there is no order
// reference (PEPPOL-EN16931-R003) and Swedish buyers route invoices by: the
// lines' Fakturamärkning, all distinct ones when an invoice run collected
// several, else the buyer's organisation number (else its name).
func buyerReference(inv repair.Invoice) string {
	if refs := distinct(inv.Lines, func(l repair.InvoicedLine) string { return l.InvoiceReference }); len(refs) > 0 {
		return strings.Join(refs, ", ")
	}
	if inv.OrgNumber != "" {
		return inv.OrgNumber
	}
	return inv.CustomerName
}

func sellerParty(s Seller) ublParty {
	org := digits(s.OrgNumber)
	p := ublParty{
		EndpointID: &ublSchemedID{Scheme: schemeOrgNr, Value: org},
		Name:       s.Name,
		Address: ublAddress{
			StreetName: s.Street,
			CityName:   s.City,
			PostalZone: s.PostalCode,
			Country:    "SE",
		},
		TaxSchemes:  []ublPartyTaxScheme{{CompanyID: s.VATNumber, TaxScheme: "VAT"}},
		LegalEntity: ublLegalEntity{RegistrationName: s.Name, CompanyID: &ublSchemedID{Scheme: schemeOrgNr, Value: org}},
	}
	if s.FSkatt {
		p.TaxSchemes = append(p.TaxSchemes, ublPartyTaxScheme{CompanyID: fSkattText, TaxScheme: "TAX"})
	}
	if s.Phone != "" || s.Email != "" {
		p.Contact = &ublContact{Telephone: s.Phone, ElectronicMail: s.Email}
	}
	return p
}

func buyerParty(inv repair.Invoice) ublParty {
	p := ublParty{
		Name:        inv.CustomerName,
		Address:     parseAddress(inv.InvoiceAddress, inv.CustomerName),
		LegalEntity: ublLegalEntity{RegistrationName: inv.CustomerName},
	}
	if org := digits(inv.OrgNumber); org != "" {
		p.EndpointID = &ublSchemedID{Scheme: schemeOrgNr, Value: org}
		p.LegalEntity.CompanyID = &ublSchemedID{Scheme: schemeOrgNr, Value: org}
	}
	return p
}

// vatPattern is a Swedish VAT number: SE, the organisation number, 01.
var vatPattern = regexp.MustCompile(`^SE\d{12}$`)

var postalLine = regexp.MustCompile(`^(?:SE-?)?(\d{3}) ?(\d{2})\s+(\S.*)$`)

// parseAddress reads the free-text invoice address (its lines as
// repair.AddressLines reads them, so one typed with commas too): a first line that is
// the customer's name is dropped, the last "NNN NN City" line gives the
// postal zone and city, the lines before it are the street lines (a third
// and further ones share the address line, BT-162/BT-164). An address
// without a postal line keeps its lines as street lines and no city; a
// trailing "Sverige" is dropped since the country is always SE.
func parseAddress(text, name string) ublAddress {
	lines := repair.AddressLines(text)
	if len(lines) > 0 && strings.EqualFold(lines[0], strings.TrimSpace(name)) {
		lines = lines[1:]
	}
	if n := len(lines); n > 0 && (strings.EqualFold(lines[n-1], "Sverige") || strings.EqualFold(lines[n-1], "Sweden")) {
		lines = lines[:n-1]
	}
	a := ublAddress{Country: "SE"}
	for i := len(lines) - 1; i >= 0; i-- {
		if m := postalLine.FindStringSubmatch(lines[i]); m != nil {
			a.PostalZone = m[1] + " " + m[2]
			a.CityName = m[3]
			lines = slices.Delete(lines, i, i+1)
			break
		}
	}
	if len(lines) > 0 {
		a.StreetName = lines[0]
	}
	if len(lines) > 1 {
		a.AdditionalStreetName = lines[1]
	}
	if len(lines) > 2 {
		a.AddressLine = &ublAddressLine{Line: strings.Join(lines[2:], ", ")}
	}
	return a
}

// taxCategory is the VAT category of a rate: S (standard rated) for every
// Swedish rate above zero, Z (zero rated) for 0 %.
func taxCategory(r repair.VATRate) ublTaxCategory {
	id := "S"
	if r == 0 {
		id = "Z"
	}
	return ublTaxCategory{ID: id, Percent: percent(r), TaxScheme: "VAT"}
}

// paymentTerms is BT-20 in Swedish: "30 dagar netto, förfallodag 2026-04-13".
func paymentTerms(issued, due string) string {
	i, _ := time.Parse(time.DateOnly, issued)
	d, _ := time.Parse(time.DateOnly, due)
	if days := int(d.Sub(i).Hours() / 24); days > 0 {
		return fmt.Sprintf("%d dagar netto, förfallodag %s", days, due)
	}
	return "Betalning senast " + due
}

// validate reports everything that keeps the input from becoming a valid
// document, at once.
func validate(inv repair.Invoice, s Seller, creditedNumber string) error {
	var bad []string
	add := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	credit := inv.CreditsID != 0

	if strings.TrimSpace(s.Name) == "" {
		add("seller name is empty")
	}
	if _, ok := repair.NormalizeOrgNumber(s.OrgNumber); !ok {
		add("seller organisation number %q is not valid", s.OrgNumber)
	}
	if !vatPattern.MatchString(s.VATNumber) || s.VATNumber[2:12] != digits(s.OrgNumber) || s.VATNumber[12:] != "01" {
		add("seller VAT number %q is not SE + the organisation number + 01", s.VATNumber)
	}
	if bg := digits(s.Bankgiro); !credit && (len(bg) < 7 || len(bg) > 8 || bg != strings.NewReplacer("-", "", " ", "").Replace(s.Bankgiro)) {
		add("seller Bankgiro %q is not 7 or 8 digits", s.Bankgiro)
	}

	if strings.TrimSpace(inv.Number) == "" {
		add("invoice number is empty")
	}
	date := func(field, v string, required bool) {
		if v == "" {
			if required {
				add("%s is empty", field)
			}
			return
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			add("%s %q is not a date YYYY-MM-DD", field, v)
		}
	}
	date("invoice date", inv.InvoiceDate, true)
	date("due date", inv.DueDate, !credit)
	date("period start", inv.PeriodFrom, inv.PeriodTo != "")
	date("period end", inv.PeriodTo, inv.PeriodFrom != "")
	if inv.PeriodFrom != "" && inv.PeriodTo != "" && inv.PeriodTo < inv.PeriodFrom {
		add("period ends %s before it starts %s", inv.PeriodTo, inv.PeriodFrom)
	}
	if strings.TrimSpace(inv.CustomerName) == "" {
		add("customer name is empty")
	}
	if inv.OrgNumber != "" {
		if _, ok := repair.NormalizeOrgNumber(inv.OrgNumber); !ok {
			add("customer organisation number %q is not valid", inv.OrgNumber)
		}
	}
	switch {
	case credit && strings.TrimSpace(creditedNumber) == "":
		add("credit note without the credited invoice's number")
	case !credit && creditedNumber != "":
		add("invoice (not a credit note) given a credited number %q", creditedNumber)
	}

	if len(inv.Lines) == 0 {
		add("invoice has no lines")
	}
	var net int64
	byRate := map[repair.VATRate]int64{}
	for i, l := range inv.Lines {
		if !l.Rate.Valid() {
			add("line %d: VAT rate %d is not a Swedish rate", i+1, l.Rate)
		}
		if want := repair.LineAmount(l.QuantityMilli, l.UnitPriceOre); l.AmountOre != want {
			add("line %d: amount %s is not quantity × price %s", i+1, money(l.AmountOre), money(want))
		}
		net += l.AmountOre
		byRate[l.Rate] += l.AmountOre
	}
	t := inv.Totals
	if net != t.NetOre {
		add("lines sum to %s, total ex VAT is %s", money(net), money(t.NetOre))
	}
	if t.NetOre+t.VATOre+t.RoundingOre != t.ToPayOre {
		add("total ex VAT %s + VAT %s + rounding %s is not the total to pay %s",
			money(t.NetOre), money(t.VATOre), money(t.RoundingOre), money(t.ToPayOre))
	}
	var vat int64
	seen := map[repair.VATRate]bool{}
	for _, r := range t.ByRate {
		if seen[r.Rate] {
			add("VAT rate %s is totalled twice", r.Rate.Label())
		}
		seen[r.Rate] = true
		if r.AmountOre != byRate[r.Rate] {
			add("lines at %s sum to %s, its VAT total says %s", r.Rate.Label(), money(byRate[r.Rate]), money(r.AmountOre))
		}
		vat += r.VATOre
	}
	for r := range byRate {
		if !seen[r] {
			add("lines at %s have no VAT total", r.Label())
		}
	}
	if vat != t.VATOre {
		add("VAT per rate sums to %s, total VAT is %s", money(vat), money(t.VATOre))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w %s: %s", ErrInvalid, inv.Number, strings.Join(bad, "; "))
	}
	return nil
}

// money writes öre as kronor with exactly two decimals: "1234.50", "-0.25".
func money(ore int64) string {
	sign := ""
	if ore < 0 {
		sign, ore = "-", -ore
	}
	return fmt.Sprintf("%s%d.%02d", sign, ore/100, ore%100)
}

// quantity writes thousandths without trailing zeros: 1500 → "1.5".
func quantity(milli int64) string {
	sign := ""
	if milli < 0 {
		sign, milli = "-", -milli
	}
	s := fmt.Sprintf("%s%d", sign, milli/1000)
	if frac := milli % 1000; frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	}
	return s
}

// percent writes a rate in hundredths of a per cent: 2500 → "25", 1250 → "12.5".
func percent(r repair.VATRate) string {
	s := fmt.Sprint(r / 100)
	if frac := r % 100; frac != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	}
	return s
}

// digits keeps the digits of s: "556789-0123" → "5567890123".
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// distinct is the sorted distinct non-empty values of key over the lines.
func distinct(lines []repair.InvoicedLine, key func(repair.InvoicedLine) string) []string {
	var vs []string
	for _, l := range lines {
		if v := strings.TrimSpace(key(l)); v != "" {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	return slices.Compact(vs)
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}

// prefixed is prefix+s, or "" when s is empty.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
