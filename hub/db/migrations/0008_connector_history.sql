-- How much of what Liaison recorded before a CRM was connected goes out to it. A large team's whole history can
-- be days of requests at HubSpot's limits, so the admin chooses at connect: the last N days (the default is 90),
-- everything, or nothing; and can widen or narrow it later. Records queued by that choice are marked, so that the
-- admin sees the history's progress apart from today's writes, and the queue sends today's logs first.

-- The window chosen: history_days NULL is everything; 0 is nothing. history_from is the instant it starts from
-- (NULL: from the beginning).
ALTER TABLE connectors ADD COLUMN history_days int CHECK (history_days >= 0);
ALTER TABLE connectors ADD COLUMN history_from timestamptz;

-- Queued because it falls in the window, rather than because it was written while connected.
ALTER TABLE connector_records ADD COLUMN from_history boolean NOT NULL DEFAULT false;

-- Outbox rows for history: relayed into the job queue at a lower priority than today's writes.
ALTER TABLE connector_changes ADD COLUMN background boolean NOT NULL DEFAULT false;
