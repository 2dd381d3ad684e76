/**
 * Valibot schemas for every request in the ProtocolMap, checked by the background where a message is received
 * (./server.ts). A content script runs inside a page we do not control, so whatever it sends is treated as
 * untrusted input: unknown `type` rejected, unknown fields dropped, limits the same as the hub's
 * (hub/http/schemas.ts) so a request that passes here is not refused there for size.
 *
 * Only the background imports this file: the content script bundle stays free of valibot.
 */
import * as v from 'valibot';
import { MAX_INPUT_LENGTH, normalizeEmail } from '../../shared/addresses';
import { ATTENDANCE_STATUSES, INTERACTION_KINDS, RSVPS } from '../../shared/wire-types';
import { PROMPT_MODES } from '../prompt/decide-prompt';
import type { ProtocolMap, Request, RequestType } from './protocol';

const Mode = v.picklist(['cache', 'fresh']);

/**
 * Normalised as the hub normalises addresses (shared/addresses.ts), so a look-alike spelling from a page is
 * stored, looked up and compared as the plain address. Otherwise deliberately loose (trimmed, lower-cased): an
 * invitation may name a room or a list whose address the hub, the judge, refuses on its own.
 */
const Email = v.pipe(
  v.string(),
  v.maxLength(MAX_INPUT_LENGTH),
  v.transform((text) => normalizeEmail(text) ?? text.trim().toLowerCase()),
  v.maxLength(254),
  v.regex(/^[^\s@]+@[^\s@]+$/, 'not a valid email address'),
);
const Domain = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(253), v.regex(/^[^\s@/]+$/, 'not a domain'));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const OptionalText = (max: number) => v.optional(v.nullable(Text(max)));
const IsoTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp with a time zone'));

const Participant = v.object({ email: Email, name: OptionalText(200) });

// ---- Meetings and attendance (issue 5): the draft's meeting fields and `invites:parse`, limits as the hub's ----
const AttendanceDraft = v.object({
  email: Email,
  name: OptionalText(200),
  status: v.nullable(v.picklist(ATTENDANCE_STATUSES)),
  rsvp: v.optional(v.nullable(v.picklist(RSVPS))),
});
const meetingDraftFields = {
  endsAt: v.optional(v.nullable(IsoTime)),
  icalUid: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(500)))),
  recurrenceId: OptionalText(100),
  sequence: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  attendance: v.optional(v.pipe(v.array(AttendanceDraft), v.maxLength(2000))),
};
/** parseInvite refuses more than this anyway; refusing it here spares the worker the copy. */
const InvitesParse = v.object({ icsText: v.pipe(v.string(), v.maxLength(2_000_000)) });
// ---- end of issue 5 block ----

const InteractionDraft = v.object({
  kind: v.picklist(INTERACTION_KINDS),
  occurredAt: IsoTime,
  subject: OptionalText(500),
  summary: OptionalText(4000),
  outcome: OptionalText(500),
  sourceSite: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  sourceRef: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(500)),
  participants: v.pipe(v.array(Participant), v.minLength(1, 'at least one participant'), v.maxLength(500)),
  ...meetingDraftFields,
});

const Empty = v.object({});

// ---- Issue 12: contact actions (heads-ups, tasks, edits, ownership), limits as the hub's ----
const Id = v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,17}$/, 'not a valid id'));
const Note = (max: number) => v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max)));
const ContactAction = v.variant('action', [
  v.object({
    action: v.literal('raise-heads-up'),
    contactId: Id,
    companyId: v.nullable(Id),
    kind: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{1,39}$/, 'not a heads-up kind')),
    note: Note(1000),
    until: v.nullable(IsoTime),
  }),
  v.object({ action: v.literal('close-heads-up'), flagId: Id, resolution: Note(1000) }),
  v.object({
    action: v.literal('create-task'),
    contactId: Id,
    title: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(300)),
    dueAt: v.nullable(IsoTime),
    assigneeId: v.nullable(Id),
  }),
  v.object({ action: v.literal('complete-task'), taskId: Id }),
  v.object({ action: v.literal('edit-contact'), contactId: Id, title: Note(200), company: Note(200) }),
  v.object({ action: v.literal('set-owner'), contactId: Id, ownerId: v.nullable(Id), expectedOwnerId: v.nullable(Id) }),
]);
const ActionSubject = v.object({ name: v.nullable(Text(200)), emails: v.pipe(v.array(Email), v.maxLength(20)) });
// ---- end of issue 12 block ----

const Ref = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(500));
const Candidate = v.object({ trigger: v.picklist(['thread', 'send']), draft: InteractionDraft });

/** Where a hub URL comes from the user: http(s) only, so a `javascript:` or `file:` URL never reaches fetch. */
export const HubUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2000),
  v.check((s) => s === '' || /^https?:\/\/[^\s/]+/i.test(s), 'must start with https:// or http://'),
);
const Token = v.pipe(v.string(), v.trim(), v.maxLength(4000));
const EmailList = v.pipe(v.array(Email), v.maxLength(1000));
const DomainList = v.pipe(v.array(Domain), v.maxLength(1000));

/** One schema per request type, keyed by it. The mapped type makes a missing or extra entry a compile error. */
const payloadSchemas: { [T in RequestType]: v.GenericSchema<unknown, ProtocolMap[T][0]> } = {
  'contacts:lookup': v.object({
    emails: v.pipe(v.array(Email), v.minLength(1, 'at least one address'), v.maxLength(500)),
    mode: Mode,
  }),
  'contacts:timeline': v.object({
    contactId: v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,17}$/, 'not a valid id')),
    cursor: v.optional(v.nullable(Text(200))),
    mode: Mode,
  }),
  'contacts:create': v.object({
    name: v.nullable(Text(200)),
    email: Email,
    company: v.nullable(Text(200)),
    title: v.nullable(Text(200)),
  }),
  'interactions:log': v.object({ draft: InteractionDraft, correction: v.optional(v.boolean()) }),
  'interactions:status': v.object({
    refs: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(500))), v.maxLength(500)),
    mode: Mode,
  }),
  'outbox:list': Empty,
  'outbox:retry': v.object({ id: Text(100) }),
  'outbox:discard': v.object({ id: Text(100) }),
  'settings:get': Empty,
  'settings:save': v.object({
    hubUrl: v.optional(HubUrl),
    token: v.optional(Token),
    myAddresses: v.optional(EmailList),
    neverLogDomains: v.optional(DomainList),
    neverLogAddresses: v.optional(EmailList),
    includeBody: v.optional(v.boolean()),
    promptMode: v.optional(v.picklist(PROMPT_MODES)),
    askAboutUnknown: v.optional(v.boolean()),
  }),
  'settings:test': v.object({ hubUrl: v.optional(HubUrl), token: v.optional(Token), save: v.optional(v.boolean()) }),
  'options:open': Empty,
  'hub:connect': v.object({ hubUrl: v.optional(HubUrl) }),
  'prompt:seen': v.object({ candidate: Candidate }),
  'prompt:left': v.object({
    ref: Ref,
    reason: v.picklist(['navigation', 'unload', 'sent']),
    candidate: v.optional(Candidate),
  }),
  'prompt:answer': v.object({
    ref: Ref,
    answer: v.picklist(['log', 'not-now', 'dismissed', 'never-address', 'never-domain']),
    note: OptionalText(4000),
    outcome: OptionalText(500),
    followUp: v.optional(
      v.nullable(v.object({ title: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(300)), dueAt: v.nullable(IsoTime) })),
    ),
  }),
  'unlogged:list': Empty,
  'unlogged:log': v.object({ ref: Ref }),
  'unlogged:dismiss': v.object({ ref: Ref }),
  'unlogged:clear': Empty,
  'account:detected': v.object({ email: Email, site: Text(40) }),
  'invites:parse': InvitesParse,
  'contacts:act': v.object({ act: ContactAction, about: ActionSubject }),
  'tasks:list': v.object({ contactId: v.optional(v.nullable(Id)), mine: v.optional(v.boolean()), mode: Mode }),
  'team:members': Empty,
  'contacts:flagged': Empty,
  'changes:check': Empty,
};

export function isRequestType(type: unknown): type is RequestType {
  return typeof type === 'string' && Object.hasOwn(payloadSchemas, type);
}

export type ParseResult = { ok: true; request: Request } | { ok: false; error: string; field?: string };

/** Validates a received message. The error names the offending field, so a caller's bug is quick to find. */
export function parseRequest(message: unknown): ParseResult {
  if (typeof message !== 'object' || message === null) return { ok: false, error: 'message must be an object' };
  const type = (message as { type?: unknown }).type;
  if (!isRequestType(type)) return { ok: false, error: `unknown message type: ${String(type).slice(0, 60)}` };
  const result = v.safeParse(payloadSchemas[type], message);
  if (result.success) return { ok: true, request: { ...(result.output as object), type } as Request };
  const issue = result.issues[0];
  const field = v.getDotPath(issue) ?? undefined;
  return {
    ok: false,
    error: `invalid ${type}${field ? ` (${field})` : ''}: ${issue.message}`,
    ...(field ? { field } : {}),
  };
}
