package store

import (
	"context"
	"fmt"
	"time"

	"kundportal/internal/repair"
)

// Session is a server-side login session. The store sees only the hash of
// the token that the browser's cookie carries.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// CreateSession stores a new session for a user.
func (tx *Tx) CreateSession(ctx context.Context, tokenHash string, userID int64, expiresAt time.Time) error {
	if err := tx.exec(ctx, `
		INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?)`, tokenHash, userID, tx.now, expiresAt.UTC(), tx.now); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns the session with tokenHash and its user, if the
// session has not expired and the user is not disabled.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (Session, repair.User, error) {
	var s Session
	u, err := scanUser(multiScanner{r: db.queryRow(ctx, `
		SELECT s.token_hash, s.user_id, s.created_at, s.expires_at, s.last_seen_at, `+userColumns+`
		FROM sessions s
		JOIN users u ON u.id = s.user_id `+userCustomer+`
		WHERE s.token_hash = ?
		  AND s.expires_at > ?
		  AND NOT u.disabled`, tokenHash, db.utcNow()), first: []any{&s.TokenHash, &s.UserID, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt}})
	if err != nil {
		return s, u, fmt.Errorf("store: session: %w", db.d.mapErr(err))
	}
	return s, u, nil
}

// multiScanner adds destinations before and after an entity's own in a
// scan, so a join can reuse the entity's scanX.
type multiScanner struct {
	r     rowScanner
	first []any
	last  []any
}

func (m multiScanner) Scan(dest ...any) error {
	return m.r.Scan(append(append(append([]any{}, m.first...), dest...), m.last...)...)
}

// TouchSession extends a session's expiry (sliding expiry).
func (tx *Tx) TouchSession(ctx context.Context, tokenHash string, expiresAt time.Time) error {
	if err := tx.exec(ctx, `
		UPDATE sessions
		SET last_seen_at = ?, expires_at = ?
		WHERE token_hash = ?`, tx.now, expiresAt.UTC(), tokenHash); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends a session (logout).
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	if err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpired removes expired sessions and login failures older than
// keepFailures; run now and then by a background loop.
func (tx *Tx) DeleteExpired(ctx context.Context, keepFailures time.Duration) error {
	if err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, tx.now); err != nil {
		return fmt.Errorf("store: delete expired sessions: %w", err)
	}
	if err := tx.exec(ctx, `DELETE FROM login_failures WHERE failed_at <= ?`, tx.now.Add(-keepFailures)); err != nil {
		return fmt.Errorf("store: delete old login failures: %w", err)
	}
	return tx.deleteOldLoginTokens(ctx)
}

// AddLoginFailure records a failed login under each key (an account and a
// client address).
func (tx *Tx) AddLoginFailure(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if err := tx.exec(ctx, `INSERT INTO login_failures (key, failed_at) VALUES (?, ?)`, k, tx.now); err != nil {
			return fmt.Errorf("store: add login failure: %w", err)
		}
	}
	return nil
}

// ClearLoginFailures forgets the failures under key, after a good login.
func (tx *Tx) ClearLoginFailures(ctx context.Context, key string) error {
	if err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key); err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// LoginFailures counts the failures under key since the given time.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := db.queryRow(ctx, `
		SELECT count(*)
		FROM login_failures
		WHERE key = ?
		  AND failed_at > ?`, key, since.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: login failures: %w", err)
	}
	return n, nil
}

// Now is the store's clock, for callers that compute expiries.
func (db *DB) Now() time.Time { return db.utcNow() }
