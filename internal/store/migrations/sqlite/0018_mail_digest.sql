-- A customer user may have its case mails gathered into one mail a day
-- (mail_digest): each mail it would have had waits as a line of
-- digest_items until the day's digest takes them, in one transaction
-- with the digest's own outbox row.
ALTER TABLE users ADD COLUMN mail_digest BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE digest_items (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    case_id     INTEGER REFERENCES cases (id),
    event       TEXT NOT NULL,
    line        TEXT NOT NULL,
    link        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX digest_items_user ON digest_items (user_id, created_at);
