-- Invoices: a run freezes a customer's completed, not yet invoiced work
-- orders of a period into an invoice. Everything the invoice shows is
-- copied into it (a snapshot), so later changes to rates, texts or
-- registers never change an issued invoice; a correction is a credit
-- note referring to the original, never an edit. Money is öre ex VAT per
-- line, with the VAT rate per line (hundredths of a per cent).
CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    -- From the gap-free series (counters 'invoice'), credit notes too.
    number          TEXT NOT NULL UNIQUE,
    -- A credit note's original; an invoice is credited at most once.
    credits_id      INTEGER REFERENCES invoices (id),
    invoice_date    TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    org_number      TEXT NOT NULL,
    invoice_address TEXT NOT NULL,
    net_ore         INTEGER NOT NULL,
    vat_ore         INTEGER NOT NULL,
    rounding_ore    INTEGER NOT NULL,
    to_pay_ore      INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invoices_credited_once ON invoices (credits_id) WHERE credits_id IS NOT NULL;
CREATE INDEX invoices_customer ON invoices (customer_id, invoice_date, id);

CREATE TABLE invoice_lines (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER NOT NULL REFERENCES invoices (id),
    work_order_id     INTEGER NOT NULL REFERENCES work_orders (id),
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    case_number       TEXT NOT NULL,
    work_order_number TEXT NOT NULL,
    case_title        TEXT NOT NULL,
    asset_number      TEXT NOT NULL,
    street            TEXT NOT NULL,
    invoice_reference TEXT NOT NULL,
    contract_number   TEXT NOT NULL,
    completed_on      TEXT NOT NULL,
    kind              TEXT NOT NULL,
    description       TEXT NOT NULL,
    quantity_milli    INTEGER NOT NULL,
    unit_price_ore    INTEGER NOT NULL,
    amount_ore        INTEGER NOT NULL,
    vat_rate          INTEGER NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, id);

-- The invoice a work order is on; set once, by the run that invoices it.
ALTER TABLE work_orders ADD COLUMN invoice_id INTEGER REFERENCES invoices (id);
-- A run's candidates: done work orders not yet invoiced.
CREATE INDEX work_orders_uninvoiced ON work_orders (completed_at) WHERE invoice_id IS NULL AND status = 'done';
