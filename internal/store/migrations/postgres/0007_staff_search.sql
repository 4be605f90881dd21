-- The office's case search runs over every customer: newest registered
-- first without a customer filter, and the queue of work orders planned
-- for a day.
CREATE INDEX cases_registered ON cases (registered_at, id);
CREATE INDEX work_orders_planned ON work_orders (planned_start) WHERE planned_start IS NOT NULL;

-- customer_news_at: when the customer last added information to the case
-- or cancelled it, until the office has seen it; the Inkorg's queue "Nytt
-- från kunden" reads the few such cases through the partial index.
ALTER TABLE cases ADD COLUMN customer_news_at TIMESTAMPTZ;
CREATE INDEX cases_customer_news ON cases (customer_news_at, id) WHERE customer_news_at IS NOT NULL;
