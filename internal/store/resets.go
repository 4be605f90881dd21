package store

import (
	"context"
	"time"

	"kundportal/internal/repair"
)

// CreatePasswordReset records a reset link's token hash for user userID,
// valid for ttl.
func (tx *Tx) CreatePasswordReset(ctx context.Context, tokenHash string, userID int64, ttl time.Duration) error {
	return wrapErr("create password reset", tx.exec(ctx, `
		INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		tokenHash, userID, tx.now, tx.now.Add(ttl)))
}

// PasswordResetUser is the user of a reset link's token hash that is
// still valid: not used, not expired. Anything else is
// repair.ErrNotFound.
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash string) (repair.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT `+userColumns+`
		FROM password_resets r
		JOIN users u ON u.id = r.user_id `+userCustomer+`
		WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND u.disabled = ?`, tokenHash, db.utcNow(), false))
	return u, wrapErr("password reset", db.d.mapErr(err))
}

// UsePasswordReset marks a reset link used, if it still was valid, and
// every other link of its user with it; it returns the user, or
// repair.ErrNotFound when the link was no longer valid (used meanwhile,
// expired).
func (tx *Tx) UsePasswordReset(ctx context.Context, tokenHash string) (int64, error) {
	var userID int64
	err := tx.queryRow(ctx, `SELECT user_id FROM password_resets
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`+tx.d.forUpdate, tokenHash, tx.now).Scan(&userID)
	if err != nil {
		return 0, wrapErr("use password reset", tx.d.mapErr(err))
	}
	err = tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, tx.now, userID)
	return userID, wrapErr("use password reset", err)
}

// deleteOldLoginTokens removes reset links a day past their end, and login
// challenges past theirs.
func (tx *Tx) deleteOldLoginTokens(ctx context.Context) error {
	if err := tx.exec(ctx, `DELETE FROM login_challenges WHERE expires_at <= ?`, tx.now); err != nil {
		return wrapErr("delete old login challenges", err)
	}
	return wrapErr("delete old password resets", tx.exec(ctx, `DELETE FROM password_resets WHERE expires_at <= ?`,
		tx.now.Add(-24*time.Hour)))
}
