-- The mails' bodies are compressed with lz4 where this PostgreSQL has
-- it, instead of pglz: compressing each new case's mails took 3 % of
-- PostgreSQL's CPU under the saves (docs/PERFORMANCE.md), and lz4
-- compresses several times faster. Bodies written before keep pglz;
-- both are read alike. A PostgreSQL built without lz4 keeps pglz.
DO $$
BEGIN
	ALTER TABLE outbox
		ALTER COLUMN text_body SET COMPRESSION lz4,
		ALTER COLUMN html_body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END
$$;
