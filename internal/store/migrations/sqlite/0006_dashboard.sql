-- The Dashboard counts completed cases by time, place, machine and
-- Fakturamärkning. Each case carries what the Dashboard adds up (so a
-- count never joins its work orders and cost lines), and the rollup
-- holds those sums per customer, period and key, kept in the same
-- transaction as every change that moves them (store/dashboard.go).
-- The store fills the new columns and the rollup in Go after this file
-- (folding Ort like Go does, which SQL lower() does not on every
-- database).

-- Ort, folded like ref_key and street_key.
ALTER TABLE cases ADD COLUMN city_key TEXT NOT NULL DEFAULT '';
-- Objekttyp and Fabrikat of the machine, as the register has them, and
-- folded for search.
ALTER TABLE cases ADD COLUMN asset_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN asset_brand TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN kind_key TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN brand_key TEXT NOT NULL DEFAULT '';
-- A repeat fault: filed within 90 days of the completion of an earlier
-- case on the same machine; decided when the case is filed.
ALTER TABLE cases ADD COLUMN repeat_fault INTEGER NOT NULL DEFAULT 0;
-- The lead-time bin (repair.LeadBin) of a completed case, else NULL.
ALTER TABLE cases ADD COLUMN lead_bin INTEGER;
-- Work orders that are not cancelled, and customer-visible costs per kind
-- (öre ex VAT), over all of the case's work orders.
ALTER TABLE cases ADD COLUMN work_order_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN labour_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN part_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN travel_ore INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN fee_ore INTEGER NOT NULL DEFAULT 0;

-- Sök ärende behind a bar: completed cases by completion time, one index
-- per filter the Dashboard drills by, each ending in the sort order so a
-- page of 50 is read in order. Only completed cases are in them. The two
-- that lead to machines (Ort and Gata, Objekttyp and Fabrikat) also
-- carry each case's sums, so the Objekt level is summed from the index
-- alone, without reading the cases.
CREATE INDEX cases_done ON cases (customer_id, completed_at, id) WHERE completed_at IS NOT NULL;
CREATE INDEX cases_done_city ON cases (customer_id, city_key, completed_at, id) WHERE completed_at IS NOT NULL;
CREATE INDEX cases_done_street ON cases (customer_id, city_key, street_key, completed_at, id,
    asset_id, lead_bin, repeat_fault, work_order_count, labour_ore, part_ore, travel_ore, fee_ore) WHERE completed_at IS NOT NULL;
CREATE INDEX cases_done_kind ON cases (customer_id, kind_key, completed_at, id) WHERE completed_at IS NOT NULL;
CREATE INDEX cases_done_brand ON cases (customer_id, kind_key, brand_key, completed_at, id,
    asset_id, lead_bin, repeat_fault, work_order_count, labour_ore, part_ore, travel_ore, fee_ore) WHERE completed_at IS NOT NULL;
CREATE INDEX cases_done_ref ON cases (customer_id, ref_key, completed_at, id) WHERE completed_at IS NOT NULL;
-- A machine's completed cases: the repeat-fault check when a case is
-- filed, and the Objekt bar's list.
CREATE INDEX cases_done_asset ON cases (asset_id, completed_at, id) WHERE completed_at IS NOT NULL;

-- dashboard_rollup: per customer, the completed cases' sums by dimension
-- (dim: y, m, w (ISO week), d for time; city_y, city_m, street_y, kind_y, kind_m,
-- brand_y, brand_m, ref_y, ref_m), period (YYYY, YYYY-MM, YYYY-Vww or
-- YYYY-MM-DD as the dim's suffix says), folded keys (key1, and key2 below it: Ort and
-- Gata, Objekttyp and Fabrikat) and lead-time bin. A row with no cases
-- left is deleted.
CREATE TABLE dashboard_rollup (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    dim          TEXT NOT NULL,
    period       TEXT NOT NULL,
    key1         TEXT NOT NULL,
    key2         TEXT NOT NULL,
    bin          INTEGER NOT NULL,
    label1       TEXT NOT NULL,
    label2       TEXT NOT NULL,
    cases        INTEGER NOT NULL,
    repeats      INTEGER NOT NULL,
    work_orders  INTEGER NOT NULL,
    labour_ore   INTEGER NOT NULL,
    part_ore     INTEGER NOT NULL,
    travel_ore   INTEGER NOT NULL,
    fee_ore      INTEGER NOT NULL,
    PRIMARY KEY (customer_id, dim, period, key1, key2, bin)
) WITHOUT ROWID;
-- A drill-down (Gata in one Ort, Fabrikat of one Objekttyp) reads one
-- key's rows for a period range instead of every key's.
CREATE INDEX dashboard_rollup_key ON dashboard_rollup (customer_id, dim, key1, period);
