-- SQLite's migration of this number has new cases join the Fritext index
-- in batches; PostgreSQL has no such index.
SELECT 1;
