package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"kundportal/internal/repair"
)

// CreateWorkOrder inserts w on its case with the next number of that case
// ("<case number>-<n>") and sets its ID and Number.
func (tx *Tx) CreateWorkOrder(ctx context.Context, w *repair.WorkOrder) error {
	var caseNumber string
	if err := tx.queryRow(ctx, `SELECT number FROM cases WHERE id = ?`, w.CaseID).Scan(&caseNumber); err != nil {
		return fmt.Errorf("store: create work order: %w", tx.d.mapErr(err))
	}
	seq, err := tx.nextNumber(ctx, "wo-"+caseNumber)
	if err != nil {
		return fmt.Errorf("store: create work order: number: %w", err)
	}
	w.Number = fmt.Sprintf("%s-%d", caseNumber, seq)
	if w.Status == "" {
		w.Status = repair.WorkOrderPlanned
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = tx.now
	}
	return tx.changeCase(ctx, w.CaseID, func() error {
		id, err := tx.insert(ctx, `
			INSERT INTO work_orders (case_id, number, technician_id, status, planned_start, planned_end, created_at, completed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			w.CaseID, w.Number, nullID(w.TechnicianID), w.Status, nullTime(w.PlannedStart), nullTime(w.PlannedEnd),
			w.CreatedAt.UTC(), nullTime(w.CompletedAt))
		if err != nil {
			return fmt.Errorf("store: create work order: %w", err)
		}
		w.ID = id
		return nil
	})
}

const workOrderColumns = `w.id, w.case_id, w.number, w.technician_id, COALESCE(u.name, ''), w.status,
	w.planned_start, w.planned_end, w.created_at, w.completed_at, w.started_at, w.outcome, w.outcome_note, w.locked_at,
	w.invoice_id`

const workOrderFrom = `
	FROM work_orders w
	LEFT JOIN users u ON u.id = w.technician_id`

func scanWorkOrder(r rowScanner) (repair.WorkOrder, error) {
	var w repair.WorkOrder
	var tech, invoice sql.NullInt64
	var start, end, done, started, locked sql.NullTime
	err := r.Scan(&w.ID, &w.CaseID, &w.Number, &tech, &w.TechnicianName, &w.Status, &start, &end, &w.CreatedAt, &done,
		&started, &w.Outcome, &w.OutcomeNote, &locked, &invoice)
	w.InvoiceID = invoice.Int64
	w.TechnicianID, w.PlannedStart, w.PlannedEnd, w.CompletedAt = tech.Int64, start.Time, end.Time, done.Time
	w.StartedAt, w.LockedAt = started.Time, locked.Time
	return w, err
}

// WorkOrder returns the work order with id, with its case's customer
// checked against scope.
func (db *DB) WorkOrder(ctx context.Context, scope repair.Scope, id int64) (repair.WorkOrder, error) {
	w, err := scanWorkOrder(db.queryRow(ctx, `
		SELECT `+workOrderColumns+workOrderFrom+`
		JOIN cases c ON c.id = w.case_id
		WHERE w.id = ?
		  AND `+scopeWorkOrder(scope, "w", "c"), id))
	if err != nil {
		return w, fmt.Errorf("store: work order %d: %w", id, db.d.mapErr(err))
	}
	return w, nil
}

// WorkOrders lists the work orders of a case that scope may see, by
// number.
func (db *DB) WorkOrders(ctx context.Context, scope repair.Scope, caseID int64) ([]repair.WorkOrder, error) {
	var out []repair.WorkOrder
	if err := db.readTogether(ctx, workOrdersRead(scope, caseID, &out)); err != nil {
		return nil, fmt.Errorf("store: work orders: %w", err)
	}
	return out, nil
}

func workOrdersRead(scope repair.Scope, caseID int64, out *[]repair.WorkOrder) aRead {
	return readList(out, scanWorkOrder, `
		SELECT `+workOrderColumns+workOrderFrom+`
		JOIN cases c ON c.id = w.case_id
		WHERE w.case_id = ?
		  AND `+scopeWorkOrder(scope, "w", "c")+`
		ORDER BY w.id`, caseID)
}

// AddAction records what a technician did on a work order. CreatedAt
// defaults to now; an import of history may set it.
func (tx *Tx) AddAction(ctx context.Context, a *repair.Action) error {
	a.CreatedAt = tx.at(a.CreatedAt)
	id, err := tx.insert(ctx, `
		INSERT INTO actions (work_order_id, performed_on, technician_id, description, minutes, customer_visible, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		a.WorkOrderID, a.PerformedOn, nullID(a.TechnicianID), a.Description, a.Minutes, a.CustomerVisible, a.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: add action: %w", err)
	}
	a.ID = id
	if a.CustomerVisible {
		if err := tx.exec(ctx, `
			UPDATE cases SET visible_actions = visible_actions + 1
			WHERE id = (SELECT case_id FROM work_orders WHERE id = ?)`, a.WorkOrderID); err != nil {
			return fmt.Errorf("store: add action: %w", err)
		}
	}
	return nil
}

// Actions lists the actions on a case's work orders that scope may see
// (for a customer, only those marked customer-visible), in the order they
// were done.
func (db *DB) Actions(ctx context.Context, scope repair.Scope, caseID int64) ([]repair.Action, error) {
	var out []repair.Action
	if err := db.readTogether(ctx, actionsRead(scope, caseID, &out)); err != nil {
		return nil, fmt.Errorf("store: actions: %w", err)
	}
	return out, nil
}

func actionsRead(scope repair.Scope, caseID int64, out *[]repair.Action) aRead {
	return readList(out, scanAction, `
		SELECT a.id, a.work_order_id, a.performed_on, a.technician_id, COALESCE(u.name, ''),
			a.description, a.minutes, a.customer_visible, a.created_at
		FROM actions a
		JOIN work_orders w ON w.id = a.work_order_id
		JOIN cases c ON c.id = w.case_id
		LEFT JOIN users u ON u.id = a.technician_id
		WHERE w.case_id = ?
		  AND `+scopeWorkOrder(scope, "w", "c")+`
		  AND `+scopeVisible(scope, "a.customer_visible")+`
		ORDER BY a.performed_on, a.id`, caseID)
}

func scanAction(r rowScanner) (repair.Action, error) {
	var a repair.Action
	var tech sql.NullInt64
	err := r.Scan(&a.ID, &a.WorkOrderID, &a.PerformedOn, &tech, &a.TechnicianName, &a.Description, &a.Minutes, &a.CustomerVisible, &a.CreatedAt)
	a.TechnicianID = tech.Int64
	return a, err
}

// AddCostLine records a cost on a work order; the amount is computed from
// quantity and unit price so that it cannot disagree with them.
func (tx *Tx) AddCostLine(ctx context.Context, l *repair.CostLine) error {
	l.AmountOre = repair.LineAmount(l.QuantityMilli, l.UnitPriceOre)
	l.CreatedAt = tx.at(l.CreatedAt)
	caseID, err := tx.caseOfWorkOrder(ctx, l.WorkOrderID)
	if err != nil {
		return fmt.Errorf("store: add cost line: %w", err)
	}
	return tx.changeCase(ctx, caseID, func() error {
		id, err := tx.insert(ctx, `
			INSERT INTO cost_lines (work_order_id, kind, description, article, quantity_milli, unit_price_ore, amount_ore, customer_visible, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.WorkOrderID, l.Kind, l.Description, l.Article, l.QuantityMilli, l.UnitPriceOre, l.AmountOre, l.CustomerVisible, l.CreatedAt)
		if err != nil {
			return fmt.Errorf("store: add cost line: %w", err)
		}
		l.ID = id
		return nil
	})
}

// caseOfWorkOrder is the case a work order belongs to.
func (tx *Tx) caseOfWorkOrder(ctx context.Context, workOrderID int64) (int64, error) {
	var id int64
	if err := tx.queryRow(ctx, `SELECT case_id FROM work_orders WHERE id = ?`, workOrderID).Scan(&id); err != nil {
		return 0, tx.d.mapErr(err)
	}
	return id, nil
}

// CostLines lists the cost lines on a case's work orders that scope may
// see (for a customer, only those marked customer-visible).
func (db *DB) CostLines(ctx context.Context, scope repair.Scope, caseID int64) ([]repair.CostLine, error) {
	var out []repair.CostLine
	if err := db.readTogether(ctx, costLinesRead(scope, caseID, &out)); err != nil {
		return nil, fmt.Errorf("store: cost lines: %w", err)
	}
	return out, nil
}

func costLinesRead(scope repair.Scope, caseID int64, out *[]repair.CostLine) aRead {
	return readList(out, scanCostLine, `
		SELECT l.id, l.work_order_id, l.kind, l.description, l.article, l.quantity_milli,
			l.unit_price_ore, l.amount_ore, l.customer_visible, l.created_at
		FROM cost_lines l
		JOIN work_orders w ON w.id = l.work_order_id
		JOIN cases c ON c.id = w.case_id
		WHERE w.case_id = ?
		  AND `+scopeWorkOrder(scope, "w", "c")+`
		  AND `+scopeVisible(scope, "l.customer_visible")+`
		ORDER BY l.work_order_id, l.id`, caseID)
}

func scanCostLine(r rowScanner) (repair.CostLine, error) {
	var l repair.CostLine
	err := r.Scan(&l.ID, &l.WorkOrderID, &l.Kind, &l.Description, &l.Article, &l.QuantityMilli,
		&l.UnitPriceOre, &l.AmountOre, &l.CustomerVisible, &l.CreatedAt)
	return l, err
}

// PlannedWorkOrder is a row of the dispatchers' planning list: a work
// order with what the technician needs to know about its case.
type PlannedWorkOrder struct {
	repair.WorkOrder
	CaseNumber   string
	CaseTitle    string
	Street       string
	City         string
	CustomerName string
}

// OpenWorkOrders lists the work orders scope may see that are not yet done
// or cancelled and are planned in [from, to) or not planned at all, by
// technician and time.
func (db *DB) OpenWorkOrders(ctx context.Context, scope repair.Scope, from, to time.Time) ([]PlannedWorkOrder, error) {
	rows, err := db.query(ctx, `
		SELECT `+workOrderColumns+`, c.number, c.title, c.street, c.city, k.name
		FROM work_orders w
		LEFT JOIN users u ON u.id = w.technician_id
		JOIN cases c ON c.id = w.case_id
		JOIN customers k ON k.id = c.customer_id
		WHERE w.status IN ('planned', 'in_progress')
		  AND `+scopeWorkOrder(scope, "w", "c")+`
		  AND (w.planned_start IS NULL OR (w.planned_start >= ? AND w.planned_start < ?))
		ORDER BY COALESCE(u.name, ''), w.planned_start, w.id`, from.UTC(), to.UTC())
	out, err := collect(rows, err, func(r rowScanner) (PlannedWorkOrder, error) {
		var p PlannedWorkOrder
		w, err := scanWorkOrder(multiScanner{r: r, last: []any{&p.CaseNumber, &p.CaseTitle, &p.Street, &p.City, &p.CustomerName}})
		p.WorkOrder = w
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: open work orders: %w", err)
	}
	return out, nil
}

// SetWorkOrderStatus moves a work order along an allowed transition; Klar
// sets its completion time, any other status clears it.
func (tx *Tx) SetWorkOrderStatus(ctx context.Context, id int64, to repair.WorkOrderStatus) error {
	var from repair.WorkOrderStatus
	var caseID int64
	if err := tx.queryRow(ctx, `SELECT status, case_id FROM work_orders WHERE id = ?`, id).Scan(&from, &caseID); err != nil {
		return fmt.Errorf("store: set work order status: %w", tx.d.mapErr(err))
	}
	if !repair.CanTransitionWorkOrder(from, to) {
		return fmt.Errorf("store: set work order status %s → %s: %w", from, to, repair.ErrConflict)
	}
	var done sql.NullTime
	if to == repair.WorkOrderDone {
		done = nullTime(tx.now)
	}
	// A cancelled work order leaves the case's count of work orders.
	if err := tx.changeCase(ctx, caseID, func() error {
		return tx.exec(ctx, `UPDATE work_orders SET status = ?, completed_at = ? WHERE id = ?`, to, done, id)
	}); err != nil {
		return fmt.Errorf("store: set work order status: %w", err)
	}
	return nil
}
