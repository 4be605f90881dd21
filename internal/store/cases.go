package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"kundportal/internal/repair"
)

const caseColumns = `c.id, c.number, c.customer_id, c.asset_id, COALESCE(a.number, ''), c.type, c.title, c.description,
	c.site_name, c.street, c.reporter_name, c.reporter_phone, c.site_phone1, c.site_phone2,
	c.postal_code, c.city, c.access, c.contract_number, c.invoice_reference, c.status,
	c.reported_by, c.registered_at, c.completed_at, c.updated_at, c.repeat_fault,
	c.labour_ore, c.part_ore, c.travel_ore, c.fee_ore, c.customer_news_at,
	c.visible_actions, c.file_count, c.delivery_note_id`

// caseAsset is the join caseColumns read the machine's number from.
const caseAsset = `LEFT JOIN assets a ON a.id = c.asset_id`

const caseFrom = `
	FROM cases c
	` + caseAsset

func scanCase(r rowScanner) (repair.Case, error) {
	var c repair.Case
	dest, finish := caseDest(&c)
	err := r.Scan(dest...)
	finish()
	return c, err
}

// caseScanner scans rows of caseColumns into one set of destinations,
// reused from row to row: a page or an export of cases then allocates the
// rows' values, not a set of destinations and a closure per row.
type caseScanner struct {
	c      repair.Case
	dest   []any
	finish func()
}

func newCaseScanner() *caseScanner {
	s := &caseScanner{}
	s.dest, s.finish = caseDest(&s.c)
	return s
}

// scan reads one row; every destination is written by each Scan, so
// nothing of the previous row is left.
func (s *caseScanner) scan(r rowScanner) (repair.Case, error) {
	err := r.Scan(s.dest...)
	s.finish()
	return s.c, err
}

// caseDest is the scan destinations of caseColumns for c, and the step
// that finishes c after the scan; a join that scans more than the case
// adds its own destinations after these.
func caseDest(c *repair.Case) ([]any, func()) {
	var asset, reportedBy, note sql.NullInt64
	var completed, news sql.NullTime
	dest := []any{&c.ID, &c.Number, &c.CustomerID, &asset, &c.AssetNumber, &c.Type, &c.Title, &c.Description,
		&c.SiteName, &c.Street, &c.ReporterName, &c.ReporterPhone, &c.SitePhone1, &c.SitePhone2,
		&c.PostalCode, &c.City, &c.Access, &c.ContractNumber, &c.InvoiceReference, &c.Status,
		&reportedBy, &c.RegisteredAt, &completed, &c.UpdatedAt, &c.RepeatFault,
		&c.Costs[0], &c.Costs[1], &c.Costs[2], &c.Costs[3], &news,
		&c.VisibleActions, &c.Files, &note}
	return dest, func() {
		c.AssetID = asset.Int64
		c.ReportedBy = reportedBy.Int64
		c.CompletedAt = completed.Time
		c.CustomerNewsAt = news.Time
		c.DeliveryNoteID = note.Int64
		// Huvudnyckel never leaves the store readable: the real value is
		// sealed, and only the operations layer opens it (CaseAccess).
		c.Access = repair.MaskAccess(c.Access)
	}
}

// nextNumber hands out the next value of the named counter inside tx:
// from the group's numbers in a group transaction (groupnumbers.go).
func (tx *Tx) nextNumber(ctx context.Context, name string) (int64, error) {
	if tx.numbers != nil {
		return tx.numbers.take(ctx, tx, name)
	}
	return tx.upsertNumber(ctx, name)
}

// upsertNumber takes the next value of the named counter in the counters
// table.
func (tx *Tx) upsertNumber(ctx context.Context, name string) (int64, error) {
	var v int64
	err := tx.queryRow(ctx, `
		INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
		RETURNING value`, name).Scan(&v)
	return v, err
}

// The year's case numbers. On SQLite the next is the year's counter row,
// taken inside the transaction (nextCaseNumber): the one writer holds the
// database anyway, and the series is gap-free. On PostgreSQL a counter
// row would be locked by every save from its update to its commit, so
// that concurrent saves committed one after the other; the case's INSERT
// takes the next from the year's sequence (caseSequence,
// case_number_2026) without waiting, and a save that fails leaves a gap
// in the series instead. The sequence is made at the year's first case,
// continuing its counter (what a seed or an older version left there).

// nextCaseNumber hands out the next number of the year's series on
// SQLite.
func (tx *Tx) nextCaseNumber(ctx context.Context, year int) (int64, error) {
	return tx.nextNumber(ctx, fmt.Sprintf("case-%d", year))
}

// caseSequence is the name of the year's sequence of case numbers on
// PostgreSQL, made if it is not there; the case's INSERT takes its
// number from it (CreateCase).
func (tx *Tx) caseSequence(ctx context.Context, year int) (string, error) {
	seq := caseSequenceName(year)
	if _, known := tx.sequences.Load(seq); !known {
		// Known to be there once this transaction has committed; until
		// then other transactions see no sequence and make their own
		// attempt.
		if err := tx.createSequence(ctx, seq, fmt.Sprintf("case-%d", year)); err != nil {
			return "", err
		}
		tx.madeSequences = append(tx.madeSequences, seq)
	}
	return seq, nil
}

// caseSequenceName is the name of the year's sequence of case numbers on
// PostgreSQL, case_number_2026.
func caseSequenceName(year int) string { return fmt.Sprintf("case_number_%d", year) }

// caseNumber is a case's number: the year and its number in the year's
// series, at least five digits.
func caseNumber(year int, n int64) string { return fmt.Sprintf("%d-%05d", year, n) }

// caseNumberSQL is caseNumber in PostgreSQL, of the year (text) and the
// number v.
const caseNumberSQL = `?::text || '-' || CASE WHEN v < 100000 THEN lpad(v::text, 5, '0') ELSE v::text END`

// createSequence makes the sequence seq, continuing the counter, unless
// it is there. Two instances may make it at once: the one that loses
// finds it made, in a savepoint that keeps the transaction usable.
func (tx *Tx) createSequence(ctx context.Context, seq, counter string) error {
	var last int64
	if err := tx.queryRow(ctx, `SELECT COALESCE((SELECT value FROM counters WHERE name = ?), 0)`, counter).Scan(&last); err != nil {
		return fmt.Errorf("store: case number series %s: %w", seq, err)
	}
	if err := tx.exec(ctx, `SAVEPOINT case_number`); err != nil {
		return err
	}
	// seq is made of a year, never of input; a sequence takes no
	// placeholder for its name or start.
	created := tx.exec(ctx, fmt.Sprintf(`CREATE SEQUENCE IF NOT EXISTS %s START WITH %d`, seq, last+1))
	if created != nil {
		// Made by another transaction meanwhile, or not made at all.
		if err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT case_number`); err != nil {
			return err
		}
		var there bool
		if err := tx.queryRow(ctx, `SELECT to_regclass(?) IS NOT NULL`, seq).Scan(&there); err != nil || !there {
			return fmt.Errorf("store: case number series %s: %w", seq, created)
		}
	}
	return tx.exec(ctx, `RELEASE SAVEPOINT case_number`)
}

// CreateCase inserts c with a new case number and writes the first entry of
// its status history, in one transaction. RegisteredAt defaults to now;
// Status to Registrerad.
func (tx *Tx) CreateCase(ctx context.Context, c *repair.Case) error {
	if c.RegisteredAt.IsZero() {
		c.RegisteredAt = tx.now
	}
	c.RegisteredAt = c.RegisteredAt.UTC()
	if c.Status == "" {
		c.Status = repair.StatusRegistered
	}
	c.UpdatedAt = tx.now
	year := c.RegisteredAt.In(repair.Stockholm).Year()
	var seq string // PostgreSQL's sequence of the year's numbers
	if tx.d.name == "postgres" {
		var err error
		if seq, err = tx.caseSequence(ctx, year); err != nil {
			return fmt.Errorf("store: create case: number: %w", err)
		}
	} else {
		n, err := tx.nextCaseNumber(ctx, year)
		if err != nil {
			return fmt.Errorf("store: create case: number: %w", err)
		}
		c.Number = caseNumber(year, n)
	}
	// The machine's Objekttyp and Fabrikat go with the case (caseKeys),
	// and whether it is a repeat fault: the machine had a case completed
	// in the 90 days before this one was filed. A machine that is not
	// there leaves them empty, and the insert refuses it.
	var kind, brand string
	var repeat bool
	if c.AssetID != 0 {
		err := tx.queryRow(ctx, `
			SELECT a.kind, a.brand, EXISTS (SELECT 1 FROM cases p
				WHERE p.asset_id = a.id AND p.completed_at >= ? AND p.completed_at <= ?)
			FROM assets a
			WHERE a.id = ?`,
			c.RegisteredAt.Add(-repair.RepeatWindow), c.RegisteredAt, c.AssetID).Scan(&kind, &brand, &repeat)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: create case: machine: %w", err)
		}
	}
	c.RepeatFault = repeat
	args := caseValues(c, kind, brand)
	var err error
	if tx.d.name == "postgres" {
		// The number, the case and the first entry of its history in one
		// statement, a round trip for the number less for every save
		// (PostgreSQL's saves spend their time in round trips,
		// docs/PERFORMANCE.md): the number comes from the year's
		// sequence in the statement, and the text for Fritext begins
		// with it.
		pgArgs := append([]any{strconv.Itoa(year), seq}, args[1:]...)
		err = tx.queryRow(ctx, insertCasePostgres, append(pgArgs, c.Status, c.RegisteredAt, nullID(c.ReportedBy))...).
			Scan(&c.ID, &c.Number)
	} else {
		c.ID, err = tx.insert(ctx, insertCaseSQLite, args...)
		if err == nil {
			err = tx.addStatusChange(ctx, c.ID, c.Status, c.ReportedBy, c.RegisteredAt, "")
		}
	}
	if err != nil {
		return fmt.Errorf("store: create case: %w", tx.d.mapErr(err))
	}
	tx.newCases = append(tx.newCases, c.ID)
	// A new case has no share and no totals yet, unless it was filed as
	// completed (an import of history), which counts at once; either way
	// the customer's searches count it.
	tx.changed = append(tx.changed, changedCase{id: c.ID, fresh: c.CompletedAt.IsZero(), customer: c.CustomerID})
	return nil
}

// caseValues are the values of insertCase's columns for c, whose
// machine has the Objekttyp kind and the Fabrikat brand. The case's text
// for Fritext is Fold(number + " " + title + " " + description): the
// number, which Fold leaves as it is, and the rest, folded after a digit
// that stands in for the number (on PostgreSQL CreateCase makes the
// number in the INSERT, and c.Number is empty).
func caseValues(c *repair.Case, kind, brand string) []any {
	text := caseText(c)
	return []any{c.Number, c.CustomerID, nullID(c.AssetID), c.Type, c.Title, c.Description, c.SiteName, c.Street,
		c.ReporterName, c.ReporterPhone, c.SitePhone1, c.SitePhone2, c.PostalCode, c.City, c.Access,
		c.ContractNumber, c.InvoiceReference, c.Status, Fold(c.InvoiceReference), Fold(c.Street), streetNameKey(c.Street),
		c.Number + text,
		nullID(c.ReportedBy), c.RegisteredAt, nullTime(c.CompletedAt), c.UpdatedAt, c.AccessSealed, c.RepeatFault,
		Fold(c.City), kind, brand, Fold(kind), Fold(brand)}
}

// caseText is the case's text for Fritext after its number.
func caseText(c *repair.Case) string { return Fold("0 " + c.Title + " " + c.Description)[1:] }

// insertCase starts the insert of a case's columns, in the order of
// CreateCase's arguments; its VALUES follow.
const insertCase = `
		INSERT INTO cases (number, customer_id, asset_id, type, title, description, site_name, street,
			reporter_name, reporter_phone, site_phone1, site_phone2, postal_code, city, access,
			contract_number, invoice_reference, status, ref_key, street_key, street_name_key, search_text,
			reported_by, registered_at, completed_at, updated_at, access_sealed, repeat_fault,
			city_key, asset_kind, asset_brand, kind_key, brand_key)`

// insertColumns are insertCase's columns, in order: what caseValues gives
// values of.
var insertColumns = func() []string {
	list := insertCase[strings.Index(insertCase, "(")+1 : strings.LastIndex(insertCase, ")")]
	columns := strings.Split(list, ",")
	for i, c := range columns {
		columns[i] = strings.TrimSpace(c)
	}
	return columns
}()

// insertValues is a value for each of insertCase's columns, joined: the
// expression set gives for the column's name, else value(column).
func insertValues(set map[string]string, value func(column string) string) string {
	values := make([]string, len(insertColumns))
	for i, c := range insertColumns {
		values[i] = value(c)
		if v, ok := set[c]; ok {
			values[i] = v
		}
	}
	return strings.Join(values, ", ")
}

// casePlaceholders is the values of insertCase, a placeholder each but
// where set names another expression.
func casePlaceholders(set map[string]string) string {
	return insertValues(set, func(string) string { return "?" })
}

// insertCaseSQLite is CreateCase's insert of the case on SQLite.
var insertCaseSQLite = insertCase + "\n\t\tVALUES (" + casePlaceholders(nil) + ")"

// insertCasePostgres is CreateCase's statement on PostgreSQL: the
// year's next number (year and sequence), the case with its number and
// its Fritext text after the number (the rest of insertCase's values),
// and the first entry of its history (status, time, by whom); it returns
// the case's id and number.
var insertCasePostgres = `
		WITH n AS (SELECT ` + caseNumberSQL + ` AS number FROM (SELECT nextval(?::regclass) AS v) s),
		c AS (` + insertCase + `
			SELECT ` + casePlaceholders(map[string]string{"number": "n.number", "search_text": "n.number || ?"}) + ` FROM n
			RETURNING id, number)
		` + insertStatusChange + `
		SELECT c.id, ?, ?, ?, '' FROM c
		RETURNING case_id, (SELECT number FROM c)`

// insertStatusChange starts the insert of an entry of a case's status
// history; its VALUES follow.
const insertStatusChange = `INSERT INTO case_status_history (case_id, status, changed_at, changed_by, note)`

func (tx *Tx) addStatusChange(ctx context.Context, caseID int64, s repair.Status, by int64, at time.Time, note string) error {
	return tx.exec(ctx, insertStatusChange+`
		VALUES (?, ?, ?, ?, ?)`, caseID, s, at, nullID(by), note)
}

// SetCaseStatus moves a case to status to, if the domain allows the step,
// and records it in the history. Utförd sets the completion time that lead
// times use; Fakturerad keeps it; any other status clears it. at is when it
// happened (zero means now).
func (tx *Tx) SetCaseStatus(ctx context.Context, caseID int64, to repair.Status, by int64, note string, at time.Time) error {
	var from repair.Status
	if err := tx.queryRow(ctx, `SELECT status FROM cases WHERE id = ?`, caseID).Scan(&from); err != nil {
		return fmt.Errorf("store: set case status: %w", tx.d.mapErr(err))
	}
	if !repair.CanTransition(from, to) {
		return fmt.Errorf("store: set case status %s → %s: %w", from, to, repair.ErrConflict)
	}
	if at.IsZero() {
		at = tx.now
	}
	at = at.UTC()
	var completed sql.NullTime
	switch to {
	case repair.StatusCompleted:
		completed = nullTime(at)
	case repair.StatusInvoiced:
		if err := tx.queryRow(ctx, `SELECT completed_at FROM cases WHERE id = ?`, caseID).Scan(&completed); err != nil {
			return fmt.Errorf("store: set case status: %w", err)
		}
	}
	if err := tx.changeCase(ctx, caseID, func() error {
		return tx.exec(ctx, `
			UPDATE cases
			SET status = ?, updated_at = ?, completed_at = ?
			WHERE id = ?`, to, tx.now, completed, caseID)
	}); err != nil {
		return fmt.Errorf("store: set case status: %w", err)
	}
	if err := tx.addStatusChange(ctx, caseID, to, by, at, note); err != nil {
		return fmt.Errorf("store: set case status: %w", err)
	}
	return nil
}

// Case returns the case with id if scope may see it; otherwise
// repair.ErrNotFound, exactly as for a missing one.
func (db *DB) Case(ctx context.Context, scope repair.Scope, id int64) (repair.Case, error) {
	var c repair.Case
	if err := db.readTogether(ctx, caseRead(scope, id, &c)); err != nil {
		return c, fmt.Errorf("store: case %d: %w", id, db.d.mapErr(err))
	}
	return c, nil
}

func caseRead(scope repair.Scope, id int64, out *repair.Case) aRead {
	return readOne(out, scanCase, `
		SELECT `+caseColumns+caseFrom+`
		WHERE c.id = ?
		  AND `+scopeCase(scope, "c"), id)
}

// CaseDetail is a case with what its page shows of it.
type CaseDetail struct {
	Case       repair.Case
	History    []repair.StatusChange
	WorkOrders []repair.WorkOrder
	Actions    []repair.Action
	Costs      []repair.CostLine
	Files      []repair.File
}

// CaseDetail returns case id, if scope may see it, with its status
// history, work orders, actions, cost lines and files as scope sees them
// (a customer's hides internal actions and costs), read together
// (together.go); a case scope may not see is repair.ErrNotFound, exactly
// as a missing one.
func (db *DB) CaseDetail(ctx context.Context, scope repair.Scope, id int64) (CaseDetail, error) {
	var d CaseDetail
	err := db.readTogether(ctx,
		caseRead(scope, id, &d.Case),
		statusHistoryRead(scope, id, &d.History),
		workOrdersRead(scope, id, &d.WorkOrders),
		actionsRead(scope, id, &d.Actions),
		costLinesRead(scope, id, &d.Costs),
		caseFilesRead(scope, id, &d.Files))
	if err != nil {
		return CaseDetail{}, fmt.Errorf("store: case %d: %w", id, db.d.mapErr(err))
	}
	return d, nil
}

// Case is case id as this transaction sees it, for what the change
// writes beside it (its mails).
func (tx *Tx) Case(ctx context.Context, id int64) (repair.Case, error) {
	c, err := scanCase(tx.queryRow(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("store: case %d: %w", id, tx.d.mapErr(err))
	}
	return c, nil
}

// CasesByStatus lists cases in status that scope may see, newest first, at
// most limit: the order system's queues.
func (db *DB) CasesByStatus(ctx context.Context, scope repair.Scope, status repair.Status, limit int) ([]repair.Case, error) {
	cond, args := statusIs("c.status", status)
	rows, err := db.query(ctx, `
		SELECT `+caseColumns+caseFrom+`
		WHERE `+cond+`
		  AND `+scopeCase(scope, "c")+`
		ORDER BY c.registered_at DESC, c.id DESC
		`+limitRows(limit), args...)
	out, err := collect(rows, err, newCaseScanner().scan)
	if err != nil {
		return nil, fmt.Errorf("store: cases by status: %w", err)
	}
	return out, nil
}

// AssetCases lists the cases on an asset, newest first, if scope may see it.
func (db *DB) AssetCases(ctx context.Context, scope repair.Scope, assetID int64) ([]repair.Case, error) {
	rows, err := db.query(ctx, `
		SELECT `+caseColumns+caseFrom+`
		WHERE c.asset_id = ?
		  AND `+scopeCase(scope, "c")+`
		ORDER BY c.registered_at DESC, c.id DESC`, assetID)
	out, err := collect(rows, err, newCaseScanner().scan)
	if err != nil {
		return nil, fmt.Errorf("store: asset cases: %w", err)
	}
	return out, nil
}

// StatusHistory lists a case's status changes in order, if scope may see
// the case.
func (db *DB) StatusHistory(ctx context.Context, scope repair.Scope, caseID int64) ([]repair.StatusChange, error) {
	var out []repair.StatusChange
	if err := db.readTogether(ctx, statusHistoryRead(scope, caseID, &out)); err != nil {
		return nil, fmt.Errorf("store: status history: %w", err)
	}
	return out, nil
}

func statusHistoryRead(scope repair.Scope, caseID int64, out *[]repair.StatusChange) aRead {
	return readList(out, scanStatusChange, `
		SELECT h.status, h.changed_at, COALESCE(u.name, ''), h.note
		FROM case_status_history h
		JOIN cases c ON c.id = h.case_id
		LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.case_id = ?
		  AND `+scopeCase(scope, "c")+`
		ORDER BY h.changed_at, h.id`, caseID)
}

func scanStatusChange(r rowScanner) (repair.StatusChange, error) {
	var s repair.StatusChange
	err := r.Scan(&s.Status, &s.ChangedAt, &s.ChangedBy, &s.Note)
	return s, err
}

// SubmittedCase returns the id of the case a form submission with token
// created, or repair.ErrNotFound if none did.
func (tx *Tx) SubmittedCase(ctx context.Context, token string) (int64, error) {
	return submittedCase(tx.d, tx.queryRow(ctx, submittedCaseSQL, token))
}

// submittedCaseSQL reads the case a form's token filed, in a write
// transaction (SubmittedCase) or before one (DB.fileChecked).
const submittedCaseSQL = `SELECT case_id FROM case_submissions WHERE token = ?`

// submittedCase scans submittedCaseSQL's row.
func submittedCase(d dialect, row *sql.Row) (int64, error) {
	var id int64
	if err := row.Scan(&id); err != nil {
		return 0, fmt.Errorf("store: submitted case: %w", d.mapErr(err))
	}
	return id, nil
}

// RecordSubmission ties a form token to the case it created. A second
// record of the same token gives repair.ErrConflict, so two racing submits
// cannot both create a case.
func (tx *Tx) RecordSubmission(ctx context.Context, token string, caseID int64) error {
	if err := tx.exec(ctx, `INSERT INTO case_submissions (token, case_id) VALUES (?, ?)`, token, caseID); err != nil {
		return fmt.Errorf("store: record submission: %w", err)
	}
	return nil
}

// RememberInvoiceReference keeps a customer's Fakturamärkning for the form
// to offer later.
func (tx *Tx) RememberInvoiceReference(ctx context.Context, customerID int64, value string) error {
	if value == "" {
		return nil
	}
	if err := tx.exec(ctx, `
		INSERT INTO invoice_references (customer_id, value, last_used_at)
		VALUES (?, ?, ?)
		ON CONFLICT (customer_id, value) DO UPDATE SET last_used_at = excluded.last_used_at`,
		customerID, value, tx.now); err != nil {
		return fmt.Errorf("store: remember invoice reference: %w", err)
	}
	tx.touch(customerID) // the list InvoiceReferences keeps
	return nil
}

// InvoiceReferences lists the Fakturamärkning values the customer has
// used, most recent first.
func (db *DB) InvoiceReferences(ctx context.Context, scope repair.Scope, customerID int64, limit int) ([]string, error) {
	// Kept until the customer's next change (countcache.go): the list
	// is on every Sök ärende and Nytt ärende page.
	key, version, now := fmt.Sprintf("%+v|%d|%d", scope, customerID, limit), db.changes.version(repair.CustomerScope(customerID)), db.now()
	if refs, ok := db.refs.get(key, version, now); ok {
		return slices.Clone(refs), nil
	}
	rows, err := db.query(ctx, `
		SELECT value
		FROM invoice_references
		WHERE customer_id = ?
		  AND `+scopeCustomerOwned(scope, "customer_id")+`
		ORDER BY last_used_at DESC, value
		`+limitRows(limit), customerID)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var v string
		return v, r.Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("store: invoice references: %w", err)
	}
	db.refs.put(key, out, version, now)
	return slices.Clone(out), nil
}

// AddCaseNote writes a note into the case's history under its current
// status: information added without a change of status.
func (tx *Tx) AddCaseNote(ctx context.Context, caseID, by int64, note string) error {
	var st repair.Status
	if err := tx.queryRow(ctx, `SELECT status FROM cases WHERE id = ?`, caseID).Scan(&st); err != nil {
		return fmt.Errorf("store: case note: %w", tx.d.mapErr(err))
	}
	if err := tx.addStatusChange(ctx, caseID, st, by, tx.now, note); err != nil {
		return fmt.Errorf("store: case note: %w", err)
	}
	return tx.exec(ctx, `UPDATE cases SET updated_at = ? WHERE id = ?`, tx.now, caseID)
}

// SetCustomerNews marks (or, with news false, clears) that the customer
// has added something the office has not yet seen.
func (tx *Tx) SetCustomerNews(ctx context.Context, caseID int64, news bool) error {
	var at sql.NullTime
	if news {
		at = nullTime(tx.now)
	}
	var customer int64
	if err := tx.queryRow(ctx, `UPDATE cases SET customer_news_at = ? WHERE id = ? RETURNING customer_id`, at, caseID).Scan(&customer); err != nil {
		return fmt.Errorf("store: customer news: %w", tx.d.mapErr(err))
	}
	tx.touch(customer) // the office's Nytt från kund filter
	return nil
}
