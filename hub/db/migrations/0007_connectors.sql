-- Connectors to the team's existing CRM (HubSpot first): the connection, what is linked to what, the paging
-- cursors of the sync, the writes waiting to go out, and the shared request budget. The job queue itself is
-- pg-boss's, in its own schema (`pgboss`), created and migrated by pg-boss when the hub starts.

-- Where a record was first made: 'liaison' (logged here) or a connector's provider ('hubspot': imported).
ALTER TABLE interactions ADD COLUMN source text NOT NULL DEFAULT 'liaison';

CREATE TABLE connectors (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id            bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  provider           text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9-]{1,30}$'),
  -- active: syncing; paused: by an admin, or by the connector itself when the CRM refused the token;
  -- disconnected: the token is gone, links and cursors are kept so that reconnecting resumes without duplicates.
  status             text NOT NULL CHECK (status IN ('active', 'paused', 'disconnected')),
  paused_by          text CHECK (paused_by IN ('admin', 'unauthorized')),
  status_message     text,
  account_id         text,
  ui_domain          text,
  -- The access token, AES-256-GCM with the hub's secret key (LIAISON_SECRET_KEY); never stored in clear.
  token_ciphertext   bytea,
  token_iv           bytea,
  token_tag          bytea,
  key_id             text,
  -- The request budget this account allows (see hub/connectors/limits.ts).
  limits             jsonb NOT NULL,
  connected_by       bigint NOT NULL,
  connected_at       timestamptz NOT NULL DEFAULT now(),
  disconnected_at    timestamptz,
  UNIQUE (team_id, provider),
  UNIQUE (team_id, id),
  FOREIGN KEY (team_id, connected_by) REFERENCES members (team_id, id)
);

-- One row per local thing a connector knows: a contact, company or member linked to a CRM record, or an
-- interaction, flag or task that goes out. external_id is recorded the moment the CRM answers a create, so a
-- retry, a crash or a teammate's second log of the same conversation updates that record instead of making another.
CREATE TABLE connector_records (
  connector_id       bigint NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
  entity             text NOT NULL CHECK (entity IN ('contact', 'company', 'member', 'interaction', 'flag', 'task')),
  local_id           bigint NOT NULL,
  external_type      text,
  external_id        text,
  url                text,
  -- remote: imported from the CRM; local: made in Liaison and sent out.
  origin             text NOT NULL CHECK (origin IN ('remote', 'local')),
  -- pending: waiting to go out; creating: a create was sent and its answer not yet recorded (see creating_since);
  -- synced; failed: gave up, with the reason; skipped: nothing to send, with the reason; deleted: gone in the CRM.
  state              text NOT NULL CHECK (state IN ('pending', 'creating', 'synced', 'failed', 'skipped', 'deleted')),
  reason             text,
  attempts           int NOT NULL DEFAULT 0,
  -- Bumped by every change in Liaison: a push that finishes while a newer change waits leaves the record pending.
  version            bigint NOT NULL DEFAULT 0,
  creating_since     timestamptz,
  -- The CRM's values as of the last sync: the base of the field-by-field merge (CRM wins for contact fields).
  remote             jsonb,
  remote_updated_at  timestamptz,
  synced_at          timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connector_id, entity, local_id)
);
CREATE UNIQUE INDEX connector_records_external ON connector_records (connector_id, external_type, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX connector_records_attention ON connector_records (connector_id, state, updated_at DESC)
  WHERE state IN ('pending', 'creating', 'failed', 'skipped');

-- Writes in Liaison that a connector must send out, recorded in the same transaction as the write (the repo
-- functions call noteChange): a transactional outbox that the hub relays into the job queue.
CREATE TABLE connector_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL,
  entity      text NOT NULL,
  local_id    bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Where each stream of the sync stands: a first import pages with `full_after` until done; from then on only
-- records modified since `since` are asked for. Written after each page, so a crash resumes where it stopped.
CREATE TABLE connector_cursors (
  connector_id         bigint NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
  stream               text NOT NULL,
  full_after           text,
  full_started_at      timestamptz,
  full_done_at         timestamptz,
  since                timestamptz,
  archived_scanned_at  timestamptz,
  last_run_at          timestamptz,
  last_error           text,
  imported             bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (connector_id, stream)
);

-- The request budget of one CRM account, shared by every hub process (and team) using it: the start times of
-- the last N requests (N = the limit of the window), a pause everyone obeys after a 429, and a daily count.
CREATE TABLE connector_rate (
  bucket         text PRIMARY KEY,
  slots          timestamptz[] NOT NULL DEFAULT '{}',
  blocked_until  timestamptz,
  day            date NOT NULL DEFAULT current_date,
  day_count      int NOT NULL DEFAULT 0,
  total          bigint NOT NULL DEFAULT 0,
  rejected       bigint NOT NULL DEFAULT 0
);

-- What the hub's answers say about a contact's or interaction's copy in the team's CRM (shared/wire-types.ts
-- ExternalRef): synced with its link, or why not.
CREATE FUNCTION liaison_external_refs(p_team bigint, p_entity text, p_local bigint) RETURNS json
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN (SELECT coalesce(json_agg(json_build_object(
            'provider', c.provider, 'state', r.state, 'id', r.external_id, 'url', r.url, 'reason', r.reason,
            'syncedAt', liaison_iso(r.synced_at)) ORDER BY c.provider), '[]'::json)
            FROM connectors c JOIN connector_records r ON r.connector_id = c.id AND r.entity = p_entity AND r.local_id = p_local
           WHERE c.team_id = p_team AND c.status <> 'disconnected');
