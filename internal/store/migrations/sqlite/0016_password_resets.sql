-- Glömt lösenord: a reset link's token, stored as its SHA-256 only (the
-- link is in the user's mail, not here), valid until expires_at and once.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);
