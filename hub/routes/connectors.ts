/**
 * Admin routes for the team's CRM connectors (`/v1/connectors/:provider`, HubSpot first): connect with a private
 * app token, test, pause, resume, disconnect, see the state (last sync, what is queued, what failed and why) and
 * retry failures. For the web app's admin page and for scripts; the token goes in once and never comes back out.
 */
import * as v from 'valibot';
import { CRM_PROVIDERS } from '../../shared/wire-types.ts';
import { connectorConfig } from '../connectors/config.ts';
import { HUBSPOT_TIERS } from '../connectors/hubspot/limits.ts';
import {
  connect,
  DEFAULT_HISTORY_DAYS,
  disconnect,
  failures,
  MAX_HISTORY_DAYS,
  pause,
  resume,
  retryFailed,
  setHistory,
  status,
  syncNow,
  testConnection,
} from '../connectors/service.ts';
import { route } from '../http/route.ts';
import { audit } from '../repo/audit.ts';
import { example, Id } from '../http/schemas.ts';

const ProviderParams = v.strictObject({ provider: v.picklist(CRM_PROVIDERS, 'no such CRM connector') });

/** A private app's access token as HubSpot issues them: printable ASCII, no spaces (never logged, never answered). */
const AccessToken = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(8, 'not an access token'),
  v.maxLength(512, 'not an access token'),
  v.regex(/^[\x21-\x7e]+$/, 'not an access token'),
  v.description("the private app's access token; stored encrypted, never shown again"),
);

/** How much of the past goes out: the last N days, 0 for nothing, null for everything. */
const HistoryDays = v.nullable(
  v.pipe(
    v.number('a whole number of days, or null for everything'),
    v.integer('a whole number of days, or null for everything'),
    v.minValue(0, 'at least 0 (0: send nothing of the past)'),
    v.maxValue(MAX_HISTORY_DAYS, `at most ${MAX_HISTORY_DAYS} days; null sends everything`),
    v.description(`the last N days (0: nothing of the past; null: everything; at most ${MAX_HISTORY_DAYS})`),
  ),
);

const ConnectBody = v.pipe(
  v.strictObject({
    token: AccessToken,
    tier: v.optional(v.picklist(HUBSPOT_TIERS), 'professional'),
    historyDays: v.optional(HistoryDays),
  }),
  example({ token: 'pat-na1-00000000-0000-4000-8000-000000000000', tier: 'professional', historyDays: 90 }),
);
const HistoryBody = v.pipe(v.strictObject({ days: HistoryDays }), example({ days: 365 }));
const RetryBody = v.pipe(
  v.strictObject({
    entity: v.optional(v.picklist(['contact', 'company', 'member', 'interaction', 'flag', 'task'])),
    localId: v.optional(Id),
  }),
  example({ entity: 'interaction', localId: '1' }),
);
const FailuresQuery = v.pipe(
  v.strictObject({
    limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'must be a number'), v.transform(Number), v.minValue(1), v.maxValue(500)), '100'),
  }),
  example({ limit: '100' }),
);

const tag = 'connectors';

export const connectorRoutes = [
  route({
    method: 'GET',
    url: '/v1/connectors/:provider',
    auth: 'admin',
    tag,
    summary: "A CRM connector's state: connection, first import or incremental sync, last sync, writes queued and failed, request budget (admin)",
    params: ProviderParams,
    responses: { 200: 'the state (never the token)', 403: 'not an admin' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params }) => status(db, who.teamId, params.provider),
  }),
  route({
    method: 'PUT',
    url: '/v1/connectors/:provider',
    auth: 'admin',
    tag,
    summary: 'Connect the CRM with a private app access token (admin)',
    description:
      'The token is tried first (account, then one read per kind of data) and stored only if it works, encrypted with the hub’s secret key. ' +
      'Reconnecting the same account resumes where the connector stopped; another account starts over. `tier` sets the request budget (default professional: 190 requests per 10 s). ' +
      `\`historyDays\` is how much of what Liaison recorded before connecting goes to the CRM: the last N days (default ${DEFAULT_HISTORY_DAYS}), 0 for nothing, null for everything — ` +
      'a large team’s whole history can take days at the CRM’s limits; it goes out after today’s writes, and its progress is in the state’s `history`. Reconnecting the same account keeps the earlier choice unless a new one is given.',
    params: ProviderParams,
    body: ConnectBody,
    responses: { 200: 'connected; the first import starts', 400: 'invalid body', 403: 'not an admin', 422: 'the CRM refused the token, or it lacks scopes (code crm_unauthorized, crm_missing_scopes)', 502: 'the CRM could not be reached', 503: 'the hub has no secret key (LIAISON_SECRET_KEY)' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params, body }) => {
      const { status: state } = await connect(db, connectorConfig(), { teamId: who.teamId, memberId: who.memberId, provider: params.provider, token: body.token, tier: body.tier, historyDays: body.historyDays });
      // Never the token: what was chosen, not what was given.
      await audit(db, who.teamId, who, 'crm.connect', params.provider, { tier: body.tier, historyDays: body.historyDays === undefined ? DEFAULT_HISTORY_DAYS : body.historyDays });
      return state;
    },
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/history',
    auth: 'admin',
    tag,
    summary: 'Choose again how much of the past goes to the CRM: the last N days, none (0) or everything (null) (admin)',
    description:
      'What falls in the new window and the CRM does not have yet is queued (after today’s writes); history still waiting that the new window leaves out is not sent. ' +
      'What has gone out stays. A log counts by when the conversation happened; open heads-ups and follow-ups count whatever their age, closed or done ones by when they were closed or done.',
    params: ProviderParams,
    body: HistoryBody,
    responses: { 200: 'the state, with the history’s progress', 400: 'invalid body', 403: 'not an admin', 404: 'not connected' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params, body }) => {
      const state = await setHistory(db, who.teamId, params.provider, body.days);
      await audit(db, who.teamId, who, 'crm.history', params.provider, { days: body.days });
      return state;
    },
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/test',
    auth: 'admin',
    tag,
    summary: 'Try the stored token against the CRM: which data it can read (admin)',
    params: ProviderParams,
    responses: { 200: '{ ok, checks, message }', 403: 'not an admin', 404: 'not connected' },
    handler: async ({ db, who, params }) => testConnection(db, connectorConfig(), who.teamId, params.provider),
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/pause',
    auth: 'admin',
    tag,
    summary: 'Stop syncing until resumed; writes keep waiting (admin)',
    params: ProviderParams,
    responses: { 200: 'the state', 403: 'not an admin', 404: 'not connected' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params }) => {
      const state = await pause(db, who.teamId, params.provider);
      await audit(db, who.teamId, who, 'crm.pause', params.provider);
      return state;
    },
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/resume',
    auth: 'admin',
    tag,
    summary: 'Sync again; what waited goes out (admin)',
    params: ProviderParams,
    responses: { 200: 'the state', 403: 'not an admin', 404: 'not connected', 409: 'no token stored: connect again' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params }) => {
      const state = await resume(db, who.teamId, params.provider);
      await audit(db, who.teamId, who, 'crm.resume', params.provider);
      return state;
    },
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/sync',
    auth: 'admin',
    tag,
    summary: 'Run a sync step now (admin)',
    params: ProviderParams,
    responses: { 200: 'the state', 403: 'not an admin', 404: 'not connected' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params }) => syncNow(db, who.teamId, params.provider),
  }),
  route({
    method: 'DELETE',
    url: '/v1/connectors/:provider',
    auth: 'admin',
    tag,
    summary: 'Disconnect: forget the token, keep the links (admin)',
    description: 'Links between Liaison and CRM records are kept, so reconnecting the same account makes no duplicates.',
    params: ProviderParams,
    responses: { 200: 'the state', 403: 'not an admin', 404: 'not connected' },
    returns: 'ConnectorStatus',
    handler: async ({ db, who, params }) => {
      const state = await disconnect(db, who.teamId, params.provider);
      await audit(db, who.teamId, who, 'crm.disconnect', params.provider);
      return state;
    },
  }),
  route({
    method: 'GET',
    url: '/v1/connectors/:provider/failures',
    auth: 'admin',
    tag,
    summary: 'Records that did not reach the CRM, newest first, with the reason (admin)',
    params: ProviderParams,
    query: FailuresQuery,
    responses: { 200: '{ items }', 403: 'not an admin' },
    returns: 'ConnectorFailurePage',
    handler: async ({ db, who, params, query }) => ({ items: await failures(db, who.teamId, params.provider, query.limit as number) }),
  }),
  route({
    method: 'POST',
    url: '/v1/connectors/:provider/failures/retry',
    auth: 'admin',
    tag,
    summary: 'Send failed records again: one (entity and localId) or all (admin)',
    params: ProviderParams,
    body: RetryBody,
    responses: { 200: '{ retried }', 400: 'invalid body', 403: 'not an admin', 404: 'not connected' },
    handler: async ({ db, who, params, body }) => {
      const only = body.entity && body.localId ? { entity: body.entity, localId: body.localId } : undefined;
      const retried = await retryFailed(db, who.teamId, params.provider, only);
      await audit(db, who.teamId, who, 'crm.retry', params.provider, { retried, ...(only ?? {}) });
      return { retried };
    },
  }),
];
