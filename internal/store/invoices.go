package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"kundportal/internal/repair"
)

// WorkQuery selects a customer's billable work: the customer-visible cost
// lines on the work orders of its completed cases. A case is billed as a
// whole, in the period it was completed, so that the Fakturaspecifikation
// of a month and the Dashboard's Kostnader of that month are the same
// lines.
type WorkQuery struct {
	CustomerID int64
	// From and To bound the cases' completion, [From, To); zero times
	// leave that side open.
	From, To time.Time
	// Uninvoiced keeps only the work orders not yet invoiced.
	Uninvoiced bool
	// Status, when set, keeps only the cases in it: Kommande, the work
	// not yet invoiced of any period, reads the cases still Utförd
	// through the (customer, status) index.
	Status repair.Status
	// ByReference keeps only the cases whose Fakturamärkning folds to
	// Reference's ("" for the cases without one).
	ByReference bool
	Reference   string
}

// where is the query's conditions on cases c and work orders w.
func (q WorkQuery) where(scope repair.Scope) ([]string, []any) {
	where, args := q.caseWhere(scope)
	return append(where, q.workOrderWhere()...), args
}

// caseWhere is the query's conditions on cases c.
func (q WorkQuery) caseWhere(scope repair.Scope) ([]string, []any) {
	where := []string{"c.customer_id = ?", "c.completed_at IS NOT NULL", scopeCase(scope, "c"), scopeInvoice(scope, "c.customer_id")}
	args := []any{q.CustomerID}
	if !q.From.IsZero() {
		where, args = append(where, "c.completed_at >= ?"), append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where, args = append(where, "c.completed_at < ?"), append(args, q.To.UTC())
	}
	if q.Status != "" {
		cond, statusArgs := statusIs("c.status", q.Status)
		where, args = append(where, cond), append(args, statusArgs...)
	}
	if q.ByReference {
		where, args = append(where, "c.ref_key = ?"), append(args, Fold(q.Reference))
	}
	return where, args
}

// workOrderWhere is the query's conditions on the cases' work orders w.
func (q WorkQuery) workOrderWhere() []string {
	where := []string{"w.status IN ('done', 'cancelled')"}
	if q.Uninvoiced {
		where = append(where, "w.invoice_id IS NULL")
	}
	return where
}

// ReferenceWork is what one Fakturamärkning's cases add to a
// specification: the cases with lines and the lines' sums by kind.
type ReferenceWork struct {
	Reference                   string // the greatest spelling, as the Dashboard names it
	Cases                       int
	Labour, Parts, Travel, Fees int64
	Total                       int64
}

// WorkByReference sums the lines Work would list per Fakturamärkning, in
// the database: a month of a large customer's specification without
// sending its tens of thousands of lines to Go.
func (db *DB) WorkByReference(ctx context.Context, scope repair.Scope, q WorkQuery) ([]ReferenceWork, error) {
	where, args := q.where(scope)
	rows, err := db.query(ctx, `
		SELECT max(c.invoice_reference), count(DISTINCT c.id),
			COALESCE(sum(CASE WHEN l.kind = 'labour' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind = 'part' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind = 'travel' THEN l.amount_ore END), 0),
			COALESCE(sum(CASE WHEN l.kind NOT IN ('labour', 'part', 'travel') THEN l.amount_ore END), 0),
			sum(l.amount_ore)
		FROM cases c
		JOIN work_orders w ON w.case_id = c.id
		JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY c.ref_key
		ORDER BY c.ref_key`, args...)
	out, err := collect(rows, err, func(r rowScanner) (ReferenceWork, error) {
		var w ReferenceWork
		return w, r.Scan(&w.Reference, &w.Cases, &w.Labour, &w.Parts, &w.Travel, &w.Fees, &w.Total)
	})
	if err != nil {
		return nil, fmt.Errorf("store: work by reference: %w", err)
	}
	return out, nil
}

// CasePage is a page of a WorkQuery's cases that have lines, in
// completion order: at most Limit cases right after the case After, or,
// when Before is set, right before the case Before (case ids, of q's
// customer; another's reads as a case that is not there, an empty page).
type CasePage struct {
	Limit         int
	After, Before int64
}

// WorkPage lists the lines of one page of the cases q selects, as Work
// does, and says whether there are more cases past the page (before it,
// for p.Before). A page of one Fakturamärkning's month is read through the
// (customer, Fakturamärkning, completed) index and costs the same at its
// first page and its hundredth.
func (db *DB) WorkPage(ctx context.Context, scope repair.Scope, q WorkQuery, p CasePage) (lines []repair.InvoicedLine, more bool, err error) {
	if p.Limit <= 0 {
		return nil, false, fmt.Errorf("store: work page of %d cases", p.Limit)
	}
	return db.workPage(ctx, scope, q, p)
}

// Work lists the work q selects, in Fakturamärkning, completion (case)
// and work order order. ids are the work orders not yet invoiced that an
// invoice run would mark: every done one, and a cancelled one only when
// it has lines (a charge for a visit that came to nothing). Each line's
// InvoiceReference is its Fakturamärkning as the Dashboard names it, one
// spelling per folded key, and InvoiceNumber the invoice that billed it,
// if one has.
func (db *DB) Work(ctx context.Context, scope repair.Scope, q WorkQuery) (ids []int64, lines []repair.InvoicedLine, err error) {
	where, args := q.where(scope)
	rows, err := db.query(ctx, `
		SELECT w.id, w.status, COALESCE(i.number, ''), c.id, c.number, w.number, c.title, COALESCE(a.number, ''), c.street,
			c.invoice_reference, c.ref_key, c.contract_number, c.completed_at,
			COALESCE(l.kind, ''), COALESCE(l.description, ''), COALESCE(l.quantity_milli, 0), COALESCE(l.unit_price_ore, 0),
			COALESCE(l.amount_ore, 0), l.id
		FROM cases c
		JOIN work_orders w ON w.case_id = c.id
		LEFT JOIN invoices i ON i.id = w.invoice_id
		LEFT JOIN assets a ON a.id = c.asset_id
		LEFT JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY c.ref_key, c.completed_at, c.id, w.number, l.id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: work: %w", err)
	}
	defer rows.Close()
	var keys []string // each line's folded Fakturamärkning
	label := map[string]string{}
	lastWO, lastHadLines, lastOpen := int64(0), false, false
	var lastStatus repair.WorkOrderStatus
	flush := func() {
		if lastOpen && (lastStatus == repair.WorkOrderDone || lastHadLines) {
			ids = append(ids, lastWO)
		}
	}
	for rows.Next() {
		var l repair.InvoicedLine
		var st repair.WorkOrderStatus
		var key string
		var done time.Time
		var lineID sql.NullInt64
		if err := rows.Scan(&l.WorkOrderID, &st, &l.InvoiceNumber, &l.CaseID, &l.CaseNumber, &l.WorkOrderNumber, &l.CaseTitle,
			&l.AssetNumber, &l.Street, &l.InvoiceReference, &key, &l.ContractNumber, &done, &l.Kind, &l.Description,
			&l.QuantityMilli, &l.UnitPriceOre, &l.AmountOre, &lineID); err != nil {
			return nil, nil, fmt.Errorf("store: work: %w", err)
		}
		// A work order's lines come together.
		if l.WorkOrderID != lastWO {
			flush()
			lastWO, lastHadLines, lastOpen, lastStatus = l.WorkOrderID, false, l.InvoiceNumber == "", st
		}
		if !lineID.Valid {
			continue
		}
		lastHadLines = true
		l.CompletedOn = done.In(repair.Stockholm).Format(time.DateOnly)
		l.Rate = repair.VATStandard
		// The Dashboard names a key by its greatest spelling.
		if l.InvoiceReference > label[key] {
			label[key] = l.InvoiceReference
		}
		keys = append(keys, key)
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: work: %w", err)
	}
	flush()
	for i := range lines {
		lines[i].InvoiceReference = label[keys[i]]
	}
	return ids, lines, nil
}

// workPage is WorkPage: the page's cases, in the order of their index,
// and then the lines of their work orders, each read once (a case's
// columns with every one of its lines were most of what the page read).
//
// Which cases have lines is told by their lines' read, not tested case
// by case in the cases' read: that test, a look-up of each case's work
// orders and their lines in the middle of the index's walk, was a third
// of the cases' read at a million cases (docs/PERFORMANCE.md), and the
// lines' read looks the same rows up anyway. So the cases are read a
// page and one at a time, those without lines are dropped, and only when
// some were is more read, from where the read stopped.
func (db *DB) workPage(ctx context.Context, scope repair.Scope, q WorkQuery, p CasePage) ([]repair.InvoicedLine, bool, error) {
	want := p.Limit + 1 // and one more, to tell whether there are more
	page := make([]workCase, 0, want)
	from, read := p.After, 0
	if p.Before != 0 {
		from = p.Before
	}
	for n := want; ; {
		cases, err := db.workCases(ctx, scope, q, p.Before != 0, from, n)
		if err != nil {
			return nil, false, err
		}
		if err := db.workCaseLines(ctx, q, cases); err != nil {
			return nil, false, err
		}
		for _, c := range cases {
			if len(c.lines) > 0 && len(page) < want {
				page = append(page, c)
			}
		}
		read += len(cases)
		if len(page) == want || len(cases) < n {
			break
		}
		// As many more as the share of cases with lines so far says the
		// page still needs, and a quarter more; rounded up to a power of
		// two, so that the reads are a few statements.
		need := want - len(page)
		n = min(1<<bits.Len(uint(need*read/max(len(page), 1)+need/4)), maxWorkRead)
		from = cases[len(cases)-1].line.CaseID
	}
	// The one case past the page is the last read, either way.
	more := len(page) > p.Limit
	if more {
		page = page[:p.Limit]
	}
	if p.Before != 0 {
		slices.Reverse(page)
	}
	// Each Fakturamärkning named by its greatest spelling, as Work does.
	label := map[string]string{}
	count := 0
	for _, c := range page {
		label[c.key] = max(label[c.key], c.line.InvoiceReference)
		count += len(c.lines)
	}
	lines := make([]repair.InvoicedLine, 0, count)
	for _, c := range page {
		for _, l := range c.lines {
			x := c.line
			x.InvoiceReference = label[c.key]
			x.WorkOrderID, x.InvoiceNumber, x.WorkOrderNumber = l.WorkOrderID, l.InvoiceNumber, l.WorkOrderNumber
			x.Kind, x.Description, x.QuantityMilli, x.UnitPriceOre, x.AmountOre = l.Kind, l.Description, l.QuantityMilli, l.UnitPriceOre, l.AmountOre
			lines = append(lines, x)
		}
	}
	return lines, more, nil
}

// maxWorkRead bounds one read of workPage's cases, and so its IN list.
const maxWorkRead = 1024

// A workCase is a case of a page of work: its part of each of its lines,
// its folded Fakturamärkning, and its lines' own parts.
type workCase struct {
	line  repair.InvoicedLine
	key   string
	lines []workLine
}

// A workLine is a line's own part of a repair.InvoicedLine.
type workLine struct {
	WorkOrderID                            int64
	InvoiceNumber, WorkOrderNumber         string
	Kind                                   repair.CostKind
	Description                            string
	QuantityMilli, UnitPriceOre, AmountOre int64
}

// workCases reads the next n cases q selects in the order of their index
// after the case from (0: from the start), or before it, backwards, with
// or without lines.
func (db *DB) workCases(ctx context.Context, scope repair.Scope, q WorkQuery, backwards bool, from int64, n int) ([]workCase, error) {
	where, args := q.caseWhere(scope)
	dir, op := "", ">"
	if backwards {
		dir, op = " DESC", "<"
	}
	if from != 0 {
		where = append(where, "(c.completed_at, c.id) "+op+" (SELECT f.completed_at, f.id FROM cases f WHERE f.id = ? AND f.customer_id = ?)")
		args = append(args, from, q.CustomerID)
	}
	// The ids come from the index alone, and only then are their cases
	// read: reading the cases' columns in the same pass had SQLite touch
	// some 75 pages a case instead of 16 (sqlite3 .stats, at a million).
	rows, err := db.query(ctx, `
		SELECT c.id, c.number, c.title, COALESCE(a.number, ''), c.street, c.invoice_reference, c.ref_key, c.contract_number, c.completed_at
		FROM cases c
		LEFT JOIN assets a ON a.id = c.asset_id
		WHERE c.id IN (
			SELECT c.id FROM cases c
			WHERE `+strings.Join(where, " AND ")+`
			ORDER BY c.completed_at`+dir+`, c.id`+dir+`
			`+limitRows(n)+`)
		ORDER BY c.completed_at`+dir+`, c.id`+dir, args...)
	cases, err := collectN(rows, err, n, func(r rowScanner) (workCase, error) {
		var c workCase
		var done time.Time
		err := r.Scan(&c.line.CaseID, &c.line.CaseNumber, &c.line.CaseTitle, &c.line.AssetNumber, &c.line.Street,
			&c.line.InvoiceReference, &c.key, &c.line.ContractNumber, &done)
		c.line.CompletedOn, c.line.Rate = done.In(repair.Stockholm).Format(time.DateOnly), repair.VATStandard
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: work page: %w", err)
	}
	return cases, nil
}

// workCaseLines reads the lines of the work orders q selects of cases,
// each case's in work order and line order.
func (db *DB) workCaseLines(ctx context.Context, q WorkQuery, cases []workCase) error {
	if len(cases) == 0 {
		return nil
	}
	at := make(map[int64]int, len(cases))
	ids := make([]int64, len(cases))
	for i, c := range cases {
		at[c.line.CaseID], ids[i] = i, c.line.CaseID
	}
	in, args := db.d.inIDs("w.case_id", ids)
	rows, err := db.query(ctx, `
		SELECT w.case_id, w.id, COALESCE(i.number, ''), w.number,
			l.kind, l.description, l.quantity_milli, l.unit_price_ore, l.amount_ore
		FROM work_orders w
		JOIN cost_lines l ON l.work_order_id = w.id AND l.customer_visible
		LEFT JOIN invoices i ON i.id = w.invoice_id
		WHERE `+in+` AND `+strings.Join(q.workOrderWhere(), " AND ")+`
		ORDER BY w.case_id, w.number, l.id`, args...)
	if err != nil {
		return fmt.Errorf("store: work page: %w", err)
	}
	defer rows.Close()
	// The lines come case by case (in the order of their ids), each
	// case's lines a part of one slice.
	parts := make([]workLine, 0, 4*len(cases))
	start, last := 0, -1
	end := func() {
		if last >= 0 {
			cases[last].lines = parts[start:len(parts):len(parts)]
		}
	}
	for rows.Next() {
		var caseID int64
		var l workLine
		if err := rows.Scan(&caseID, &l.WorkOrderID, &l.InvoiceNumber, &l.WorkOrderNumber,
			&l.Kind, &l.Description, &l.QuantityMilli, &l.UnitPriceOre, &l.AmountOre); err != nil {
			return fmt.Errorf("store: work page: %w", err)
		}
		if i := at[caseID]; i != last {
			end()
			start, last = len(parts), i
		}
		parts = append(parts, l)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: work page: %w", err)
	}
	end()
	return nil
}

// CreateInvoice issues inv with the next number of the gap-free series,
// with its lines, and marks the work orders in ids as invoiced by it; a
// work order already on an invoice (another run got there first) fails
// the whole transaction with repair.ErrConflict. A case whose work orders
// are all invoiced becomes Fakturerad.
func (tx *Tx) CreateInvoice(ctx context.Context, inv *repair.Invoice, ids []int64) error {
	seq, err := tx.nextNumber(ctx, "invoice")
	if err != nil {
		return fmt.Errorf("store: create invoice: number: %w", err)
	}
	inv.Number = fmt.Sprintf("%d", 100000+seq)
	inv.CreatedAt = tx.now
	t := inv.Totals
	if inv.ID, err = tx.insert(ctx, `
		INSERT INTO invoices (customer_id, number, credits_id, invoice_date, due_date, period_from, period_to,
			customer_name, org_number, invoice_address, net_ore, vat_ore, rounding_ore, to_pay_ore, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.CustomerID, inv.Number, nullID(inv.CreditsID), inv.InvoiceDate, inv.DueDate, inv.PeriodFrom, inv.PeriodTo,
		inv.CustomerName, inv.OrgNumber, inv.InvoiceAddress, t.NetOre, t.VATOre, t.RoundingOre, t.ToPayOre,
		nullID(inv.CreatedBy), inv.CreatedAt); err != nil {
		return fmt.Errorf("store: create invoice: %w", tx.d.mapErr(err))
	}
	for _, l := range inv.Lines {
		if err := tx.exec(ctx, `
			INSERT INTO invoice_lines (invoice_id, work_order_id, case_id, case_number, work_order_number, case_title,
				asset_number, street, invoice_reference, contract_number, completed_on, kind, description,
				quantity_milli, unit_price_ore, amount_ore, vat_rate)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, l.WorkOrderID, l.CaseID, l.CaseNumber, l.WorkOrderNumber, l.CaseTitle, l.AssetNumber, l.Street,
			l.InvoiceReference, l.ContractNumber, l.CompletedOn, l.Kind, l.Description, l.QuantityMilli, l.UnitPriceOre,
			l.AmountOre, l.Rate); err != nil {
			return fmt.Errorf("store: create invoice: line: %w", err)
		}
	}
	var cases []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		var caseID int64
		err := tx.queryRow(ctx, `UPDATE work_orders SET invoice_id = ? WHERE id = ? AND invoice_id IS NULL RETURNING case_id`, inv.ID, id).Scan(&caseID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: create invoice: work order %d is already invoiced: %w", id, repair.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("store: create invoice: work order %d: %w", id, err)
		}
		if !seen[caseID] {
			seen[caseID] = true
			cases = append(cases, caseID)
		}
	}
	for _, caseID := range cases {
		var left int
		var st repair.Status
		if err := tx.queryRow(ctx, `
			SELECT (SELECT count(*) FROM work_orders w WHERE w.case_id = c.id AND w.invoice_id IS NULL AND w.status <> 'cancelled'), c.status
			FROM cases c WHERE c.id = ?`, caseID).Scan(&left, &st); err != nil {
			return fmt.Errorf("store: create invoice: case %d: %w", caseID, err)
		}
		if left == 0 && st == repair.StatusCompleted {
			if err := tx.SetCaseStatus(ctx, caseID, repair.StatusInvoiced, inv.CreatedBy, "Faktura "+inv.Number, time.Time{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReleaseInvoice frees the work orders that invoice id billed, once a
// credit note has cancelled it: they are no longer invoiced, so they can
// be corrected and billed again, and their Fakturerad cases are Utförd
// again, with their completion kept (note says why, in the history).
func (tx *Tx) ReleaseInvoice(ctx context.Context, id, by int64, note string) error {
	rows, err := tx.query(ctx, `UPDATE work_orders SET invoice_id = NULL WHERE invoice_id = ? RETURNING case_id`, id)
	cases, err := collect(rows, err, func(r rowScanner) (int64, error) {
		var c int64
		return c, r.Scan(&c)
	})
	if err != nil {
		return fmt.Errorf("store: release invoice %d: %w", id, err)
	}
	slices.Sort(cases)
	for _, caseID := range slices.Compact(cases) {
		var reopened bool
		if err := tx.changeCase(ctx, caseID, func() error {
			var back int64
			err := tx.queryRow(ctx, `UPDATE cases SET status = ?, updated_at = ? WHERE id = ? AND status = ? RETURNING id`,
				repair.StatusCompleted, tx.now, caseID, repair.StatusInvoiced).Scan(&back)
			if errors.Is(err, sql.ErrNoRows) {
				return nil // not Fakturerad: the credited invoice billed part of it
			}
			reopened = err == nil
			return err
		}); err != nil {
			return fmt.Errorf("store: release invoice %d: case %d: %w", id, caseID, err)
		}
		if reopened {
			if err := tx.addStatusChange(ctx, caseID, repair.StatusCompleted, by, tx.now, note); err != nil {
				return fmt.Errorf("store: release invoice %d: %w", id, err)
			}
		}
	}
	return nil
}

// Invoice returns the invoice or credit note with id and its lines, if
// scope may see its customer; otherwise repair.ErrNotFound.
func (db *DB) Invoice(ctx context.Context, scope repair.Scope, id int64) (repair.Invoice, error) {
	var inv repair.Invoice
	var credits, by, creditedBy sql.NullInt64
	t := &inv.Totals
	err := db.queryRow(ctx, `
		SELECT i.id, i.customer_id, i.number, i.credits_id, i.invoice_date, i.due_date, i.period_from, i.period_to,
			i.customer_name, i.org_number, i.invoice_address, i.net_ore, i.vat_ore, i.rounding_ore, i.to_pay_ore,
			i.created_by, i.created_at, cn.id, COALESCE(cn.number, ''), COALESCE(orig.number, '')
		FROM invoices i
		LEFT JOIN invoices cn ON cn.credits_id = i.id
		LEFT JOIN invoices orig ON orig.id = i.credits_id
		WHERE i.id = ? AND `+scopeInvoice(scope, "i.customer_id"), id).Scan(
		&inv.ID, &inv.CustomerID, &inv.Number, &credits, &inv.InvoiceDate, &inv.DueDate, &inv.PeriodFrom, &inv.PeriodTo,
		&inv.CustomerName, &inv.OrgNumber, &inv.InvoiceAddress, &t.NetOre, &t.VATOre, &t.RoundingOre, &t.ToPayOre, &by, &inv.CreatedAt,
		&creditedBy, &inv.CreditedBy, &inv.CreditsNumber)
	if err != nil {
		return inv, fmt.Errorf("store: invoice %d: %w", id, db.d.mapErr(err))
	}
	inv.CreditsID, inv.CreatedBy, inv.CreditedByID = credits.Int64, by.Int64, creditedBy.Int64
	rows, err := db.query(ctx, `
		SELECT work_order_id, case_id, case_number, work_order_number, case_title, asset_number, street,
			invoice_reference, contract_number, completed_on, kind, description, quantity_milli, unit_price_ore,
			amount_ore, vat_rate
		FROM invoice_lines WHERE invoice_id = ? ORDER BY id`, inv.ID)
	inv.Lines, err = collect(rows, err, func(r rowScanner) (repair.InvoicedLine, error) {
		var l repair.InvoicedLine
		err := r.Scan(&l.WorkOrderID, &l.CaseID, &l.CaseNumber, &l.WorkOrderNumber, &l.CaseTitle, &l.AssetNumber, &l.Street,
			&l.InvoiceReference, &l.ContractNumber, &l.CompletedOn, &l.Kind, &l.Description, &l.QuantityMilli,
			&l.UnitPriceOre, &l.AmountOre, &l.Rate)
		return l, err
	})
	if err != nil {
		return inv, fmt.Errorf("store: invoice %d lines: %w", id, err)
	}
	// The totals per VAT rate follow from the lines; the stored totals
	// are what was issued.
	plain := make([]repair.InvoiceLine, len(inv.Lines))
	for i, l := range inv.Lines {
		plain[i] = l.InvoiceLine
	}
	byRate, err := repair.Totals(plain)
	if err != nil {
		return inv, fmt.Errorf("store: invoice %d: %w", id, err)
	}
	inv.Totals.ByRate = byRate.ByRate
	return inv, nil
}

// Invoices lists a customer's invoices and credit notes that scope may
// see, newest first, without their lines.
func (db *DB) Invoices(ctx context.Context, scope repair.Scope, customerID int64) ([]repair.Invoice, error) {
	rows, err := db.query(ctx, `
		SELECT i.id, i.customer_id, i.number, i.credits_id, i.invoice_date, i.due_date, i.period_from, i.period_to,
			i.net_ore, i.vat_ore, i.rounding_ore, i.to_pay_ore
		FROM invoices i
		WHERE i.customer_id = ? AND `+scopeInvoice(scope, "i.customer_id")+`
		ORDER BY i.invoice_date DESC, i.id DESC`, customerID)
	out, err := collect(rows, err, func(r rowScanner) (repair.Invoice, error) {
		var inv repair.Invoice
		var credits sql.NullInt64
		t := &inv.Totals
		err := r.Scan(&inv.ID, &inv.CustomerID, &inv.Number, &credits, &inv.InvoiceDate, &inv.DueDate, &inv.PeriodFrom, &inv.PeriodTo,
			&t.NetOre, &t.VATOre, &t.RoundingOre, &t.ToPayOre)
		inv.CreditsID = credits.Int64
		return inv, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: invoices: %w", err)
	}
	return out, nil
}
