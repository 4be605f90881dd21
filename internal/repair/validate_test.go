package repair

import (
	"fmt"
	"strings"
	"testing"
)

func validInput() CaseInput {
	return CaseInput{
		Title: "Skövde Diskmaskin tömmer inte", Description: "Hyresgäst har kollat sil.\r\nHar hund, ring innan.",
		SiteName: "Bokens äldreboende avd Regnbågen", Street: "Hertig Johans gata 12 lgh 1102",
		ReporterName: "Anna Lindqvist", ReporterPhone: "070-123 45 67", SitePhone1: "08-123 456 78", SitePhone2: "+46 70 123 45 68",
		PostalCode: "54130", City: "Skövde", Access: "Portkod", DoorCode: "1234", ContractNumber: "AV-2024-017", InvoiceReference: "KST 4410",
	}
}

func TestValidateNormalises(t *testing.T) {
	c, fe := validInput().Validate()
	if len(fe) != 0 {
		t.Fatalf("Validate(valid) = %v, want no errors", fe)
	}
	checks := map[string][2]string{
		"ReporterPhone": {c.ReporterPhone, "+46701234567"},
		"SitePhone1":    {c.SitePhone1, "+46812345678"},
		"SitePhone2":    {c.SitePhone2, "+46701234568"},
		"PostalCode":    {c.PostalCode, "541 30"},
		"Access":        {c.Access, "Portkod 1234"},
		"Description":   {c.Description, "Hyresgäst har kollat sil.\nHar hund, ring innan."},
	}
	for name, v := range checks {
		if v[0] != v[1] {
			t.Errorf("Validate: %s = %q, want %q", name, v[0], v[1])
		}
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*CaseInput)
		field string
	}{
		{"empty title", func(in *CaseInput) { in.Title = "  " }, FieldTitle},
		{"empty description", func(in *CaseInput) { in.Description = "" }, FieldDescription},
		{"empty street", func(in *CaseInput) { in.Street = "" }, FieldStreet},
		{"empty reporter", func(in *CaseInput) { in.ReporterName = "" }, FieldReporterName},
		{"empty reporter phone", func(in *CaseInput) { in.ReporterPhone = "" }, FieldReporterPhone},
		{"empty postal code", func(in *CaseInput) { in.PostalCode = "" }, FieldPostalCode},
		{"empty city", func(in *CaseInput) { in.City = "" }, FieldCity},
		{"title too long", func(in *CaseInput) { in.Title = strings.Repeat("å", MaxTitle+1) }, FieldTitle},
		{"description too long", func(in *CaseInput) { in.Description = strings.Repeat("x", MaxDescription+1) }, FieldDescription},
		{"NUL in title", func(in *CaseInput) { in.Title = "Skövde\x00" }, FieldTitle},
		{"newline in street", func(in *CaseInput) { in.Street = "Gata 1\nSet-Cookie: x" }, FieldStreet},
		{"bidi override", func(in *CaseInput) { in.ReporterName = "Anna \u202eabc" }, FieldReporterName},
		{"invalid UTF-8", func(in *CaseInput) { in.SiteName = "\xff\xfe" }, FieldSiteName},
		{"letters as phone", func(in *CaseInput) { in.ReporterPhone = "ring mig" }, FieldReporterPhone},
		{"too short phone", func(in *CaseInput) { in.SitePhone1 = "070" }, FieldSitePhone1},
		{"too long phone", func(in *CaseInput) { in.SitePhone2 = "070-123 45 67 89 01 23" }, FieldSitePhone2},
		{"postal code letters", func(in *CaseInput) { in.PostalCode = "ABC DE" }, FieldPostalCode},
		{"postal code 4 digits", func(in *CaseInput) { in.PostalCode = "5413" }, FieldPostalCode},
		{"postal code leading 0", func(in *CaseInput) { in.PostalCode = "012 34" }, FieldPostalCode},
		{"unknown access", func(in *CaseInput) { in.Access = "Kanske" }, FieldAccess},
		{"door code missing", func(in *CaseInput) { in.DoorCode = "" }, FieldDoorCode},
		{"door code too long", func(in *CaseInput) { in.DoorCode = strings.Repeat("1", MaxDoorCode+1) }, FieldDoorCode},
		{"door code with Ja", func(in *CaseInput) { in.Access = AccessYes }, FieldDoorCode},
		{"door code with Nej", func(in *CaseInput) { in.Access = AccessNo }, FieldDoorCode},
		{"door code with no choice", func(in *CaseInput) { in.Access = "" }, FieldDoorCode},
		{"reference too long", func(in *CaseInput) { in.InvoiceReference = strings.Repeat("K", MaxReference+1) }, FieldInvoiceReference},
		{"contract too long", func(in *CaseInput) { in.ContractNumber = strings.Repeat("A", MaxContract+1) }, FieldContractNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			_, fe := in.Validate()
			if fe[tt.field] == "" {
				t.Errorf("Validate: no message for %s; got %v", tt.field, fe)
			}
			if len(fe) != 1 {
				t.Errorf("Validate: %d messages %v, want only %s", len(fe), fe, tt.field)
			}
		})
	}
}

// TestValidateAccess: Portkod is read with the choice Portkod only; an
// empty or blank code with another choice is no code at all.
func TestValidateAccess(t *testing.T) {
	tests := []struct{ access, code, want string }{
		{"", "", ""},
		{"", "   ", ""},
		{AccessYes, "", "Ja"},
		{AccessNo, " \t", "Nej"},
		{AccessDoorCode, " 1234 ", "Portkod 1234"},
	}
	for _, tt := range tests {
		in := validInput()
		in.Access, in.DoorCode = tt.access, tt.code
		c, fe := in.Validate()
		if len(fe) != 0 || c.Access != tt.want {
			t.Errorf("Validate(access %q, code %q) = %q, %v; want %q", tt.access, tt.code, c.Access, fe, tt.want)
		}
	}
}

func TestFillFromAsset(t *testing.T) {
	a := Asset{SiteName: "Lgh 1102", Street: "Storgatan 1", PostalCode: "541 30", City: "Skövde", ContractNumber: "AV-1"}
	in := CaseInput{Street: "Hertig Johans gata 12", PostalCode: "54130", City: "  skövde ", ContractNumber: ""}
	in.FillFromAsset(a)
	if in.SiteName != a.SiteName || in.ContractNumber != a.ContractNumber {
		t.Errorf("FillFromAsset: empty fields = %q, %q; want the machine's", in.SiteName, in.ContractNumber)
	}
	if in.Street != "Hertig Johans gata 12" || in.PostalCode != "54130" || in.City != "  skövde " {
		t.Errorf("FillFromAsset overwrote typed values: %+v", in)
	}
	offers := in.AssetOffers(a)
	if len(offers) != 1 || offers[FieldStreet] != a.Street {
		t.Errorf("AssetOffers = %v, want only Gata (Postnr and Ort differ only in spacing and case)", offers)
	}
	if !in.UseAssetValue(a, FieldStreet) || in.Street != a.Street || len(in.AssetOffers(a)) != 0 {
		t.Errorf("after UseAssetValue(Gata): %q, offers %v", in.Street, in.AssetOffers(a))
	}
	if in.UseAssetValue(a, FieldTitle) {
		t.Error("UseAssetValue(title) = true, want only the machine's fields")
	}
	// A machine that knows nothing offers nothing.
	if got := (CaseInput{Street: "X"}).AssetOffers(Asset{}); len(got) != 0 {
		t.Errorf("AssetOffers(empty machine) = %v", got)
	}
}

func TestValidateAllFieldsAtOnce(t *testing.T) {
	_, fe := CaseInput{}.Validate()
	for _, f := range []string{FieldTitle, FieldDescription, FieldStreet, FieldReporterName, FieldReporterPhone, FieldPostalCode, FieldCity} {
		if fe[f] == "" {
			t.Errorf("Validate(empty): no message for required %s", f)
		}
	}
}

func TestHourlyRate(t *testing.T) {
	c := Customer{HourlyRateOre: 65000}
	ks := []Contract{{Number: "AV-1", HourlyRateOre: 59000}, {Number: "AV-2"}}
	tests := map[string]int64{"AV-1": 59000, "av-1": 59000, "AV-2": 65000, "": 65000, "AV-9": 65000}
	for n, want := range tests {
		if got := HourlyRate(c, ks, n); got != want {
			t.Errorf("HourlyRate(%q) = %d, want %d", n, got, want)
		}
	}
}

// TestEveryTransition checks the whole status matrix, so a change to the
// rules is a deliberate change to this table.
func TestEveryTransition(t *testing.T) {
	allowed := map[Status][]Status{
		StatusRegistered:   {StatusReceived, StatusPlanned, StatusCancelled},
		StatusReceived:     {StatusPlanned, StatusInProgress, StatusCancelled},
		StatusPlanned:      {StatusInProgress, StatusAwaitingPart, StatusCompleted, StatusCancelled},
		StatusInProgress:   {StatusPlanned, StatusAwaitingPart, StatusCompleted, StatusCancelled},
		StatusAwaitingPart: {StatusPlanned, StatusInProgress, StatusCompleted, StatusCancelled},
		StatusCompleted:    {StatusInvoiced, StatusInProgress},
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			want := false
			for _, s := range allowed[from] {
				want = want || s == to
			}
			if got := CanTransition(from, to); got != want {
				t.Errorf("CanTransition(%s, %s) = %v, want %v", from.Label(), to.Label(), got, want)
			}
		}
	}
	woAllowed := map[WorkOrderStatus][]WorkOrderStatus{
		WorkOrderPlanned:    {WorkOrderInProgress, WorkOrderDone, WorkOrderCancelled},
		WorkOrderInProgress: {WorkOrderPlanned, WorkOrderDone, WorkOrderCancelled},
		WorkOrderDone:       {WorkOrderInProgress},
		WorkOrderCancelled:  {WorkOrderPlanned},
	}
	all := []WorkOrderStatus{WorkOrderPlanned, WorkOrderInProgress, WorkOrderDone, WorkOrderCancelled}
	for _, from := range all {
		for _, to := range all {
			want := false
			for _, s := range woAllowed[from] {
				want = want || s == to
			}
			if got := CanTransitionWorkOrder(from, to); got != want {
				t.Errorf("CanTransitionWorkOrder(%s, %s) = %v, want %v", from.Label(), to.Label(), got, want)
			}
		}
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{StatusRegistered, StatusReceived, true},
		{StatusRegistered, StatusCompleted, false},
		{StatusReceived, StatusPlanned, true},
		{StatusPlanned, StatusAwaitingPart, true},
		{StatusAwaitingPart, StatusInProgress, true},
		{StatusInProgress, StatusCompleted, true},
		{StatusCompleted, StatusInvoiced, true},
		{StatusCompleted, StatusRegistered, false},
		{StatusInvoiced, StatusCancelled, false},
		{StatusCancelled, StatusReceived, false},
		{StatusPlanned, StatusCancelled, true},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to); got != tt.ok {
			t.Errorf("CanTransition(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := []struct{ qty, price, want int64 }{
		{1000, 65000, 65000},
		{1500, 65000, 97500},
		{333, 100, 33}, // 33.3 öre rounds down
		{335, 100, 34}, // 33.5 rounds half away from zero
		{-1500, 1001, -1502},
	}
	for _, tt := range tests {
		if got := LineAmount(tt.qty, tt.price); got != tt.want {
			t.Errorf("LineAmount(%d, %d) = %d, want %d", tt.qty, tt.price, got, tt.want)
		}
	}
	if got := VAT(12345); got != 3086 {
		t.Errorf("VAT(12345) = %d, want 3086", got)
	}
}

// NormalizePhone remembers the numbers it took: asked again, it gives the
// same answer, a number it refused it refuses again, and it keeps giving
// the right answers after its memory has started over.
func TestNormalizePhoneRemembers(t *testing.T) {
	for round := range 2 {
		for _, tc := range []struct{ in, want string }{
			{"070-123 45 67", "+46701234567"},
			{"0500-44 12 00", "+46500441200"},
			{"+47 22 12 34 56", "+4722123456"},
		} {
			for range 2 {
				if got, err := NormalizePhone(tc.in); err != nil || got != tc.want {
					t.Errorf("round %d: NormalizePhone(%q) = %q, %v; want %q", round, tc.in, got, err, tc.want)
				}
			}
		}
		for range 2 {
			if got, err := NormalizePhone("070-12"); err == nil {
				t.Errorf("round %d: NormalizePhone(070-12) = %q, want an error", round, got)
			}
		}
		for i := range maxPhones {
			NormalizePhone(fmt.Sprintf("0701%06d", i))
		}
	}
}
