package store

import (
	"context"
	"database/sql"
	"fmt"

	"kundportal/internal/repair"
)

// Audit records a change in the same transaction as the change itself.
func (tx *Tx) Audit(ctx context.Context, userID int64, entity string, entityID int64, action, detail string) error {
	if err := tx.exec(ctx, `
		INSERT INTO audit_log (at, user_id, entity, entity_id, action, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, tx.now, nullID(userID), entity, entityID, action, detail); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditLog lists the changes recorded for one record, newest first; only
// staff see the audit log.
func (db *DB) AuditLog(ctx context.Context, scope repair.Scope, entity string, entityID int64) ([]repair.AuditEntry, error) {
	rows, err := db.query(ctx, `
		SELECT l.at, l.user_id, COALESCE(u.name, ''), l.entity, l.entity_id, l.action, l.detail
		FROM audit_log l
		LEFT JOIN users u ON u.id = l.user_id
		WHERE l.entity = ?
		  AND l.entity_id = ?
		  AND `+scopeStaff(scope)+`
		ORDER BY l.at DESC, l.id DESC`, entity, entityID)
	out, err := collect(rows, err, func(r rowScanner) (repair.AuditEntry, error) {
		var e repair.AuditEntry
		var uid sql.NullInt64
		err := r.Scan(&e.At, &uid, &e.UserName, &e.Entity, &e.EntityID, &e.Action, &e.Detail)
		e.UserID = uid.Int64
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	return out, nil
}
