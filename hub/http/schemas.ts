/**
 * Input schemas for every `/v1` route (valibot). They are the single source of truth: routes validate with
 * them and the OpenAPI document is generated from them, so the documentation cannot drift from the checks.
 */
import * as v from 'valibot';
import { ATTENDANCE_STATUSES, DEPARTMENTS, INTERACTION_KINDS, ROLES, RSVPS } from '../../shared/wire-types.ts';
import { checkAddress, Cursor, Domain, Email, Id, IsoTime, nonEmptyText, optionalText } from './fields.ts';

export { Domain, Email, Id, IsoTime } from './fields.ts';

// Every body and query schema carries one example that passes it and uses every field: the OpenAPI document shows
// it, and test/hub/api-hostile-input.test.ts starts from it to throw hostile values at each field of each route.

/** One example for the OpenAPI document and the hostile-input test (typed loosely: it is the input, not the output). */
/** The example every body and query schema carries: one value using every field (test/hub/api-hostile-input.test.ts starts from it). */
export function example<T>(value: Record<string, unknown>): v.MetadataAction<T, { readonly examples: readonly unknown[] }> {
  return v.metadata<T, { readonly examples: readonly unknown[] }>({ examples: [value] });
}

/** An address in a lookup: checked like any address, but a bad one is answered as not found, not refused. */
const LookupAddress = v.pipe(
  v.string(),
  v.transform((given) => {
    const checked = checkAddress(given);
    return { given, address: 'address' in checked ? checked.address : null };
  }),
  v.description('an address as the page shows it; one that is not an address (over 254 characters, misshapen, with a NUL) is answered with no contact'),
);

export const LookupBody = v.pipe(
  v.strictObject({
    emails: v.pipe(v.array(LookupAddress), v.minLength(1, 'at least one address'), v.maxLength(500, 'at most 500 addresses')),
  }),
  example({ emails: ['jane.doe@acme-corp.com', 'Sam.Lee@Example.org'] }),
);

export const IdParams = v.strictObject({ id: Id });

export const CreateContactBody = v.pipe(
  v.strictObject({
    name: optionalText(200),
    title: optionalText(200),
    emails: v.pipe(v.array(Email), v.minLength(1, 'at least one address'), v.maxLength(20, 'at most 20 addresses')),
    company: optionalText(200),
    ownerId: v.optional(v.nullable(Id)),
  }),
  example({ name: 'Jane Doe', title: 'Head of IT', emails: ['jane.doe@acme-corp.com'], company: 'Acme Corp', ownerId: '1' }),
);

export const UpdateContactBody = v.pipe(
  v.strictObject({
    name: optionalText(200),
    title: optionalText(200),
    company: optionalText(200),
    ownerId: v.optional(v.nullable(Id)),
  }),
  example({ name: 'Jane Doe', title: 'CIO', company: 'Acme Corp', ownerId: '1' }),
);

export const AddEmailBody = v.pipe(v.strictObject({ email: Email }), example({ email: 'jane@acme-corp.com' }));

export const TimelineQuery = v.pipe(
  v.strictObject({
    limit: v.optional(
      v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(100)),
      '20',
    ),
    cursor: v.optional(Cursor),
  }),
  example({ limit: '20', cursor: Buffer.from(JSON.stringify(['2026-11-20T10:00:00.000Z', '1'])).toString('base64url') }),
);

const Participant = v.strictObject({ email: Email, name: optionalText(200) });

const AttendanceInput = v.strictObject({
  email: Email,
  name: optionalText(200),
  status: v.optional(v.nullable(v.picklist(ATTENDANCE_STATUSES))),
  rsvp: v.optional(v.nullable(v.picklist(RSVPS))),
});

/**
 * An invitation's SEQUENCE. RFC 5545 says a 32-bit integer, but real invitations carry larger ones, and refusing
 * one would park a real meeting as refused: any whole number from 0 is taken (stored as bigint), and one beyond
 * 2^53−1 — where JSON numbers stop being exact — counts as 2^53−1.
 */
const Sequence = v.pipe(
  v.number(),
  v.integer('must be a whole number'),
  v.minValue(0, 'must not be negative'),
  v.transform((n) => Math.min(n, Number.MAX_SAFE_INTEGER)),
  v.description("the invitation's SEQUENCE: a whole number from 0; values beyond 2^53−1 count as 2^53−1"),
);

export const LogInteractionBody = v.pipe(
  v.strictObject({
    kind: v.picklist(INTERACTION_KINDS),
    occurredAt: IsoTime,
    endsAt: v.optional(v.nullable(IsoTime)),
    subject: optionalText(500),
    summary: optionalText(4000),
    outcome: optionalText(500),
    sourceSite: optionalText(40),
    sourceRef: optionalText(500),
    participants: v.pipe(v.array(Participant), v.minLength(1, 'at least one participant'), v.maxLength(500, 'at most 500 participants')),
    meeting: v.optional(
      v.strictObject({
        icalUid: nonEmptyText(500),
        recurrenceId: optionalText(100),
        sequence: v.optional(v.nullable(Sequence)),
      }),
    ),
    attendance: v.optional(v.pipe(v.array(AttendanceInput), v.maxLength(2000, 'at most 2000 people'))),
    /** A follow-up task for the logger, created with the log in one transaction (so one retry-safe request). */
    followUp: v.optional(v.nullable(v.strictObject({ title: nonEmptyText(300), dueAt: v.optional(v.nullable(IsoTime)) }))),
  }),
  example({
    kind: 'meeting',
    occurredAt: '2026-11-20T10:00:00.000Z',
    endsAt: '2026-11-20T10:30:00.000Z',
    subject: 'Renewal review',
    summary: 'Walked through the renewal terms.',
    outcome: 'positive',
    sourceSite: 'gmail',
    sourceRef: 'thread-18c2f0a1b2c3d4e5',
    participants: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe' }],
    meeting: { icalUid: '040000008200E00074C5B7101A82E008@example.com', recurrenceId: '20261120T100000Z', sequence: 2 },
    attendance: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'attended', rsvp: 'accepted' }],
    followUp: { title: 'Send the revised quote', dueAt: '2026-11-27T09:00:00.000Z' },
  }),
);

export const LoggedRefsBody = v.pipe(
  v.strictObject({
    refs: v.pipe(v.array(nonEmptyText(500)), v.minLength(1, 'at least one reference'), v.maxLength(500, 'at most 500 references')),
  }),
  example({ refs: ['thread-18c2f0a1b2c3d4e5', '040000008200E00074C5B7101A82E008@example.com'] }),
);

export const AttendanceBody = v.pipe(
  v.strictObject({
    entries: v.pipe(v.array(AttendanceInput), v.minLength(1, 'at least one person'), v.maxLength(2000, 'at most 2000 people')),
  }),
  example({ entries: [{ email: 'jane.doe@acme-corp.com', name: 'Jane Doe', status: 'no-show', rsvp: 'accepted' }] }),
);

export const FlagBody = v.pipe(
  v.strictObject({
    kind: v.pipe(
      v.string(),
      v.maxLength(100, 'lower-case words joined by dashes, e.g. open-service-issue'),
      v.trim(),
      v.toLowerCase(),
      v.regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case words joined by dashes, e.g. open-service-issue'),
    ),
    note: optionalText(1000),
    /** Issue 12: the heads-up lapses at this time by itself. */
    until: v.optional(v.nullable(IsoTime)),
  }),
  example({ kind: 'open-service-issue', note: 'Ticket 4711: outage on their EU tenant', until: '2026-12-31T17:00:00.000Z' }),
);

/** Issue 12: closing a heads-up, with what resolved it. The body is optional (a bare POST closes it without a note). */
export const CloseFlagBody = v.pipe(
  v.strictObject({ resolution: optionalText(1000) }),
  example({ resolution: 'Fixed in release 4.2; credits paid' }),
);

/**
 * Issue 12: who owns a contact. `expectedOwnerId`: the owner the user saw (null: nobody) — when someone else took the
 * contact meanwhile, the change is refused with 409 instead of taking it from them.
 */
export const OwnerBody = v.pipe(
  v.strictObject({ ownerId: v.nullable(Id), expectedOwnerId: v.optional(v.nullable(Id)) }),
  example({ ownerId: '1', expectedOwnerId: '2' }),
);

export const TaskBody = v.pipe(
  v.strictObject({
    title: nonEmptyText(300),
    dueAt: v.optional(v.nullable(IsoTime)),
    assigneeId: v.optional(v.nullable(Id)),
    contactId: v.optional(v.nullable(Id)),
    interactionId: v.optional(v.nullable(Id)),
  }),
  example({ title: 'Call Jane about the renewal', dueAt: '2026-11-27T09:00:00.000Z', assigneeId: '1', contactId: '1', interactionId: '1' }),
);

export const TasksQuery = v.pipe(
  v.strictObject({
    status: v.optional(v.picklist(['open', 'done', 'all']), 'open'),
    assignee: v.optional(v.picklist(['me', 'all']), 'all'),
    /** Issue 12: one contact's tasks (the sidebar), one member's (a manager's view). */
    contactId: v.optional(Id),
    assigneeId: v.optional(Id),
  }),
  example({ status: 'open', assignee: 'me', contactId: '1', assigneeId: '1' }),
);

export const MemberBody = v.pipe(
  v.strictObject({
    name: nonEmptyText(200),
    email: Email,
    department: v.picklist(DEPARTMENTS),
    role: v.optional(v.picklist(ROLES), 'member'),
  }),
  example({ name: 'Mia Market', email: 'mia@alpha.example.com', department: 'marketing', role: 'member' }),
);

export const TeamDomainsBody = v.pipe(
  v.strictObject({
    domains: v.pipe(v.array(Domain), v.maxLength(50, 'at most 50 domains')),
  }),
  example({ domains: ['alpha.example.com', 'alpha-group.example'] }),
);

export const NoShowsQuery = v.pipe(
  v.strictObject({
    from: v.optional(IsoTime),
    to: v.optional(IsoTime),
  }),
  example({ from: '2026-08-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }),
);
