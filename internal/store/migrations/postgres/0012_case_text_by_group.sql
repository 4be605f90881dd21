-- SQLite's migration of this number moves the Fritext index's inserts
-- from a trigger into the store; PostgreSQL has no such index.
SELECT 1;
