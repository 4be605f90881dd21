package demo

import "kundportal/internal/repair"

// The tables below are the raw material of the demo data. They are slices,
// never maps, so that walking them always gives the same order and the same
// data for the same now.

// customerKind decides which machines a customer has and how its people
// write their service requests.
type customerKind int

const (
	housing  customerKind = iota // a housing company: tenants and laundry rooms
	careHome                     // a municipal care home: departments and rooms
	business                     // a commercial laundry
)

// customerRow is one demo customer.
type customerRow struct {
	number, name, org, invoice string
	rateOre                    int64
	kind                       customerKind
	refs                       []string // Fakturamärkning, reused across cases
}

var customerRows = []customerRow{
	{
		number: "K1001", name: "Solgårdens Bostäder AB", org: "556123-4567",
		invoice: "Solgårdens Bostäder AB, Fakturor, Box 420, 541 28 Skövde",
		rateOre: 62000, kind: housing,
		refs: []string{"KST 4410", "KST 4420", "KST 4430", "Ref Anna L"},
	},
	{
		number: "K1002", name: "Björkhagens äldreboende", org: "212000-1546",
		invoice: "Mariestads kommun, Björkhagens äldreboende, FE 214, 542 86 Mariestad",
		rateOre: 59500, kind: careHome,
		refs: []string{"Ref Berit J", "Ansvar 7310", "Ansvar 7320", "Ref 4471 Kök"},
	},
	{
		number: "K1003", name: "Tvätteriet i Lidköping AB", org: "556734-2216",
		invoice: "Tvätteriet i Lidköping AB, Fabriksgatan 9, 531 40 Lidköping",
		rateOre: 69500, kind: business,
		refs: []string{"Ref Lars N", "Order 4512", "Produktion", "Butik Götene"},
	},
}

// contractRow is a service agreement; years are relative to now's year so
// that the contracts are valid over the demo year whenever it is loaded.
type contractRow struct {
	customer int // index into customerRows
	seq      int // the number's serial part
	fromYear int // relative to now's year
	years    int // length; 0 means open-ended
	name     string
	rateOre  int64 // 0 means the customer's rate
}

var contractRows = []contractRow{
	{customer: 0, seq: 4, fromYear: -3, years: 5, name: "Serviceavtal vitvaror Skövde", rateOre: 58000},
	{customer: 0, seq: 11, fromYear: -2, years: 0, name: "Serviceavtal vitvaror Falköping, Tidaholm och Hjo"},
	{customer: 0, seq: 17, fromYear: -1, years: 3, name: "Tvättstugor, förebyggande underhåll", rateOre: 55000},
	{customer: 1, seq: 21, fromYear: -2, years: 4, name: "Ramavtal Mariestads kommun, vitvaror", rateOre: 59500},
	{customer: 1, seq: 32, fromYear: -1, years: 4, name: "Storkök och tvätteri Björkhagen"},
	{customer: 2, seq: 41, fromYear: -1, years: 2, name: "Service tvätteriutrustning", rateOre: 66000},
}

// person is one demo login.
type person struct {
	email, name, phone string
	role               repair.Role
	customer           int      // index into customerRows; -1 for staff
	cities             []string // a technician's home area; a customer user's area
}

// people lists every demo login; the first six are the ones DESIGN.md
// names. One of each customer's people is its customer admin.
var people = []person{
	{email: "anna@solgarden.example", name: "Anna Lindqvist", phone: "+46701234567", role: repair.RoleCustomerUser, customer: 0, cities: []string{"Skövde", "Tidaholm", "Hjo"}},
	{email: "berit@bjorkhagen.example", name: "Berit Johansson", phone: "+46730211456", role: repair.RoleCustomerUser, customer: 1},
	{email: "lars@tvatteriet.example", name: "Lars Nilsson", phone: "+46702893310", role: repair.RoleCustomerUser, customer: 2, cities: []string{"Lidköping", "Skara"}},
	{email: "disp@kundportal.example", name: "Disa Persson", phone: "+46500441201", role: repair.RoleDispatcher, customer: -1},
	{email: "tekniker@kundportal.example", name: "Tomas Ek", phone: "+46703381190", role: repair.RoleTechnician, customer: -1, cities: []string{"Skövde", "Hjo", "Tidaholm", "Mariestad"}},
	{email: "admin@kundportal.example", name: "Adam Berg", phone: "+46500441200", role: repair.RoleAdmin, customer: -1},
	{email: "mikael@solgarden.example", name: "Mikael Andersson", phone: "+46709921344", role: repair.RoleCustomerAdmin, customer: 0, cities: []string{"Falköping"}},
	{email: "leila@bjorkhagen.example", name: "Leila Karimi", phone: "+46501756214", role: repair.RoleCustomerAdmin, customer: 1},
	{email: "emma@tvatteriet.example", name: "Emma Gustafsson", phone: "+46738801265", role: repair.RoleCustomerAdmin, customer: 2, cities: []string{"Götene"}},
	{email: "tekniker2@kundportal.example", name: "Sara Holm", phone: "+46706642218", role: repair.RoleTechnician, customer: -1, cities: []string{"Lidköping", "Skara", "Götene"}},
	{email: "tekniker3@kundportal.example", name: "Jonas Wik", phone: "+46761194530", role: repair.RoleTechnician, customer: -1, cities: []string{"Falköping"}},
}

// building is one of the housing company's houses: a laundry room and
// apartments whose kitchens the company equips.
type building struct {
	block, street, postal, city, laundryPlace string
	contract                                  int // index into contractRows
	apartments                                int // appliances in apartments
	washers                                   int
	caretaker                                 string // fastighetsskötare, signs in the laundry room
}

var buildings = []building{
	{"Hertigen", "Hertig Johans gata 12", "541 30", "Skövde", "Tvättstuga källarplan", 0, 9, 3, "Göran Svensson"},
	{"Norra", "Vasagatan 21", "541 31", "Skövde", "Tvättstuga entréplan", 0, 8, 2, "Göran Svensson"},
	{"Ryd", "Ryds allé 7", "541 52", "Skövde", "Tvättstuga i gårdshuset", 0, 9, 3, "Peter Hansson"},
	{"Mörkekärr", "Mörkekärrsvägen 14", "541 57", "Skövde", "Tvättstuga källarplan", 0, 7, 2, "Peter Hansson"},
	{"Västerhöjd", "Västerhöjdsgatan 3", "541 39", "Skövde", "Tvättstuga källarplan", 0, 8, 2, "Göran Svensson"},
	{"Centrum", "Storgatan 28", "521 42", "Falköping", "Tvättstuga källarplan", 1, 8, 3, "Bengt Axelsson"},
	{"Dotorp", "Dotorpsgatan 5", "521 43", "Falköping", "Tvättstuga entréplan", 1, 7, 2, "Bengt Axelsson"},
	{"Ranliden", "Ranliden 3", "521 48", "Falköping", "Tvättstuga i gårdshuset", 1, 8, 2, "Bengt Axelsson"},
	{"Ekedal", "Ekedalsgatan 9", "522 30", "Tidaholm", "Tvättstuga källarplan", 1, 7, 2, "Kent Larsson"},
	{"Hamnen", "Bangårdsgatan 6", "544 30", "Hjo", "Tvättstuga källarplan", 1, 6, 2, "Kent Larsson"},
}

// careUnit is a department of the care home with its own kitchen and laundry.
type careUnit struct {
	name, street, phone string
}

var careStreet, carePostal, careCity = "Björkhagsvägen", "542 34", "Mariestad"

var departments = []careUnit{
	{"avd Regnbågen", "Björkhagsvägen 2", "+46501756230"},
	{"avd Solrosen", "Björkhagsvägen 2", "+46501756231"},
	{"avd Lärkan", "Björkhagsvägen 2", "+46501756232"},
	{"avd Linden", "Björkhagsvägen 4", "+46501756233"},
	{"avd Eken", "Björkhagsvägen 4", "+46501756234"},
}

var departmentKinds = []string{"Diskmaskin", "Kyl", "Frys", "Spis", "Mikrovågsugn", "Tvättmaskin", "Torktumlare"}

// apartmentKinds weighs what stands in a tenant's apartment.
var apartmentKinds = []weighted{
	{"Diskmaskin", 25}, {"Kyl/frys", 20}, {"Spis", 14}, {"Kyl", 8}, {"Frys", 8}, {"Häll", 6},
	{"Ugn", 6}, {"Köksfläkt", 8}, {"Mikrovågsugn", 4}, {"Tvättmaskin", 6}, {"Torktumlare", 2},
}

type weighted struct {
	value  string
	weight int
}

// brandModel lists plausible models of one brand for one kind of machine;
// pro marks commercial machines for laundry rooms, kitchens and laundries.
type brandModel struct {
	kind, brand string
	pro         bool
	models      []string
}

var brandModels = []brandModel{
	{"Tvättmaskin", "Electrolux", false, []string{"EW6F5248G4", "EW7F3846OF", "EW8F8669Q8"}},
	{"Tvättmaskin", "ASKO", false, []string{"W4086C.W/3", "W6098X.W/3", "W2084C.W/3"}},
	{"Tvättmaskin", "Bosch", false, []string{"WAN28258SN", "WGG244A9SN", "WAU28TL9SN"}},
	{"Tvättmaskin", "Miele", false, []string{"WWD320 WCS", "WCA030 WCS", "WWG360 WCS"}},
	{"Tvättmaskin", "Siemens", false, []string{"WM14N2E8DN", "WM14UQ69DN"}},
	{"Tvättmaskin", "Samsung", false, []string{"WW80T534DAE", "WW90T554DAW"}},
	{"Tvättmaskin", "LG", false, []string{"F4WR509SBW", "F4WV709P1E"}},
	{"Tvättmaskin", "Cylinda", false, []string{"FT 5372 NA", "FT 4374 H"}},
	{"Tvättmaskin", "Whirlpool", false, []string{"FFB 8458 WV EE", "W6 W945WB EE"}},
	{"Tvättmaskin", "Grundig", false, []string{"GW5P58H", "GW7P79419W"}},
	{"Tvättmaskin", "Wascator", true, []string{"FOM 71 CLS", "W4105H", "W4240H"}},
	{"Tvättmaskin", "Electrolux", true, []string{"WH6-8", "WH6-11", "WH6-20"}},
	{"Tvättmaskin", "Miele", true, []string{"PW 6080", "PWM 912"}},

	{"Torktumlare", "Electrolux", false, []string{"EW8H458B", "EW7H438B"}},
	{"Torktumlare", "ASKO", false, []string{"T208H.W/3", "T408HD.W/3"}},
	{"Torktumlare", "Bosch", false, []string{"WTH85V0SN", "WQG245A9SN"}},
	{"Torktumlare", "Miele", false, []string{"TWD 360 WP", "TCA 230 WP"}},
	{"Torktumlare", "Siemens", false, []string{"WT45W4E8DN"}},
	{"Torktumlare", "Samsung", false, []string{"DV80T5220AE"}},
	{"Torktumlare", "LG", false, []string{"RH80V9AV4N"}},
	{"Torktumlare", "Cylinda", false, []string{"TT 8374 VP"}},
	{"Torktumlare", "Wascator", true, []string{"TT300", "T4290"}},
	{"Torktumlare", "Electrolux", true, []string{"TD6-7", "TD6-20", "T4650"}},
	{"Torktumlare", "Miele", true, []string{"PT 7186", "PDR 908"}},

	{"Torkskåp", "Electrolux", false, []string{"TS 1700 S", "TS 1800"}},
	{"Torkskåp", "ASKO", false, []string{"DC7784V.W", "DC7774V.W"}},
	{"Torkskåp", "Cylinda", false, []string{"TS 175", "TS 185"}},
	{"Torkskåp", "Miele", false, []string{"TMV 840 WP"}},
	{"Torkskåp", "Electrolux", true, []string{"DC6-7", "DC6-14"}},
	{"Torkskåp", "ASKO", true, []string{"DC7784HP.W", "DC7794HP"}},

	{"Diskmaskin", "Bosch", false, []string{"SMV46KX01E", "SMS4HTI45E", "SMV4HCX48E"}},
	{"Diskmaskin", "Siemens", false, []string{"SN63HX60AE", "SN23HW60AE"}},
	{"Diskmaskin", "ASKO", false, []string{"DFI444B/1", "DBI364IB.S", "DFS244IB.W/1"}},
	{"Diskmaskin", "Electrolux", false, []string{"ESF5535LOW", "EEM48321L", "ESL5343LO"}},
	{"Diskmaskin", "Miele", false, []string{"G 5050 SCVi", "G 7100 SC", "G 5210 SC"}},
	{"Diskmaskin", "Cylinda", false, []string{"DM 556 VI", "DI 1860"}},
	{"Diskmaskin", "Whirlpool", false, []string{"WIO 3T133 PEL", "WFC 3C33 PF"}},
	{"Diskmaskin", "Samsung", false, []string{"DW60M6050BB"}},
	{"Diskmaskin", "Grundig", false, []string{"GNV41822"}},
	{"Diskmaskin", "Miele", true, []string{"PG 8059", "PFD 101 i"}},
	{"Diskmaskin", "Electrolux", true, []string{"EUCAIDW", "HT 9000"}},

	{"Kyl", "Electrolux", false, []string{"LRB3DE18S", "ERT1601AOW3", "LRT5MF38W0"}},
	{"Kyl", "Bosch", false, []string{"KSV36VWEP", "KSV36AIDP"}},
	{"Kyl", "Siemens", false, []string{"KS36VVIEP", "KS36VAWEP"}},
	{"Kyl", "Cylinda", false, []string{"K 2185 HE", "K 2385 E"}},
	{"Kyl", "ASKO", false, []string{"R23841W", "R2282I"}},
	{"Kyl", "Samsung", false, []string{"RR39M7565WW"}},
	{"Kyl", "Husqvarna", false, []string{"QR2485W", "QRT4622W"}},
	{"Kyl", "Whirlpool", false, []string{"SW8 AM2Y WR 2"}},
	{"Kyl", "Electrolux", true, []string{"RE471FN", "ECO 2.0 R"}},

	{"Frys", "Electrolux", false, []string{"LUT6NE18S", "EUT1105AW2"}},
	{"Frys", "Bosch", false, []string{"GSN36VWEP", "GSN36AIEP"}},
	{"Frys", "Siemens", false, []string{"GS36NVIEP"}},
	{"Frys", "Cylinda", false, []string{"F 2185 HE", "F 2385 NFE"}},
	{"Frys", "ASKO", false, []string{"FN23841W"}},
	{"Frys", "Samsung", false, []string{"RZ32M7125WW"}},
	{"Frys", "Husqvarna", false, []string{"QF2485W"}},
	{"Frys", "Whirlpool", false, []string{"UW8 F2Y WBI F 2"}},
	{"Frys", "Electrolux", true, []string{"RE471FF"}},

	{"Kyl/frys", "Electrolux", false, []string{"LNT5MF32W0", "LNT7ME34X2"}},
	{"Kyl/frys", "Bosch", false, []string{"KGN39VWEB", "KGE36AWCA"}},
	{"Kyl/frys", "Siemens", false, []string{"KG39NVIEC", "KG36VVWEA"}},
	{"Kyl/frys", "Samsung", false, []string{"RB34T602EWW", "RB38T605CWW"}},
	{"Kyl/frys", "LG", false, []string{"GBB72PZEFN", "GBB61SWJMN"}},
	{"Kyl/frys", "Cylinda", false, []string{"KF 3185 NFE", "KF 2385 E"}},
	{"Kyl/frys", "Whirlpool", false, []string{"W7 931T W", "W5 911E OX"}},
	{"Kyl/frys", "Husqvarna", false, []string{"QRT4662W"}},

	{"Spis", "Electrolux", false, []string{"EKC6051BOW", "EKI6450AOX", "LKI564200X"}},
	{"Spis", "Husqvarna", false, []string{"QSIG356W", "QSI362HW"}},
	{"Spis", "Cylinda", false, []string{"SK 6363 RF", "SIK 6363 RF"}},
	{"Spis", "Bosch", false, []string{"HKR39C220", "HLN39A020"}},
	{"Spis", "Grundig", false, []string{"GEIM 52100 W"}},
	{"Spis", "Electrolux", true, []string{"E9ECEH4QE0", "EKI6771AOX"}},

	{"Ugn", "Electrolux", false, []string{"EOF5C50BX", "KOEDH70X", "EOB3400BOX"}},
	{"Ugn", "Bosch", false, []string{"HBA574BR0", "HBG672BS1S"}},
	{"Ugn", "Siemens", false, []string{"HB317GBS0", "HB578ABS0S"}},
	{"Ugn", "Miele", false, []string{"H 2265-1 B", "H 7264 B"}},
	{"Ugn", "ASKO", false, []string{"OP8637S", "OCS8456S"}},
	{"Ugn", "Husqvarna", false, []string{"QOE2231X"}},
	{"Ugn", "Electrolux", true, []string{"SkyLine 6 GN 1/1", "Air-O-Steam 10 GN"}},

	{"Häll", "Electrolux", false, []string{"HOB730F", "EIV63440BW", "LIT60336"}},
	{"Häll", "Bosch", false, []string{"PIE631FB1E", "PUE611BB5E"}},
	{"Häll", "Siemens", false, []string{"EH631BEB1E", "EU631BEB5E"}},
	{"Häll", "ASKO", false, []string{"HI1655G", "HID654GC"}},
	{"Häll", "Cylinda", false, []string{"IH 1360", "IH 1760"}},

	{"Mikrovågsugn", "Samsung", false, []string{"MS23K3513AW", "MG23K3515AK"}},
	{"Mikrovågsugn", "Electrolux", false, []string{"EMS26004OW", "EMZ421MMK"}},
	{"Mikrovågsugn", "Whirlpool", false, []string{"MWP 253 W", "MWF 420 SL"}},
	{"Mikrovågsugn", "LG", false, []string{"MS2336GIW", "MH6535GIS"}},
	{"Mikrovågsugn", "Grundig", false, []string{"GMI 11311 X", "GMS 2020 W"}},
	{"Mikrovågsugn", "Bosch", false, []string{"BFL524MS0", "FFL023MS2"}},

	{"Köksfläkt", "Electrolux", false, []string{"LFV616K", "EFV616K", "LFT766X"}},
	{"Köksfläkt", "Bosch", false, []string{"DWB66DM50", "DFS067A51"}},
	{"Köksfläkt", "Siemens", false, []string{"LC66BBM50", "LI67RA530"}},
	{"Köksfläkt", "ASKO", false, []string{"CW4924S", "CC4927S"}},
	{"Köksfläkt", "Husqvarna", false, []string{"QCD5020W", "QCF5090W"}},
	{"Köksfläkt", "Cylinda", false, []string{"Slim 60 vit", "FV 1120"}},
	{"Köksfläkt", "Electrolux", true, []string{"Kåpa 1200 rostfri"}},
}

// partPrefix is the article number prefix of a brand's spare parts.
var partPrefix = []struct{ brand, prefix string }{
	{"Electrolux", "EL"}, {"Husqvarna", "EL"}, {"Wascator", "WA"}, {"ASKO", "AS"}, {"Cylinda", "AS"},
	{"Bosch", "BS"}, {"Siemens", "BS"}, {"Miele", "MI"}, {"Whirlpool", "WH"}, {"Samsung", "SA"},
	{"LG", "LG"}, {"Grundig", "GR"},
}

// fix is one way a fault gets repaired; a part, when named, goes on the
// cost lines and may have to be ordered.
type fix struct {
	action   string
	minutes  int
	part     string
	priceKr  int64
	diagnose string // what the technician writes when the part must be ordered
}

// fault is a kind of trouble a machine has, with the short text that goes
// into the case title after the town and the machine.
type fault struct {
	title, text string
	fixes       []fix
}

type kindFaults struct {
	kinds  []string
	faults []fault
}

var faultTable = []kindFaults{
	{[]string{"Tvättmaskin"}, []fault{
		{"läcker vatten", "Det läcker vatten under maskinen när den tvättar.", []fix{
			{"Bytt dörrpackning, provkört OK", 60, "Dörrpackning", 450, "Dörrpackningen är sprucken"},
			{"Bytt slang mellan doseringsfack och tvättkar, provkört OK", 75, "Slang doseringsfack", 320, "Slangen från doseringsfacket läcker"},
			{"Dragit åt slangklämma på avloppsslangen, provkört utan läckage", 40, "", 0, ""},
		}},
		{"tömmer inte", "Vatten står kvar i trumman efter avslutat program.", []fix{
			{"Rensat pumpfilter, hittade strumpa och mynt. Provkört OK", 35, "", 0, ""},
			{"Bytt avloppspump, provkört OK", 70, "Avloppspump", 890, "Avloppspumpen är trasig"},
		}},
		{"startar inte", "Maskinen startar inte, displayen lyser men inget händer.", []fix{
			{"Bytt dörrlås, provkört OK", 60, "Dörrlås", 620, "Dörrlåset låser inte"},
			{"Bytt styrkort, programmerat och provkört", 120, "Styrkort", 2350, "Styrkortet är defekt"},
		}},
		{"centrifugerar inte", "Tvätten är dyblöt efter avslutat program.", []fix{
			{"Bytt kolborstar i motorn, provkört OK", 90, "Kolborstar motor (par)", 380, "Kolborstarna är nedslitna"},
			{"Bytt drivrem, provkört OK", 50, "Drivrem", 290, "Drivremmen har gått av"},
		}},
		{"låter mycket", "Maskinen låter kraftigt och vandrar vid centrifugering.", []fix{
			{"Bytt kullager och tätning, provkört OK", 180, "Lagersats med tätning", 1450, "Kullagren är slitna"},
			{"Tagit bort BH-bygel mellan trumma och kar, provkört OK", 45, "", 0, ""},
		}},
		{"värmer inte", "Tvätten blir inte varm, kallt vatten även på 60 grader.", []fix{
			{"Bytt värmeelement, provkört OK", 70, "Värmeelement 1950 W", 780, "Värmeelementet är avbrunnet"},
			{"Bytt NTC-givare, provkört OK", 50, "NTC-givare", 340, "Temperaturgivaren visar fel"},
		}},
		{"går inte att öppna", "Luckan går inte att öppna efter avslutat program.", []fix{
			{"Nödöppnat luckan och bytt dörrlås, provkört OK", 60, "Dörrlås", 620, "Dörrlåset har hängt sig"},
		}},
		{"visar felkod", "Maskinen stannar mitt i programmet och visar felkod.", []fix{
			{"Läst ut felkod, rensat slang till nivåvakten. Provkört OK", 50, "", 0, ""},
			{"Bytt nivåvakt, provkört OK", 60, "Nivåvakt", 480, "Nivåvakten ger fel signal"},
		}},
	}},
	{[]string{"Torktumlare"}, []fault{
		{"torkar inte", "Tvätten är fortfarande blöt när programmet är klart.", []fix{
			{"Bytt värmeelement, provkört OK", 70, "Värmeelement", 850, "Värmeelementet är trasigt"},
			{"Rengjort kondensor och fuktsensor, provkört OK", 45, "", 0, ""},
			{"Bytt överhettningsskydd, provkört OK", 50, "Överhettningsskydd", 260, "Överhettningsskyddet har löst ut och går inte att återställa"},
		}},
		{"stannar efter några minuter", "Startar men stannar efter några minuter.", []fix{
			{"Rensat luddfilter och frånluftskanal, provkört OK", 40, "", 0, ""},
			{"Bytt fläktmotor, provkört OK", 90, "Fläktmotor", 1250, "Fläktmotorn går varm och stannar"},
		}},
		{"trumman snurrar inte", "Det brummar men trumman står still.", []fix{
			{"Bytt drivrem och spännhjul, provkört OK", 60, "Drivrem med spännhjul", 410, "Drivremmen har gått av"},
		}},
		{"luddfilter trasigt", "Luddfiltret har gått sönder, går inte att sätta tillbaka.", []fix{
			{"Bytt luddfilter", 30, "Luddfilter", 220, ""},
		}},
		{"låter mycket", "Gnisslar och skrapar när trumman går.", []fix{
			{"Bytt trumhjul och filtpackning, provkört OK", 90, "Trumhjul med filtpackning", 540, "Trumhjulen är slitna"},
		}},
	}},
	{[]string{"Torkskåp"}, []fault{
		{"blir inte varmt", "Skåpet blir inte varmt, tvätten torkar inte.", []fix{
			{"Bytt värmeelement, provkört OK", 60, "Värmeelement torkskåp", 690, "Värmeelementet är trasigt"},
			{"Bytt termostat, provkört OK", 45, "Termostat", 420, "Termostaten slår inte till"},
		}},
		{"fläkten går inte", "Fläkten startar inte när timern vrids på.", []fix{
			{"Bytt fläktmotor, provkört OK", 70, "Fläktmotor", 980, "Fläktmotorn har skurit"},
		}},
		{"timern fungerar inte", "Timern går inte att vrida på, skåpet startar inte.", []fix{
			{"Bytt timer, provkört OK", 50, "Timer 0-180 min", 560, "Timern är trasig"},
		}},
		{"dörren stänger inte", "Dörren hänger snett och går inte att stänga.", []fix{
			{"Justerat dörren och bytt gångjärn", 40, "Gångjärn", 180, ""},
		}},
	}},
	{[]string{"Diskmaskin"}, []fault{
		{"tömmer inte", "Vatten står kvar i botten efter avslutat program.", []fix{
			{"Rensat sil och slang, provkört OK", 40, "", 0, ""},
			{"Bytt avloppspump, provkört OK", 60, "Avloppspump", 760, "Avloppspumpen är trasig"},
		}},
		{"läcker vatten", "Det blir vatten på golvet framför maskinen.", []fix{
			{"Bytt dörrpackning, provkört OK", 45, "Dörrpackning", 390, "Dörrpackningen är hård och sprucken"},
			{"Bytt packning på cirkulationspumpen, provkört OK", 90, "Packning cirkulationspump", 210, "Packningen på cirkulationspumpen läcker"},
			{"Justerat maskinens höjd och lutning, provkört utan läckage", 35, "", 0, ""},
		}},
		{"diskar inte rent", "Disken blir inte ren, matrester kvar på tallrikarna.", []fix{
			{"Rengjort spolarmar och filter, provkört OK", 40, "", 0, ""},
			{"Bytt nedre spolarm, provkört OK", 30, "Spolarm nedre", 290, ""},
		}},
		{"värmer inte", "Disken blir inte varm och torkar inte.", []fix{
			{"Bytt värmepump, provkört OK", 90, "Värmepump", 1650, "Värmepumpen är trasig"},
			{"Bytt värmeelement, provkört OK", 75, "Värmeelement", 980, "Värmeelementet är trasigt"},
		}},
		{"startar inte", "Maskinen går inte att starta, lamporna blinkar.", []fix{
			{"Bytt dörrlås med mikrobrytare, provkört OK", 45, "Dörrlås", 450, "Dörrlåsets mikrobrytare är trasig"},
			{"Bytt styrkort, provkört OK", 90, "Styrkort", 2150, "Styrkortet är defekt"},
		}},
		{"visar felkod", "Maskinen piper och visar felkod, läckageskyddet har löst ut.", []fix{
			{"Torkat ur bottentråget, bytt läckande inloppsslang. Provkört OK", 70, "Inloppsslang", 420, "Inloppsslangen läcker"},
		}},
	}},
	{[]string{"Kyl", "Kyl/frys"}, []fault{
		{"kyler inte", "Kylen håller bara 12 grader, maten blir dålig.", []fix{
			{"Bytt termostat, provkört. 5 grader efter två timmar", 60, "Termostat", 480, "Termostaten är trasig"},
			{"Bytt startrelä på kompressorn, provkört OK", 60, "Startrelä", 350, "Startreläet är trasigt"},
		}},
		{"vatten i botten", "Det samlas vatten under grönsakslådorna.", []fix{
			{"Rensat dräneringshål och ränna, provkört", 30, "", 0, ""},
		}},
		{"lampan lyser inte", "Lampan i kylen lyser inte.", []fix{
			{"Bytt LED-lampa", 30, "LED-lampa kyl", 250, ""},
		}},
		{"dörrpackningen trasig", "Dörrpackningen har släppt, dörren sluter inte tätt.", []fix{
			{"Bytt dörrpackning", 45, "Dörrpackning kyl", 540, "Dörrpackningen måste beställas"},
		}},
		{"låter mycket", "Kylen brummar och surrar högt hela tiden.", []fix{
			{"Bytt fläktmotor i kylen, provkört OK", 50, "Fläktmotor", 620, "Fläktmotorn har slitna lager"},
			{"Justerat kompressorns upphängning, ljudnivån normal", 30, "", 0, ""},
		}},
	}},
	{[]string{"Frys", "Kyl/frys"}, []fault{
		{"fryser inte", "Frysen håller bara minus 5 grader.", []fix{
			{"Bytt startrelä, provkört. Minus 18 grader efter fyra timmar", 60, "Startrelä", 350, "Startreläet är trasigt"},
			{"Bytt termostat, provkört OK", 60, "Termostat frys", 520, "Termostaten är trasig"},
		}},
		{"frostar igen", "Mycket is i frysen, lådorna går inte att stänga.", []fix{
			{"Avfrostat och bytt dörrpackning", 75, "Dörrpackning frys", 590, "Dörrpackningen sluter inte"},
		}},
		{"larmar", "Frysen piper och larmar för hög temperatur.", []fix{
			{"Bytt temperaturgivare, provkört OK", 45, "Temperaturgivare", 290, "Temperaturgivaren är trasig"},
			{"Rengjort kondensorn, provkört OK", 30, "", 0, ""},
		}},
	}},
	{[]string{"Spis"}, []fault{
		{"platta fungerar inte", "En av plattorna blir inte varm.", []fix{
			{"Bytt kokplatta, provkört OK", 45, "Kokplatta 180 mm", 690, "Kokplattan är avbrunnen"},
			{"Bytt effektregulator till plattan, provkört OK", 40, "Effektregulator", 420, "Effektregulatorn är trasig"},
		}},
		{"ugnen värmer inte", "Ugnen blir inte varm, plattorna fungerar.", []fix{
			{"Bytt undervärmeelement, provkört OK", 50, "Undervärmeelement", 560, "Undervärmeelementet är avbrunnet"},
			{"Bytt övervärmeelement, provkört OK", 50, "Övervärmeelement", 610, "Övervärmeelementet är avbrunnet"},
		}},
		{"säkringen går", "Säkringen går när ugnen slås på.", []fix{
			{"Mätt upp element, bytt jordfelande ugnselement. Provkört OK", 60, "Ugnselement", 650, "Ugnselementet har jordfel"},
		}},
		{"vred trasigt", "Vredet till en platta har gått sönder.", []fix{
			{"Bytt vred", 30, "Vred", 160, ""},
		}},
		{"ugnsluckan stänger inte", "Ugnsluckan går inte att stänga ordentligt.", []fix{
			{"Bytt gångjärn på ugnsluckan, provkört OK", 50, "Gångjärn ugnslucka (par)", 480, "Gångjärnen är böjda"},
		}},
	}},
	{[]string{"Ugn"}, []fault{
		{"värmer inte", "Ugnen blir inte varm.", []fix{
			{"Bytt varmluftselement, provkört OK", 50, "Varmluftselement", 590, "Varmluftselementet är trasigt"},
			{"Bytt termostat, provkört OK", 50, "Ugnstermostat", 540, "Termostaten är trasig"},
		}},
		{"ugnslampan lyser inte", "Lampan i ugnen lyser inte.", []fix{
			{"Bytt ugnslampa", 30, "Ugnslampa 25 W", 150, ""},
		}},
		{"fläkten låter", "Fläkten i ugnen gnisslar högt.", []fix{
			{"Bytt varmluftsfläkt, provkört OK", 60, "Fläktmotor varmluft", 890, "Fläktmotorn har slitna lager"},
		}},
		{"luckan stänger inte", "Ugnsluckan glappar och stänger inte.", []fix{
			{"Bytt gångjärn på luckan, provkört OK", 50, "Gångjärn ugnslucka (par)", 480, "Gångjärnen är trasiga"},
		}},
	}},
	{[]string{"Häll"}, []fault{
		{"en zon fungerar inte", "En av zonerna blir inte varm.", []fix{
			{"Bytt induktionsgenerator, provkört OK", 90, "Induktionsgenerator", 2450, "Induktionsgeneratorn är trasig"},
			{"Bytt kontaktdon och dragit åt anslutning, provkört OK", 40, "", 0, ""},
		}},
		{"visar felkod", "Hällen piper och visar felkod, stänger av sig.", []fix{
			{"Rengjort kylfläkten under hällen, provkört OK", 40, "", 0, ""},
		}},
		{"sprucken glaskeramik", "Glaset på hällen har spruckit.", []fix{
			{"Bytt glaskeramikskiva, provkört OK", 120, "Glaskeramikskiva", 2500, "Glaskeramikskivan måste beställas"},
		}},
	}},
	{[]string{"Mikrovågsugn"}, []fault{
		{"värmer inte", "Mikron går men maten blir inte varm.", []fix{
			{"Bytt magnetron, provkört OK", 50, "Magnetron", 890, "Magnetronen är trasig"},
			{"Bytt säkring och dörrbrytare, provkört OK", 40, "Dörrbrytare", 190, ""},
		}},
		{"gnistrar", "Det gnistrar inne i mikron.", []fix{
			{"Bytt glimmerplatta och rengjort, provkört OK", 30, "Glimmerplatta", 150, ""},
		}},
		{"tallriken snurrar inte", "Glastallriken står still.", []fix{
			{"Bytt tallriksmotor, provkört OK", 30, "Tallriksmotor", 240, ""},
		}},
	}},
	{[]string{"Köksfläkt"}, []fault{
		{"suger dåligt", "Fläkten drar nästan ingenting, os i köket.", []fix{
			{"Rengjort fettfilter och bytt kolfilter", 30, "Kolfilter", 390, ""},
			{"Rensat imkanal och backspjäll, provkört OK", 50, "", 0, ""},
		}},
		{"lampan lyser inte", "Belysningen i fläkten fungerar inte.", []fix{
			{"Bytt LED-belysning", 30, "LED-lampa fläkt", 260, ""},
		}},
		{"motorn går inte", "Fläkten startar inte på något läge.", []fix{
			{"Bytt fläktmotor, provkört OK", 70, "Fläktmotor", 1350, "Fläktmotorn är trasig"},
		}},
		{"låter mycket", "Fläkten skramlar och låter högt.", []fix{
			{"Bytt fläkthjul, provkört OK", 45, "Fläkthjul", 480, "Fläkthjulet är sprucket"},
		}},
	}},
}

// Notes people add to a service request, by who writes it.
var (
	tenantNotes = []string{
		"Hyresgäst har kollat sil.", "Har hund, ring innan.", "Har katt, se till att dörren hålls stängd.",
		"Hyresgästen är hemma efter kl 15.", "Ring hyresgästen en halvtimme innan.",
		"Nyckel finns hos fastighetsskötaren.", "Hyresgästen talar engelska.", "Hyresgästen har provat att starta om maskinen.",
		"Äldre hyresgäst, ring och presentera er innan.", "Hyresgästen vill bli kontaktad via sms.",
	}
	laundryNotes = []string{
		"Upptäckt vid tillsyn av fastighetsskötaren.", "Flera hyresgäster har klagat.", "Lapp satt på maskinen.",
		"Tvättstugan är bokad, men det går bra att komma ändå.", "Maskinen är avstängd tills vidare.",
		"Fastighetsskötaren finns på plats tisdagar och torsdagar.",
	}
	careNotes = []string{
		"Personalen har startat om maskinen utan resultat.", "Ring avdelningen innan besök.",
		"Anmäl er i receptionen.", "Boende på rummet, personal följer med in.",
		"Brådskande, avdelningen har ingen annan maskin.", "Nyckelbricka hämtas i receptionen.",
	}
	businessNotes = []string{
		"Maskinen står, påverkar produktionen. Brådskande.", "Felkod i displayen, foto finns.",
		"Kontakta Lars innan ni kommer.", "Maskinen går i två skift, helst besök före kl 10.",
		"Har hänt förut, se tidigare ärende.", "Lastkaj på baksidan, ring på klockan.",
	}
	cancelNotes = []string{
		"Kunden har löst felet själv", "Dubbelanmälan, se tidigare ärende", "Hyresgästen avbokade besöket",
		"Maskinen ska bytas ut, ingen reparation", "Felet gick inte att återskapa, kunden hör av sig igen",
	}
	internalNotes = []string{
		"Tog med gammal del för reklamation till leverantör",
		"Kunden ville ha kostnadsförslag innan reparation, godkänt per telefon",
		"Maskinen är gammal, föreslå utbyte vid nästa fel",
		"Svårt att komma åt, två personer behövs nästa gång",
	}
)

// Names of tenants, care staff and the like.
var (
	firstNames = []string{
		"Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Mikael", "Lena",
		"Per", "Emma", "Peter", "Kristina", "Fredrik", "Elin", "Daniel", "Ingrid", "Mohammed", "Ahmed",
		"Fatima", "Amina", "Ali", "Hanna", "Oscar", "Linnea", "Gunnel", "Sven", "Birgitta", "Jonas",
		"Ulla", "Kerstin", "Nils", "Aida", "Jovana", "Mehmet", "Tiina", "Ebba", "Yusuf", "Marta", "Göran",
	}
	lastNames = []string{
		"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
		"Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg",
		"Lindqvist", "Berg", "Axelsson", "Sandberg", "Hassan", "Ali", "Yilmaz", "Ahmadi", "Nguyen",
		"Virtanen", "Kovacevic", "Abdi", "Holm", "Ek", "Strand", "Åberg", "Sjöberg", "Lundgren",
	}
)
