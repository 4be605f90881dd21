-- Glömt lösenord: a reset link's token, stored as its SHA-256 only (the
-- link is in the user's mail, not here), valid until expires_at and once.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets (user_id);
