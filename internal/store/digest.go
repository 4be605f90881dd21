package store

import (
	"context"
	"time"

	"kundportal/internal/repair"
)

// DigestItem is one line of a user's daily digest: what a case mail would
// have said.
type DigestItem struct {
	ID        int64
	UserID    int64
	CaseID    int64
	Event     repair.MailEvent
	Line      string
	Link      string
	CreatedAt time.Time
}

// AddDigestItem keeps a line for user's next digest.
func (tx *Tx) AddDigestItem(ctx context.Context, it DigestItem) error {
	return wrapErr("add digest item", tx.exec(ctx, `
		INSERT INTO digest_items (user_id, case_id, event, line, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		it.UserID, nullID(it.CaseID), it.Event, it.Line, it.Link, tx.now))
}

// DigestUsers are the users with digest lines from before cutoff.
func (db *DB) DigestUsers(ctx context.Context, cutoff time.Time) ([]int64, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT user_id FROM digest_items WHERE created_at < ? ORDER BY user_id`, cutoff.UTC())
	ids, err := collect(rows, err, func(r rowScanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	return ids, wrapErr("digest users", err)
}

// TakeDigestItems removes and returns user userID's digest lines from
// before cutoff, oldest first.
func (tx *Tx) TakeDigestItems(ctx context.Context, userID int64, cutoff time.Time) ([]DigestItem, error) {
	rows, err := tx.query(ctx, `SELECT id, user_id, COALESCE(case_id, 0), event, line, link, created_at FROM digest_items
		WHERE user_id = ? AND created_at < ? ORDER BY created_at, id`+tx.d.forUpdate, userID, cutoff.UTC())
	items, err := collect(rows, err, func(r rowScanner) (DigestItem, error) {
		var it DigestItem
		return it, r.Scan(&it.ID, &it.UserID, &it.CaseID, &it.Event, &it.Line, &it.Link, &it.CreatedAt)
	})
	if err != nil {
		return nil, wrapErr("take digest items", err)
	}
	for _, it := range items {
		if err := tx.exec(ctx, `DELETE FROM digest_items WHERE id = ?`, it.ID); err != nil {
			return nil, wrapErr("take digest items", err)
		}
	}
	return items, nil
}

// SetMailDigest turns user userID's daily digest on or off.
func (tx *Tx) SetMailDigest(ctx context.Context, userID int64, on bool) error {
	return wrapErr("set mail digest", tx.exec(ctx, `UPDATE users SET mail_digest = ? WHERE id = ?`, on, userID))
}
