/**
 * Team insights (issue 14): the reports leaders read in the web app, declared once like every route — served under
 * `/v1/reports/…` with a bearer token and under `/web/v1/reports/…` with the web app's session.
 *
 * Adoption counts come from the members' extensions (daily counts only, when the team's setting allows it);
 * members see their own, admins and the leadership department everyone's. Meetings, what needs attention and the
 * customer pages are the team's shared history, which every member already sees in the sidebar.
 */
import * as v from 'valibot';
import { conflict, HttpError } from '../http/errors.ts';
import { parseTimestamp, text } from '../http/fields.ts';
import { route } from '../http/route.ts';
import { example, Id, IdParams, IsoTime, TimelineQuery } from '../http/schemas.ts';
import { audit } from '../repo/audit.ts';
import { companyPage, companyTimeline, searchCustomers } from '../repo/customers.ts';
import { adoptionReport, attentionReport, getAdoptionSharing, meetingsReport, setAdoptionSharing, storeAdoptionDays, type ReportFilter } from '../repo/insights.ts';
import { DEPARTMENTS } from '../../shared/wire-types.ts';
import { ADOPTION_SHARING, type AdoptionDay, type InsightsSettings } from '../../shared/insights-types.ts';

const DAY_MS = 86_400_000;
/** The longest period a report reads: two years (bounded work per request). */
const MAX_PERIOD_DAYS = 731;

const ReportQuery = v.pipe(
  v.strictObject({
    from: v.optional(IsoTime),
    to: v.optional(IsoTime),
    department: v.optional(v.picklist(DEPARTMENTS)),
    member: v.optional(Id),
  }),
  example({ from: '2026-08-01T00:00:00Z', to: '2026-11-01T00:00:00Z', department: 'it', member: '1' }),
);

/** The period asked for (default: the 90 days up to now), checked for order and length. */
function filterOf(q: v.InferOutput<typeof ReportQuery>): ReportFilter {
  const to = q.to ?? new Date().toISOString();
  const from = q.from ?? new Date(Date.parse(to) - 90 * DAY_MS).toISOString();
  if (Date.parse(from) >= Date.parse(to)) throw new HttpError(400, 'invalid_query', '`from` must be before `to`', 'from');
  if (Date.parse(to) - Date.parse(from) > MAX_PERIOD_DAYS * DAY_MS) throw new HttpError(400, 'invalid_query', `a period of at most ${MAX_PERIOD_DAYS} days`, 'from');
  return { from, to, department: q.department ?? null, member: q.member ?? null };
}

const Count = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must not be negative'), v.maxValue(100_000, 'at most 100000'));

const Day = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  v.check((s) => 'iso' in parseTimestamp(`${s}T00:00:00Z`), 'not a real calendar date between the years 1900 and 9999'),
  v.description('a calendar day, YYYY-MM-DD'),
);

const AdoptionDaysBody = v.pipe(
  v.strictObject({
    days: v.pipe(
      v.array(
        v.strictObject({
          day: Day,
          seen: Count,
          prompted: Count,
          loggedFromPrompt: Count,
          loggedLater: Count,
          loggedSidebar: Count,
          dismissed: Count,
          listed: Count,
        }),
      ),
      v.minLength(1, 'at least one day'),
      v.maxLength(120, 'at most 120 days'),
    ),
  }),
  example({ days: [{ day: '2026-11-27', seen: 21, prompted: 9, loggedFromPrompt: 7, loggedLater: 2, loggedSidebar: 9, dismissed: 1, listed: 3 }] }),
);

const InsightsSettingsBody = v.pipe(v.strictObject({ adoptionSharing: v.picklist(ADOPTION_SHARING) }), example({ adoptionSharing: 'counts' }));

const SearchQuery = v.pipe(
  v.strictObject({
    q: v.pipe(
      text(200),
      v.minLength(2, 'at least 2 characters'),
      // A URL carries text as UTF-8: what arrives as U+FFFD was not valid text when it was sent (a lone surrogate).
      v.check((s) => !s.includes('\uFFFD'), 'must be valid Unicode text'),
    ),
  }),
  example({ q: 'acme crop' }),
);

export const insightRoutes = [
  route({
    method: 'GET',
    url: '/v1/team/insights',
    auth: 'member',
    tag: 'insights',
    summary: "The team's insights settings: whether extensions send daily adoption counts (`off` or `counts`)",
    responses: { 200: 'InsightsSettings' },
    returns: 'InsightsSettings (shared/insights-types.ts)',
    handler: async ({ db, who }): Promise<InsightsSettings> => ({ adoptionSharing: await getAdoptionSharing(db, who.teamId) }),
  }),
  route({
    method: 'PUT',
    url: '/v1/team/insights',
    auth: 'admin',
    tag: 'insights',
    summary: 'Choose whether extensions send daily adoption counts (admin)',
    description: 'Counts only: conversations seen, prompted, logged (from the prompt, later, from the sidebar), dismissed, listed, per member and day.',
    body: InsightsSettingsBody,
    responses: { 200: 'InsightsSettings', 403: 'not an admin' },
    returns: 'InsightsSettings (shared/insights-types.ts)',
    handler: async ({ db, who, body }): Promise<InsightsSettings> => {
      await db.transaction(async (tx) => {
        const before = await getAdoptionSharing(tx, who.teamId);
        await setAdoptionSharing(tx, who.teamId, body.adoptionSharing);
        if (before !== body.adoptionSharing) await audit(tx, who.teamId, who, 'team.adoption-sharing', null, { before, after: body.adoptionSharing });
      });
      return { adoptionSharing: body.adoptionSharing };
    },
  }),
  route({
    method: 'POST',
    url: '/v1/adoption/daily',
    auth: 'member',
    tag: 'insights',
    summary: "The extension's daily adoption counts for the calling member (only when the team's setting is `counts`)",
    description: 'Each day replaces what was stored for that member and day: sending a day again counts it once.',
    body: AdoptionDaysBody,
    responses: { 200: '{ stored }', 409: 'the team does not collect adoption counts (code adoption_sharing_off)' },
    handler: async ({ db, who, body }) => {
      if ((await getAdoptionSharing(db, who.teamId)) !== 'counts') throw conflict('adoption_sharing_off', 'your team does not collect adoption counts');
      const days = new Map<string, AdoptionDay>();
      for (const d of body.days) days.set(d.day, d);
      return { stored: await storeAdoptionDays(db, who.teamId, who.memberId, [...days.values()]) };
    },
  }),
  route({
    method: 'GET',
    url: '/v1/reports/adoption',
    auth: 'member',
    tag: 'reports',
    summary: 'Customer conversations seen versus logged, per member, department and team, by week, with the trend',
    description: 'Members get their own figures only (scope `self`); admins and the leadership department everyone’s (scope `team`). Default period: the last 90 days.',
    query: ReportQuery,
    responses: { 200: 'AdoptionReport', 400: 'bad period' },
    returns: 'AdoptionReport (shared/insights-types.ts)',
    handler: async ({ db, who, query }) => adoptionReport(db, who, filterOf(query)),
  }),
  route({
    method: 'GET',
    url: '/v1/reports/meetings',
    auth: 'member',
    tag: 'reports',
    summary: 'Meetings logged, and attendance per colleague, department and for customers, with the newest meetings and who came',
    description: 'Department and member narrow the colleagues (who logged, who was invited); customers’ figures are the team’s. Default period: the last 90 days.',
    query: ReportQuery,
    responses: { 200: 'MeetingsReport', 400: 'bad period' },
    returns: 'MeetingsReport (shared/insights-types.ts)',
    handler: async ({ db, who, query }) => meetingsReport(db, who.teamId, filterOf(query)),
  }),
  route({
    method: 'GET',
    url: '/v1/reports/attention',
    auth: 'member',
    tag: 'reports',
    summary: 'Needs attention: open heads-ups by age, customers contacted despite a heads-up, account gaps and ownership, overdue follow-ups',
    description:
      'The period bounds "contacted despite a heads-up"; open heads-ups and overdue tasks are as of now; the account sections cover the last 30 days ' +
      'and are computed at most every 10 minutes (`accountsAsOf`).',
    query: ReportQuery,
    responses: { 200: 'AttentionReport', 400: 'bad period' },
    returns: 'AttentionReport (shared/insights-types.ts)',
    handler: async ({ db, who, query }) => attentionReport(db, who.teamId, filterOf(query)),
  }),
  route({
    method: 'GET',
    url: '/v1/customers/search',
    auth: 'member',
    tag: 'customers',
    summary: 'Search contacts and companies by name, address, company or domain (typo-tolerant)',
    query: SearchQuery,
    responses: { 200: 'CustomerSearchResult', 400: 'too short' },
    returns: 'CustomerSearchResult (shared/insights-types.ts)',
    handler: async ({ db, who, query }) => searchCustomers(db, who.teamId, query.q),
  }),
  route({
    method: 'GET',
    url: '/v1/companies/:id',
    auth: 'member',
    tag: 'customers',
    summary: 'A company with its people, their owners, open heads-ups and interaction counts',
    params: IdParams,
    responses: { 200: 'CompanyPage', 404: 'no such company in your team' },
    returns: 'CompanyPage (shared/insights-types.ts)',
    handler: async ({ db, who, params }) => companyPage(db, who.teamId, params.id),
  }),
  route({
    method: 'GET',
    url: '/v1/companies/:id/timeline',
    auth: 'member',
    tag: 'customers',
    summary: "The team's interactions with a company's people, newest first",
    params: IdParams,
    query: TimelineQuery,
    responses: { 200: 'one page', 400: 'bad cursor or limit', 404: 'no such company' },
    returns: 'TimelinePage',
    handler: async ({ db, who, params, query }) => companyTimeline(db, who.teamId, params.id, query.limit as number, query.cursor),
  }),
];
