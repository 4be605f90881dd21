-- Fritext with many matches reads the newest ones through the text index
-- in id order (searchtext.go), which is registration order wherever every
-- case was registered no earlier than every case before it: true of all
-- cases the product files (registered_at is the time of the insert),
-- not of seeded or imported ones. ordered_from is the first id of the
-- run of cases, up to the newest, of which that holds: each has
-- registered_at at least that of every case with a lower id. A case
-- inserted out of that order moves it past itself.
ALTER TABLE text_index_state ADD COLUMN ordered_from INTEGER NOT NULL DEFAULT 0;
UPDATE text_index_state SET ordered_from = COALESCE((
    SELECT max(id) + 1 FROM (
        SELECT id, registered_at,
            max(registered_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
        FROM cases
    ) WHERE registered_at < before), 0);
CREATE TRIGGER cases_registration_order AFTER INSERT ON cases
WHEN EXISTS (SELECT 1 FROM cases p WHERE p.registered_at > new.registered_at AND p.id < new.id) BEGIN
    UPDATE text_index_state SET ordered_from = new.id + 1;
END;
