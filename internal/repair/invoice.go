package repair

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Invoice money, for issue 13's invoice runs: integer öre throughout. Each
// line's amount is rounded to the öre first; VAT is computed on the sum of
// the lines of each rate and rounded once per rate; the total to pay is
// rounded to whole kronor (öresavrundning, halves away from zero so that a
// credit note mirrors its invoice), and the rounding is a line of its own. The parts always reconcile exactly: the lines sum to the total
// ex VAT, and total ex VAT + VAT + rounding = to pay.

// VATRate is a VAT rate in hundredths of a per cent (2500 = 25 %), stored
// per line so that other rates (12 %, 6 %, 0 %) can be invoiced beside it.
type VATRate int64

// Swedish VAT rates.
const (
	VATStandard VATRate = 2500 // 25 %: repairs, parts, travel
	VATReduced  VATRate = 1200
	VATLow      VATRate = 600
	VATNone     VATRate = 0
)

// Valid reports whether r is one of the Swedish rates.
func (r VATRate) Valid() bool {
	return r == VATStandard || r == VATReduced || r == VATLow || r == VATNone
}

// Label is the rate as an invoice prints it: "25 %".
func (r VATRate) Label() string {
	if r%100 == 0 {
		return fmt.Sprintf("%d %%", r/100)
	}
	return fmt.Sprintf("%d,%02d %%", r/100, r%100)
}

// roundDiv is n / d rounded to the nearest integer, halves away from zero,
// so that a credit is exactly the negative of the invoice it corrects.
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -roundDiv(-n, d)
	}
	return (n + d/2) / d
}

// VATOn is the VAT at rate r on an amount ex VAT, rounded to the öre.
func VATOn(amountOre int64, r VATRate) int64 { return roundDiv(amountOre*int64(r), 10000) }

// InvoiceLine is one line of an invoice: a quantity at a unit price, with
// its VAT rate. A credit note's lines have negative quantities.
type InvoiceLine struct {
	QuantityMilli int64
	UnitPriceOre  int64
	Rate          VATRate
}

// Amount is the line's amount ex VAT, rounded to the öre.
func (l InvoiceLine) Amount() int64 { return LineAmount(l.QuantityMilli, l.UnitPriceOre) }

// VATTotal is the sum of one rate's lines and the VAT on it.
type VATTotal struct {
	Rate        VATRate
	AmountOre   int64 // the lines' sum ex VAT
	VATOre      int64
	LinesOfRate int
}

// InvoiceTotals are an invoice's sums.
type InvoiceTotals struct {
	ByRate      []VATTotal // by rate, highest first
	NetOre      int64      // total ex VAT: the sum of the lines
	VATOre      int64      // the sum of each rate's VAT
	RoundingOre int64      // öresavrundning: to pay minus (net + VAT), at most 50 öre either way
	ToPayOre    int64      // whole kronor
}

// Totals sums lines into an invoice's totals.
func Totals(lines []InvoiceLine) (InvoiceTotals, error) {
	var t InvoiceTotals
	by := map[VATRate]*VATTotal{}
	for i, l := range lines {
		if !l.Rate.Valid() {
			return t, fmt.Errorf("repair: invoice line %d: VAT rate %d is not a Swedish rate", i+1, l.Rate)
		}
		vt := by[l.Rate]
		if vt == nil {
			vt = &VATTotal{Rate: l.Rate}
			by[l.Rate] = vt
		}
		a := l.Amount()
		vt.AmountOre += a
		vt.LinesOfRate++
		t.NetOre += a
	}
	for _, vt := range by {
		vt.VATOre = VATOn(vt.AmountOre, vt.Rate)
		t.VATOre += vt.VATOre
		t.ByRate = append(t.ByRate, *vt)
	}
	slices.SortFunc(t.ByRate, func(a, b VATTotal) int { return int(b.Rate - a.Rate) })
	gross := t.NetOre + t.VATOre
	t.ToPayOre = roundDiv(gross, 100) * 100
	t.RoundingOre = t.ToPayOre - gross
	return t, nil
}

// Invoice is an issued invoice or credit note, as frozen when it was
// issued: the customer's name and address, the period, the totals and a
// copy of every line.
type Invoice struct {
	ID, CustomerID int64
	Number         string
	CreditsID      int64  // a credit note's original; 0 for an invoice
	CreditsNumber  string // the original's number, read with the credit note
	// CreditedByID and CreditedBy are an invoice's credit note, if it has
	// been credited.
	CreditedByID   int64
	CreditedBy     string
	InvoiceDate    string
	DueDate        string
	PeriodFrom     string // first day, inclusive
	PeriodTo       string // last day, inclusive
	CustomerName   string
	OrgNumber      string
	InvoiceAddress string
	Totals         InvoiceTotals
	CreatedBy      int64
	CreatedAt      time.Time
	Lines          []InvoicedLine
}

// PeriodLabel is the invoice's period in words: "november 2026" for a
// calendar month, else its first and last day.
func (inv Invoice) PeriodLabel() string {
	from, err1 := time.Parse(time.DateOnly, inv.PeriodFrom)
	to, err2 := time.Parse(time.DateOnly, inv.PeriodTo)
	if err1 == nil && err2 == nil && from.Day() == 1 && to.Equal(from.AddDate(0, 1, -1)) {
		return MonthName(from.Month()) + " " + from.Format("2006")
	}
	return inv.PeriodFrom + " – " + inv.PeriodTo
}

// InvoicedLine is one cost line on an invoice, with what the
// specification groups and shows it by, copied from the case, the work
// order and the machine when the invoice was issued.
type InvoicedLine struct {
	WorkOrderID, CaseID int64
	CaseNumber          string
	WorkOrderNumber     string
	CaseTitle           string
	AssetNumber         string
	Street              string
	InvoiceReference    string
	ContractNumber      string
	CompletedOn         string
	Kind                CostKind
	Description         string
	InvoiceLine
	AmountOre int64
	// InvoiceNumber is, for work read live rather than from an invoice,
	// the invoice that billed it; "" when none has yet.
	InvoiceNumber string
}

// AddressLines are the lines of a free-text address, trimmed and without
// empty ones. An address typed on one line with commas, "Solgårdens
// Bostäder AB, Box 420, 541 28 Skövde", is split at its commas, as an
// envelope would print it.
func AddressLines(text string) []string {
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 1 && strings.Contains(lines[0], ", ") {
		lines = strings.Split(lines[0], ", ")
		lines = slices.DeleteFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "" })
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
	}
	return lines
}

// InvoiceTerms is how long a customer has to pay.
const InvoiceTerms = 30 // days
