// Package demo fills an empty database with deterministic Swedish demo data:
// three customers in Skaraborg with about two hundred machines, a year of
// service cases with work orders, actions, costs, photos and signed delivery
// notes, and a login for every role. The same now always gives the same
// data, so the README, screenshots and browser tests can rely on it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/filestore"
	"kundportal/internal/orders"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Password is the password of every demo login.
const Password = "demo1234"

// TOTPSecret is the two-factor key of the demo's dispatcher and admin,
// whose roles must sign in with a code: published in the README, to add
// to an authenticator app (or: oathtool --totp -b KEY).
const TOTPSecret = "KUNDPORTALDEMOTVASTEGSNYCKEL2345"

// SetUpTwoFactor gives the demo's staff who must have it two-factor login
// with TOTPSecret, unless they have set up their own.
func SetUpTwoFactor(ctx context.Context, db *store.DB, ops *orders.Ops) error {
	for _, p := range people {
		u, err := db.UserByEmail(ctx, p.email)
		if err != nil {
			return err
		}
		if !ops.TOTPRequired(u) || u.TOTPEnabled {
			continue
		}
		if err := ops.UseTOTPSecret(ctx, p.email, TOTPSecret); err != nil {
			return err
		}
	}
	return nil
}

// Login is one demo account, for the README and the start-up banner.
type Login struct{ Email, Role, Customer string }

// Logins lists the demo accounts: first the six that DESIGN.md names, then
// the extra customer users and technicians.
func Logins() []Login {
	out := make([]Login, 0, len(people))
	for _, p := range people {
		l := Login{Email: p.email, Role: string(p.role)}
		if p.customer >= 0 {
			l.Customer = customerRows[p.customer].name
		}
		out = append(out, l)
	}
	return out
}

// stockholm is the zone in which the demo's working hours are laid out.
var stockholm = repair.Stockholm

// Load fills db with the demo data, with dates in the year before now. It
// does nothing and returns nil if db already has customers.
//
// The same now gives the same data: every random choice comes from a
// fixed-seed PCG, never from the clock or the global source. Everything is
// written in one transaction, so a failed load leaves the database empty
// (file blobs already stored stay, unreferenced, in files).
func Load(ctx context.Context, db *store.DB, files filestore.Store, now time.Time) error {
	existing, err := db.Customers(ctx, repair.StaffScope())
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if len(existing) > 0 {
		return nil
	}
	g := plan(now)
	// The files render and store in the background while the password is
	// hashed and the database written; wait before returning so that none
	// is still being written.
	fileCtx, cancel := context.WithCancel(ctx)
	wait := g.storeFiles(fileCtx, files)
	defer func() { cancel(); wait() }()
	// argon2 is slow on purpose, so every demo login shares one hash.
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error { return g.write(ctx, tx, files, hash, wait) })
	if errors.Is(err, repair.ErrConflict) && g.customers[0].c.ID == 0 {
		// Another instance loaded the demo between our check and our
		// write; its data is as good as ours.
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return invoice(ctx, db, now)
}

// siteKind says what sort of place a machine stands in, which decides how
// often it breaks and how its cases are written.
type siteKind int

const (
	apartment   siteKind = iota // a tenant's apartment
	laundryRoom                 // a housing company's shared laundry room
	department                  // a care home department's kitchen and laundry
	careKitchen                 // the care home's central kitchen or laundry
	careRoom                    // a resident's room
	production                  // the commercial laundry's machine hall
	shop                        // a laundry's shop or self-service laundromat
	staffRoom                   // a break room
)

// casesPerYear is the range of cases a machine at the kind of site gets.
var casesPerYear = map[siteKind][2]int{
	apartment: {1, 3}, laundryRoom: {3, 6}, department: {2, 4}, careKitchen: {2, 5},
	careRoom: {0, 2}, production: {5, 8}, shop: {3, 5}, staffRoom: {1, 2},
}

// customerPlan is a customer and its people.
type customerPlan struct {
	row   customerRow
	c     repair.Customer
	users []*repair.User
	areas [][]string // parallel to users: the towns each one reports from
}

// site is where one or more machines stand, with what a case there needs.
type site struct {
	cust                       *customerPlan
	kind                       siteKind
	name, street, postal, city string
	phone1, phone2, access     string
	contact                    string // who phones in a fault and signs delivery notes
	ref                        string // the usual Fakturamärkning
	reporters                  []*repair.User
	contract                   *repair.Contract
}

// assetPlan is one machine with the site it stands at.
type assetPlan struct {
	a        repair.Asset
	site     *site
	contract *repair.Contract
}

// generator holds the whole plan, built without touching the database, and
// the records as they get their ids while it is written.
type generator struct {
	now, today time.Time
	r          *rand.Rand
	customers  []*customerPlan
	users      []*repair.User // parallel to people
	contracts  []*repair.Contract
	assets     []*assetPlan
	cases      []*casePlan
	files      []*fileJob
	dispatcher *repair.User
	admin      *repair.User
	technician []*repair.User
	techCities [][]string
	booked     map[booking]bool
	schedule   []slot // the technicians' visits around now, see reserveSchedule
}

// plan builds every record of the demo, with the random choices made in a
// fixed order from a fixed seed.
func plan(now time.Time) *generator {
	now = now.In(stockholm)
	g := &generator{
		now:    now,
		today:  time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, stockholm),
		r:      rand.New(rand.NewPCG(0x6b756e64706f7274, 0x736b617261626f72)),
		booked: map[booking]bool{},
	}
	for _, row := range customerRows {
		g.customers = append(g.customers, &customerPlan{row: row, c: repair.Customer{
			Number: row.number, Name: row.name, OrgNumber: row.org, InvoiceAddress: row.invoice, HourlyRateOre: row.rateOre,
		}})
	}
	for _, p := range people {
		u := &repair.User{Email: p.email, Name: p.name, Phone: p.phone, Role: p.role}
		g.users = append(g.users, u)
		switch {
		case p.customer >= 0:
			cp := g.customers[p.customer]
			cp.users = append(cp.users, u)
			cp.areas = append(cp.areas, p.cities)
		case p.role == repair.RoleDispatcher:
			g.dispatcher = u
		case p.role == repair.RoleAdmin:
			g.admin = u
		case p.role == repair.RoleTechnician:
			g.technician = append(g.technician, u)
			g.techCities = append(g.techCities, p.cities)
		}
	}
	y := now.Year()
	for _, row := range contractRows {
		k := &repair.Contract{
			Number:        fmt.Sprintf("AV-%d-%03d", y+row.fromYear, row.seq),
			Name:          row.name,
			ValidFrom:     fmt.Sprintf("%d-01-01", y+row.fromYear),
			HourlyRateOre: row.rateOre,
		}
		if row.years > 0 {
			k.ValidTo = fmt.Sprintf("%d-12-31", y+row.fromYear+row.years-1)
		}
		g.contracts = append(g.contracts, k)
	}
	g.housing(g.customers[0])
	g.careHome(g.customers[1])
	g.laundry(g.customers[2])
	g.reserveSchedule()
	g.planCases()
	g.planSchedule()
	g.planFiles()
	return g
}

// rate is the hourly labour rate for work on a machine under contract k.
func rate(cp *customerPlan, k *repair.Contract) int64 {
	if k != nil && k.HourlyRateOre > 0 {
		return k.HourlyRateOre
	}
	return cp.c.HourlyRateOre
}

// write inserts the plan in tx, in an order that lets every record refer to
// ones already written, and stores the generated files.
func (g *generator) write(ctx context.Context, tx *store.Tx, files filestore.Store, hash string, filesStored func()) error {
	for _, cp := range g.customers {
		if err := tx.CreateCustomer(ctx, &cp.c); err != nil {
			return err
		}
	}
	for i, u := range g.users {
		if c := people[i].customer; c >= 0 {
			u.CustomerID = g.customers[c].c.ID
		}
		u.PasswordHash = hash
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	for _, cp := range g.customers {
		if err := tx.Audit(ctx, g.admin.ID, "customer", cp.c.ID, "create", "Demodata: "+cp.c.Name); err != nil {
			return err
		}
	}
	for _, u := range g.users {
		if err := tx.Audit(ctx, g.admin.ID, "user", u.ID, "create", "Demodata: "+u.Email); err != nil {
			return err
		}
	}
	for i, k := range g.contracts {
		k.CustomerID = g.customers[contractRows[i].customer].c.ID
		if err := tx.CreateContract(ctx, k); err != nil {
			return err
		}
	}
	for _, ap := range g.assets {
		ap.a.CustomerID = ap.site.cust.c.ID
		if ap.contract != nil {
			ap.a.ContractID = ap.contract.ID
		}
		if err := tx.CreateAsset(ctx, &ap.a); err != nil {
			return err
		}
	}
	type ref struct {
		customer int64
		value    string
	}
	var refs []ref
	for _, cp := range g.cases {
		if err := g.writeCase(ctx, tx, cp); err != nil {
			return err
		}
		if r := (ref{cp.c.CustomerID, cp.c.InvoiceReference}); !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	// The Nytt ärende form offers the Fakturamärkning values a customer
	// has used before.
	for _, r := range refs {
		if err := tx.RememberInvoiceReference(ctx, r.customer, r.value); err != nil {
			return err
		}
	}
	return g.writeFiles(ctx, tx, files, filesStored)
}

// LoadMail gives a new demo's outbox the mails that the newest cases
// filed in the portal sent when they were received, for the office's
// Utskick and each customer admin's mail log; it does nothing once the
// outbox has mail.
func LoadMail(ctx context.Context, db *store.DB, ops *orders.Ops) error {
	if ms, _, err := db.Mails(ctx, repair.StaffScope(), store.MailFilter{Limit: 1}); err != nil || len(ms) > 0 {
		return err
	}
	res, err := db.SearchCases(ctx, repair.StaffScope(), repair.CaseFilter{Limit: 40, NoCount: true})
	if err != nil {
		return err
	}
	n := 0
	for _, c := range res.Cases {
		if c.Type != repair.PortalCaseType || n == 12 {
			continue
		}
		if err := ops.WriteCaseMails(ctx, c.ID, repair.MailReceived); err != nil {
			return err
		}
		n++
	}
	return nil
}
