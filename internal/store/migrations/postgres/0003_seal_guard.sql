-- seal_log is append-only (0002): these triggers refuse every change and
-- every removal of an entry, from the app or from anyone with a SQL
-- prompt who does not first drop them. A deleted row cannot be told from
-- one never written, and a changed one breaks the chain only at the next
-- check; refusing both here stops the mistake when it is made. TRUNCATE
-- fires no row triggers, so it has a statement trigger of its own.
CREATE FUNCTION seal_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'seal_log is append-only';
END;
$$;

CREATE TRIGGER seal_log_no_update BEFORE UPDATE ON seal_log
    FOR EACH ROW EXECUTE FUNCTION seal_log_append_only();

CREATE TRIGGER seal_log_no_delete BEFORE DELETE ON seal_log
    FOR EACH ROW EXECUTE FUNCTION seal_log_append_only();

CREATE TRIGGER seal_log_no_truncate BEFORE TRUNCATE ON seal_log
    FOR EACH STATEMENT EXECUTE FUNCTION seal_log_append_only();
