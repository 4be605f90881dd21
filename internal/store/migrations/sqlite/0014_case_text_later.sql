-- New cases join the Fritext index in batches after their saves have
-- committed (searchtext.go), not in each save's transaction: at every
-- commit FTS5 wrote a new segment and merged segments, a quarter of the
-- writer's time with 32 writers. text_index_state says how far the index
-- reaches: every case with an id up to indexed_through is in it, and
-- those after are found by reading them (a bounded few). The update and
-- delete triggers then touch only indexed cases; a case not yet indexed
-- is indexed with its text as it is by then.
CREATE TABLE text_index_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL
);
INSERT INTO text_index_state (id, indexed_through) VALUES (1, (SELECT COALESCE(max(id), 0) FROM cases));
DROP TRIGGER cases_text_delete;
DROP TRIGGER cases_text_update;
CREATE TRIGGER cases_text_delete AFTER DELETE ON cases
WHEN old.id <= (SELECT indexed_through FROM text_index_state) BEGIN
    INSERT INTO cases_text (cases_text, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER cases_text_update AFTER UPDATE OF search_text ON cases
WHEN old.id <= (SELECT indexed_through FROM text_index_state) BEGIN
    INSERT INTO cases_text (cases_text, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cases_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
