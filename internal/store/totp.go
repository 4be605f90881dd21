package store

import (
	"context"
	"time"

	"kundportal/internal/repair"
)

// Two-factor login (migration 0017): a user's sealed authenticator
// secret, its recovery codes, and the login challenges that wait for a
// code.

// TOTPSecret is user userID's sealed secret (” for none) and the time
// step of the last code taken.
func (db *DB) TOTPSecret(ctx context.Context, userID int64) (sealed string, lastStep int64, err error) {
	err = db.queryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = ?`, userID).Scan(&sealed, &lastStep)
	return sealed, lastStep, wrapErr("totp secret", db.d.mapErr(err))
}

// SetTOTP gives user userID the sealed secret (with no code taken yet)
// and the recovery codes' hashes, in place of any before; an empty
// secret and no codes turn two-factor login off.
func (tx *Tx) SetTOTP(ctx context.Context, userID int64, sealed string, lastStep int64, codeHashes []string) error {
	if err := tx.exec(ctx, `UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ?`, sealed, lastStep, userID); err != nil {
		return wrapErr("set totp", err)
	}
	return tx.ReplaceRecoveryCodes(ctx, userID, codeHashes)
}

// ReplaceRecoveryCodes replaces user userID's recovery codes.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID int64, codeHashes []string) error {
	if err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return wrapErr("replace recovery codes", err)
	}
	for _, h := range codeHashes {
		if err := tx.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return wrapErr("replace recovery codes", err)
		}
	}
	return nil
}

// TakeTOTPStep records that user userID's code of time step step was
// taken; false if that step or a later one was taken already (the code is
// being used again).
func (tx *Tx) TakeTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.d.rebind(`UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`), step, userID, step)
	if err != nil {
		return false, wrapErr("take totp step", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrapErr("take totp step", err)
}

// UseRecoveryCode marks user userID's recovery code with hash used; false
// if there is no such unused code.
func (tx *Tx) UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.d.rebind(`UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`),
		tx.now, userID, hash)
	if err != nil {
		return false, wrapErr("use recovery code", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrapErr("use recovery code", err)
}

// RecoveryCodesLeft counts user userID's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, wrapErr("recovery codes left", err)
}

// CreateLoginChallenge records that user userID's password was right,
// waiting for its code until ttl has passed.
func (tx *Tx) CreateLoginChallenge(ctx context.Context, tokenHash string, userID int64, ttl time.Duration) error {
	return wrapErr("create login challenge", tx.exec(ctx, `INSERT INTO login_challenges (token_hash, user_id, expires_at) VALUES (?, ?, ?)`,
		tokenHash, userID, tx.now.Add(ttl)))
}

// LoginChallengeUser is the user of a login challenge that has not
// expired, if it may still sign in; otherwise repair.ErrNotFound.
func (db *DB) LoginChallengeUser(ctx context.Context, tokenHash string) (repair.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT `+userColumns+`
		FROM login_challenges l
		JOIN users u ON u.id = l.user_id `+userCustomer+`
		WHERE l.token_hash = ? AND l.expires_at > ? AND u.disabled = ?`, tokenHash, db.utcNow(), false))
	return u, wrapErr("login challenge", db.d.mapErr(err))
}

// DeleteLoginChallenge ends a login challenge; false if it was gone
// already (used by another request meanwhile).
func (tx *Tx) DeleteLoginChallenge(ctx context.Context, tokenHash string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, tx.d.rebind(`DELETE FROM login_challenges WHERE token_hash = ?`), tokenHash)
	if err != nil {
		return false, wrapErr("delete login challenge", err)
	}
	n, err := res.RowsAffected()
	return n == 1, wrapErr("delete login challenge", err)
}
