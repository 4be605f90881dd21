-- seal_log is append-only (0002): these triggers refuse every change and
-- every removal of an entry, from the app or from anyone with a SQL
-- prompt who does not first drop them. A deleted row cannot be told from
-- one never written, and a changed one breaks the chain only at the next
-- check; refusing both here stops the mistake when it is made.
CREATE TRIGGER seal_log_no_update BEFORE UPDATE ON seal_log
BEGIN
    SELECT RAISE(ABORT, 'seal_log is append-only');
END;

CREATE TRIGGER seal_log_no_delete BEFORE DELETE ON seal_log
BEGIN
    SELECT RAISE(ABORT, 'seal_log is append-only');
END;
