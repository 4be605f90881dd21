-- Fritext through a trigram index: every run of three characters of a
-- case's search_text points at the case, so a word that few cases hold
-- is found without reading the customer's cases one by one (LIKE
-- '%word%' can use no ordinary index). The index holds no copy of the
-- text (content='cases'); triggers keep it in step with the cases.
CREATE VIRTUAL TABLE cases_text USING fts5(search_text, content='cases', content_rowid='id', tokenize='trigram');
INSERT INTO cases_text (cases_text) VALUES ('rebuild');
CREATE TRIGGER cases_text_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER cases_text_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_text (cases_text, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER cases_text_update AFTER UPDATE OF search_text ON cases BEGIN
    INSERT INTO cases_text (cases_text, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO cases_text (rowid, search_text) VALUES (new.id, new.search_text);
END;
