-- SQLite's Fritext index has its segments merged in steps by the store
-- (the SQLite migration of this name). PostgreSQL's trigram index has
-- nothing of the kind; this keeps the two folders' migrations in step.
SELECT 1;
