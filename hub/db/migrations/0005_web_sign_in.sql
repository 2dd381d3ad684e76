-- The web app (issue 13): sign-in by OpenID Connect or invite link, web sessions, team administration and the
-- audit log. Secrets that a browser holds (session cookies, invite links, sign-in attempts) are stored as
-- SHA-256, like tokens: a leaked database does not sign anyone in.

-- A deactivated member keeps their history (interactions stay theirs) but can no longer sign in or use a token.
ALTER TABLE members ADD COLUMN deactivated_at timestamptz;

-- Values every hub process must share, made once by whichever process starts first (the cookie-signing key).
CREATE TABLE hub_secrets (
  name        text PRIMARY KEY,
  value       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- How a team's people sign in to the web app: their identity provider (OpenID Connect), and whether anyone with a
-- verified address at one of the team's own domains may join as a member of one department.
CREATE TABLE team_sign_in (
  team_id              bigint PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  oidc_issuer          text,
  oidc_client_id       text,
  oidc_client_secret   text,
  domain_join          boolean NOT NULL DEFAULT false,
  domain_join_department text NOT NULL DEFAULT 'other'
    CHECK (domain_join_department IN ('sales','marketing','support','it','leadership','other')),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((oidc_issuer IS NULL) = (oidc_client_id IS NULL))
);

-- Never-log lists an admin sets for the whole team; every member's extension adds them to its own.
CREATE TABLE team_never_log (
  team_id  bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  kind     text NOT NULL CHECK (kind IN ('domain','address')),
  value    text NOT NULL CHECK (value = lower(value)),
  PRIMARY KEY (team_id, kind, value)
);

-- One-time sign-in links. Bound to one member of one team; single use, expiring, revocable.
CREATE TABLE invites (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  member_id   bigint NOT NULL,
  code_hash   bytea NOT NULL UNIQUE,
  created_by  bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  FOREIGN KEY (team_id, member_id) REFERENCES members (team_id, id) ON DELETE CASCADE
);
CREATE INDEX invites_team ON invites (team_id, id DESC);

-- A sign-in with the identity provider between the redirect there and the callback: state, nonce and PKCE
-- verifier, bound to the browser that started it by a cookie holding the id (stored hashed). Used once.
CREATE TABLE oidc_logins (
  id_hash        bytea PRIMARY KEY,
  team_id        bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  state          text NOT NULL,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  next_path      text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
);

CREATE TABLE web_sessions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash    bytea NOT NULL UNIQUE,
  team_id       bigint NOT NULL,
  member_id     bigint NOT NULL,
  via           text NOT NULL CHECK (via IN ('oidc','invite')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  FOREIGN KEY (team_id, member_id) REFERENCES members (team_id, id) ON DELETE CASCADE
);
CREATE INDEX web_sessions_member ON web_sessions (member_id);

-- Every admin action: who (the member, or the command line), what, on what, when. Append-only.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id     bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_team ON audit_log (team_id, id DESC);
