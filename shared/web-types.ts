/**
 * What the hub's team administration answers (issue 13): invites, tokens, the team's never-log lists and sign-in
 * settings, the audit log, import previews, the web session. Beside wire-types.ts and as neutral as it (it imports
 * only from there): the hub, the web app and the extension import it; nothing here may reach into hub/ or webapp/.
 */
import type { Department, Member, Role, Team } from './wire-types';

/** The team's never-log lists, which every member's extension adds to its own (and to managed policy). */
export interface TeamPolicy {
  neverLogDomains: string[];
  neverLogAddresses: string[];
}

/** A member as an admin sees them: whether they can still sign in, and when they last did anything. */
export interface MemberAdmin extends Member {
  active: boolean;
  deactivatedAt: string | null;
  /** The newest last-used time among their tokens. */
  lastActiveAt: string | null;
  activeTokens: number;
}

export interface TokenView {
  id: string;
  memberId: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type InviteState = 'pending' | 'used' | 'expired' | 'revoked';

export interface InviteView {
  id: string;
  member: { id: string; name: string; email: string; department: Department; role: Role };
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  state: InviteState;
  createdBy: string | null;
}

/** The answer to creating an invite: the link is shown this once (the hub keeps only a hash of its code). */
export interface InviteCreated {
  invite: InviteView;
  url: string;
}

/** What someone holding an invite link is told before they use it. */
export interface InvitePreview {
  teamName: string;
  memberName: string;
  email: string;
  state: InviteState;
}

export interface SignInSettings {
  /** OpenID Connect: the identity provider's issuer URL and this hub's client id there; null when not set up. */
  oidc: { issuer: string; clientId: string; hasSecret: boolean } | null;
  /** Set from the hub's environment (read-only in the web app). */
  fromEnvironment: boolean;
  /** Anyone whose verified address is at one of the team's domains may join, as a member of this department. */
  domainJoin: { enabled: boolean; department: Department };
  /** Where the identity provider must send people back: register this URL with it. */
  redirectUri: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  /** The member who acted (name and address at the time), or "command line". */
  actor: string;
  actorId: string | null;
  /** e.g. `member.invite`, `member.deactivate`, `token.revoke`, `team.never-log`. */
  action: string;
  /** What it was done to, in words ("Sam Lee <sam@acme.com>", "token 12 (Chrome on Linux)"). */
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface ImportPreview {
  layout: string;
  /** The header row and the first rows as the file has them. */
  header: string[];
  sample: string[][];
  rows: number;
  imported: number;
  skipped: { row: number; reason: string }[];
  warnings: { row: number; message: string }[];
  contactsCreated: number;
  contactsUpdated: number;
  interactionsCreated: number;
  companiesCreated: number;
  /** false: a dry run — nothing was written. */
  committed: boolean;
}

/** GET /web/session: who is signed in to the web app, and the token unsafe requests must carry. */
export interface WebSession {
  member: Member;
  team: Team;
  csrfToken: string;
  via: 'oidc' | 'invite';
}
