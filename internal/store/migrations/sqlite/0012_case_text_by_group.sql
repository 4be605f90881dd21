-- New cases are added to the Fritext index by the store, once per
-- transaction after every save in it (searchtext.go), instead of by a
-- trigger on each insert: FTS5 writes its pending entries to disk at
-- every savepoint and every statement after them, and a group of saves
-- has a savepoint per save, so the trigger cost each save a flush of the
-- index and its merging (a third of the writer's time with 32 writers).
-- The update and delete triggers stay: they are rare.
DROP TRIGGER cases_text_insert;
