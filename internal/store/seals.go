package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kundportal/internal/repair"
)

// The seal log (seal_log) is append-only: this file has the only SQL that
// touches it, an INSERT and two SELECTs, and migration 0003's triggers
// refuse UPDATE and DELETE from anywhere. The entry hashes are computed by
// package seal, above the store; the store keeps what it is given.

const sealColumns = `s.id, s.at, s.delivery_note_id, s.file_sha256, s.snapshot_sha256, s.prev_hash, s.entry_hash`

func scanSeal(r rowScanner) (repair.SealEntry, error) {
	var e repair.SealEntry
	err := r.Scan(&e.ID, &e.At, &e.DeliveryNoteID, &e.FileSHA256, &e.SnapshotSHA256, &e.PrevHash, &e.EntryHash)
	e.At = e.At.UTC()
	return e, err
}

// LastSeal returns the newest entry of the seal log, the one the next
// entry links to, or repair.ErrNotFound when the log is empty. It takes no
// lock: two transactions that read the same last entry and append after it
// give two entries with the same prev_hash, and the second fails with
// repair.ErrConflict (prev_hash is unique), to be retried.
func (tx *Tx) LastSeal(ctx context.Context) (repair.SealEntry, error) {
	e, err := scanSeal(tx.queryRow(ctx, `
		SELECT `+sealColumns+`
		FROM seal_log s
		ORDER BY s.id DESC
		LIMIT 1`))
	if err != nil {
		return e, fmt.Errorf("store: last seal: %w", tx.d.mapErr(err))
	}
	return e, nil
}

// AppendSeal adds e to the seal log and sets its ID; e.At is kept in UTC
// to the microsecond. e must be complete, with PrevHash and EntryHash as
// seal.Next gives them; an entry whose PrevHash another entry has already
// is repair.ErrConflict.
func (tx *Tx) AppendSeal(ctx context.Context, e *repair.SealEntry) error {
	if e.At.IsZero() || e.DeliveryNoteID == 0 || e.FileSHA256 == "" || e.PrevHash == "" || e.EntryHash == "" {
		return errors.New("store: append seal: incomplete entry (want At, DeliveryNoteID, FileSHA256, PrevHash and EntryHash)")
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	id, err := tx.insert(ctx, `
		INSERT INTO seal_log (at, delivery_note_id, file_sha256, snapshot_sha256, prev_hash, entry_hash)
		VALUES (?, ?, ?, ?, ?, ?)`,
		e.At, e.DeliveryNoteID, e.FileSHA256, e.SnapshotSHA256, e.PrevHash, e.EntryHash)
	if err != nil {
		return fmt.Errorf("store: append seal: %w", err)
	}
	e.ID = id
	return nil
}

// SealLog calls fn with every entry of the seal log in the order they
// were appended (by id), reading the rows as fn goes rather than all at
// once; an error from fn stops it and is returned. The log holds hashes
// and delivery-note ids only, no customer's data, and is read whole by
// the command line's check (kundportal verify), so it takes no scope;
// no page shows it.
func (db *DB) SealLog(ctx context.Context, fn func(repair.SealEntry) error) error {
	rows, err := db.query(ctx, `
		SELECT `+sealColumns+`
		FROM seal_log s
		ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("store: seal log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanSeal(rows)
		if err != nil {
			return fmt.Errorf("store: seal log: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: seal log: %w", err)
	}
	return nil
}

const deliveryNoteColumns = `d.id, d.work_order_id, d.version, d.replaces_id, d.file_id, d.snapshot_sha256,
	d.signer_name, d.signature, d.signed_at, d.created_by`

func scanDeliveryNote(r rowScanner) (repair.DeliveryNote, error) {
	var n repair.DeliveryNote
	var replaces, by sql.NullInt64
	err := r.Scan(&n.ID, &n.WorkOrderID, &n.Version, &replaces, &n.FileID, &n.SnapshotSHA256,
		&n.SignerName, &n.Signature, &n.SignedAt, &by)
	n.ReplacesID, n.CreatedBy, n.SignedAt = replaces.Int64, by.Int64, n.SignedAt.UTC()
	return n, err
}

// CreateDeliveryNote records a version of a work order's delivery note
// and sets its ID. A Version of 0 becomes the work order's next one; a
// version the work order has already is repair.ErrConflict. SignedAt is
// required and kept in UTC to the microsecond.
func (tx *Tx) CreateDeliveryNote(ctx context.Context, n *repair.DeliveryNote) error {
	if !n.Signature.Valid() {
		return fmt.Errorf("store: create delivery note: signature %q (want signed, refused or absent)", n.Signature)
	}
	if n.SignedAt.IsZero() {
		return errors.New("store: create delivery note: no signing time")
	}
	if n.Version == 0 {
		if err := tx.queryRow(ctx, `
			SELECT COALESCE(MAX(version), 0) + 1
			FROM delivery_notes
			WHERE work_order_id = ?`, n.WorkOrderID).Scan(&n.Version); err != nil {
			return fmt.Errorf("store: create delivery note: version: %w", tx.d.mapErr(err))
		}
	}
	n.SignedAt = n.SignedAt.UTC().Truncate(time.Microsecond)
	id, err := tx.insert(ctx, `
		INSERT INTO delivery_notes (work_order_id, version, replaces_id, file_id, snapshot_sha256, signer_name, signature, signed_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.WorkOrderID, n.Version, nullID(n.ReplacesID), n.FileID, n.SnapshotSHA256, n.SignerName, n.Signature,
		n.SignedAt, nullID(n.CreatedBy))
	if err != nil {
		return fmt.Errorf("store: create delivery note: %w", err)
	}
	n.ID = id
	return nil
}

// DeliveryNotes lists the versions of a work order's delivery note, oldest
// first, if scope may see the work order; otherwise none, exactly as for a
// work order without notes. The (work_order_id, version) unique index
// serves it.
func (db *DB) DeliveryNotes(ctx context.Context, scope repair.Scope, workOrderID int64) ([]repair.DeliveryNote, error) {
	rows, err := db.query(ctx, `
		SELECT `+deliveryNoteColumns+`
		FROM delivery_notes d
		JOIN work_orders w ON w.id = d.work_order_id
		JOIN cases c ON c.id = w.case_id
		WHERE d.work_order_id = ?
		  AND `+scopeWorkOrder(scope, "w", "c")+`
		ORDER BY d.version`, workOrderID)
	out, err := collect(rows, err, scanDeliveryNote)
	if err != nil {
		return nil, fmt.Errorf("store: delivery notes: %w", err)
	}
	return out, nil
}

// SealMismatch is a delivery note that the seal log does not cover as it
// stands: its files row names another PDF than its seal entry (someone
// pointed the note at another file), or it has no seal entry at all.
type SealMismatch struct {
	DeliveryNoteID int64
	EntryID        int64  // 0 when the note has no seal entry
	SealedSHA256   string // the PDF the seal log names; empty when none
	FileSHA256     string // the PDF the note's files row names
}

// SealMismatches lists up to limit delivery notes whose stored file is not
// the one their seal entry names, or that have no seal entry, by note.
// The chain itself cannot show these: it covers the log, not the rows
// that point from a note to its file.
func (db *DB) SealMismatches(ctx context.Context, limit int) ([]SealMismatch, error) {
	rows, err := db.query(ctx, `
		SELECT d.id, COALESCE(s.id, 0), COALESCE(s.file_sha256, ''), f.sha256
		FROM delivery_notes d
		JOIN files f ON f.id = d.file_id
		LEFT JOIN seal_log s ON s.delivery_note_id = d.id
		WHERE s.id IS NULL
		   OR s.file_sha256 <> f.sha256
		ORDER BY d.id
		LIMIT ?`, limit)
	out, err := collect(rows, err, func(r rowScanner) (SealMismatch, error) {
		var m SealMismatch
		return m, r.Scan(&m.DeliveryNoteID, &m.EntryID, &m.SealedSHA256, &m.FileSHA256)
	})
	if err != nil {
		return nil, fmt.Errorf("store: seal mismatches: %w", err)
	}
	return out, nil
}
