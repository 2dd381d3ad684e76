/**
 * `npm run hub -- hubspot <connect|status|test|pause|resume|sync|retry|history|disconnect> --team T` — the same actions as
 * the admin routes (hub/connectors/service.ts), for admins at a terminal and for scripts. The running hub does the
 * syncing; these commands change the connection's state in the database, which it acts on within a second.
 */
import { readFileSync } from 'node:fs';
import { connectorConfig } from '../connectors/config.ts';
import { audit } from '../repo/audit.ts';
import { HUBSPOT_TIERS, type HubSpotTier } from '../connectors/hubspot/limits.ts';
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
import { HttpError } from '../http/errors.ts';
import type { ConnectorStatus } from '../../shared/wire-types.ts';
import { required, resolveTeam, withDb, type Command } from './commands.ts';

const SUBCOMMANDS = ['connect', 'status', 'test', 'pause', 'resume', 'sync', 'retry', 'history', 'disconnect'] as const;

/** `--history 90` (days), `all` or `none`, as the routes' historyDays: a number, null for everything, 0 for nothing. */
export function parseHistory(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  const v = String(value).trim().toLowerCase();
  if (v === 'all') return null;
  if (v === 'none') return 0;
  if (/^\d{1,5}$/.test(v) && Number(v) <= MAX_HISTORY_DAYS) return Number(v);
  throw new Error(`--history must be a number of days (at most ${MAX_HISTORY_DAYS}), all or none`);
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

function duration(seconds: number): string {
  if (seconds < 90) return plural(seconds, 'second');
  if (seconds < 90 * 60) return plural(Math.round(seconds / 60), 'minute');
  if (seconds < 36 * 3600) return plural(Math.round(seconds / 360) / 10, 'hour');
  return plural(Math.round(seconds / 8640) / 10, 'day');
}

function describeHistory(s: ConnectorStatus): string | null {
  const h = s.history;
  if (!h) return null;
  const window = h.days === null ? 'everything' : h.days === 0 ? 'nothing of the past' : `the last ${plural(h.days, 'day')} (from ${h.from?.slice(0, 10)})`;
  const progress = `${h.sent.toLocaleString('en')} of ${h.queued.toLocaleString('en')} sent, ${h.waiting.toLocaleString('en')} waiting${h.failed ? `, ${h.failed} failed` : ''}${h.skipped ? `, ${h.skipped} skipped` : ''}`;
  const left = h.waiting ? `; at least ${duration(h.minSecondsLeft)} left at ${s.limits.requestsPer10s / 10} requests/s` : '';
  return `  history: ${window}: ${progress}${left}`;
}

function describe(s: ConnectorStatus): string[] {
  const lines = [`HubSpot: ${s.state}${s.pausedBy ? ` (paused by ${s.pausedBy === 'admin' ? 'an admin' : 'HubSpot refusing the token'})` : ''}`];
  if (s.message) lines.push(`  ${s.message}`);
  if (s.account) lines.push(`  account ${s.account.id} (${s.account.uiDomain ?? 'app.hubspot.com'})${s.connectedBy ? `, connected by ${s.connectedBy.name} on ${s.connectedAt?.slice(0, 10)}` : ''}`);
  if (s.phase) lines.push(`  ${s.phase === 'first-import' ? 'first import in progress' : 'incremental sync'}; last sync ${s.lastSyncAt ?? 'not yet'}`);
  for (const st of s.streams) lines.push(`    ${st.stream.padEnd(10)} ${String(st.imported).padStart(8)} in${st.firstImportDone ? '' : ' (importing)'}${st.lastError ? `  error: ${st.lastError}` : ''}`);
  const o = s.outbound;
  lines.push(`  out: ${o.synced} synced, ${o.pending} waiting, ${o.creating} being created, ${o.failed} failed, ${o.skipped} skipped`);
  const history = describeHistory(s);
  if (history) lines.push(history);
  lines.push(`  budget: ${s.limits.requestsPer10s} requests / 10 s, search ${s.limits.searchPerSecond}/s, ${s.limits.usedToday} of ${s.limits.daily} used today, ${s.limits.rejected429} answered 429`);
  return lines;
}

export const hubspotCommand: Command = {
  summary: 'Connect HubSpot and look after the connection (connect, status, test, pause, resume, sync, retry, history, disconnect)',
  help: `npm run hub -- hubspot connect --team <id|name> --token-file token.txt [--history 90|all|none] [--tier professional] [--as admin@acme.com]
npm run hub -- hubspot connect --team T --token <private app token>  (the token then stays in shell history)
npm run hub -- hubspot status|test|pause|resume|sync|disconnect --team T
npm run hub -- hubspot retry --team T                                (sends failed records again)
npm run hub -- hubspot history --team T --history 365|all|none      (choose again how much of the past goes out)

connect tries the token (account, then one read per kind of data) and stores it encrypted with the hub's secret
key (LIAISON_SECRET_KEY; with the embedded database a key is made in the data folder when none is set). The running
hub then imports HubSpot's contacts, companies, owners and engagement history, and sends every log made in Liaison
to HubSpot. Of what Liaison recorded before connecting, --history sends the last N days (default ${DEFAULT_HISTORY_DAYS}), all
of it, or none: a large team's whole history can take days at HubSpot's limits. History goes out after today's logs;
status shows how far it has got. Reconnecting the same account keeps the earlier choice unless --history is given.
Tiers (request budget): ${HUBSPOT_TIERS.join(', ')} (default professional: 190 requests per 10 s).
The scopes the private app needs are in the README ("Connect HubSpot"). The token is never printed.`,
  options: { team: { type: 'string' }, token: { type: 'string' }, 'token-file': { type: 'string' }, tier: { type: 'string' }, as: { type: 'string' }, history: { type: 'string' } },
  positionals: true,
  async run(values) {
    const [sub, ...extra] = (values._ as string[] | undefined) ?? [];
    if (!sub || !SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]) || extra.length) throw new Error(`expected one of: ${SUBCOMMANDS.join(', ')} (see --help)`);
    const tier = (values.tier ?? 'professional') as HubSpotTier;
    if (!HUBSPOT_TIERS.includes(tier)) throw new Error(`--tier must be one of ${HUBSPOT_TIERS.join(', ')}`);
    const historyDays = parseHistory(values.history);
    if (sub === 'history' && historyDays === undefined) throw new Error('--history is required: a number of days, all or none (see --help)');
    const cfg = connectorConfig(process.env, { generateKey: sub === 'connect' && !process.env.DATABASE_URL?.trim() });
    try {
      return await withDb(async (db) => {
        const teamId = await resolveTeam(db, required(values, 'team'));
        if (sub === 'connect') {
          const token = typeof values['token-file'] === 'string' ? readFileSync(values['token-file'], 'utf8').trim() : required(values, 'token');
          const [admin] = await db.query<{ id: string }>(
            typeof values.as === 'string'
              ? `SELECT id FROM members WHERE team_id = $1 AND email = lower($2) AND role = 'admin'`
              : `SELECT id FROM members WHERE team_id = $1 AND role = 'admin' ORDER BY id LIMIT 1`,
            typeof values.as === 'string' ? [teamId, values.as] : [teamId],
          );
          if (!admin) throw new Error(typeof values.as === 'string' ? '--as: no such admin in that team' : 'the team has no admin: add one first');
          const res = await connect(db, cfg, { teamId, memberId: admin.id, provider: 'hubspot', token, tier, historyDays });
          await audit(db, teamId, 'command line', 'crm.connect', 'hubspot', { tier, historyDays: historyDays === undefined ? DEFAULT_HISTORY_DAYS : historyDays });
          console.log(`Connected. The running hub starts the first import now.`);
          for (const line of describe(res.status)) console.log(line);
          return 0;
        }
        if (sub === 'test') {
          const res = await testConnection(db, cfg, teamId, 'hubspot');
          for (const c of res.checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}${c.message ? ` — ${c.message}` : ''}`);
          console.log(res.ok ? 'The token works.' : `Not working: ${res.message}`);
          return res.ok ? 0 : 1;
        }
        if (sub === 'retry') {
          const retried = await retryFailed(db, teamId, 'hubspot');
          await audit(db, teamId, 'command line', 'crm.retry', 'hubspot', { retried });
          console.log(`Sending ${retried} record(s) again.`);
          return 0;
        }
        const s =
          sub === 'pause' ? await pause(db, teamId, 'hubspot')
          : sub === 'resume' ? await resume(db, teamId, 'hubspot')
          : sub === 'sync' ? await syncNow(db, teamId, 'hubspot')
          : sub === 'disconnect' ? await disconnect(db, teamId, 'hubspot')
          : sub === 'history' ? await setHistory(db, teamId, 'hubspot', historyDays!)
          : await status(db, teamId, 'hubspot');
        if (sub === 'pause' || sub === 'resume' || sub === 'disconnect' || sub === 'history') {
          await audit(db, teamId, 'command line', `crm.${sub}`, 'hubspot', sub === 'history' ? { days: historyDays } : {});
        }
        for (const line of describe(s)) console.log(line);
        if (sub === 'status') {
          for (const f of await failures(db, teamId, 'hubspot', 20)) console.log(`  ${f.state}: ${f.entity} ${f.localId} — ${f.reason ?? ''}`);
        }
        return 0;
      });
    } catch (err) {
      if (err instanceof HttpError) {
        console.error(`error: ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
