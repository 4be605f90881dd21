-- Kommande of one Fakturamärkning, a page at a time (WorkPage): the
-- cases done and not yet invoiced in completion order. cases_done_ref
-- holds every completed case, most of them long invoiced, so its first
-- page would read past all of those.
CREATE INDEX cases_upcoming_ref ON cases (customer_id, ref_key, completed_at, id) WHERE status = 'completed';
