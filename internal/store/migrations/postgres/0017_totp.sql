-- Two-factor login. totp_secret is the authenticator app's secret, sealed
-- with the site's key (internal/secret), '' when the user has none;
-- totp_last_step is the time step of the last code taken, so that no code
-- is taken twice. A recovery code is stored as its SHA-256, used once.
-- A login challenge is a password that was right, waiting for its code:
-- the session starts only with the code.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
