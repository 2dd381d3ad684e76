-- Liaison hub schema, version 1. Released migrations are never edited: add a new numbered file instead.
-- Every team-owned row carries team_id, and every query filters on it: a token sees its own team only.

-- Timestamps inside JSON documents in the same ISO 8601 UTC form JavaScript's toISOString() gives.
CREATE FUNCTION liaison_iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

CREATE TABLE teams (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The team's own email domains: addresses there are colleagues, never customers.
CREATE TABLE team_domains (
  team_id  bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  domain   text NOT NULL CHECK (domain = lower(domain)),
  PRIMARY KEY (team_id, domain)
);

CREATE TABLE members (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name        text NOT NULL,
  email       text NOT NULL CHECK (email = lower(email)),
  department  text NOT NULL CHECK (department IN ('sales','marketing','support','it','leadership','other')),
  role        text NOT NULL CHECK (role IN ('admin','member')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, email),
  UNIQUE (team_id, id)
);

-- Access tokens are stored as SHA-256 of the random token: a leaked database does not leak working tokens.
CREATE TABLE tokens (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id       bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  member_id     bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  token_hash    bytea NOT NULL UNIQUE,
  label         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX tokens_member ON tokens (member_id);

CREATE TABLE companies (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, id)
);

-- A domain names one company per team. Free-mail domains never get here (the hub refuses them).
CREATE TABLE company_domains (
  team_id     bigint NOT NULL,
  domain      text NOT NULL CHECK (domain = lower(domain)),
  company_id  bigint NOT NULL,
  PRIMARY KEY (team_id, domain),
  FOREIGN KEY (team_id, company_id) REFERENCES companies (team_id, id) ON DELETE CASCADE
);
CREATE INDEX company_domains_company ON company_domains (company_id);

CREATE TABLE contacts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name        text,
  title       text,
  company_id  bigint,
  owner_id    bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, id),
  FOREIGN KEY (team_id, company_id) REFERENCES companies (team_id, id),
  FOREIGN KEY (team_id, owner_id) REFERENCES members (team_id, id)
);
CREATE INDEX contacts_company ON contacts (company_id);

-- An address belongs to at most one contact per team, compared lower-cased (the primary key enforces it).
CREATE TABLE contact_emails (
  team_id     bigint NOT NULL,
  email       text NOT NULL CHECK (email = lower(email)),
  contact_id  bigint NOT NULL,
  position    int NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, email),
  FOREIGN KEY (team_id, contact_id) REFERENCES contacts (team_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_emails_contact ON contact_emails (contact_id);

CREATE TABLE interactions (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id           bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('email','meeting','call','note','support','marketing')),
  occurred_at       timestamptz NOT NULL,
  ends_at           timestamptz,
  subject           text,
  summary           text,
  outcome           text,
  -- The department of whoever logged it first: the sidebar counts by it.
  department        text NOT NULL,
  created_by        bigint NOT NULL,
  -- Normalised subject + external participants: how two teammates' copies of one thread find each other.
  conversation_key  text,
  ical_uid          text,
  recurrence_id     text,
  ical_sequence     int,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, id),
  FOREIGN KEY (team_id, created_by) REFERENCES members (team_id, id)
);
-- One meeting per UID and occurrence per team: a teammate logging it again updates it.
CREATE UNIQUE INDEX interactions_meeting ON interactions (team_id, ical_uid, (coalesce(recurrence_id, '')))
  WHERE ical_uid IS NOT NULL;
CREATE INDEX interactions_conversation ON interactions (team_id, conversation_key, occurred_at)
  WHERE conversation_key IS NOT NULL;

-- Who logged an interaction; a conversation logged from two mailboxes has two rows here and one interaction.
CREATE TABLE interaction_loggers (
  interaction_id  bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  team_id         bigint NOT NULL,
  member_id       bigint NOT NULL,
  department      text NOT NULL,
  logged_at       timestamptz NOT NULL DEFAULT now(),
  source_site     text,
  source_ref      text,
  PRIMARY KEY (interaction_id, member_id),
  FOREIGN KEY (team_id, member_id) REFERENCES members (team_id, id)
);
CREATE INDEX interaction_loggers_ref ON interaction_loggers (team_id, source_ref) WHERE source_ref IS NOT NULL;

-- occurred_at is repeated here so that a contact's timeline is one index range scan, newest first.
CREATE TABLE interaction_participants (
  interaction_id  bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  team_id         bigint NOT NULL,
  email           text NOT NULL CHECK (email = lower(email)),
  name            text,
  contact_id      bigint,
  member_id       bigint,
  occurred_at     timestamptz NOT NULL,
  -- The interaction's department, repeated so that counting a contact's interactions by department is an
  -- index-only scan (at a million contacts the heap visits to interactions were most of a lookup's time).
  department      text NOT NULL,
  PRIMARY KEY (interaction_id, email)
);
CREATE INDEX interaction_participants_contact
  ON interaction_participants (contact_id, occurred_at DESC, interaction_id DESC) INCLUDE (department)
  WHERE contact_id IS NOT NULL;
CREATE INDEX interaction_participants_email ON interaction_participants (team_id, email);

CREATE TABLE attendance (
  interaction_id  bigint NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  team_id         bigint NOT NULL,
  email           text NOT NULL CHECK (email = lower(email)),
  name            text,
  contact_id      bigint,
  member_id       bigint,
  status          text CHECK (status IN ('attended','no-show','late','excused')),
  rsvp            text CHECK (rsvp IN ('accepted','declined','tentative','needs-action','delegated','unknown')),
  recorded_by     bigint,
  occurred_at     timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (interaction_id, email)
);
CREATE INDEX attendance_contact ON attendance (contact_id, occurred_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX attendance_member ON attendance (member_id, occurred_at DESC) WHERE member_id IS NOT NULL;

CREATE TABLE flags (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL,
  contact_id  bigint NOT NULL,
  kind        text NOT NULL,
  note        text,
  set_by      bigint NOT NULL,
  set_at      timestamptz NOT NULL DEFAULT now(),
  closed_by   bigint,
  closed_at   timestamptz,
  FOREIGN KEY (team_id, contact_id) REFERENCES contacts (team_id, id) ON DELETE CASCADE,
  FOREIGN KEY (team_id, set_by) REFERENCES members (team_id, id)
);
CREATE INDEX flags_open ON flags (contact_id) WHERE closed_at IS NULL;

CREATE TABLE tasks (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id         bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  title           text NOT NULL,
  due_at          timestamptz,
  assignee_id     bigint,
  contact_id      bigint,
  interaction_id  bigint,
  created_by      bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  done_at         timestamptz,
  done_by         bigint,
  FOREIGN KEY (team_id, assignee_id) REFERENCES members (team_id, id),
  FOREIGN KEY (team_id, contact_id) REFERENCES contacts (team_id, id) ON DELETE CASCADE,
  FOREIGN KEY (team_id, interaction_id) REFERENCES interactions (team_id, id) ON DELETE CASCADE
);
CREATE INDEX tasks_team_open ON tasks (team_id, due_at) WHERE done_at IS NULL;

-- A replayed POST with the same Idempotency-Key answers from here and writes nothing.
CREATE TABLE idempotency_keys (
  team_id       bigint NOT NULL,
  member_id     bigint NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   int,
  response      json,  -- json, not jsonb: a replay answers byte-for-byte what the first request got
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, key)
);
