-- customers.mail_version counts the changes to who of a customer's users
-- gets which mail: its users (added, removed, moved, blocked, renamed,
-- readdressed, digest on or off) and their mail settings. The session
-- reads it with the user, and the recipients of a new case's mail are
-- kept per customer at the version they were read at (outbox.go), so a
-- save reads them again only after such a change. What a save itself
-- writes to users (the reporter's defaults) leaves the version alone.
ALTER TABLE customers ADD COLUMN mail_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER users_mail_version_insert AFTER INSERT ON users
BEGIN
    UPDATE customers SET mail_version = mail_version + 1 WHERE id = NEW.customer_id;
END;

CREATE TRIGGER users_mail_version_update
AFTER UPDATE OF customer_id, email, name, phone, role, disabled, mail_digest ON users
BEGIN
    UPDATE customers SET mail_version = mail_version + 1 WHERE id IN (OLD.customer_id, NEW.customer_id);
END;

CREATE TRIGGER users_mail_version_delete AFTER DELETE ON users
BEGIN
    UPDATE customers SET mail_version = mail_version + 1 WHERE id = OLD.customer_id;
END;

CREATE TRIGGER mail_settings_version_insert AFTER INSERT ON mail_settings
BEGIN
    UPDATE customers SET mail_version = mail_version + 1
    WHERE id = (SELECT customer_id FROM users WHERE id = NEW.user_id);
END;

CREATE TRIGGER mail_settings_version_update AFTER UPDATE ON mail_settings
BEGIN
    UPDATE customers SET mail_version = mail_version + 1
    WHERE id IN (SELECT customer_id FROM users WHERE id IN (OLD.user_id, NEW.user_id));
END;

CREATE TRIGGER mail_settings_version_delete AFTER DELETE ON mail_settings
BEGIN
    UPDATE customers SET mail_version = mail_version + 1
    WHERE id = (SELECT customer_id FROM users WHERE id = OLD.user_id);
END;
