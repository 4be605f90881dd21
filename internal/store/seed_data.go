package store

// The raw material of the seeded data set (see seed.go). Slices, never
// maps, so that walking them gives the same order and so the same data for
// the same seed.

// seedCustomerKind decides where a customer's machines stand and how its
// cases read.
type seedCustomerKind int

const (
	seedHousing  seedCustomerKind = iota // apartments and shared laundry rooms
	seedCare                             // care homes: departments and kitchens
	seedBusiness                         // kitchens, laundries, staff rooms
)

// seedCustomer is one customer of the data set; the first holds 60 % of
// the cases.
type seedCustomer struct {
	name, org string
	kind      seedCustomerKind
	cities    []string
	refs      []string // Fakturamärkning besides the generated cost centres
}

var seedCustomers = []seedCustomer{
	{"Hemfjärden Bostäder AB", "556410-2231", seedHousing, []string{"Skövde", "Falköping", "Tidaholm", "Hjo", "Skara", "Mariestad", "Lidköping"}, []string{"Ref Anna L", "Förvaltning Nord", "Förvaltning Syd"}},
	{"Lidköpings Hyresfastigheter AB", "556218-7740", seedHousing, []string{"Lidköping", "Götene"}, []string{"Ref Per O"}},
	{"Vård och omsorg, Skövde kommun", "212000-1678", seedCare, []string{"Skövde", "Tibro"}, []string{"Ansvar 7310", "Ansvar 7320"}},
	{"Falbygdens Bostadsstiftelse", "802456-1190", seedHousing, []string{"Falköping", "Vara"}, nil},
	{"Tidaholms Bostäder AB", "556301-4482", seedHousing, []string{"Tidaholm"}, []string{"Ref Eva S"}},
	{"Äldreboendet Lindgården", "212000-1546", seedCare, []string{"Mariestad"}, []string{"Ref Berit J"}},
	{"Hjo Fastighets AB", "556512-9013", seedHousing, []string{"Hjo", "Karlsborg"}, nil},
	{"Hotell Vänerport AB", "556677-3321", seedBusiness, []string{"Mariestad", "Lidköping"}, []string{"Kök", "Våningsservice"}},
	{"Götene Hyreshus AB", "556189-5567", seedHousing, []string{"Götene"}, nil},
	{"Vårdboendet Solbacken", "212000-1801", seedCare, []string{"Falköping"}, []string{"Ref Karin M"}},
	{"Tvätteriet Väst AB", "556734-2290", seedBusiness, []string{"Skövde", "Skara"}, []string{"Produktion", "Butik"}},
	{"Brf Solrosen i Skövde", "769612-4410", seedHousing, []string{"Skövde"}, []string{"Styrelsen"}},
	{"Töreboda kommun, Omsorg", "212000-1702", seedCare, []string{"Töreboda"}, []string{"Ansvar 5120"}},
	{"Restaurang Kvarnen i Skara AB", "556890-1123", seedBusiness, []string{"Skara"}, []string{"Kök"}},
	{"Brf Eken i Skara", "769620-1187", seedHousing, []string{"Skara"}, nil},
	{"Skaraborgs folkhögskola", "817605-3345", seedBusiness, []string{"Skövde", "Hjo"}, []string{"Internatet", "Skolköket"}},
	{"Förskolorna i Tibro kommun", "212000-1611", seedCare, []string{"Tibro"}, []string{"Ansvar 6100"}},
	{"Träningshuset i Falköping AB", "556923-7781", seedBusiness, []string{"Falköping"}, nil},
	{"Karlsborgs Camping AB", "556455-8812", seedBusiness, []string{"Karlsborg"}, []string{"Servicehuset"}},
	{"Brf Björken i Lidköping", "769633-9001", seedHousing, []string{"Lidköping"}, nil},
}

// seedPostal is the first three digits of each town's postal codes.
var seedPostal = []struct{ city, prefix string }{
	{"Skövde", "541"}, {"Falköping", "521"}, {"Lidköping", "531"}, {"Mariestad", "542"}, {"Tidaholm", "522"},
	{"Hjo", "544"}, {"Skara", "532"}, {"Götene", "533"}, {"Töreboda", "545"}, {"Tibro", "543"},
	{"Karlsborg", "546"}, {"Vara", "534"},
}

var seedStreetNames = []string{
	"Storgatan", "Kungsgatan", "Drottninggatan", "Skolgatan", "Kyrkogatan", "Järnvägsgatan", "Hantverkaregatan",
	"Åsgatan", "Östra Ringvägen", "Västra Ringvägen", "Norra Bergvägen", "Södra Allén", "Björkvägen", "Ekvägen",
	"Lindvägen", "Almvägen", "Lönnvägen", "Rönnvägen", "Granvägen", "Tallvägen", "Hasselvägen", "Syrenvägen",
	"Lärkgatan", "Svalgatan", "Trastvägen", "Måsvägen", "Ängsvägen", "Solvägen", "Månvägen", "Stjärnvägen",
	"Vasagatan", "Nygatan", "Torggatan", "Bryggaregatan", "Mejerigatan", "Smedjegatan", "Kvarngatan", "Dalvägen",
	"Backavägen", "Parkgatan", "Idrottsvägen", "Stationsvägen", "Billingsvägen", "Mössebergsvägen", "Vänersvägen",
	"Vätterstigen", "Hamngatan", "Strandvägen", "Sjögatan", "Fabriksgatan", "Industrigatan", "Lasarettsgatan",
	"Prästgårdsvägen", "Klostergatan", "Gärdesvägen", "Åkervägen", "Hagvägen", "Vallgatan", "Norrmalmsgatan",
	"Södermalmsgatan", "Österlånggatan", "Ågatan", "Bäckvägen", "Källvägen", "Tegelbruksgatan", "Mjölnaregatan",
	"Gjutaregatan", "Sandgatan", "Stengatan", "Furuvägen", "Enebacken", "Ljungvägen", "Blåbärsvägen", "Lingonvägen",
}

var seedFirstNames = []string{
	"Anna", "Eva", "Maria", "Karin", "Sara", "Kristina", "Lena", "Emma", "Ingrid", "Malin", "Linnea", "Elin",
	"Berit", "Margareta", "Birgitta", "Sofia", "Johanna", "Ida", "Åsa", "Märta", "Lars", "Per", "Erik", "Karl",
	"Anders", "Johan", "Mikael", "Nils", "Jan", "Lennart", "Björn", "Mats", "Oskar", "Gustav", "Olle", "Göran",
	"Sven", "Håkan", "Jörgen", "Ali", "Mohammed", "Fatima", "Amir", "Leyla", "Yusuf", "Noor", "Jonas", "Ulf",
}

var seedLastNames = []string{
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
	"Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Lundgren",
	"Berg", "Ström", "Åberg", "Öberg", "Sjöberg", "Hedlund", "Holm", "Bergström", "Ekström", "Dahlberg", "Hassan",
	"Ahmed", "Ali", "Nyström", "Wallin", "Björk", "Forsberg", "Engström", "Fransson", "Sandberg", "Lund", "Axelsson",
}

// seedTechnicians are the service technicians; each town has one of them
// as its usual technician.
var seedTechnicians = []string{
	"Tomas Lindqvist", "Ahmad Karimi", "Jenny Åström", "Patrik Söderberg", "Mats Holmgren", "Sanna Kjellberg",
	"Emil Forsman", "Kristoffer Nyberg", "Linda Bäckström", "Oscar Wennerberg",
}

var seedDispatchers = []string{"Maria Ekholm", "Johan Brandt"}

// seedBrand is a brand with the prefix of its models and spare parts.
type seedBrand struct{ name, prefix string }

var seedBrands = []seedBrand{
	{"Electrolux", "EW"}, {"Miele", "WM"}, {"Asko", "W"}, {"Bosch", "WA"}, {"Siemens", "WM"}, {"Whirlpool", "FW"},
	{"Cylinda", "FT"}, {"Husqvarna", "QW"}, {"Samsung", "WW"}, {"LG", "F4"}, {"Gorenje", "WN"},
}

// seedKind is a kind of machine: how common it is in an apartment, in a
// laundry room, in a care home and in a business (relative weights), the
// brands it comes in and its faults.
type seedKind struct {
	name                          string
	home, laundry, care, business int
	brands                        []int // indexes into seedBrands
	faults                        []seedFault
	location                      string
}

// seedFault is what a customer reports and what the technician did about
// it; part is empty when no spare part is needed.
type seedFault struct {
	title, description, diagnosis, fix, part string
	partOre                                  int64
}

var seedKinds = []seedKind{
	{"Tvättmaskin", 10, 10, 6, 3, []int{0, 1, 2, 3, 4, 5, 6, 9}, []seedFault{
		{"läcker vatten", "Maskinen läcker vatten under luckan under tvätt.", "Luckgummit sprucket", "Bytt luckgummi, provkört utan läckage.", "Luckbälg", 64900},
		{"pumpar inte ut vattnet", "Vatten står kvar i trumman efter avslutat program.", "Avloppspumpen blockerad och sliten", "Bytt avloppspump och rensat filter, provkört OK.", "Avloppspump", 89500},
		{"startar inte", "Inget händer när man trycker på start, displayen lyser.", "Lucklåset ger ingen signal", "Bytt luckås, provkört alla program.", "Luckås", 42900},
		{"låter mycket vid centrifugering", "Dånar och skakar kraftigt vid centrifugering.", "Trumlagren slitna", "Bytt trumlager och packbox, provkört.", "Lagersats", 138000},
		{"felkod E20", "Visar felkod E20 efter några minuter.", "Igensatt filter", "Rensat filter och slang, provkört OK.", "", 0},
		{"värmer inte vattnet", "Tvätten blir inte ren, vattnet är kallt.", "Värmeelementet trasigt", "Bytt värmeelement, kontrollerat temperaturen.", "Värmeelement", 74500},
	}, "Badrum"},
	{"Torktumlare", 5, 8, 4, 2, []int{0, 1, 2, 3, 4, 5}, []seedFault{
		{"torkar inte", "Tvätten är fuktig efter ett helt program.", "Fuktgivaren smutsig, kondensorn igensatt", "Rengjort kondensor och fuktgivare, provkört.", "", 0},
		{"blir inte varm", "Fläkten går men det blir aldrig varmt.", "Värmeslingan av", "Bytt värmeslinga och termostat.", "Värmeslinga", 98000},
		{"stannar efter några minuter", "Stannar och blinkar efter ca fem minuter.", "Överhettningsskyddet löser ut", "Bytt termostat och rensat luftvägar.", "Termostat", 38900},
		{"gnisslar", "Gnisslande ljud när trumman snurrar.", "Trumhjulen slitna", "Bytt trumhjul och drivrem.", "Trumhjul och rem", 51000},
	}, "Badrum"},
	{"Torkskåp", 0, 6, 3, 1, []int{0, 2, 6}, []seedFault{
		{"blir inte varmt", "Torkskåpet blir inte varmt.", "Elementet trasigt", "Bytt element, kontrollerat termostaten.", "Element torkskåp", 86000},
		{"timern fungerar inte", "Timern går inte att vrida, skåpet startar inte.", "Timern trasig", "Bytt timer.", "Timer", 45000},
	}, "Tvättstuga"},
	{"Diskmaskin", 8, 0, 4, 5, []int{0, 1, 2, 3, 4, 5, 6}, []seedFault{
		{"diskar inte rent", "Disken blir inte ren, beläggningar på glasen.", "Spolarmen igensatt", "Rensat spolarmar och filter, provkört.", "", 0},
		{"läcker", "Vatten på golvet framför maskinen.", "Dörrpackningen läcker", "Bytt dörrpackning, provkört utan läckage.", "Dörrpackning", 35900},
		{"tömmer inte", "Vatten står kvar i botten.", "Tömningspumpen trasig", "Bytt tömningspump.", "Tömningspump", 72000},
		{"felkod i20", "Visar i20 och piper.", "Blockerat avlopp", "Rensat avloppsslang och vattenlås, provkört OK.", "", 0},
	}, "Kök"},
	{"Kyl", 7, 0, 3, 4, []int{0, 3, 4, 6, 8, 10}, []seedFault{
		{"kyler inte", "Kylen är varm, maten blir dålig.", "Termostaten trasig", "Bytt termostat, temperaturen kontrollerad efter en timme.", "Termostat kyl", 48500},
		{"vatten i botten", "Det står vatten i botten av kylen.", "Igensatt dräneringshål", "Rensat dräneringen, kontrollerat funktionen.", "", 0},
		{"låter högt", "Surrande ljud dygnet runt.", "Fläktmotorn sliten", "Bytt fläktmotor.", "Fläktmotor", 61000},
	}, "Kök"},
	{"Frys", 5, 0, 2, 4, []int{0, 3, 4, 6, 8}, []seedFault{
		{"fryser inte", "Frysen håller bara minus fem grader.", "Kompressorn går inte igång", "Bytt startrelä, kompressorn startar, temperaturen OK.", "Startrelä", 32000},
		{"isbildning", "Kraftig isbildning runt luckan.", "Luckpackningen otät", "Bytt luckpackning och avfrostat.", "Luckpackning frys", 55000},
	}, "Kök"},
	{"Spis", 6, 0, 2, 2, []int{0, 2, 3, 4, 6}, []seedFault{
		{"en platta blir inte varm", "Bakre vänstra plattan blir inte varm.", "Plattan trasig", "Bytt kokplatta, kontrollerat alla plattor.", "Kokplatta", 69000},
		{"löser ut säkringen", "Säkringen går när spisen slås på.", "Jordfel i ugnselementet", "Bytt ugnselement, isolationsmätt OK.", "Ugnselement", 78000},
	}, "Kök"},
	{"Ugn", 3, 0, 2, 3, []int{0, 1, 3, 4}, []seedFault{
		{"blir inte varm", "Ugnen blir knappt varm.", "Övervärmeelementet av", "Bytt element, kontrollerat temperaturen.", "Ugnselement", 74000},
		{"luckan går inte att stänga", "Ugnsluckan hänger snett.", "Gångjärnen trasiga", "Bytt gångjärn på luckan.", "Gångjärn ugnslucka", 41000},
	}, "Kök"},
	{"Spishäll", 3, 0, 1, 2, []int{0, 1, 3, 4, 10}, []seedFault{
		{"en zon fungerar inte", "En kokzon på induktionshällen fungerar inte.", "Induktionsspolen trasig", "Bytt induktionsspole, provat alla zoner.", "Induktionsspole", 115000},
		{"felkod F", "Visar F och piper.", "Överhettad elektronik, fläkten igensatt", "Rengjort kylfläkt, kontrollerat funktionen.", "", 0},
	}, "Kök"},
	{"Mikrovågsugn", 2, 0, 2, 3, []int{0, 3, 8}, []seedFault{
		{"värmer inte", "Lampan lyser och tallriken snurrar men maten blir inte varm.", "Magnetronen trasig", "Bytt magnetron, läckagemätt OK.", "Magnetron", 68000},
	}, "Kök"},
	{"Kombiugn", 0, 0, 1, 3, []int{1, 3}, []seedFault{
		{"ångar inte", "Ångfunktionen fungerar inte.", "Ånggeneratorn förkalkad", "Avkalkat ånggenerator, bytt nivågivare.", "Nivågivare", 39000},
	}, "Storkök"},
	{"Mangel", 0, 2, 1, 1, []int{1, 0}, []seedFault{
		{"valsen snurrar inte", "Mangeln värmer men valsen står still.", "Drivremmen av", "Bytt drivrem, justerat.", "Drivrem mangel", 29000},
	}, "Tvättstuga"},
}

var seedNotes = []string{
	"Nås på mobilen efter klockan 16.", "Hund i lägenheten, ring innan ni kommer.", "Ring på porttelefonen.",
	"Hyresgästen är hemma på förmiddagar.", "Hämta nyckel på förvaltningskontoret.", "Felet kommer och går.",
	"Har hänt förut.", "Brådskande, många boende delar tvättstugan.", "Kontakta vaktmästaren vid ankomst.",
}
