-- Open incidents by member service: co-onset grouping and linked services
-- look up, every batch, the open incident whose `services` (doc) include one
-- of a batch's services (listIncidents' `members`). Only open incidents are
-- asked about this way, so only they are indexed.
CREATE INDEX incidents_open_members_idx ON incidents USING gin ((doc -> 'services')) WHERE status = 'open';
