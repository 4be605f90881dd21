package store

import (
	"context"
	"database/sql"
	"fmt"

	"kundportal/internal/repair"
)

const fileColumns = `f.id, f.customer_id, f.case_id, f.work_order_id, f.kind, f.name, f.content_type, f.size, f.sha256, f.thumb_sha256, f.uploaded_by, f.created_at`

func scanFile(r rowScanner) (repair.File, error) {
	var f repair.File
	var wo, by sql.NullInt64
	err := r.Scan(&f.ID, &f.CustomerID, &f.CaseID, &wo, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.ThumbSHA256, &by, &f.CreatedAt)
	f.WorkOrderID, f.UploadedBy = wo.Int64, by.Int64
	return f, err
}

// CreateFile records a stored file's metadata, and counts it on its case.
// The file's customer is taken from its case, so a file can never be
// filed under another customer.
func (tx *Tx) CreateFile(ctx context.Context, f *repair.File) error {
	if err := tx.queryRow(ctx, `UPDATE cases SET file_count = file_count + 1 WHERE id = ? RETURNING customer_id`,
		f.CaseID).Scan(&f.CustomerID); err != nil {
		return fmt.Errorf("store: create file: case: %w", tx.d.mapErr(err))
	}
	f.CreatedAt = tx.at(f.CreatedAt)
	id, err := tx.insert(ctx, `
		INSERT INTO files (customer_id, case_id, work_order_id, kind, name, content_type, size, sha256, thumb_sha256, uploaded_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.CustomerID, f.CaseID, nullID(f.WorkOrderID), f.Kind, f.Name, f.ContentType, f.Size, f.SHA256, f.ThumbSHA256, nullID(f.UploadedBy), f.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: create file: %w", err)
	}
	f.ID = id
	if f.Kind == repair.FileDeliveryNote {
		if err := tx.exec(ctx, `UPDATE cases SET delivery_note_id = ? WHERE id = ?`, f.ID, f.CaseID); err != nil {
			return fmt.Errorf("store: create file: %w", err)
		}
	}
	return nil
}

// countCaseExtras counts every case's customer-visible actions and files
// and finds its newest delivery note, as AddAction and CreateFile keep
// them: once, when the columns are added. One pass over the actions and
// one over the files, touching only the cases that have any.
func (tx *Tx) countCaseExtras(ctx context.Context) error {
	if err := tx.exec(ctx, `
		UPDATE cases SET visible_actions = x.n
		FROM (SELECT w.case_id, count(*) AS n
			FROM actions a JOIN work_orders w ON w.id = a.work_order_id
			WHERE a.customer_visible
			GROUP BY w.case_id) x
		WHERE cases.id = x.case_id`); err != nil {
		return fmt.Errorf("store: count case actions: %w", err)
	}
	if err := tx.exec(ctx, `
		UPDATE cases SET file_count = x.n, delivery_note_id = x.note
		FROM (SELECT f.case_id, count(*) AS n, max(CASE WHEN f.kind = 'delivery_note' THEN f.id END) AS note
			FROM files f
			GROUP BY f.case_id) x
		WHERE cases.id = x.case_id`); err != nil {
		return fmt.Errorf("store: count case files: %w", err)
	}
	return nil
}

// File returns the file with id if scope may see it; otherwise
// repair.ErrNotFound, exactly as for a missing one.
func (db *DB) File(ctx context.Context, scope repair.Scope, id int64) (repair.File, error) {
	f, err := scanFile(db.queryRow(ctx, `
		SELECT `+fileColumns+`
		FROM files f
		WHERE f.id = ?
		  AND `+scopeFile(scope, "f"), id))
	if err != nil {
		return f, fmt.Errorf("store: file %d: %w", id, db.d.mapErr(err))
	}
	return f, nil
}

// CaseFiles lists a case's files, oldest first, if scope may see them.
func (db *DB) CaseFiles(ctx context.Context, scope repair.Scope, caseID int64) ([]repair.File, error) {
	var out []repair.File
	if err := db.readTogether(ctx, caseFilesRead(scope, caseID, &out)); err != nil {
		return nil, fmt.Errorf("store: case files: %w", err)
	}
	return out, nil
}

func caseFilesRead(scope repair.Scope, caseID int64, out *[]repair.File) aRead {
	return readList(out, scanFile, `
		SELECT `+fileColumns+`
		FROM files f
		WHERE f.case_id = ?
		  AND `+scopeFile(scope, "f")+`
		ORDER BY f.created_at, f.id`, caseID)
}
