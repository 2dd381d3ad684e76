/**
 * The interface every CRM connector implements (HubSpot first; Pipedrive and Salesforce would be the next).
 *
 * A connector only speaks to its CRM: it lists and searches records and writes them, in the neutral shapes below.
 * Everything else — what is linked to what, the first import and the incremental sync, the queue of writes going
 * out, the conflict rules, the request budget's bookkeeping — is the hub's (hub/connectors/sync/), the same for
 * every CRM. The extension never sees any of it: it keeps talking to the hub, which answers from its database.
 */

/** The streams a connector brings in, in the order a first import takes them (later ones refer to earlier ones). */
export const STREAMS = ['owners', 'companies', 'contacts', 'emails', 'meetings', 'calls', 'notes', 'tasks'] as const;
export type Stream = (typeof STREAMS)[number];
export const ENGAGEMENT_STREAMS = ['emails', 'meetings', 'calls', 'notes', 'tasks'] as const;
export type EngagementStream = (typeof ENGAGEMENT_STREAMS)[number];

export interface RemoteOwner {
  id: string;
  email: string | null;
  name: string | null;
  archived: boolean;
}

export interface RemoteCompany {
  id: string;
  name: string | null;
  /** Lower-cased web domains. */
  domains: string[];
  updatedAt: string;
  archived: boolean;
}

export interface RemoteContact {
  id: string;
  /** Primary address first, lower-cased. */
  emails: string[];
  name: string | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
  updatedAt: string;
  /** Ids of records merged into this one (they no longer exist on their own). */
  mergedIds: string[];
  archived: boolean;
}

export interface RemoteEngagement {
  id: string;
  stream: EngagementStream;
  occurredAt: string;
  endsAt: string | null;
  subject: string | null;
  /** Plain text. */
  body: string | null;
  outcome: string | null;
  ownerId: string | null;
  contactIds: string[];
  companyIds: string[];
  /** Tasks: done in the CRM. */
  done: boolean;
  updatedAt: string;
  archived: boolean;
}

export type RemoteRecord = RemoteOwner | RemoteCompany | RemoteContact | RemoteEngagement;

export interface Page<T> {
  items: T[];
  /** Pass back for the next page; null at the end. */
  next: string | null;
}

export interface AccountInfo {
  accountId: string;
  /** Where the CRM's own pages live (for links), e.g. app.hubspot.com or app-eu1.hubspot.com. */
  uiDomain: string;
}

export interface AccessCheck {
  what: string;
  ok: boolean;
  message: string | null;
}

export interface ContactInput {
  emails: string[];
  name: string | null;
  title: string | null;
  companyId: string | null;
  ownerId: string | null;
}

export interface EngagementInput {
  stream: EngagementStream;
  occurredAt: string;
  endsAt: string | null;
  subject: string | null;
  body: string;
  /** Meetings: COMPLETED, NO_SHOW, CANCELED…; calls: the free-text disposition is put in the body. */
  outcome: string | null;
  ownerId: string | null;
  done?: boolean;
  /** Tasks that came from the CRM: only their status goes back. */
  statusOnly?: boolean;
  contactIds: string[];
  companyIds: string[];
}

/** Every failure a connector reports, classified for the hub's retry and pause rules. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: 'unauthorized' | 'forbidden' | 'rate-limited' | 'unavailable' | 'not-found' | 'conflict' | 'rejected',
    message: string,
    readonly status: number | null = null,
    /** rate-limited: how long the CRM asked us to wait, ms. */
    readonly retryAfterMs: number | null = null,
    /** conflict: the existing record's id, when the CRM names it. */
    readonly existingId: string | null = null,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** A CRM, as the hub's sync engine sees it. */
export interface CrmConnector {
  readonly provider: string;
  account(): Promise<AccountInfo>;
  /** One cheap read per kind of data the connector needs: which scopes or permissions are missing. */
  checkAccess(): Promise<AccessCheck[]>;

  /** Everything in a stream, page by page (the first import); `archived` lists deleted records instead. */
  list(stream: Stream, after: string | null, opts?: { archived?: boolean }): Promise<Page<RemoteRecord>>;
  /** Records of a stream modified at or after `since`, oldest change first (the incremental sync). */
  changedSince(stream: Exclude<Stream, 'owners'>, since: Date, after: string | null): Promise<Page<RemoteRecord>>;
  /** Whether changedSince can page further from `after`, or the caller must restart from a later `since`. */
  readonly maxChangedResults: number;

  findContactsByEmail(emails: string[]): Promise<RemoteContact[]>;
  getContact(id: string): Promise<RemoteContact | null>;
  createContact(input: ContactInput): Promise<RemoteContact>;
  updateContact(id: string, patch: Partial<Pick<ContactInput, 'name' | 'title' | 'ownerId'>>): Promise<void>;
  findCompanyByDomain(domain: string): Promise<RemoteCompany | null>;
  createCompany(input: { name: string; domains: string[] }): Promise<RemoteCompany>;
  associateContactWithCompany(contactId: string, companyId: string): Promise<void>;

  createEngagement(input: EngagementInput): Promise<{ id: string }>;
  updateEngagement(id: string, input: EngagementInput): Promise<void>;
  /**
   * After a crash between a create and its answer: the engagement carrying `marker` among those associated with this
   * contact (or, for a heads-up on a whole company, this company), if any.
   */
  findEngagementByMarker(stream: EngagementStream, marker: string, on: { contactId: string } | { companyId: string }): Promise<string | null>;

  /** Where a person opens the record in the CRM. */
  recordUrl(account: AccountInfo, kind: 'contact' | 'company' | EngagementStream, id: string, contactId?: string | null): string;
}
