-- The outbox: every e-mail an operation sends is written here in the
-- operation's own transaction, rendered and addressed, and sent after the
-- commit by the outbox worker (internal/worker), which retries with
-- backoff. A crash between the commit and the send loses nothing: the
-- row waits. A worker that takes a row claims it until claimed_until, so
-- that no other worker takes it meanwhile; one that dies mid-send leaves
-- it to the next once the claim ends (on SQLite, whose one instance is
-- the only worker, at its next start). message_id is the mail's
-- Message-ID, the same on every attempt.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      TEXT NOT NULL UNIQUE,
    event           TEXT NOT NULL,
    customer_id     INTEGER REFERENCES customers (id),
    case_id         INTEGER REFERENCES cases (id),
    user_id         INTEGER REFERENCES users (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    unsubscribe_url TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    -- How it went out once sent: 'smtp', or 'utskick' where no mail
    -- server is set and the office reads it on the Utskick page.
    transport       TEXT NOT NULL DEFAULT '',
    sent_at         TIMESTAMP,
    -- Set when the worker gave up after its last attempt.
    failed_at       TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_customer ON outbox (customer_id, id);
CREATE INDEX outbox_case ON outbox (case_id);
CREATE INDEX outbox_failed ON outbox (id) WHERE failed_at IS NOT NULL;

-- Which mails a user wants, per event: cases 'mine' (the cases the user
-- reported), 'all' (all of the user's customer's) or 'none'. No row means
-- the default, 'mine'.
CREATE TABLE mail_settings (
    user_id INTEGER NOT NULL REFERENCES users (id),
    event   TEXT NOT NULL,
    cases   TEXT NOT NULL CHECK (cases IN ('none', 'mine', 'all')),
    PRIMARY KEY (user_id, event)
);
