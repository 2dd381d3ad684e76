/**
 * Input schemas for every `/v1` route (valibot). They are the single source of truth: routes validate with
 * them and the OpenAPI document is generated from them, so the documentation cannot drift from the checks.
 */
import * as v from 'valibot';
import { ATTENDANCE_STATUSES, DEPARTMENTS, INTERACTION_KINDS, ROLES, RSVPS } from '../../shared/wire-types.ts';
import { normalizeDomain, normalizeEmail } from '../domain/emails.ts';

export const Email = v.pipe(
  v.string(),
  v.maxLength(254),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const email = normalizeEmail(dataset.value);
    if (!email) {
      addIssue({ message: 'not a valid email address' });
      return NEVER;
    }
    return email;
  }),
);

export const Domain = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const d = normalizeDomain(dataset.value);
    if (!d) {
      addIssue({ message: 'not a valid domain' });
      return NEVER;
    }
    return d;
  }),
);

const trimmed = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));
const nonEmpty = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max));
const optionalText = (max: number) => v.optional(v.nullable(trimmed(max)));
export const Id = v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,17}$/, 'not a valid id'));
export const IsoTime = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T10:42:00Z'),
);

export const LookupBody = v.strictObject({
  emails: v.pipe(v.array(v.string()), v.minLength(1, 'at least one address'), v.maxLength(500, 'at most 500 addresses')),
});

export const IdParams = v.strictObject({ id: Id });

export const CreateContactBody = v.strictObject({
  name: optionalText(200),
  title: optionalText(200),
  emails: v.pipe(v.array(Email), v.minLength(1, 'at least one address'), v.maxLength(20, 'at most 20 addresses')),
  company: optionalText(200),
  ownerId: v.optional(v.nullable(Id)),
});

export const UpdateContactBody = v.strictObject({
  name: optionalText(200),
  title: optionalText(200),
  company: optionalText(200),
  ownerId: v.optional(v.nullable(Id)),
});

export const AddEmailBody = v.strictObject({ email: Email });

export const TimelineQuery = v.strictObject({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(100)), '20'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

const Participant = v.strictObject({ email: Email, name: optionalText(200) });

const AttendanceInput = v.strictObject({
  email: Email,
  name: optionalText(200),
  status: v.optional(v.nullable(v.picklist(ATTENDANCE_STATUSES))),
  rsvp: v.optional(v.nullable(v.picklist(RSVPS))),
});

export const LogInteractionBody = v.strictObject({
  kind: v.picklist(INTERACTION_KINDS),
  occurredAt: IsoTime,
  endsAt: v.optional(v.nullable(IsoTime)),
  subject: optionalText(500),
  summary: optionalText(4000),
  outcome: optionalText(500),
  sourceSite: optionalText(40),
  sourceRef: optionalText(500),
  participants: v.pipe(v.array(Participant), v.minLength(1, 'at least one participant'), v.maxLength(500)),
  meeting: v.optional(
    v.strictObject({
      icalUid: nonEmpty(500),
      recurrenceId: optionalText(100),
      sequence: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
    }),
  ),
  attendance: v.optional(v.pipe(v.array(AttendanceInput), v.maxLength(2000))),
  /** A follow-up task for the logger, created with the log in one transaction (so one retry-safe request). */
  followUp: v.optional(v.nullable(v.strictObject({ title: nonEmpty(300), dueAt: v.optional(v.nullable(IsoTime)) }))),
});

export const LoggedRefsBody = v.strictObject({
  refs: v.pipe(v.array(nonEmpty(500)), v.minLength(1), v.maxLength(500)),
});

export const AttendanceBody = v.strictObject({
  entries: v.pipe(v.array(AttendanceInput), v.minLength(1), v.maxLength(2000)),
});

export const FlagBody = v.strictObject({
  kind: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case words joined by dashes, e.g. open-service-issue')),
  note: optionalText(1000),
});

export const TaskBody = v.strictObject({
  title: nonEmpty(300),
  dueAt: v.optional(v.nullable(IsoTime)),
  assigneeId: v.optional(v.nullable(Id)),
  contactId: v.optional(v.nullable(Id)),
  interactionId: v.optional(v.nullable(Id)),
});

export const TasksQuery = v.strictObject({
  status: v.optional(v.picklist(['open', 'done', 'all']), 'open'),
  assignee: v.optional(v.picklist(['me', 'all']), 'all'),
});

export const MemberBody = v.strictObject({
  name: nonEmpty(200),
  email: Email,
  department: v.picklist(DEPARTMENTS),
  role: v.optional(v.picklist(ROLES), 'member'),
});

export const TeamDomainsBody = v.strictObject({
  domains: v.pipe(v.array(Domain), v.maxLength(50)),
});

export const NoShowsQuery = v.strictObject({
  from: v.optional(IsoTime),
  to: v.optional(IsoTime),
});
