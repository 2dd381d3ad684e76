-- Team insights (issue 14): adoption counts the extension sends, the team's setting for them, typo-tolerant customer
-- search, and the indexes the team reports read. Every table is team-scoped like the rest.
--
-- On a large installation the index builds below take a while (minutes at a million contacts and five million
-- interactions) under a lock that blocks writes to those tables: run `npm run hub -- migrate` in a quiet hour.

-- pg_trgm ships with PostgreSQL (contrib) in the embedded server and in Debian's packages, and is a trusted
-- extension since PostgreSQL 13: the database owner may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customer search by name, address, company or domain, typos included (similarity) and parts of words (ILIKE):
-- both use these trigram indexes. Trigrams are compared lower-cased by pg_trgm itself.
CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX companies_name_trgm ON companies USING gin (name gin_trgm_ops);
CREATE INDEX contact_emails_email_trgm ON contact_emails USING gin (email gin_trgm_ops);
CREATE INDEX company_domains_domain_trgm ON company_domains USING gin (domain gin_trgm_ops);
-- A company page lists its people (contacts_company already serves that) and their owners.
CREATE INDEX contacts_team_owner ON contacts (team_id, owner_id);

-- Whether the team's extensions send daily adoption counts. Off unless an admin turns it on.
CREATE TABLE team_insights (
  team_id           bigint PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  adoption_sharing  text NOT NULL DEFAULT 'off' CHECK (adoption_sharing IN ('off', 'counts')),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One row per member and day (the member's own calendar day): counts only, never a subject, address or name.
-- The extension may send a day again (its outcomes change when a conversation is logged later): the row is
-- replaced, so a day sent twice counts once.
CREATE TABLE adoption_daily (
  team_id         bigint NOT NULL,
  member_id       bigint NOT NULL,
  day             date NOT NULL,
  seen            int NOT NULL CHECK (seen >= 0),
  prompted        int NOT NULL CHECK (prompted >= 0),
  logged_prompt   int NOT NULL CHECK (logged_prompt >= 0),
  logged_later    int NOT NULL CHECK (logged_later >= 0),
  logged_sidebar  int NOT NULL CHECK (logged_sidebar >= 0),
  dismissed       int NOT NULL CHECK (dismissed >= 0),
  listed          int NOT NULL CHECK (listed >= 0),
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, member_id, day),
  FOREIGN KEY (team_id, member_id) REFERENCES members (team_id, id) ON DELETE CASCADE
);
CREATE INDEX adoption_daily_team_day ON adoption_daily (team_id, day);

-- Meetings and attendance over a period: index-only scans by team and time.
CREATE INDEX interactions_team_kind_time ON interactions (team_id, kind, occurred_at) INCLUDE (department, created_by);
CREATE INDEX attendance_team_time ON attendance (team_id, occurred_at) INCLUDE (member_id, contact_id, status);
-- Heads-ups: the open ones by kind and age, and the ones that stood during a period.
CREATE INDEX flags_team_kind_time ON flags (team_id, kind, set_at) INCLUDE (closed_at, contact_id);
CREATE INDEX flags_team_open_time ON flags (team_id, set_at) WHERE closed_at IS NULL;
-- Who touched which customers lately: the account sections of "needs attention".
CREATE INDEX interaction_participants_team_time ON interaction_participants (team_id, occurred_at) INCLUDE (contact_id, department)
  WHERE contact_id IS NOT NULL;

-- Report sections that look at every account's recent activity are computed at most every few minutes and kept
-- here, per team: at team scale they read hundreds of thousands of rows, which no page view should wait for.
CREATE TABLE report_snapshots (
  team_id      bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name         text NOT NULL,
  computed_at  timestamptz NOT NULL,
  body         jsonb NOT NULL,
  PRIMARY KEY (team_id, name)
);
