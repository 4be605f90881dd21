-- The office's case search runs over every customer: newest registered
-- first without a customer filter, and the queue of work orders planned
-- for a day.
CREATE INDEX cases_registered ON cases (registered_at, id);
CREATE INDEX work_orders_planned ON work_orders (planned_start) WHERE planned_start IS NOT NULL;
