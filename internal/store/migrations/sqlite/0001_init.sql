-- The whole domain of Kundportal. Times are UTC TIMESTAMPs; calendar dates
-- are 'YYYY-MM-DD' text; money is integer öre excluding VAT.

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    org_number      TEXT NOT NULL DEFAULT '',
    invoice_address TEXT NOT NULL DEFAULT '',
    hourly_rate_ore INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    customer_id          INTEGER REFERENCES customers (id),
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    phone                TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    -- What the user last entered as Anmälare / Tel anmälare, offered as
    -- the default on the next Nytt ärende.
    reporter_name        TEXT NOT NULL DEFAULT '',
    reporter_phone       TEXT NOT NULL DEFAULT '',
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL,
    CHECK ((customer_id IS NULL) = (role NOT IN ('customer_user', 'customer_admin')))
);
CREATE INDEX users_customer ON users (customer_id);

CREATE TABLE contracts (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    number          TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    valid_from      TEXT NOT NULL DEFAULT '',
    valid_to        TEXT NOT NULL DEFAULT '',
    hourly_rate_ore INTEGER NOT NULL DEFAULT 0,
    UNIQUE (customer_id, number)
);

CREATE TABLE assets (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    contract_id   INTEGER REFERENCES contracts (id),
    number        TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    brand         TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    serial_number TEXT NOT NULL DEFAULT '',
    site_name     TEXT NOT NULL DEFAULT '',
    street        TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    installed_on  TEXT NOT NULL DEFAULT '',
    -- search_text is number, kind, brand, model, site, street and city,
    -- lower-cased in Go so that Å, Ä and Ö match alike on every database.
    search_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
-- The portal lists and searches a customer's machines by number.
CREATE INDEX assets_customer_number ON assets (customer_id, number);

-- counters hands out human numbers (case numbers per year) inside the
-- transaction that uses them, so numbers are gap-free and never reused.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    asset_id          INTEGER REFERENCES assets (id),
    type              TEXT NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    site_name         TEXT NOT NULL DEFAULT '',
    street            TEXT NOT NULL DEFAULT '',
    reporter_name     TEXT NOT NULL DEFAULT '',
    reporter_phone    TEXT NOT NULL DEFAULT '',
    site_phone1       TEXT NOT NULL DEFAULT '',
    site_phone2       TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    city              TEXT NOT NULL DEFAULT '',
    access            TEXT NOT NULL DEFAULT '',
    contract_number   TEXT NOT NULL DEFAULT '',
    invoice_reference TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    -- Folded (lower-cased in Go) copies for search: Fakturamärkning and
    -- Gata match case-insensitively across å, ä, ö; search_text holds case
    -- number, Ort / Titel and Beskrivning for the free-text search.
    ref_key           TEXT NOT NULL DEFAULT '',
    street_key        TEXT NOT NULL DEFAULT '',
    search_text       TEXT NOT NULL DEFAULT '',
    reported_by       INTEGER REFERENCES users (id),
    registered_at     TIMESTAMP NOT NULL,
    completed_at      TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL
);
-- Sök ärende: one index per filter, each ending in the sort order
-- (registered_at, id) so that a filtered page of 50 is read in order and
-- keyset pagination continues where the last page ended.
CREATE INDEX cases_customer_registered ON cases (customer_id, registered_at, id);
CREATE INDEX cases_customer_status ON cases (customer_id, status, registered_at, id);
CREATE INDEX cases_customer_ref ON cases (customer_id, ref_key, registered_at, id);
CREATE INDEX cases_customer_street ON cases (customer_id, street_key, registered_at, id);
CREATE INDEX cases_customer_number ON cases (customer_id, number);
-- The order system's queues by status, oldest first.
CREATE INDEX cases_status_registered ON cases (status, registered_at, id);
-- A machine's history.
CREATE INDEX cases_asset_registered ON cases (asset_id, registered_at, id);

-- invoice_references remembers each customer's Fakturamärkning values, so
-- the form can offer them without a DISTINCT over millions of cases.
CREATE TABLE invoice_references (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    value        TEXT NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, value)
);

-- case_submissions makes filing a case idempotent: the form carries a
-- random token, and a second submit of the same form finds the case the
-- first one created instead of creating another.
CREATE TABLE case_submissions (
    token   TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id)
);

CREATE TABLE case_status_history (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    status     TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_status_history_case ON case_status_history (case_id, changed_at);

CREATE TABLE work_orders (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    number        TEXT NOT NULL UNIQUE,
    technician_id INTEGER REFERENCES users (id),
    status        TEXT NOT NULL,
    planned_start TIMESTAMP,
    planned_end   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    completed_at  TIMESTAMP
);
CREATE INDEX work_orders_case ON work_orders (case_id);
CREATE INDEX work_orders_technician ON work_orders (technician_id, planned_start);

CREATE TABLE actions (
    id               INTEGER PRIMARY KEY,
    work_order_id    INTEGER NOT NULL REFERENCES work_orders (id),
    performed_on     TEXT NOT NULL,
    technician_id    INTEGER REFERENCES users (id),
    description      TEXT NOT NULL,
    minutes          INTEGER NOT NULL DEFAULT 0,
    customer_visible INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX actions_work_order ON actions (work_order_id, performed_on);

CREATE TABLE cost_lines (
    id               INTEGER PRIMARY KEY,
    work_order_id    INTEGER NOT NULL REFERENCES work_orders (id),
    kind             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    article          TEXT NOT NULL DEFAULT '',
    quantity_milli   INTEGER NOT NULL,
    unit_price_ore   INTEGER NOT NULL,
    amount_ore       INTEGER NOT NULL,
    customer_visible INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX cost_lines_work_order ON cost_lines (work_order_id);

CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    work_order_id INTEGER REFERENCES work_orders (id),
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    -- thumb_sha256 is a small JPEG of an image, for lists; empty otherwise.
    thumb_sha256  TEXT NOT NULL DEFAULT '',
    uploaded_by   INTEGER REFERENCES users (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX files_case ON files (case_id, created_at);
CREATE INDEX files_customer ON files (customer_id, id);

-- sessions holds server-side sessions; the cookie carries a random token and
-- only its SHA-256 is stored, so a leaked table cannot be replayed.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- login_failures feeds login throttling, per account and per client
-- address; it lives in the database so every app instance sees it.
CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
