package repair

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTotalsRoundingEdges(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		lines                     []InvoiceLine
		net, vat, rounding, toPay int64
	}{
		{"nothing", nil, 0, 0, 0, 0},
		// 1,5 h at 590 kr = 885 kr; VAT 221,25 kr; 1 106,25 → 1 106 kr.
		{"labour", []InvoiceLine{{1500, 59000, VATStandard}}, 88500, 22125, -25, 110600},
		// 0,333 × 10,01 kr = 3,33333 kr → 333 öre; VAT 83,25 → 83 öre; 4,16 kr → 4 kr.
		{"a line rounded to the öre first", []InvoiceLine{{333, 1001, VATStandard}}, 333, 83, -16, 400},
		// Exactly half an öre of VAT rounds away from zero: 0,02 kr × 25 % = 0,5 öre.
		{"half an öre of VAT", []InvoiceLine{{1000, 2, VATStandard}}, 2, 1, -3, 0},
		// 50 öre rounds up to the next krona, 49 down.
		{"50 öre up", []InvoiceLine{{1000, 40, VATStandard}}, 40, 10, 50, 100},
		{"49 öre down", []InvoiceLine{{1000, 39, VATStandard}, {1000, 100, VATNone}}, 139, 10, -49, 100},
		// VAT per rate, each rounded once.
		{"two rates", []InvoiceLine{{1000, 10001, VATStandard}, {1000, 10001, VATReduced}, {1000, 5000, VATNone}}, 25002, 2500 + 1200, -2, 28700},
		// A credit rounds like its invoice, mirrored: −0,50 kr to −1 kr.
		{"a credit's 50 öre", []InvoiceLine{{-1000, 40, VATStandard}}, -40, -10, -50, -100},
	} {
		got, err := Totals(tc.lines)
		if err != nil {
			t.Fatal(err)
		}
		if got.NetOre != tc.net || got.VATOre != tc.vat || got.RoundingOre != tc.rounding || got.ToPayOre != tc.toPay {
			t.Errorf("%s: net %d vat %d rounding %d to pay %d; want %d %d %d %d", tc.name,
				got.NetOre, got.VATOre, got.RoundingOre, got.ToPayOre, tc.net, tc.vat, tc.rounding, tc.toPay)
		}
	}
	if _, err := Totals([]InvoiceLine{{1000, 100, 1900}}); err == nil {
		t.Error("a 19 % rate was accepted")
	}
}

// TestTotalsReconcile: for random invoices, the lines sum to the total ex
// VAT, each rate's VAT sums to the VAT, net + VAT + rounding is to pay,
// to pay is whole kronor, the rounding at most half a krona, and a
// credit note of the same lines is exactly the negative.
func TestTotalsReconcile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rates := []VATRate{VATStandard, VATReduced, VATLow, VATNone}
	for range 5000 {
		var lines, credit []InvoiceLine
		for range 1 + rng.IntN(12) {
			l := InvoiceLine{QuantityMilli: int64(1 + rng.IntN(5000)), UnitPriceOre: int64(rng.IntN(200000)), Rate: rates[rng.IntN(len(rates))]}
			lines = append(lines, l)
			credit = append(credit, InvoiceLine{QuantityMilli: -l.QuantityMilli, UnitPriceOre: l.UnitPriceOre, Rate: l.Rate})
		}
		tot, err := Totals(lines)
		if err != nil {
			t.Fatal(err)
		}
		var sum, vat int64
		for _, l := range lines {
			sum += l.Amount()
		}
		for _, r := range tot.ByRate {
			vat += r.VATOre
		}
		if sum != tot.NetOre || vat != tot.VATOre || tot.NetOre+tot.VATOre+tot.RoundingOre != tot.ToPayOre ||
			tot.ToPayOre%100 != 0 || tot.RoundingOre < -50 || tot.RoundingOre > 50 {
			t.Fatalf("%+v does not reconcile for %+v", tot, lines)
		}
		ct, _ := Totals(credit)
		if ct.NetOre != -tot.NetOre || ct.VATOre != -tot.VATOre || ct.ToPayOre != -tot.ToPayOre || ct.RoundingOre != -tot.RoundingOre {
			t.Fatalf("credit %+v is not the negative of %+v", ct, tot)
		}
	}
}

func TestInvoicePeriodLabel(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"2026-11-01", "2026-11-30", "november 2026"},
		{"2026-02-01", "2026-02-28", "februari 2026"},
		{"2026-02-01", "2026-02-27", "2026-02-01 – 2026-02-27"},
		{"2026-01-15", "2026-02-14", "2026-01-15 – 2026-02-14"},
	} {
		if got := (Invoice{PeriodFrom: c.from, PeriodTo: c.to}).PeriodLabel(); got != c.want {
			t.Errorf("%s–%s: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func TestAddressLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Solgårdens Bostäder AB, Fakturor, Box 420, 541 28 Skövde", []string{"Solgårdens Bostäder AB", "Fakturor", "Box 420", "541 28 Skövde"}},
		{"Björkhagen\r\n  Box 1 \n\n541 00 Skövde", []string{"Björkhagen", "Box 1", "541 00 Skövde"}},
		{"Kök, plan 2\nBox 1", []string{"Kök, plan 2", "Box 1"}}, // lines typed: commas stay
		{"", nil},
	} {
		if got := AddressLines(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}
