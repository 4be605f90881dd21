package store

import (
	"context"
	"fmt"
	"time"

	"kundportal/internal/repair"
)

// WorkOrderForChange reads a work order inside a write transaction and
// holds it until the transaction ends, so that a check of its state (is it
// signed? is it still open?) stays true for the change that follows.
func (tx *Tx) WorkOrderForChange(ctx context.Context, id int64) (repair.WorkOrder, error) {
	w, err := scanWorkOrder(tx.queryRow(ctx, `
		SELECT `+workOrderColumns+`
		FROM work_orders w
		LEFT JOIN users u ON u.id = w.technician_id
		WHERE w.id = ?`+tx.d.forUpdateOf("w"), id))
	if err != nil {
		return w, fmt.Errorf("store: work order %d: %w", id, tx.d.mapErr(err))
	}
	return w, nil
}

// StartWorkOrder marks a planned work order Pågående and records when the
// technician started it (the first start only).
func (tx *Tx) StartWorkOrder(ctx context.Context, id int64) error {
	if err := tx.SetWorkOrderStatus(ctx, id, repair.WorkOrderInProgress); err != nil {
		return err
	}
	if err := tx.exec(ctx, `UPDATE work_orders SET started_at = COALESCE(started_at, ?) WHERE id = ?`, tx.now, id); err != nil {
		return fmt.Errorf("store: start work order: %w", err)
	}
	return nil
}

// FinishWorkOrder marks a work order Klar with how the visit ended.
func (tx *Tx) FinishWorkOrder(ctx context.Context, id int64, outcome repair.Outcome, note string) error {
	if err := tx.SetWorkOrderStatus(ctx, id, repair.WorkOrderDone); err != nil {
		return err
	}
	if err := tx.exec(ctx, `UPDATE work_orders SET outcome = ?, outcome_note = ? WHERE id = ?`, outcome, note, id); err != nil {
		return fmt.Errorf("store: finish work order: %w", err)
	}
	return nil
}

// LockWorkOrder seals a work order's actions and costs, as its delivery
// note is signed.
func (tx *Tx) LockWorkOrder(ctx context.Context, id int64) error {
	if err := tx.exec(ctx, `UPDATE work_orders SET locked_at = ? WHERE id = ?`, tx.now, id); err != nil {
		return fmt.Errorf("store: lock work order: %w", err)
	}
	return nil
}

// UnlockWorkOrder opens a signed work order for a correction; its next
// delivery note replaces the signed one.
func (tx *Tx) UnlockWorkOrder(ctx context.Context, id int64) error {
	if err := tx.exec(ctx, `UPDATE work_orders SET locked_at = NULL WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unlock work order: %w", err)
	}
	return nil
}

// CountActions counts the actions recorded on a work order.
func (tx *Tx) CountActions(ctx context.Context, workOrderID int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT count(*) FROM actions WHERE work_order_id = ?`, workOrderID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count actions: %w", err)
	}
	return n, nil
}

// OpenWorkOrdersOfCase counts a case's work orders that are not done or
// cancelled, other than except.
func (tx *Tx) OpenWorkOrdersOfCase(ctx context.Context, caseID, except int64) (int, error) {
	var n int
	if err := tx.queryRow(ctx, `
		SELECT count(*)
		FROM work_orders
		WHERE case_id = ?
		  AND id <> ?
		  AND status IN ('planned', 'in_progress')`, caseID, except).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: open work orders of case: %w", err)
	}
	return n, nil
}

// formSubmission is the lookup of a form's one-time id, inside a write
// transaction (SubmittedForm) or before one (FormSubmission).
const formSubmission = `SELECT kind, entity_id FROM form_submissions WHERE token = ?`

// SubmittedForm returns what a form with the one-time id token created
// (its kind and record id), or repair.ErrNotFound if it has not been sent.
func (tx *Tx) SubmittedForm(ctx context.Context, token string) (kind string, id int64, err error) {
	err = tx.queryRow(ctx, formSubmission, token).Scan(&kind, &id)
	if err != nil {
		return "", 0, fmt.Errorf("store: submitted form: %w", tx.d.mapErr(err))
	}
	return kind, id, nil
}

// RecordForm ties a form's one-time id to the record it created. A second
// record of the same id gives repair.ErrConflict, so two racing resends
// cannot both create one.
func (tx *Tx) RecordForm(ctx context.Context, token, kind string, id int64) error {
	if err := tx.exec(ctx, `
		INSERT INTO form_submissions (token, kind, entity_id, created_at)
		VALUES (?, ?, ?, ?)`, token, kind, id, tx.now); err != nil {
		return fmt.Errorf("store: record form: %w", err)
	}
	return nil
}

// AgendaItem is a work order on the technician's list, with what the
// technician needs on site: the case, the machine and whose site it is.
type AgendaItem struct {
	WorkOrder    repair.WorkOrder
	Case         repair.Case
	Asset        repair.Asset // zero when the case names no machine
	CustomerName string
}

// Agenda lists the work orders scope may see that are still open and
// planned before until (so yesterday's unfinished ones come first), and
// those finished since doneSince, in planned order. The (technician_id,
// planned_start) index serves a technician's scope.
func (db *DB) Agenda(ctx context.Context, scope repair.Scope, until, doneSince time.Time) ([]AgendaItem, error) {
	rows, err := db.query(ctx, `
		SELECT `+workOrderColumns+`, `+caseColumns+`, k.name,
			COALESCE(a.kind, ''), COALESCE(a.brand, ''), COALESCE(a.model, ''), COALESCE(a.serial_number, ''), COALESCE(a.location, '')
		FROM work_orders w
		LEFT JOIN users u ON u.id = w.technician_id
		JOIN cases c ON c.id = w.case_id
		LEFT JOIN assets a ON a.id = c.asset_id
		JOIN customers k ON k.id = c.customer_id
		WHERE `+scopeWorkOrder(scope, "w", "c")+`
		  AND w.planned_start < ?
		  AND (w.status IN ('planned', 'in_progress') OR (w.status = 'done' AND w.completed_at >= ?))
		ORDER BY w.planned_start, w.id`, until.UTC(), doneSince.UTC())
	out, err := collect(rows, err, func(r rowScanner) (AgendaItem, error) {
		var it AgendaItem
		dest, finish := caseDest(&it.Case)
		dest = append(dest, &it.CustomerName, &it.Asset.Kind, &it.Asset.Brand, &it.Asset.Model, &it.Asset.SerialNumber, &it.Asset.Location)
		w, err := scanWorkOrder(multiScanner{r: r, last: dest})
		finish()
		it.WorkOrder = w
		it.Asset.ID, it.Asset.Number, it.Asset.CustomerID = it.Case.AssetID, it.Case.AssetNumber, it.Case.CustomerID
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: agenda: %w", err)
	}
	return out, nil
}

// Fault is an earlier case on a machine, as its history shows it to a
// technician: what was wrong and when, nothing of who reported it.
type Fault struct {
	CaseNumber   string
	Title        string
	Status       repair.Status
	RegisteredAt time.Time
}

// EarlierFaults lists, for each of the cases, the latest other cases on
// its machine that scope may see, newest first, at most limit each, keyed
// by the case's id: all of them in one query, for the technician's list.
// A technician sent to a machine sees its earlier faults too: that is what
// it needs on site.
func (db *DB) EarlierFaults(ctx context.Context, scope repair.Scope, cases []repair.Case, limit int) (map[int64][]Fault, error) {
	out := map[int64][]Fault{}
	var assets []int64
	seen := map[int64]bool{}
	for _, c := range cases {
		if c.AssetID != 0 && !seen[c.AssetID] {
			seen[c.AssetID] = true
			assets = append(assets, c.AssetID)
		}
	}
	if len(assets) == 0 {
		return out, nil
	}
	// Each machine's latest limit+len(cases) cases are enough: a case
	// drops only its own from its machine's list.
	in, args := db.d.inIDs("c.asset_id", assets)
	rows, err := db.query(ctx, `
		SELECT asset_id, id, number, title, status, registered_at
		FROM (
			SELECT c.asset_id, c.id, c.number, c.title, c.status, c.registered_at,
				ROW_NUMBER() OVER (PARTITION BY c.asset_id ORDER BY c.registered_at DESC, c.id DESC) AS n
			FROM cases c
			JOIN assets a ON a.id = c.asset_id
			WHERE `+in+`
			  AND `+scopeAsset(scope, "a")+`
		) latest
		WHERE n <= ?
		ORDER BY asset_id, n`, append(args, limit+len(cases))...)
	type fault struct {
		asset, caseID int64
		Fault
	}
	all, err := collect(rows, err, func(r rowScanner) (fault, error) {
		var f fault
		return f, r.Scan(&f.asset, &f.caseID, &f.CaseNumber, &f.Title, &f.Status, &f.RegisteredAt)
	})
	if err != nil {
		return nil, fmt.Errorf("store: earlier faults: %w", err)
	}
	for _, c := range cases {
		for _, f := range all {
			if f.asset == c.AssetID && f.caseID != c.ID && len(out[c.ID]) < limit {
				out[c.ID] = append(out[c.ID], f.Fault)
			}
		}
	}
	return out, nil
}

// Part is an article used before, for the technician's part picker.
type Part struct {
	Article      string
	Description  string
	UnitPriceOre int64
}

// PartsUsed lists the distinct parts of the latest 600 part lines, newest
// first, at most limit. Only the company's own article data is read, no
// customer's: it is the price list as used.
func (db *DB) PartsUsed(ctx context.Context, limit int) ([]Part, error) {
	rows, err := db.query(ctx, `
		SELECT article, description, max(unit_price_ore), max(id)
		FROM (
			SELECT id, article, description, unit_price_ore
			FROM cost_lines
			WHERE kind = 'part'
			  AND article <> ''
			ORDER BY id DESC
			LIMIT 600
		) recent
		GROUP BY article, description
		ORDER BY max(id) DESC
		`+limitRows(limit))
	out, err := collect(rows, err, func(r rowScanner) (Part, error) {
		var p Part
		var last int64
		return p, r.Scan(&p.Article, &p.Description, &p.UnitPriceOre, &last)
	})
	if err != nil {
		return nil, fmt.Errorf("store: parts used: %w", err)
	}
	return out, nil
}

// CaseStatus reads a case's status inside a write transaction.
func (tx *Tx) CaseStatus(ctx context.Context, caseID int64) (repair.Status, error) {
	var s repair.Status
	if err := tx.queryRow(ctx, `SELECT status FROM cases WHERE id = ?`+tx.d.forUpdate, caseID).Scan(&s); err != nil {
		return s, fmt.Errorf("store: case status: %w", tx.d.mapErr(err))
	}
	return s, nil
}

// FormSubmission returns what a form with the one-time id token created,
// or repair.ErrNotFound if it has not been sent: for an operation to
// answer a resent form before checking it again.
func (db *DB) FormSubmission(ctx context.Context, token string) (kind string, id int64, err error) {
	err = db.queryRow(ctx, formSubmission, token).Scan(&kind, &id)
	if err != nil {
		return "", 0, fmt.Errorf("store: form submission: %w", db.d.mapErr(err))
	}
	return kind, id, nil
}
