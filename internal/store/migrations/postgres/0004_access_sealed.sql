-- Door codes and master-key consent are kept encrypted: access_sealed
-- holds the value sealed with the application's key (package secret), and
-- access only a masked form ("Portkod ••••"). Older rows still have the
-- value in access until the application seals them at start-up.
ALTER TABLE cases ADD COLUMN access_sealed TEXT NOT NULL DEFAULT '';

-- The erasure a set time after completion finds the cases that still
-- hold such a value by their completion time.
CREATE INDEX cases_access_erase ON cases (completed_at) WHERE access <> '' OR access_sealed <> '';
