-- A customer can show its invoices and Fakturaspecifikation to its
-- customer admins only.
ALTER TABLE customers ADD COLUMN invoices_admins_only BOOLEAN NOT NULL DEFAULT FALSE;

-- An invoice run bills a customer's cases completed in its period, found
-- through cases_done, and Kommande reads the cases still Utförd through
-- cases_customer_status: the index on uninvoiced work orders by their own
-- completion serves neither any more.
DROP INDEX work_orders_uninvoiced;
