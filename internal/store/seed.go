package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kundportal/internal/auth"
	"kundportal/internal/repair"

	"github.com/jackc/pgx/v5/pgconn"
)

// A seeded data set is a large, realistic and deterministic set of
// customers, machines and five years of cases, written straight into the
// tables with multi-row INSERTs, so that a million cases take minutes
// instead of the hours a million transactions through CreateCase would.
// Every derived column is filled as the write path fills it (the tests
// compare them with what refreshCase, caseKeys and RebuildDashboard
// compute), and the counters are left where the write path expects them,
// so the office can go on working on the data.

// SeedConfig says what Seed writes.
type SeedConfig struct {
	// Cases is the number of cases.
	Cases int
	// Seed chooses the data: the same Seed, Cases and Now give the same
	// rows.
	Seed uint64
	// Now is the end of the five years the cases span; zero means the
	// store's clock.
	Now time.Time
	// PasswordHash is the hash (auth.HashPassword) every seeded login gets.
	PasswordHash string
	// Photo, if set, is a stored JPEG that the seeded photos (on about one
	// completed case in eight) all point to; without it no files are
	// written.
	Photo SeedPhoto
}

// SeedPhoto is a blob already in the file store.
type SeedPhoto struct {
	SHA256 string
	Size   int64
}

// SeedEmailDomain is the domain of the seeded logins: kund1@ … kund20@
// (one customer user per customer, kund1 for the largest customer),
// tekniker1@ … tekniker10@, disp1@, disp2@ and admin@.
const SeedEmailDomain = "seed.example"

// ErrHasCases means Seed was asked to fill a database that already has
// cases; a seed is only ever written next to nothing.
var ErrHasCases = errors.New("store: seed: the database already has cases")

// seedBatch is how many cases go into one transaction: large enough that
// commits cost nothing, small enough that progress is seen and a
// PostgreSQL transaction stays modest.
const seedBatch = 50000

// seedMergePages is the work of one of the seed's merge steps of the
// text index (textmerge.go), larger than the server's: nobody waits.
const seedMergePages = 4096

// seedYears is how far back the cases go.
const seedYears = 5

// Seed writes the data set cfg describes, reporting progress after each
// transaction as (cases written, cases in all). It refuses with
// ErrHasCases if the database has a case. Customers, users, contracts and
// machines go in first, then the cases with their status history, work
// orders, actions, cost lines and files in transactions of 50 000 cases,
// then the counters, the remembered Fakturamärkning values and the
// Dashboard's rollup; last, the planner's statistics are refreshed. A seed
// that fails part-way leaves the transactions before it; delete the
// database and run it again.
func (db *DB) Seed(ctx context.Context, cfg SeedConfig, progress func(done, total int)) error {
	if cfg.Cases < 1 {
		return fmt.Errorf("store: seed: want at least one case, not %d", cfg.Cases)
	}
	if cfg.PasswordHash == "" {
		return errors.New("store: seed: no password hash")
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	now := cfg.Now
	if now.IsZero() {
		now = db.now()
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	defer conn.Close()
	var has int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM cases LIMIT 1) x`).Scan(&has); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	if has > 0 {
		return ErrHasCases
	}
	for _, q := range db.d.seedStart {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: seed: %s: %w", q, err)
		}
	}
	defer func() {
		for _, q := range db.d.seedEnd {
			conn.ExecContext(context.Background(), q)
		}
	}()
	s := newSeeder(cfg, now)
	if err := s.readIDs(ctx, conn); err != nil {
		return err
	}
	s.plan()
	if err := s.inTx(ctx, conn, db.d, s.writeRegisters); err != nil {
		return err
	}
	done := 0
	var w *seedWriter
	var tx *sql.Tx
	commit := func() error {
		if err := w.flush(); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := indexTextThrough(ctx, tx, db.d, s.ids["cases"]); err != nil {
			tx.Rollback()
			return err
		}
		w.close()
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: seed: commit: %w", err)
		}
		done += w.cases
		progress(done, cfg.Cases)
		w, tx = nil, nil
		return nil
	}
	for _, day := range s.days {
		for _, at := range s.times(day) {
			if w == nil {
				if tx, err = s.begin(ctx, conn, db.d); err != nil {
					return err
				}
				w = newSeedWriter(ctx, tx, db.d)
			}
			if err := s.writeCase(w, at); err != nil {
				w.close()
				tx.Rollback()
				return err
			}
			if w.cases == seedBatch {
				if err := commit(); err != nil {
					return err
				}
			}
		}
	}
	if w != nil {
		if err := commit(); err != nil {
			return err
		}
	}
	if db.d.name == "sqlite" {
		// The text index's merges, which the server does in small
		// steps after each batch of new cases, done here at once.
		for merged := true; merged; {
			if err := s.inTx(ctx, conn, db.d, func(w *seedWriter) error {
				merged, err = mergeTextStep(ctx, w.tx, seedMergePages)
				return err
			}); err != nil {
				return err
			}
		}
	}
	if err := s.inTx(ctx, conn, db.d, s.writeTotals); err != nil {
		return err
	}
	// PostgreSQL's VACUUM also sets the visibility map, which its
	// index-only scans (the capped counts, the Dashboard's rollups) need
	// to skip the table; autovacuum would set it a minute later, after a
	// copy of the database taken at once had missed it.
	analyze := `ANALYZE`
	if db.d.name == "postgres" {
		analyze = `VACUUM (ANALYZE)`
	}
	// A database-wide VACUUM fails when a table of another schema is
	// dropped while it runs (the tests' schemas share a database): then
	// it is run again.
	_, err = conn.ExecContext(ctx, analyze)
	for try := 0; try < 3 && undefinedTable(err); try++ {
		_, err = conn.ExecContext(ctx, analyze)
	}
	if err != nil {
		return fmt.Errorf("store: seed: analyze: %w", err)
	}
	if db.read != db.write {
		// SQLite's readers keep the statistics they loaded: let the
		// idle ones go, so that the next query plans with the new ones.
		db.read.SetMaxIdleConns(0)
		db.read.SetMaxIdleConns(8)
	}
	return nil
}

func (s *seeder) begin(ctx context.Context, conn *sql.Conn, d dialect) (*sql.Tx, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: seed: begin: %w", err)
	}
	if d.seedTx != "" {
		if _, err := tx.ExecContext(ctx, d.seedTx); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("store: seed: %w", err)
		}
	}
	return tx, nil
}

func (s *seeder) inTx(ctx context.Context, conn *sql.Conn, d dialect, fn func(*seedWriter) error) error {
	tx, err := s.begin(ctx, conn, d)
	if err != nil {
		return err
	}
	w := newSeedWriter(ctx, tx, d)
	err = fn(w)
	if err == nil {
		err = w.flush()
	}
	w.close()
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: seed: commit: %w", err)
	}
	return nil
}

// bulk collects rows for one table and inserts them many to a statement.
// A child table's bulk flushes its parents first, so a row never reaches
// the database before the row its foreign key names.
type bulk struct {
	w       *seedWriter
	table   string
	head    string
	cols    int
	per     int
	full    *sql.Stmt // the statement for a full batch, prepared once per transaction
	args    []any
	n       int
	parents []*bulk
}

func (w *seedWriter) bulk(table string, cols string, parents ...*bulk) *bulk {
	n := strings.Count(cols, ",") + 1
	// Under SQLite's default limit of 32 766 parameters, and PostgreSQL's
	// 65 535.
	b := &bulk{w: w, table: table, head: "INSERT INTO " + table + " (" + cols + ") VALUES ", cols: n,
		per: min(500, 30000/n), parents: parents}
	b.args = make([]any, 0, b.per*n)
	w.all = append(w.all, b)
	return b
}

// later holds a row of a case's child until the case itself is
// buffered (its totals are known only after its children are made).
func (w *seedWriter) later(b *bulk, vals ...any) error {
	w.pending = append(w.pending, pendingRow{b, vals})
	return nil
}

type pendingRow struct {
	b    *bulk
	vals []any
}

func (b *bulk) values(n int) string {
	row := "(" + strings.Repeat("?, ", b.cols-1) + "?)"
	return strings.Repeat(row+", ", n-1) + row
}

func (b *bulk) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.per {
		return b.flush()
	}
	return nil
}

func (b *bulk) flush() error {
	if b.n == 0 {
		return nil
	}
	for _, p := range b.parents {
		if err := p.flush(); err != nil {
			return err
		}
	}
	w := b.w
	var err error
	if b.n == b.per {
		if b.full == nil {
			if b.full, err = w.tx.PrepareContext(w.ctx, w.d.rebind(b.head+b.values(b.per))); err != nil {
				return fmt.Errorf("store: seed: %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(w.ctx, b.args...)
	} else {
		_, err = w.tx.ExecContext(w.ctx, w.d.rebind(b.head+b.values(b.n)), b.args...)
	}
	if err != nil {
		return fmt.Errorf("store: seed: %s: %w", b.table, w.d.mapErr(err))
	}
	b.args, b.n = b.args[:0], 0
	return nil
}

// seedWriter is one transaction's bulks.
type seedWriter struct {
	ctx     context.Context
	tx      *sql.Tx
	d       dialect
	all     []*bulk
	cases   int
	pending []pendingRow
	// visible and photos count the pending customer-visible actions and
	// files of the case being written, for its row.
	visible, photos int

	kase, history, submissions, workOrders, actions, costs, files, counters *bulk
}

func newSeedWriter(ctx context.Context, tx *sql.Tx, d dialect) *seedWriter {
	w := &seedWriter{ctx: ctx, tx: tx, d: d}
	w.kase = w.bulk("cases", `id, number, customer_id, asset_id, type, title, description, site_name, street,
		reporter_name, reporter_phone, site_phone1, site_phone2, postal_code, city, access, contract_number,
		invoice_reference, status, ref_key, street_key, street_name_key, search_text, reported_by, registered_at,
		completed_at, updated_at, access_sealed, city_key, asset_kind, asset_brand, kind_key, brand_key, repeat_fault, lead_bin,
		work_order_count, labour_ore, part_ore, travel_ore, fee_ore, customer_news_at, visible_actions, file_count`)
	w.history = w.bulk("case_status_history", `id, case_id, status, changed_at, changed_by, note`, w.kase)
	w.submissions = w.bulk("case_submissions", `token, case_id`, w.kase)
	w.workOrders = w.bulk("work_orders", `id, case_id, number, technician_id, status, planned_start, planned_end,
		created_at, completed_at, outcome, outcome_note, started_at`, w.kase)
	w.actions = w.bulk("actions", `id, work_order_id, performed_on, technician_id, description, minutes,
		customer_visible, created_at`, w.workOrders)
	w.costs = w.bulk("cost_lines", `id, work_order_id, kind, description, article, quantity_milli, unit_price_ore,
		amount_ore, customer_visible, created_at`, w.workOrders)
	w.files = w.bulk("files", `id, customer_id, case_id, work_order_id, kind, name, content_type, size, sha256,
		thumb_sha256, uploaded_by, created_at`, w.workOrders)
	w.counters = w.bulk("counters", `name, value`)
	return w
}

// flush writes what every bulk still holds, parents first.
func (w *seedWriter) flush() error {
	for _, b := range w.all {
		if err := b.flush(); err != nil {
			return err
		}
	}
	return nil
}

func (w *seedWriter) close() {
	for _, b := range w.all {
		if b.full != nil {
			b.full.Close()
		}
	}
}

// seeder plans and writes the data set. Every random choice comes from one
// PCG seeded from the config, made in a fixed order.
type seeder struct {
	cfg   SeedConfig
	r     *rand.Rand
	now   time.Time // UTC, whole seconds
	start time.Time // the first day, midnight in Stockholm

	// last ids used, per table; rows are inserted with their ids given,
	// so that children can name their parents without a round trip.
	ids map[string]int64

	customers   []*seedCust
	custCum     []float64
	techs       []int64
	techOfCity  map[string]int
	dispatchers []int64
	admin       int64
	days        []seedDay

	caseSeq  map[int]int64               // per year: the case counter
	recent   map[int64][]time.Time       // per machine: completions within the repeat window
	refsUsed map[seedRefKey]time.Time    // per customer and Fakturamärkning: when last used
	rollup   map[seedRollKey]*seedRollUp // the Dashboard's sums, as addShare would leave them
}

type seedCust struct {
	i           int
	id          int64
	row         seedCustomer
	number      string
	rateOre     int64
	travelOre   int64
	share       float64
	user        seedUser
	contracts   []seedContract
	refs        []string
	addresses   []seedAddress
	assets      []*seedAsset
	assetCum    []float64
	streetCount int
}

type seedUser struct {
	id          int64
	name, phone string
}

type seedContract struct {
	id      int64
	number  string
	rateOre int64
}

type seedAddress struct{ street, postal, city string }

type seedAsset struct {
	id                                   int64
	number                               string
	kind                                 *seedKind
	brand                                seedBrand
	model, serial                        string
	siteName, street, postal, city, loc  string
	phone1, phone2, access, ref, contact string
	contract                             *seedContract
	installed                            string
}

type seedDay struct {
	date time.Time // midnight in Stockholm
	n    int
}

type seedRefKey struct {
	customer int64
	value    string
}

type seedRollKey struct {
	customer                int64
	dim, period, key1, key2 string
	bin                     int
}

type seedRollUp struct {
	label1, label2                                        string
	cases, repeats, workOrders, labour, part, travel, fee int64
}

func newSeeder(cfg SeedConfig, now time.Time) *seeder {
	now = now.UTC().Truncate(time.Second)
	local := now.In(repair.Stockholm)
	start := time.Date(local.Year()-seedYears, local.Month(), local.Day(), 0, 0, 0, 0, repair.Stockholm)
	return &seeder{
		cfg: cfg, now: now, start: start,
		r:          rand.New(rand.NewPCG(cfg.Seed, 0x6b756e64736565)),
		ids:        map[string]int64{},
		techOfCity: map[string]int{},
		caseSeq:    map[int]int64{},
		recent:     map[int64][]time.Time{},
		refsUsed:   map[seedRefKey]time.Time{},
		rollup:     map[seedRollKey]*seedRollUp{},
	}
}

var seedTables = []string{"customers", "users", "contracts", "assets", "cases", "case_status_history",
	"work_orders", "actions", "cost_lines", "files"}

// readIDs finds where each table's ids continue: a database without cases
// may still have customers and users.
func (s *seeder) readIDs(ctx context.Context, conn *sql.Conn) error {
	for _, t := range seedTables {
		var id int64
		if err := conn.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM `+t).Scan(&id); err != nil {
			return fmt.Errorf("store: seed: %s: %w", t, err)
		}
		s.ids[t] = id
	}
	return nil
}

func (s *seeder) id(table string) int64 {
	s.ids[table]++
	return s.ids[table]
}

func (s *seeder) pick(list []string) string { return list[s.r.IntN(len(list))] }

func (s *seeder) person() string { return s.pick(seedFirstNames) + " " + s.pick(seedLastNames) }

func (s *seeder) mobile() string { return fmt.Sprintf("+4670%07d", s.r.IntN(10000000)) }

func (s *seeder) city(name string) string {
	for _, p := range seedPostal {
		if p.city == name {
			return p.prefix
		}
	}
	return "500"
}

// plan makes the registers (customers, people, contracts, addresses,
// machines) and the number of cases on each day.
func (s *seeder) plan() {
	r := s.r
	n := s.cfg.Cases
	// One customer holds 60 % of the cases; the rest share 40 % on a
	// falling curve, as a few large and many small customers do.
	weights := make([]float64, len(seedCustomers))
	var rest float64
	for i := 1; i < len(weights); i++ {
		weights[i] = 1 / math.Pow(float64(i), 0.8)
		rest += weights[i]
	}
	weights[0] = 0.6
	for i := 1; i < len(weights); i++ {
		weights[i] *= 0.4 / rest
	}
	var cum float64
	for i, row := range seedCustomers {
		c := &seedCust{i: i, id: s.id("customers"), row: row, number: fmt.Sprintf("K%d", 2001+i), share: weights[i],
			rateOre: int64(57500 + 1000*r.IntN(13)), travelOre: int64(34500 + 1000*r.IntN(12))}
		cum += weights[i]
		s.custCum = append(s.custCum, cum)
		s.customers = append(s.customers, c)
	}
	for range seedTechnicians {
		s.techs = append(s.techs, s.id("users"))
	}
	for range seedDispatchers {
		s.dispatchers = append(s.dispatchers, s.id("users"))
	}
	s.admin = s.id("users")
	for i, p := range seedPostal {
		s.techOfCity[p.city] = i % len(seedTechnicians)
	}
	year := s.start.Year()
	for _, c := range s.customers {
		c.user = seedUser{id: s.id("users"), name: s.person(), phone: s.mobile()}
		nContracts := 1 + r.IntN(2)
		if c.i == 0 {
			nContracts = 3
		}
		for k := range nContracts {
			rate := int64(0)
			if r.IntN(2) == 0 {
				rate = c.rateOre - int64(1000*(1+r.IntN(6)))
			}
			c.contracts = append(c.contracts, seedContract{id: s.id("contracts"),
				number: fmt.Sprintf("AV-%d-%03d", year-1+k, 10*c.i+k+1), rateOre: rate})
		}
		// Fakturamärkning: cost centres, plus the customer's own words.
		nRefs := 2 + int(c.share*60)
		base := 1000 + 100*r.IntN(80)
		for k := range nRefs {
			c.refs = append(c.refs, fmt.Sprintf("KST %d", base+10*k))
		}
		c.refs = append(c.refs, c.row.refs...)
		// A few hundred street addresses for the largest customer, a
		// handful for the smallest.
		c.streetCount = max(3, int(math.Round(300*c.share/0.6)))
		used := map[string]bool{}
		for len(c.addresses) < c.streetCount {
			city := c.row.cities[0]
			if len(c.row.cities) > 1 && r.IntN(3) > 0 {
				city = c.row.cities[1+r.IntN(len(c.row.cities)-1)]
			}
			street := fmt.Sprintf("%s %d", s.pick(seedStreetNames), 1+r.IntN(60))
			if used[street+city] {
				continue
			}
			used[street+city] = true
			c.addresses = append(c.addresses, seedAddress{street: street, city: city,
				postal: fmt.Sprintf("%s %02d", s.city(city), r.IntN(100))})
		}
	}
	// About one machine per eight cases, at least four per customer.
	for _, c := range s.customers {
		nAssets := max(4, int(math.Round(float64(n)/8*c.share)))
		var cum float64
		for range nAssets {
			a := s.asset(c)
			c.assets = append(c.assets, a)
			// Some machines break far more often than others.
			w := 0.3 + r.ExpFloat64()
			if a.siteName == "Tvättstuga" {
				w *= 3
			}
			cum += w
			c.assetCum = append(c.assetCum, cum)
		}
	}
	// Cases on each day: weekdays far more than weekends, growing a
	// little each year; the counts add up to exactly n.
	var days []time.Time
	var dayW []float64
	var total float64
	for d := s.start; !d.After(s.now); d = d.AddDate(0, 0, 1) {
		w := 1.0
		switch d.Weekday() {
		case time.Saturday:
			w = 0.2
		case time.Sunday:
			w = 0.12
		}
		w *= 1 + 0.08*d.Sub(s.start).Hours()/(24*365)
		days = append(days, d)
		total += w
		dayW = append(dayW, total)
	}
	prev := 0
	for i, d := range days {
		upto := int(math.Round(float64(n) * dayW[i] / total))
		if i == len(days)-1 {
			upto = n
		}
		if upto > prev {
			s.days = append(s.days, seedDay{date: d, n: upto - prev})
		}
		prev = upto
	}
}

// asset makes one machine of c, where it stands and what a case on it
// fills in.
func (s *seeder) asset(c *seedCust) *seedAsset {
	r := s.r
	addr := c.addresses[r.IntN(len(c.addresses))]
	a := &seedAsset{id: s.id("assets"), street: addr.street, postal: addr.postal, city: addr.city,
		phone1: s.mobile()}
	a.number = fmt.Sprint(200000 + a.id)
	weight := func(k seedKind) int { return k.business }
	switch c.row.kind {
	case seedHousing:
		if r.IntN(5) == 0 {
			a.siteName, a.loc = "Tvättstuga", "Tvättstuga källare"
			weight = func(k seedKind) int { return k.laundry }
			a.access = "Portkod " + fmt.Sprint(1000+r.IntN(9000))
			a.contact = "Vaktmästare " + s.pick(seedFirstNames)
		} else {
			// An apartment: the tenant is Kund, the apartment number part
			// of Gata.
			a.siteName = s.person()
			a.contact = a.siteName
			a.street += fmt.Sprintf(", lgh %d%02d", 10+r.IntN(6), 1+r.IntN(4))
			weight = func(k seedKind) int { return k.home }
			switch x := r.IntN(10); {
			case x < 5:
				a.access = repair.AccessYes
			case x < 8:
				a.access = repair.AccessNo
			default:
				a.access = "Portkod " + fmt.Sprint(1000+r.IntN(9000))
			}
			a.phone2 = s.mobile()
		}
	case seedCare:
		a.siteName = s.pick([]string{"Avdelning Linden", "Avdelning Eken", "Avdelning Björken", "Avdelning Rönnen",
			"Storköket", "Tvätteriet", "Personalrummet"})
		weight = func(k seedKind) int { return k.care }
		a.access = repair.AccessYes
		a.contact = s.person()
	default:
		a.siteName = s.pick([]string{"Restaurangköket", "Personalrummet", "Tvätthallen", "Receptionen", "Caféet"})
		a.access = s.pick([]string{repair.AccessYes, repair.AccessNo, ""})
		a.contact = s.person()
	}
	var sum int
	for _, k := range seedKinds {
		sum += weight(k)
	}
	x := r.IntN(sum)
	for i := range seedKinds {
		if x -= weight(seedKinds[i]); x < 0 {
			a.kind = &seedKinds[i]
			break
		}
	}
	if a.loc == "" {
		a.loc = a.kind.location
	}
	a.brand = seedBrands[a.kind.brands[r.IntN(len(a.kind.brands))]]
	a.model = fmt.Sprintf("%s%d%03d", a.brand.prefix, 5+r.IntN(5), r.IntN(1000))
	a.serial = fmt.Sprintf("%08d", r.IntN(100000000))
	a.installed = s.start.AddDate(0, 0, -r.IntN(8*365)).Format(time.DateOnly)
	if r.IntN(100) < 85 {
		a.contract = &c.contracts[r.IntN(len(c.contracts))]
	}
	a.ref = c.refs[r.IntN(len(c.refs))]
	return a
}

// writeRegisters writes customers, people, contracts and machines.
func (s *seeder) writeRegisters(w *seedWriter) error {
	created := s.start.AddDate(0, -1, 0).UTC()
	customers := w.bulk("customers", `id, number, name, org_number, invoice_address, hourly_rate_ore, created_at`)
	users := w.bulk("users", `id, customer_id, email, name, phone, role, password_hash, created_at`, customers)
	contracts := w.bulk("contracts", `id, customer_id, number, name, valid_from, valid_to, hourly_rate_ore`, customers)
	assets := w.bulk("assets", `id, customer_id, contract_id, number, kind, brand, model, serial_number, site_name,
		street, postal_code, city, location, installed_on, search_text, created_at`, customers, contracts)
	hash := s.cfg.PasswordHash
	for i, name := range seedTechnicians {
		if err := users.add(s.techs[i], nil, fmt.Sprintf("tekniker%d@%s", i+1, SeedEmailDomain), name, s.phoneOf(name),
			repair.RoleTechnician, hash, created); err != nil {
			return err
		}
	}
	for i, name := range seedDispatchers {
		if err := users.add(s.dispatchers[i], nil, fmt.Sprintf("disp%d@%s", i+1, SeedEmailDomain), name, s.phoneOf(name),
			repair.RoleDispatcher, hash, created); err != nil {
			return err
		}
	}
	if err := users.add(s.admin, nil, "admin@"+SeedEmailDomain, "Administratör", "", repair.RoleAdmin, hash, created); err != nil {
		return err
	}
	for _, c := range s.customers {
		home := c.row.cities[0]
		invoice := fmt.Sprintf("%s, Fakturor, Box %d, %s %02d %s", c.row.name, 100+c.i*37, s.city(home), c.i, home)
		if err := customers.add(c.id, c.number, c.row.name, c.row.org, invoice, c.rateOre, created); err != nil {
			return err
		}
		if err := users.add(c.user.id, c.id, fmt.Sprintf("kund%d@%s", c.i+1, SeedEmailDomain), c.user.name, c.user.phone,
			repair.RoleCustomerUser, hash, created); err != nil {
			return err
		}
		names := []string{"Serviceavtal vitvaror", "Tvättstugor, förebyggande underhåll", "Ramavtal storkök"}
		for k, ct := range c.contracts {
			from := fmt.Sprintf("%d-01-01", s.start.Year()-1+k)
			to := ""
			if k == 1 {
				to = fmt.Sprintf("%d-12-31", s.now.Year()+2)
			}
			if err := contracts.add(ct.id, c.id, ct.number, names[k%len(names)], from, to, ct.rateOre); err != nil {
				return err
			}
		}
		for _, a := range c.assets {
			var contract sql.NullInt64
			if a.contract != nil {
				contract = nullID(a.contract.id)
			}
			ra := repair.Asset{Number: a.number, Kind: a.kind.name, Brand: a.brand.name, Model: a.model,
				SiteName: a.siteName, Street: a.street, City: a.city, Location: a.loc}
			if err := assets.add(a.id, c.id, contract, a.number, a.kind.name, a.brand.name, a.model, a.serial, a.siteName,
				a.street, a.postal, a.city, a.loc, a.installed, assetSearchText(&ra), created); err != nil {
				return err
			}
		}
	}
	return nil
}

// phoneOf is a stable mobile number for a member of staff.
func (s *seeder) phoneOf(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return fmt.Sprintf("+4673%07d", h%10000000)
}

// times are the registration times of the day's cases, in order: most in
// office hours, some in the evening, none after now.
func (s *seeder) times(d seedDay) []time.Time {
	out := make([]time.Time, d.n)
	limit := 24 * time.Hour
	if end := s.now.Sub(d.date); end < limit {
		limit = end
	}
	for i := range out {
		var off time.Duration
		if s.r.IntN(5) > 0 {
			off = 7*time.Hour + time.Duration(s.r.Int64N(int64(10*time.Hour)))
		} else {
			off = 17*time.Hour + time.Duration(s.r.Int64N(int64(6*time.Hour)))
		}
		if off >= limit {
			off = time.Duration(float64(limit) * float64(off) / float64(24*time.Hour))
		}
		out[i] = d.date.Add(off).UTC().Truncate(time.Second)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// seedEvent is one entry of a case's status history.
type seedEvent struct {
	at   time.Time
	st   repair.Status
	by   int64
	note string
}

// seedVisit is one work order as it would happen if nothing stopped it.
type seedVisit struct {
	created, plannedStart, plannedEnd, started, ended time.Time
	outcome                                           repair.Outcome
	step                                              int // visitFix, visitDiagnose or visitNoOneHome
}

const (
	visitFix = iota
	visitDiagnose
	visitNoOneHome
)

// workTime is when a visit planned at t starts: a weekday after t, at a
// quarter hour between 07:30 and 15:45, at least days later.
func (s *seeder) workTime(t time.Time, days int) time.Time {
	d := t.In(repair.Stockholm)
	d = time.Date(d.Year(), d.Month(), d.Day()+days, 0, 0, 0, 0, repair.Stockholm)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	at := d.Add(7*time.Hour + 30*time.Minute + time.Duration(s.r.IntN(34))*15*time.Minute)
	if !at.After(t) {
		return s.workTime(t, 1)
	}
	return at.UTC()
}

// visit plans a work order created at created.
func (s *seeder) visit(created time.Time, minDays, spread int, step int) seedVisit {
	start := s.workTime(created, minDays+s.r.IntN(spread+1))
	v := seedVisit{created: created, plannedStart: start.Add(-time.Duration(s.r.IntN(3)) * 15 * time.Minute), step: step}
	v.plannedEnd = v.plannedStart.Add(2 * time.Hour)
	v.started = start.Add(time.Duration(s.r.IntN(20)) * time.Minute)
	minutes := 25 + s.r.IntN(95)
	if step == visitNoOneHome {
		minutes = 10
		v.outcome = repair.OutcomeNoOneHome
	}
	v.ended = v.started.Add(time.Duration(minutes) * time.Minute)
	return v
}

// writeCase writes one case registered at at with everything that
// happened to it until now: its history, work orders, actions, costs and
// photos, with the totals and keys the write path would give it.
func (s *seeder) writeCase(w *seedWriter, at time.Time) error {
	r := s.r
	x := r.Float64()
	c := s.customers[sort.SearchFloat64s(s.custCum, x*s.custCum[len(s.custCum)-1])]
	a := c.assets[min(len(c.assets)-1, sort.SearchFloat64s(c.assetCum, r.Float64()*c.assetCum[len(c.assetCum)-1]))]
	withAsset := r.IntN(100) >= 4 // a few cases name no machine
	fault := a.kind.faults[r.IntN(len(a.kind.faults))]
	tech := s.techs[s.techOfCity[a.city]]
	if r.IntN(100) < 15 {
		tech = s.techs[r.IntN(len(s.techs))]
	}
	disp := s.dispatchers[r.IntN(len(s.dispatchers))]

	kc := repair.Case{Type: repair.PortalCaseType, SiteName: a.siteName, Street: a.street, PostalCode: a.postal,
		City: a.city, SitePhone1: a.phone1, SitePhone2: a.phone2, InvoiceReference: a.ref, RegisteredAt: at}
	kc.Title = a.city + " " + a.kind.name + " " + fault.title
	kc.Description = fault.description
	if r.IntN(3) == 0 {
		kc.Description += " " + s.pick(seedNotes)
	}
	if a.contract != nil {
		kc.ContractNumber = a.contract.number
	}
	switch x := r.IntN(100); {
	case x < 20:
		kc.InvoiceReference = c.refs[r.IntN(len(c.refs))]
	case x < 24:
		kc.InvoiceReference = ""
	}
	warranty := false
	switch x := r.IntN(100); {
	case x < 78:
		kc.ReportedBy = c.user.id
		kc.ReporterName, kc.ReporterPhone = c.user.name, c.user.phone
		if r.IntN(2) == 0 {
			kc.ReporterName, kc.ReporterPhone = a.contact, a.phone1
		}
	case x < 95:
		kc.Type, kc.ReportedBy = "Telefonärende", disp
		kc.ReporterName, kc.ReporterPhone = a.contact, a.phone1
	default:
		kc.Type, kc.ReportedBy = "Garantiärende", disp
		kc.ReporterName, kc.ReporterPhone = a.contact, a.phone1
		warranty = true
	}
	var assetID sql.NullInt64
	var kind, brand string
	if withAsset {
		assetID = nullID(a.id)
		kind, brand = a.kind.name, a.brand.name
	}
	year := at.In(repair.Stockholm).Year()
	s.caseSeq[year]++
	kc.Number = caseNumber(year, s.caseSeq[year])

	// What would happen to the case, left alone until the end of time.
	events := []seedEvent{{at: at, st: repair.StatusRegistered, by: kc.ReportedBy}}
	received := at.Add(5*time.Minute + time.Duration(r.IntN(170))*time.Minute)
	events = append(events, seedEvent{at: received, st: repair.StatusReceived, by: disp})
	var visits []seedVisit
	planned := received.Add(time.Duration(r.IntN(180)) * time.Minute)
	first := visitFix
	switch x := r.IntN(100); {
	case x < 5:
		first = visitNoOneHome
	case x < 30 && fault.part != "":
		first = visitDiagnose
	}
	visits = append(visits, s.visit(planned, 0, 5, first))
	for visits[len(visits)-1].step != visitFix {
		last := visits[len(visits)-1]
		switch last.step {
		case visitNoOneHome:
			next := visitFix
			if r.IntN(4) == 0 && fault.part != "" {
				next = visitDiagnose
			}
			visits = append(visits, s.visit(last.ended.Add(time.Hour), 1, 3, next))
		case visitDiagnose:
			// The part arrives after days or weeks.
			arrives := last.ended.Add(time.Duration(3*24+r.IntN(18*24)) * time.Hour)
			visits = append(visits, s.visit(arrives, 0, 3, visitFix))
		}
	}
	for i, v := range visits {
		events = append(events, seedEvent{at: v.created, st: repair.StatusPlanned, by: disp})
		events = append(events, seedEvent{at: v.started, st: repair.StatusInProgress, by: tech})
		switch v.step {
		case visitDiagnose:
			events = append(events, seedEvent{at: v.ended, st: repair.StatusAwaitingPart, by: tech,
				note: fault.part + " beställd."})
		case visitFix:
			if i == len(visits)-1 {
				events = append(events, seedEvent{at: v.ended, st: repair.StatusCompleted, by: tech})
			}
		}
	}
	completion := visits[len(visits)-1].ended
	// Invoiced in the run on the third weekday or so of the next month.
	cl := completion.In(repair.Stockholm)
	invoiceAt := time.Date(cl.Year(), cl.Month()+1, 3+r.IntN(4), 9, r.IntN(60), 0, 0, repair.Stockholm).UTC()
	if r.IntN(100) > 0 {
		events = append(events, seedEvent{at: invoiceAt, st: repair.StatusInvoiced, by: disp})
	}
	// Some cases are called off before the work is done.
	cut := s.now
	cancelled := false
	if r.IntN(1000) < 45 {
		cancelAt := at.Add(30*time.Minute + time.Duration(r.ExpFloat64()*36*float64(time.Hour)))
		if cancelAt.Before(completion) && !cancelAt.After(s.now) {
			cut, cancelled = cancelAt, true
		}
	}
	var history []seedEvent
	for _, e := range events {
		if !e.at.After(cut) {
			history = append(history, e)
		}
	}
	if cancelled {
		e := seedEvent{at: cut, st: repair.StatusCancelled, by: disp, note: "Avbokat av kunden per telefon."}
		if kc.ReportedBy == c.user.id {
			e.by, e.note = c.user.id, "Kunden har återkallat ärendet."
		}
		history = append(history, e)
	}
	last := history[len(history)-1]
	kc.Status, kc.UpdatedAt = last.st, last.at
	if kc.Status == repair.StatusCompleted || kc.Status == repair.StatusInvoiced {
		kc.CompletedAt = completion
	}
	// Huvudnyckel is kept while the case is open and for a while after,
	// as the hourly erasure leaves it (the server seals it at start-up).
	if kc.Status.Open() || !kc.UpdatedAt.Before(s.now.Add(-30*24*time.Hour)) &&
		(kc.CompletedAt.IsZero() || !kc.CompletedAt.Before(s.now.Add(-30*24*time.Hour))) {
		kc.Access = a.access
	}

	caseID := s.id("cases")
	repeat := false
	if withAsset {
		keep := s.recent[a.id][:0]
		for _, t := range s.recent[a.id] {
			if !t.Before(at.Add(-repair.RepeatWindow)) {
				keep = append(keep, t)
				if !t.After(at) {
					repeat = true
				}
			}
		}
		s.recent[a.id] = keep
	}

	// The work orders that exist by the cut, with what was done on them.
	rate := c.rateOre
	if a.contract != nil && a.contract.rateOre > 0 {
		rate = a.contract.rateOre
	}
	var costs [4]int64
	workOrders := 0
	for i, v := range visits {
		if v.created.After(cut) {
			break
		}
		woID := s.id("work_orders")
		st := repair.WorkOrderPlanned
		var started, done sql.NullTime
		switch {
		case !v.ended.After(cut):
			st, started, done = repair.WorkOrderDone, nullTime(v.started), nullTime(v.ended)
		case cancelled:
			st = repair.WorkOrderCancelled
			if !v.started.After(cut) {
				started = nullTime(v.started)
			}
		case !v.started.After(cut):
			st, started = repair.WorkOrderInProgress, nullTime(v.started)
		}
		if st != repair.WorkOrderCancelled {
			workOrders++
		}
		note := ""
		if v.outcome == repair.OutcomeNoOneHome {
			note = "Ingen öppnade, lapp lämnad."
		}
		if err := w.later(w.workOrders, woID, caseID, fmt.Sprintf("%s-%d", kc.Number, i+1), tech, st, v.plannedStart,
			v.plannedEnd, v.created, done, v.outcome, note, started); err != nil {
			return err
		}
		if st != repair.WorkOrderDone {
			continue
		}
		lines, err := s.visitWork(w, woID, tech, v, fault, a, rate, c.travelOre, warranty)
		if err != nil {
			return err
		}
		for k, amount := range lines {
			costs[k] += amount
		}
		if s.cfg.Photo.SHA256 != "" && v.step == visitFix && r.IntN(8) == 0 {
			w.photos++
			if err := w.later(w.files, s.id("files"), c.id, caseID, woID, repair.FilePhoto,
				fmt.Sprintf("IMG_%04d.jpg", r.IntN(10000)), "image/jpeg", s.cfg.Photo.Size, s.cfg.Photo.SHA256,
				s.cfg.Photo.SHA256, tech, v.ended); err != nil {
				return err
			}
		}
	}
	if n := countCreated(visits, cut); n > 0 {
		if err := w.later(w.counters, "wo-"+kc.Number, int64(n)); err != nil {
			return err
		}
	}

	var bin sql.NullInt64
	if !kc.CompletedAt.IsZero() {
		bin = sql.NullInt64{Int64: int64(repair.LeadBin(kc.CompletedAt.Sub(at))), Valid: true}
	}
	if err := w.kase.add(caseID, kc.Number, c.id, assetID, kc.Type, kc.Title, kc.Description, kc.SiteName, kc.Street,
		kc.ReporterName, kc.ReporterPhone, kc.SitePhone1, kc.SitePhone2, kc.PostalCode, kc.City, kc.Access,
		kc.ContractNumber, kc.InvoiceReference, kc.Status, Fold(kc.InvoiceReference), Fold(kc.Street), streetNameKey(kc.Street),
		Fold(kc.Number+" "+kc.Title+" "+kc.Description), nullID(kc.ReportedBy), at, nullTime(kc.CompletedAt),
		kc.UpdatedAt, "", Fold(kc.City), kind, brand, Fold(kind), Fold(brand), repeat, bin,
		workOrders, costs[0], costs[1], costs[2], costs[3], sql.NullTime{}, w.visible, w.photos); err != nil {
		return err
	}
	for _, e := range history {
		if err := w.history.add(s.id("case_status_history"), caseID, e.st, e.at, nullID(e.by), e.note); err != nil {
			return err
		}
	}
	// Filed through a form, the portal's or the office's, as every case
	// is: its token kept, as the saves that follow find it.
	if err := w.submissions.add(seedToken(caseID, at), caseID); err != nil {
		return err
	}
	// The case's children go in after it, now that it is buffered.
	for _, p := range w.pending {
		if err := p.b.add(p.vals...); err != nil {
			return err
		}
	}
	w.pending = w.pending[:0]
	w.visible, w.photos = 0, 0
	w.cases++

	if kc.InvoiceReference != "" {
		k := seedRefKey{c.id, kc.InvoiceReference}
		if at.After(s.refsUsed[k]) {
			s.refsUsed[k] = at
		}
	}
	if !kc.CompletedAt.IsZero() {
		if withAsset {
			s.recent[a.id] = append(s.recent[a.id], kc.CompletedAt)
		}
		s.addShare(share{customerID: c.id, completed: kc.CompletedAt, city: kc.City, cityKey: Fold(kc.City),
			street: kc.Street, streetKey: Fold(kc.Street), kind: kind, kindKey: Fold(kind), brand: brand,
			brandKey: Fold(brand), ref: kc.InvoiceReference, refKey: Fold(kc.InvoiceReference), bin: int(bin.Int64),
			repeat: repeat, workOrders: int64(workOrders), labour: costs[0], part: costs[1], travel: costs[2], fees: costs[3]})
	}
	return nil
}

// seedToken is the form token case id was filed with at at, made as
// auth.NewFormID makes one, its random bytes here from the id, so that
// the seed stays deterministic.
func seedToken(id int64, at time.Time) string {
	sum := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(id)))
	return auth.FormIDAt(at, sum[:])
}

func countCreated(visits []seedVisit, cut time.Time) int {
	n := 0
	for _, v := range visits {
		if !v.created.After(cut) {
			n++
		}
	}
	return n
}

// visitWork writes a finished visit's actions and cost lines and returns
// the customer-visible sums per cost kind (labour, part, travel, fee).
func (s *seeder) visitWork(w *seedWriter, woID, tech int64, v seedVisit, f seedFault, a *seedAsset, rate, travel int64, warranty bool) ([4]int64, error) {
	r := s.r
	var sums [4]int64
	on := v.started.In(repair.Stockholm).Format(time.DateOnly)
	minutes := int(v.ended.Sub(v.started).Minutes())
	action := func(text string, minutes int, visible bool) error {
		if visible {
			w.visible++
		}
		return w.later(w.actions, s.id("actions"), woID, on, tech, text, minutes, visible, v.ended)
	}
	cost := func(kind repair.CostKind, text, article string, qty, price int64, visible bool) error {
		amount := repair.LineAmount(qty, price)
		if visible {
			sums[repair.CostIndex(kind)] += amount
		}
		return w.later(w.costs, s.id("cost_lines"), woID, kind, text, article, qty, price, amount, visible, v.ended)
	}
	labour := int64((minutes+14)/15) * 250 // quarter hours, in thousandths
	switch v.step {
	case visitNoOneHome:
		if err := action("Ingen hemma vid besöket, lapp lämnad i dörren.", minutes, true); err != nil {
			return sums, err
		}
		if err := cost(repair.CostTravel, "Framkörning", "", 1000, travel, true); err != nil {
			return sums, err
		}
		return sums, nil
	case visitDiagnose:
		if err := action("Felsökt: "+lowerFirst(f.diagnosis)+". "+f.part+" beställd.", minutes, true); err != nil {
			return sums, err
		}
		if err := action(fmt.Sprintf("Beställt %s (%s) från %s.", strings.ToLower(f.part), s.article(a, f), a.brand.name), 5, false); err != nil {
			return sums, err
		}
	default:
		if err := action(f.fix, minutes, true); err != nil {
			return sums, err
		}
		if r.IntN(4) == 0 {
			if err := action(s.pick([]string{"Kunden informerad om skötsel och rengöring av filter.",
				"Maskinen är sliten, föreslår byte inom ett par år.", "Nyckel återlämnad till förvaltningen."}), 0, false); err != nil {
				return sums, err
			}
		}
		if f.part != "" {
			// A warranty part is billed to the maker, not the customer.
			if err := cost(repair.CostPart, f.part, s.article(a, f), 1000, f.partOre+int64(r.IntN(20))*500, !warranty); err != nil {
				return sums, err
			}
		}
		if r.IntN(7) == 0 {
			if err := cost(repair.CostFee, "Miljöavgift", "", 1000, 4900, true); err != nil {
				return sums, err
			}
		}
	}
	if err := cost(repair.CostLabour, "Arbetstid", "", labour, rate, true); err != nil {
		return sums, err
	}
	if err := cost(repair.CostTravel, "Framkörning", "", 1000, travel, true); err != nil {
		return sums, err
	}
	return sums, nil
}

// lowerFirst is text with its first letter in lower case.
func lowerFirst(text string) string {
	r, n := utf8.DecodeRuneInString(text)
	return string(unicode.ToLower(r)) + text[n:]
}

// article is a stable spare-part number for a brand's part.
func (s *seeder) article(a *seedAsset, f seedFault) string {
	var h uint32 = 2166136261
	for _, b := range []byte(a.brand.name + "/" + f.part) {
		h = (h ^ uint32(b)) * 16777619
	}
	return fmt.Sprintf("%s-%06d", a.brand.prefix, h%1000000)
}

// addShare adds a completed case's share to the rollup as addShare in the
// database would: the sums add up, and each key is labelled by the last
// case added, as RebuildDashboard (in id order) leaves it.
func (s *seeder) addShare(sh share) {
	repeat := int64(0)
	if sh.repeat {
		repeat = 1
	}
	for _, row := range sh.rows() {
		k := seedRollKey{customer: sh.customerID, dim: row.dim, period: row.period, key1: row.key1, key2: row.key2, bin: sh.bin}
		v := s.rollup[k]
		if v == nil {
			v = &seedRollUp{}
			s.rollup[k] = v
		}
		v.label1, v.label2 = row.label1, row.label2
		v.cases++
		v.repeats += repeat
		v.workOrders += sh.workOrders
		v.labour += sh.labour
		v.part += sh.part
		v.travel += sh.travel
		v.fee += sh.fees
	}
}

// writeTotals writes what the cases add up to: the counters the next case
// numbers continue from, the Fakturamärkning values the form offers, the
// Dashboard's rollup, and (on PostgreSQL) the id sequences.
func (s *seeder) writeTotals(w *seedWriter) error {
	years := make([]int, 0, len(s.caseSeq))
	for y := range s.caseSeq {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		if _, err := w.tx.ExecContext(w.ctx, w.d.rebind(`
			INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`), fmt.Sprintf("case-%d", y), s.caseSeq[y]); err != nil {
			return fmt.Errorf("store: seed: counters: %w", err)
		}
	}
	refs := w.bulk("invoice_references", `customer_id, value, last_used_at`)
	refKeys := make([]seedRefKey, 0, len(s.refsUsed))
	for k := range s.refsUsed {
		refKeys = append(refKeys, k)
	}
	slices.SortFunc(refKeys, func(a, b seedRefKey) int {
		return cmp.Or(cmp.Compare(a.customer, b.customer), strings.Compare(a.value, b.value))
	})
	for _, k := range refKeys {
		if err := refs.add(k.customer, k.value, s.refsUsed[k]); err != nil {
			return err
		}
	}
	rollup := w.bulk("dashboard_rollup", `customer_id, dim, period, key1, key2, bin, label1, label2,
		cases, repeats, work_orders, labour_ore, part_ore, travel_ore, fee_ore`)
	keys := make([]seedRollKey, 0, len(s.rollup))
	for k := range s.rollup {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b seedRollKey) int {
		return cmp.Or(cmp.Compare(a.customer, b.customer), strings.Compare(a.dim, b.dim), strings.Compare(a.period, b.period),
			strings.Compare(a.key1, b.key1), strings.Compare(a.key2, b.key2), cmp.Compare(a.bin, b.bin))
	})
	for _, k := range keys {
		v := s.rollup[k]
		if err := rollup.add(k.customer, k.dim, k.period, k.key1, k.key2, k.bin, v.label1, v.label2,
			v.cases, v.repeats, v.workOrders, v.labour, v.part, v.travel, v.fee); err != nil {
			return err
		}
	}
	if err := w.flush(); err != nil {
		return err
	}
	if w.d.syncIDs != nil {
		for _, t := range seedTables {
			if _, err := w.tx.ExecContext(w.ctx, w.d.syncIDs(t)); err != nil {
				return fmt.Errorf("store: seed: %s ids: %w", t, err)
			}
		}
	}
	return nil
}

// undefinedTable says whether err is PostgreSQL's report of a table that
// no longer exists.
func undefinedTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42P01"
}
