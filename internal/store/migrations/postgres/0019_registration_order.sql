-- SQLite's migration of this number keeps where its cases stand in
-- registration order by id, for the Fritext index; PostgreSQL has no
-- such index.
SELECT 1;
