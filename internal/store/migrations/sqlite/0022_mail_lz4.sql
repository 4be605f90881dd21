-- PostgreSQL's mail bodies are compressed with lz4 (the PostgreSQL
-- migration of this name); SQLite does not compress. This keeps the two
-- folders' migrations in step.
SELECT 1;
