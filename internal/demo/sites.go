package demo

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"kundportal/internal/repair"
)

// reportersIn picks the customer's users who report faults in city: those
// whose area names it, or all of them when none does.
func reportersIn(cp *customerPlan, city string) []*repair.User {
	var out []*repair.User
	for i, u := range cp.users {
		if slices.Contains(cp.areas[i], city) {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return cp.users
	}
	return out
}

// housing gives the housing company its laundry rooms and apartments.
func (g *generator) housing(cp *customerPlan) {
	for bi, b := range buildings {
		laundryContract := g.contracts[b.contract]
		if bi%2 == 0 {
			laundryContract = g.contracts[2] // the laundry-room maintenance agreement
		}
		ref := cp.row.refs[0]
		switch b.city {
		case "Falköping":
			ref = cp.row.refs[1]
		case "Tidaholm", "Hjo":
			ref = cp.row.refs[2]
		}
		lr := &site{
			cust: cp, kind: laundryRoom, name: "Tvättstuga " + b.block, street: b.street, postal: b.postal, city: b.city,
			phone1: phoneOf(b.caretaker), access: g.doorCode(0.6), contact: b.caretaker, ref: ref,
			reporters: reportersIn(cp, b.city), contract: laundryContract,
		}
		for range b.washers {
			g.addAsset(lr, "Tvättmaskin", true, b.laundryPlace)
		}
		g.addAsset(lr, "Torktumlare", true, b.laundryPlace)
		g.addAsset(lr, "Torkskåp", g.r.IntN(2) == 0, b.laundryPlace)

		used := map[string]bool{}
		for n := 0; n < b.apartments; {
			lgh := fmt.Sprintf("%d%02d", 10+g.r.IntN(5), 1+g.r.IntN(4))
			if used[lgh] {
				continue
			}
			used[lgh] = true
			tenant := g.name()
			ap := &site{
				cust: cp, kind: apartment, name: tenant, street: b.street + ", lgh " + lgh, postal: b.postal, city: b.city,
				phone1: g.mobile(), access: g.tenantAccess(), contact: tenant, ref: ref,
				reporters: reportersIn(cp, b.city), contract: g.contracts[b.contract],
			}
			if g.r.IntN(5) == 0 {
				ap.phone2 = g.mobile()
			}
			for range 1 + g.r.IntN(4)/3 {
				kind := g.weightedKind(apartmentKinds)
				place := "Kök lgh " + lgh
				if kind == "Tvättmaskin" || kind == "Torktumlare" {
					place = "Badrum lgh " + lgh
				}
				g.addAsset(ap, kind, false, place)
				n++
			}
		}
	}
}

// careHome gives the care home its departments, central kitchen, laundry
// and a few residents' fridges.
func (g *generator) careHome(cp *customerPlan) {
	reception := "+46501756200"
	staff := func() string { return g.name() }
	frameContract, kitchenContract := g.contracts[3], g.contracts[4]
	for i, d := range departments {
		ref := cp.row.refs[1]
		if d.street != departments[0].street {
			ref = cp.row.refs[2]
		}
		s := &site{
			cust: cp, kind: department, name: "Björkhagens äldreboende " + d.name, street: d.street, postal: carePostal, city: careCity,
			phone1: d.phone, phone2: reception, access: "Nej", contact: staff(), ref: ref,
			reporters: cp.users, contract: frameContract,
		}
		for _, kind := range departmentKinds {
			place := "Avdelningskök"
			if kind == "Tvättmaskin" || kind == "Torktumlare" {
				place = "Tvättrum"
			}
			g.addAsset(s, kind, kind == "Diskmaskin" && i%2 == 0, place)
		}
	}
	kitchen := &site{
		cust: cp, kind: careKitchen, name: "Björkhagens äldreboende centralkök", street: careStreet + " 2", postal: carePostal, city: careCity,
		phone1: "+46501756240", phone2: reception, access: "Nej", contact: staff(), ref: cp.row.refs[3],
		reporters: cp.users, contract: kitchenContract,
	}
	for _, kind := range []string{"Diskmaskin", "Ugn", "Ugn", "Spis", "Kyl", "Kyl", "Frys", "Köksfläkt"} {
		g.addAsset(kitchen, kind, true, "Centralkök")
	}
	laundry := &site{
		cust: cp, kind: careKitchen, name: "Björkhagens äldreboende tvätteri", street: careStreet + " 4", postal: carePostal, city: careCity,
		phone1: "+46501756245", phone2: reception, access: "Ja", contact: staff(), ref: cp.row.refs[0],
		reporters: cp.users, contract: kitchenContract,
	}
	for _, kind := range []string{"Tvättmaskin", "Tvättmaskin", "Torktumlare", "Torktumlare", "Torkskåp"} {
		g.addAsset(laundry, kind, true, "Tvätteri källarplan")
	}
	for _, room := range []int{3, 7, 12, 14, 21} {
		d := departments[room%3]
		s := &site{
			cust: cp, kind: careRoom, name: "Björkhagens äldreboende " + d.name, street: fmt.Sprintf("%s, rum %d", d.street, room),
			postal: carePostal, city: careCity, phone1: d.phone, phone2: reception, access: "Ja", contact: staff(),
			ref: cp.row.refs[0], reporters: cp.users, contract: frameContract,
		}
		g.addAsset(s, "Kyl", false, fmt.Sprintf("Rum %d", room))
	}
}

// laundry gives the commercial laundry its machine hall, break room, shop
// and self-service laundromat.
func (g *generator) laundry(cp *customerPlan) {
	k := g.contracts[5]
	lars, emma := cp.users[0], cp.users[1]
	hall := &site{
		cust: cp, kind: production, name: "Tvätteriet i Lidköping, produktion", street: "Fabriksgatan 9", postal: "531 40", city: "Lidköping",
		phone1: "+46510228140", phone2: lars.Phone, access: "Nej", contact: lars.Name, ref: cp.row.refs[2],
		reporters: []*repair.User{lars}, contract: k,
	}
	for i := range 8 {
		g.addAsset(hall, "Tvättmaskin", true, fmt.Sprintf("Tvätthall, maskin %d", i+1))
	}
	for i := range 5 {
		g.addAsset(hall, "Torktumlare", true, fmt.Sprintf("Torkrum, tumlare %d", i+1))
	}
	for i := range 2 {
		g.addAsset(hall, "Torkskåp", true, fmt.Sprintf("Torkrum, skåp %d", i+1))
	}
	staff := &site{
		cust: cp, kind: staffRoom, name: "Tvätteriet i Lidköping, personalrum", street: "Fabriksgatan 9", postal: "531 40", city: "Lidköping",
		phone1: "+46510228140", access: "Nej", contact: lars.Name, ref: cp.row.refs[0], reporters: []*repair.User{lars},
	}
	for _, kind := range []string{"Diskmaskin", "Kyl/frys", "Mikrovågsugn", "Spis"} {
		g.addAsset(staff, kind, false, "Personalrum")
	}
	skara := &site{
		cust: cp, kind: shop, name: "Tvätteriet Skara, utlämning", street: "Skolgatan 11", postal: "532 31", city: "Skara",
		phone1: "+46511312260", phone2: lars.Phone, access: "Nej", contact: g.name(), ref: cp.row.refs[1],
		reporters: []*repair.User{lars}, contract: k,
	}
	for _, kind := range []string{"Tvättmaskin", "Tvättmaskin", "Torktumlare"} {
		g.addAsset(skara, kind, true, "Butik, bakre rum")
	}
	gotene := &site{
		cust: cp, kind: shop, name: "Tvättomaten Götene", street: "Storgatan 40", postal: "533 30", city: "Götene",
		phone1: emma.Phone, access: "Portkod 2580", contact: emma.Name, ref: cp.row.refs[3],
		reporters: []*repair.User{emma}, contract: k,
	}
	for i, kind := range []string{"Tvättmaskin", "Tvättmaskin", "Tvättmaskin", "Torktumlare", "Torktumlare"} {
		g.addAsset(gotene, kind, true, fmt.Sprintf("Självtvätt, plats %d", i+1))
	}
}

// addAsset puts a machine of kind at s with the next asset number.
func (g *generator) addAsset(s *site, kind string, pro bool, location string) {
	brand, model := g.model(kind, pro)
	// Installed before the demo year, so that no case predates its machine.
	installed := g.today.AddDate(0, 0, -370-g.r.IntN(12*365))
	ap := &assetPlan{site: s, contract: s.contract, a: repair.Asset{
		Number:       fmt.Sprintf("%d", 100001+len(g.assets)),
		Kind:         kind,
		Brand:        brand,
		Model:        model,
		SerialNumber: g.serial(brand),
		SiteName:     s.name,
		Street:       s.street,
		PostalCode:   s.postal,
		City:         s.city,
		Location:     location,
		InstalledOn:  installed.Format(time.DateOnly),
	}}
	if s.contract != nil {
		ap.a.ContractNumber = s.contract.Number
	}
	g.assets = append(g.assets, ap)
}

// model picks a brand and model for kind, among commercial machines when pro
// (falling back to household ones where no commercial model is listed).
func (g *generator) model(kind string, pro bool) (brand, model string) {
	var fits []brandModel
	for _, bm := range brandModels {
		if bm.kind == kind && bm.pro == pro {
			fits = append(fits, bm)
		}
	}
	if len(fits) == 0 {
		return g.model(kind, false)
	}
	bm := fits[g.r.IntN(len(fits))]
	return bm.brand, bm.models[g.r.IntN(len(bm.models))]
}

// serial makes a serial number in the style the brand prints on its plates.
func (g *generator) serial(brand string) string {
	d := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + g.r.IntN(10))
		}
		return string(b)
	}
	letters := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + g.r.IntN(26))
		}
		return string(b)
	}
	switch brand {
	case "Electrolux", "Husqvarna", "Wascator":
		return d(8)
	case "Bosch", "Siemens":
		return "FD" + fmt.Sprintf("%d%02d", 88+g.r.IntN(18), 1+g.r.IntN(12)) + "-" + d(6)
	case "Miele":
		return d(9)
	case "ASKO", "Cylinda":
		return d(3) + " " + d(5)
	case "Samsung":
		return "0" + letters(3) + d(1) + letters(3) + d(6) + letters(1)
	case "LG":
		return d(3) + letters(4) + d(5)
	case "Whirlpool":
		return d(12)
	}
	return letters(1) + d(10)
}

// name is a random person's name.
func (g *generator) name() string {
	return firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
}

// mobile is a random Swedish mobile number in E.164.
func (g *generator) mobile() string {
	prefixes := []string{"70", "72", "73", "76", "79"}
	return fmt.Sprintf("+46%s%07d", prefixes[g.r.IntN(len(prefixes))], g.r.IntN(10_000_000))
}

// phoneOf is a mobile number that always belongs to the named person.
func phoneOf(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("+4670%07d", h.Sum32()%10_000_000)
}

// doorCode is a door code with probability p, otherwise "Ja".
func (g *generator) doorCode(p float64) string {
	if g.r.Float64() < p {
		return fmt.Sprintf("Portkod %04d", 1000+g.r.IntN(9000))
	}
	return "Ja"
}

// tenantAccess is whether the master key may be used at a tenant's.
func (g *generator) tenantAccess() string {
	switch x := g.r.IntN(10); {
	case x < 5:
		return "Ja"
	case x < 8:
		return "Nej"
	}
	return g.doorCode(1)
}

// weightedKind picks from a weighted table.
func (g *generator) weightedKind(table []weighted) string {
	total := 0
	for _, w := range table {
		total += w.weight
	}
	n := g.r.IntN(total)
	for _, w := range table {
		if n < w.weight {
			return w.value
		}
		n -= w.weight
	}
	return table[len(table)-1].value
}
