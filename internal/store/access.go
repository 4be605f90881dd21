package store

import (
	"context"
	"fmt"
	"time"

	"kundportal/internal/repair"
)

// CaseAccess returns a case's Huvudnyckel as stored, if scope may see the
// case: sealed (the value encrypted) or, in a row from before sealing,
// plain. Only the operations layer calls it, to open it for those who may
// see it and to log that they did.
func (db *DB) CaseAccess(ctx context.Context, scope repair.Scope, caseID int64) (plain, sealed string, err error) {
	err = db.queryRow(ctx, `
		SELECT c.access, c.access_sealed
		FROM cases c
		WHERE c.id = ?
		  AND `+scopeCase(scope, "c"), caseID).Scan(&plain, &sealed)
	if err != nil {
		return "", "", fmt.Errorf("store: case access: %w", db.d.mapErr(err))
	}
	if repair.IsMaskedAccess(plain) {
		plain = ""
	}
	return plain, sealed, nil
}

// HasOpenWorkOrder reports whether the technician has a work order on the
// case that is not yet done or cancelled.
func (db *DB) HasOpenWorkOrder(ctx context.Context, caseID, technicianID int64) (bool, error) {
	var n int
	err := db.queryRow(ctx, `
		SELECT count(*)
		FROM work_orders
		WHERE case_id = ?
		  AND technician_id = ?
		  AND status IN ('planned', 'in_progress')`, caseID, technicianID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: has open work order: %w", err)
	}
	return n > 0, nil
}

// PlainAccess is a case whose Huvudnyckel is still stored readable.
type PlainAccess struct {
	CaseID int64
	Access string
}

// plainAccess finds the cases whose Huvudnyckel is stored readable; the
// partial index cases_access_plain serves it (a plan test checks).
const plainAccess = `
	SELECT id, access
	FROM cases
	WHERE access <> ''
	  AND access_sealed = ''
	  AND access NOT LIKE ?
	ORDER BY id
	LIMIT ?`

// PlainAccessCases lists up to limit cases whose Huvudnyckel was stored
// before values were sealed.
func (db *DB) PlainAccessCases(ctx context.Context, limit int) ([]PlainAccess, error) {
	rows, err := db.query(ctx, plainAccess, "%"+repair.MaskAccess("x"), limit)
	out, err := collect(rows, err, func(r rowScanner) (PlainAccess, error) {
		var p PlainAccess
		return p, r.Scan(&p.CaseID, &p.Access)
	})
	if err != nil {
		return nil, fmt.Errorf("store: plain access: %w", err)
	}
	return out, nil
}

// SealAccess replaces a case's readable Huvudnyckel with its sealed form
// and its mask, if it is still the value read.
func (tx *Tx) SealAccess(ctx context.Context, caseID int64, was, sealed string) error {
	if err := tx.exec(ctx, `
		UPDATE cases
		SET access = ?, access_sealed = ?
		WHERE id = ?
		  AND access = ?
		  AND access_sealed = ''`, repair.MaskAccess(was), sealed, caseID, was); err != nil {
		return fmt.Errorf("store: seal access: %w", err)
	}
	return nil
}

// EraseAccess deletes Huvudnyckel from the cases completed, or cancelled,
// before before, and returns how many it erased: a door code is kept only
// while it may be needed. The partial index on the cases that hold one
// keeps this from reading every case.
func (tx *Tx) EraseAccess(ctx context.Context, before time.Time) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, tx.d.rebind(`
		UPDATE cases
		SET access = '', access_sealed = ''
		WHERE (access <> '' OR access_sealed <> '')
		  AND (completed_at < ? OR (status = 'cancelled' AND updated_at < ?))`), before.UTC(), before.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: erase access: %w", err)
	}
	return res.RowsAffected()
}
