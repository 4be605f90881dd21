-- Sök ärende's Gata matches the street without its apartment part
-- (repair.StreetName, folded), so that "Vasagatan 21" finds every
-- apartment of the house. A prefix is resolved into the customer's few
-- matching streets by skipping through this index, and each street's
-- cases come from it in date order, merged: no match is fetched and
-- sorted. The Go step of this migration fills the column.
ALTER TABLE cases ADD COLUMN street_name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_customer_street_name ON cases (customer_id, street_name_key, registered_at, id);
