-- What a case list shows beside each case (Se åtgärder, Se filer, Öppna
-- fil signatur) is kept on the case row, as its totals are, so that a
-- page of cases is read from the cases alone: the customer-visible
-- actions, the files, and the newest signed delivery note. AddAction and
-- CreateFile keep them in step in the same transaction (actions and files
-- are never deleted or hidden afterwards); the Go step of this migration
-- counts them for the cases there are.
ALTER TABLE cases ADD COLUMN visible_actions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN file_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN delivery_note_id BIGINT;
