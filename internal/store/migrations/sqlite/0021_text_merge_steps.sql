-- The Fritext index's segments are merged by the store, in small steps
-- between the saves (textmerge.go), instead of by FTS5's automatic
-- merge: that did its work inside whichever flush of a batch of new
-- cases crossed a mark of 64 pages written, 64 pages for each level of
-- the index, and at a million cases every other batch held the one
-- writer for 30-56 ms instead of 5-10, with every save queued behind it
-- (docs/PERFORMANCE.md).
INSERT INTO cases_text (cases_text, rank) VALUES ('automerge', 0);
