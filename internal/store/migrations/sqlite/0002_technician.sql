-- The technician's phone: how a visit ended, one-time form ids, the signed
-- delivery notes with their versions, and the append-only seal log.

-- outcome is how the visit ended when nothing was repaired ('' when work
-- was done): no_one_home, cancelled_by_customer, other; outcome_note says
-- more. locked_at is set when the delivery note is signed: from then on
-- the work order's actions and costs cannot change.
ALTER TABLE work_orders ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
ALTER TABLE work_orders ADD COLUMN started_at TIMESTAMP;
ALTER TABLE work_orders ADD COLUMN locked_at TIMESTAMP;

-- form_submissions ties a form's one-time id to what it created, so that a
-- form sent twice on a poor connection creates its record once.
CREATE TABLE form_submissions (
    token      TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- delivery_notes are the signed notes of a work order; a correction is a
-- new version that names the one it replaces, which stays downloadable.
CREATE TABLE delivery_notes (
    id              INTEGER PRIMARY KEY,
    work_order_id   INTEGER NOT NULL REFERENCES work_orders (id),
    version         INTEGER NOT NULL,
    replaces_id     INTEGER REFERENCES delivery_notes (id),
    file_id         INTEGER NOT NULL REFERENCES files (id),
    snapshot_sha256 TEXT NOT NULL,
    signer_name     TEXT NOT NULL,
    -- refused: the customer was there but did not sign; absent: nobody was.
    signature       TEXT NOT NULL,
    signed_at       TIMESTAMP NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    UNIQUE (work_order_id, version)
);

-- seal_log is append-only: each entry records a delivery note's PDF hash
-- and the hash of the entry before it, so that a changed or removed entry
-- breaks the chain. prev_hash is unique: an entry is followed by one entry
-- only, even when two instances append at once.
CREATE TABLE seal_log (
    id               INTEGER PRIMARY KEY,
    at               TIMESTAMP NOT NULL,
    delivery_note_id INTEGER NOT NULL REFERENCES delivery_notes (id),
    file_sha256      TEXT NOT NULL,
    snapshot_sha256  TEXT NOT NULL,
    prev_hash        TEXT NOT NULL UNIQUE,
    entry_hash       TEXT NOT NULL UNIQUE
);
