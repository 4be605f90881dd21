-- The sealing of door codes at start-up looks for cases that still hold
-- one readable; this index holds just those (none, once sealed), so that
-- every start does not read every case.
CREATE INDEX cases_access_plain ON cases (id) WHERE access_sealed = '' AND access <> '';
