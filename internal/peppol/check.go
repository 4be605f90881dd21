package peppol

import (
	"encoding/xml"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// The checker reads a document on its own: it parses the XML into a plain
// element tree and looks elements up by namespace and name, sharing nothing
// with the writer's structs or constants, so that a mistake in the writer
// is not repeated here and hidden. It covers the rules of the Peppol BIS
// Billing 3.0 schematrons (EN 16931 "BR-", Peppol "PEPPOL-EN16931-",
// Swedish "SE-R-") that bear on what this package writes, plus the UBL 2.1
// element order, which only the XML schema would otherwise catch. It is no
// replacement for the official validator: rules on elements we never write
// (allowances, charges, other countries) are not checked.

// Check reports the rules the Peppol BIS Billing 3.0 document doc breaks,
// each as "RULE: what is wrong"; none for a valid document. Where Peppol
// allows several type codes, it accepts only the one this package writes
// (380, 381).
func Check(doc []byte) []string {
	root, err := parseTree(doc)
	if err != nil {
		return []string{"XML: " + err.Error()}
	}
	c := &checker{root: root}
	c.run()
	return c.found
}

const (
	chkInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	chkCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
)

type checker struct {
	root   *node
	credit bool
	found  []string
}

func (c *checker) add(rule, format string, args ...any) {
	c.found = append(c.found, rule+": "+fmt.Sprintf(format, args...))
}

// require reports rule when path has no non-empty value.
func (c *checker) require(at *node, rule, path, what string) string {
	v := at.val(path)
	if v == "" {
		c.add(rule, "%s (%s) is missing", what, path)
	}
	return v
}

func (c *checker) run() {
	r := c.root
	switch r.name {
	case xml.Name{Space: chkInvoice, Local: "Invoice"}:
	case xml.Name{Space: chkCreditNote, Local: "CreditNote"}:
		c.credit = true
	default:
		c.add("UBL-ROOT", "root element {%s}%s is neither a UBL 2.1 Invoice nor a CreditNote", r.name.Space, r.name.Local)
		return
	}
	c.sequence(r)
	c.noEmptyElements(r)
	c.header()
	c.parties()
	c.swedishIdentifiers(r)
	c.lines()
	c.totals()
	c.vatBreakdown()
	c.payment()
}

// header: BR-01..BR-05 and the Peppol identifiers.
func (c *checker) header() {
	r := c.root
	if v := c.require(r, "BR-01", "cbc:CustomizationID", "specification identifier"); v != "" &&
		!strings.HasPrefix(v, "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0") {
		c.add("PEPPOL-EN16931-R004", "specification identifier %q is not Peppol BIS Billing 3.0", v)
	}
	if v := c.require(r, "PEPPOL-EN16931-R001", "cbc:ProfileID", "business process"); v != "" &&
		v != "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0" {
		c.add("PEPPOL-EN16931-R007", "business process %q is not urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", v)
	}
	c.require(r, "BR-02", "cbc:ID", "invoice number")
	if v := c.require(r, "BR-03", "cbc:IssueDate", "issue date"); v != "" {
		c.date("issue date", v)
	}
	if v := r.val("cbc:DueDate"); v != "" {
		c.date("due date", v)
	}
	if c.credit {
		if v := c.require(r, "BR-04", "cbc:CreditNoteTypeCode", "credit note type code"); v != "" && v != "381" {
			c.add("PEPPOL-EN16931-P0101", "credit note type code %q is not 381", v)
		}
	} else {
		if v := c.require(r, "BR-04", "cbc:InvoiceTypeCode", "invoice type code"); v != "" && v != "380" {
			c.add("PEPPOL-EN16931-P0100", "invoice type code %q is not 380", v)
		}
	}
	cur := c.require(r, "BR-05", "cbc:DocumentCurrencyCode", "invoice currency code")
	c.currencies(r, cur)
	if r.val("cbc:BuyerReference") == "" && r.val("cac:OrderReference/cbc:ID") == "" {
		c.add("PEPPOL-EN16931-R003", "neither a buyer reference nor an order reference is given")
	}
	if p := r.get("cac:InvoicePeriod"); p != nil {
		from, to := p.val("cbc:StartDate"), p.val("cbc:EndDate")
		if from != "" && to != "" && to < from {
			c.add("BR-29", "invoicing period ends %s before it starts %s", to, from)
		}
	}
	if c.credit && r.val("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "" {
		c.add("BR-55", "a credit note names no preceding invoice (cac:BillingReference)")
	}
}

// date reports a date the schema's xsd:date would refuse.
func (c *checker) date(what, v string) {
	if _, err := time.Parse("2006-01-02", v); err != nil {
		c.add("UBL-DATE", "%s %q is not a date YYYY-MM-DD", what, v)
	}
}

// currencies: PEPPOL-EN16931-R051 (every amount in the invoice currency)
// and two decimals at most on every amount but prices (BR-DEC-*; a unit
// price may carry more).
func (c *checker) currencies(n *node, cur string) {
	if id := n.attr("currencyID"); id != "" || strings.HasSuffix(n.name.Local, "Amount") {
		if id != cur {
			c.add("PEPPOL-EN16931-R051", "%s %q has currency %q, the invoice currency is %q", n.qname(), strings.TrimSpace(n.text), id, cur)
		}
		if v := strings.TrimSpace(n.text); n.name.Local != "PriceAmount" && n.name.Local != "BaseAmount" && !amountPattern.MatchString(v) {
			c.add("BR-DEC", "%s %q is not an amount with at most two decimals", n.qname(), v)
		}
	}
	for _, k := range n.kids {
		c.currencies(k, cur)
	}
}

var (
	amountPattern = regexp.MustCompile(`^-?\d+(\.\d{1,2})?$`)
	twelveDigits  = regexp.MustCompile(`^\d{12}$`)
	allDigits     = regexp.MustCompile(`^\d+$`)
)

// parties: seller and buyer, BR-06..BR-11, the electronic addresses and
// the Swedish rules on the seller's identifiers.
func (c *checker) parties() {
	seller := c.root.get("cac:AccountingSupplierParty/cac:Party")
	buyer := c.root.get("cac:AccountingCustomerParty/cac:Party")
	if seller == nil {
		c.add("BR-06", "the seller (cac:AccountingSupplierParty/cac:Party) is missing")
	} else {
		c.require(seller, "BR-06", "cac:PartyLegalEntity/cbc:RegistrationName", "seller name")
		c.endpoint(seller, "PEPPOL-EN16931-R020", "seller")
		if seller.get("cac:PostalAddress") == nil {
			c.add("BR-08", "the seller postal address is missing")
		}
		c.require(seller, "BR-09", "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "seller country code")
		c.swedishSeller(seller)
	}
	if buyer == nil {
		c.add("BR-07", "the buyer (cac:AccountingCustomerParty/cac:Party) is missing")
	} else {
		c.require(buyer, "BR-07", "cac:PartyLegalEntity/cbc:RegistrationName", "buyer name")
		c.endpoint(buyer, "PEPPOL-EN16931-R010", "buyer")
		if buyer.get("cac:PostalAddress") == nil {
			c.add("BR-10", "the buyer postal address is missing")
		}
		c.require(buyer, "BR-11", "cac:PostalAddress/cac:Country/cbc:IdentificationCode", "buyer country code")
	}
}

func (c *checker) endpoint(party *node, rule, who string) {
	e := party.get("cbc:EndpointID")
	switch {
	case e == nil || strings.TrimSpace(e.text) == "":
		c.add(rule, "the %s electronic address (cbc:EndpointID) is missing", who)
	case e.attr("schemeID") == "":
		c.add("BR-62", "the %s electronic address has no scheme", who)
	}
}

// swedishIdentifiers: PEPPOL-COMMON-R049, every identifier under scheme
// 0007 is a Swedish organisation number with a valid check digit.
func (c *checker) swedishIdentifiers(n *node) {
	switch n.name.Local {
	case "EndpointID", "ID", "CompanyID":
		if v := strings.TrimSpace(n.text); n.attr("schemeID") == "0007" && !luhnOrgNumber(v) {
			c.add("PEPPOL-COMMON-R049", "%s %q (scheme 0007) is not a Swedish organisation number with a valid check digit", n.qname(), v)
		}
	}
	for _, k := range n.kids {
		c.swedishIdentifiers(k)
	}
}

// swedishSeller: SE-R-001..SE-R-005 and SE-R-013, which apply when the
// seller's address is in Sweden.
func (c *checker) swedishSeller(seller *node) {
	if seller.val("cac:PostalAddress/cac:Country/cbc:IdentificationCode") != "SE" {
		return
	}
	for _, ts := range seller.all("cac:PartyTaxScheme") {
		id := ts.val("cbc:CompanyID")
		if strings.ToUpper(ts.val("cac:TaxScheme/cbc:ID")) == "VAT" {
			if strings.HasPrefix(id, "SE") {
				if len(id) != 14 {
					c.add("SE-R-001", "Swedish VAT number %q is not 14 characters", id)
				}
				if !twelveDigits.MatchString(id[2:]) {
					c.add("SE-R-002", "Swedish VAT number %q does not end in 12 digits", id)
				}
			}
			continue
		}
		// SE-R-005 asks the text only of a seller that gives an
		// organisation number.
		if seller.val("cac:PartyLegalEntity/cbc:CompanyID") != "" && strings.ToUpper(strings.Join(strings.Fields(id), " ")) != "GODKÄND FÖR F-SKATT" {
			c.add("SE-R-005", "seller tax registration %q is not 'Godkänd för F-skatt'", id)
		}
	}
	if org := seller.val("cac:PartyLegalEntity/cbc:CompanyID"); org != "" {
		if !allDigits.MatchString(org) {
			c.add("SE-R-003", "seller organisation number %q is not numeric", org)
		}
		if len(org) != 10 {
			c.add("SE-R-004", "seller organisation number %q is not 10 characters", org)
		}
		if !luhnOrgNumber(org) {
			c.add("SE-R-013", "seller organisation number %q is not 10 digits with a valid Luhn check digit", org)
		}
	}
}

// luhnOrgNumber reports whether s is ten digits whose last is the Luhn
// check digit of the other nine.
func luhnOrgNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		d := int(r - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func (c *checker) docLines() []*node {
	if c.credit {
		return c.root.all("cac:CreditNoteLine")
	}
	return c.root.all("cac:InvoiceLine")
}

// lines: BR-16, BR-21..BR-27 and the line amount (PEPPOL-EN16931-R120).
func (c *checker) lines() {
	lines := c.docLines()
	if len(lines) == 0 {
		c.add("BR-16", "the document has no lines")
	}
	qtyName := "cbc:InvoicedQuantity"
	if c.credit {
		qtyName = "cbc:CreditedQuantity"
	}
	for i, l := range lines {
		id := l.val("cbc:ID")
		if id == "" {
			id = fmt.Sprint(i + 1)
			c.add("BR-21", "line %d has no identifier", i+1)
		}
		qty := c.number(l, "BR-22", qtyName, "line "+id+" quantity")
		if q := l.get(qtyName); q != nil && q.attr("unitCode") == "" {
			c.add("BR-23", "line %s quantity has no unit code", id)
		}
		amount := c.number(l, "BR-24", "cbc:LineExtensionAmount", "line "+id+" net amount")
		c.require(l, "BR-25", "cac:Item/cbc:Name", "line "+id+" item name")
		price := c.number(l, "BR-26", "cac:Price/cbc:PriceAmount", "line "+id+" price")
		if price != nil && price.Sign() < 0 {
			c.add("BR-27", "line %s price %s is negative", id, price.FloatString(2))
		}
		if l.val("cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == "" {
			c.add("BR-CO-04", "line %s has no VAT category", id)
		}
		if qty == nil || amount == nil || price == nil {
			continue
		}
		base := big.NewRat(1, 1)
		if v := l.val("cac:Price/cbc:BaseQuantity"); v != "" {
			if b, ok := decimal(v); ok && b.Sign() != 0 {
				base = b
			}
		}
		want := new(big.Rat).Mul(qty, new(big.Rat).Quo(price, base))
		if !within(amount, want, "0.02") {
			c.add("PEPPOL-EN16931-R120", "line %s net amount %s is not quantity %s × price %s = %s",
				id, amount.FloatString(2), qty.FloatString(3), price.FloatString(2), want.FloatString(2))
		}
	}
}

// number is the decimal at path, reporting rule when it is missing or not
// a number.
func (c *checker) number(at *node, rule, path, what string) *big.Rat {
	v := at.val(path)
	if v == "" {
		c.add(rule, "%s (%s) is missing", what, path)
		return nil
	}
	d, ok := decimal(v)
	if !ok {
		c.add(rule, "%s %q is not a number", what, v)
		return nil
	}
	return d
}

// optional is the decimal at path, 0 when the element is absent (as the
// rules read a missing allowance, charge, prepaid or rounding amount).
func (c *checker) optional(at *node, path string) *big.Rat {
	if v := at.val(path); v != "" {
		if d, ok := decimal(v); ok {
			return d
		}
	}
	return new(big.Rat)
}

// totals: BR-12..BR-15 and the sums BR-CO-10, -13, -14, -15, -16.
func (c *checker) totals() {
	t := c.root.get("cac:LegalMonetaryTotal")
	if t == nil {
		c.add("BR-12", "the document totals (cac:LegalMonetaryTotal) are missing")
		return
	}
	lineExt := c.number(t, "BR-12", "cbc:LineExtensionAmount", "sum of line net amounts")
	taxExcl := c.number(t, "BR-13", "cbc:TaxExclusiveAmount", "total without VAT")
	taxIncl := c.number(t, "BR-14", "cbc:TaxInclusiveAmount", "total with VAT")
	payable := c.number(t, "BR-15", "cbc:PayableAmount", "amount due for payment")

	sum := new(big.Rat)
	for _, l := range c.docLines() {
		if d, ok := decimal(l.val("cbc:LineExtensionAmount")); ok {
			sum.Add(sum, d)
		}
	}
	if lineExt != nil && sum.Cmp(lineExt) != 0 {
		c.add("BR-CO-10", "sum of lines %s ≠ LineExtensionAmount %s", sum.FloatString(2), lineExt.FloatString(2))
	}
	if lineExt != nil && taxExcl != nil {
		want := new(big.Rat).Sub(lineExt, c.optional(t, "cbc:AllowanceTotalAmount"))
		want.Add(want, c.optional(t, "cbc:ChargeTotalAmount"))
		if want.Cmp(taxExcl) != 0 {
			c.add("BR-CO-13", "LineExtensionAmount − allowances + charges %s ≠ TaxExclusiveAmount %s", want.FloatString(2), taxExcl.FloatString(2))
		}
	}

	cur := c.root.val("cbc:DocumentCurrencyCode")
	var vat *big.Rat
	withSubtotals := 0
	for _, tt := range c.root.all("cac:TaxTotal") {
		subs := tt.all("cac:TaxSubtotal")
		if len(subs) > 0 {
			withSubtotals++
		}
		amount := tt.get("cbc:TaxAmount")
		if amount == nil || amount.attr("currencyID") != cur {
			continue
		}
		v, ok := decimal(strings.TrimSpace(amount.text))
		if !ok {
			c.add("BR-CO-14", "total VAT %q is not a number", strings.TrimSpace(amount.text))
			continue
		}
		vat = v
		sub := new(big.Rat)
		for _, s := range subs {
			if d, ok := decimal(s.val("cbc:TaxAmount")); ok {
				sub.Add(sub, d)
			}
		}
		if sub.Cmp(v) != 0 {
			c.add("BR-CO-14", "sum of VAT subtotals %s ≠ TaxAmount %s", sub.FloatString(2), v.FloatString(2))
		}
	}
	if withSubtotals != 1 {
		c.add("PEPPOL-EN16931-R053", "%d tax totals with subtotals, exactly one is required", withSubtotals)
	}
	if vat == nil {
		vat = new(big.Rat)
	}
	if taxExcl != nil && taxIncl != nil {
		if want := new(big.Rat).Add(taxExcl, vat); want.Cmp(taxIncl) != 0 {
			c.add("BR-CO-15", "TaxExclusiveAmount + TaxAmount %s ≠ TaxInclusiveAmount %s", want.FloatString(2), taxIncl.FloatString(2))
		}
	}
	if taxIncl != nil && payable != nil {
		want := new(big.Rat).Sub(taxIncl, c.optional(t, "cbc:PrepaidAmount"))
		want.Add(want, c.optional(t, "cbc:PayableRoundingAmount"))
		if want.Cmp(payable) != 0 {
			c.add("BR-CO-16", "TaxInclusiveAmount − prepaid + rounding %s ≠ PayableAmount %s", want.FloatString(2), payable.FloatString(2))
		}
	}
	if payable != nil && payable.Sign() > 0 {
		due := c.root.val("cbc:DueDate")
		if due == "" {
			due = c.root.val("cac:PaymentMeans/cbc:PaymentDueDate") // a CreditNote's BT-9
		}
		if due == "" && c.root.val("cac:PaymentTerms/cbc:Note") == "" {
			c.add("BR-CO-25", "a positive amount due %s has neither a due date nor payment terms", payable.FloatString(2))
		}
	}
}

// vatBreakdown: each subtotal's taxable amount is the sum of its lines
// (BR-S-08, BR-Z-08), its VAT is the rate on it (BR-S-09), every line's
// category has a subtotal (BR-S-01, BR-Z-01), and a Swedish seller uses a
// Swedish rate (SE-R-006).
func (c *checker) vatBreakdown() {
	lineSums := map[string]*big.Rat{}
	lineCategory := map[string]string{}
	for _, l := range c.docLines() {
		cat := l.get("cac:Item/cac:ClassifiedTaxCategory")
		key := categoryKey(cat)
		lineCategory[key] = cat.val("cbc:ID")
		if lineSums[key] == nil {
			lineSums[key] = new(big.Rat)
		}
		if d, ok := decimal(l.val("cbc:LineExtensionAmount")); ok {
			lineSums[key].Add(lineSums[key], d)
		}
	}
	swedish := c.root.val("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "SE"
	seen := map[string]bool{}
	for _, s := range c.root.all("cac:TaxTotal/cac:TaxSubtotal") {
		cat := s.get("cac:TaxCategory")
		key := categoryKey(cat)
		seen[key] = true
		id := cat.val("cbc:ID")
		taxable, ok1 := decimal(s.val("cbc:TaxableAmount"))
		tax, ok2 := decimal(s.val("cbc:TaxAmount"))
		pct, ok3 := decimal(cat.val("cbc:Percent"))
		if !ok1 || !ok2 || !ok3 {
			c.add("BR-CO-17", "VAT subtotal %s lacks a numeric taxable amount, VAT amount or rate", key)
			continue
		}
		sum := lineSums[key]
		if sum == nil {
			sum = new(big.Rat)
		}
		if sum.Cmp(taxable) != 0 {
			c.add("BR-"+id+"-08", "VAT subtotal %s taxable amount %s ≠ sum of its lines %s", key, taxable.FloatString(2), sum.FloatString(2))
		}
		want := new(big.Rat).Mul(taxable, new(big.Rat).Quo(pct, big.NewRat(100, 1)))
		if !within(tax, want, "1") { // the schematron allows one unit either way
			c.add("BR-"+id+"-09", "VAT subtotal %s amount %s is not %s %% of %s", key, tax.FloatString(2), pct.FloatString(2), taxable.FloatString(2))
		}
		if swedish && id == "S" && pct.Cmp(big.NewRat(25, 1)) != 0 && pct.Cmp(big.NewRat(12, 1)) != 0 && pct.Cmp(big.NewRat(6, 1)) != 0 {
			c.add("SE-R-006", "VAT rate %s %% is not a Swedish standard rate (25, 12, 6)", pct.FloatString(2))
		}
	}
	for key := range lineSums {
		if !seen[key] {
			c.add("BR-"+lineCategory[key]+"-01", "lines of VAT category %s have no VAT subtotal", key)
		}
	}
}

// categoryKey is a VAT category and its rate, "S 25", so that "25" and
// "25.00" are the same rate.
func categoryKey(cat *node) string {
	pct := cat.val("cbc:Percent")
	if d, ok := decimal(pct); ok {
		pct = strings.TrimRight(strings.TrimRight(d.FloatString(4), "0"), ".")
	}
	return cat.val("cbc:ID") + " " + pct
}

// payment: Bankgiro accounts (SE-R-008, SE-R-009) and the account a
// credit transfer names (BR-61).
func (c *checker) payment() {
	for _, pm := range c.root.all("cac:PaymentMeans") {
		code := pm.val("cbc:PaymentMeansCode")
		if code == "" {
			c.add("BR-49", "payment means has no type code")
		}
		acct := pm.val("cac:PayeeFinancialAccount/cbc:ID")
		if code == "30" && acct == "" {
			c.add("BR-61", "credit transfer names no payee account")
		}
		if code == "30" && pm.val("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == "SE:BANKGIRO" {
			if !allDigits.MatchString(acct) {
				c.add("SE-R-008", "Bankgiro account %q is not numeric", acct)
			}
			if len(acct) != 7 && len(acct) != 8 {
				c.add("SE-R-009", "Bankgiro account %q is not 7 or 8 characters", acct)
			}
		}
	}
}

// noEmptyElements: PEPPOL-EN16931-R008.
func (c *checker) noEmptyElements(n *node) {
	if len(n.kids) == 0 && strings.TrimSpace(n.text) == "" {
		c.add("PEPPOL-EN16931-R008", "element %s is empty", n.qname())
	}
	for _, k := range n.kids {
		c.noEmptyElements(k)
	}
}

var decimalPattern = regexp.MustCompile(`^-?\d+(\.\d+)?$`)

// decimal parses a UBL decimal ("1234.50") exactly.
func decimal(s string) (*big.Rat, bool) {
	if !decimalPattern.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// within reports whether a and b differ by at most tolerance.
func within(a, b *big.Rat, tolerance string) bool {
	tol, _ := new(big.Rat).SetString(tolerance)
	d := new(big.Rat).Sub(a, b)
	return d.Abs(d).Cmp(tol) <= 0
}
