-- customers.mail_version counts the changes to who of a customer's users
-- gets which mail: its users (added, removed, moved, blocked, renamed,
-- readdressed, digest on or off) and their mail settings. The session
-- reads it with the user, and the recipients of a new case's mail are
-- kept per customer at the version they were read at (outbox.go), so a
-- save reads them again only after such a change. What a save itself
-- writes to users (the reporter's defaults) leaves the version alone.
-- The update takes a no-key lock on the customer's row, which the
-- foreign keys' key-share locks of concurrent saves do not wait for.
ALTER TABLE customers ADD COLUMN mail_version BIGINT NOT NULL DEFAULT 0;

-- OLD is NULL in an INSERT trigger and NEW in a DELETE trigger.
CREATE FUNCTION users_mail_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers SET mail_version = mail_version + 1
    WHERE id IN (OLD.customer_id, NEW.customer_id);
    RETURN NULL;
END;
$$;

CREATE FUNCTION mail_settings_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customers SET mail_version = mail_version + 1
    WHERE id IN (SELECT customer_id FROM users WHERE id IN (OLD.user_id, NEW.user_id));
    RETURN NULL;
END;
$$;

CREATE TRIGGER users_mail_version_rows AFTER INSERT OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_mail_version();

CREATE TRIGGER users_mail_version_update
AFTER UPDATE OF customer_id, email, name, phone, role, disabled, mail_digest ON users
    FOR EACH ROW EXECUTE FUNCTION users_mail_version();

CREATE TRIGGER mail_settings_version AFTER INSERT OR UPDATE OR DELETE ON mail_settings
    FOR EACH ROW EXECUTE FUNCTION mail_settings_version();
