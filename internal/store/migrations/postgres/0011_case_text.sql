-- SQLite's migration of this number adds a trigram index for Fritext.
-- PostgreSQL's planner walks the customer's cases in date order testing
-- each, which serves common words at once; an index for rare ones
-- (pg_trgm) needs the extension, which not every database user may
-- create, and is left for the operator (docs/PERFORMANCE.md).
SELECT 1;
