/**
 * Hostile input on every route, generated from the route table: a route added to ROUTES is covered without
 * touching this file. Each route's body and query schema carries an example that uses every field; starting from
 * it, each field in turn (every path parameter, query parameter, body field and nested object, every declared
 * header) gets the values that once reached PostgreSQL and came back as a 500 — NUL characters, unpaired
 * surrogates, impossible dates, huge and negative numbers, overflowing ids, over-long strings, arrays where objects
 * belong, crafted cursors — plus wrong content types, oversize and malformed bodies, and no token at all.
 *
 * Asserted: never a 5xx; every error in the API's JSON shape; every value that must be refused refused with a 4xx
 * that names the field it was put in.
 */
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../hub/server.ts';
import type { RouteDef } from '../../hub/http/route.ts';
import { engineName } from './helpers/db.ts';
import { emailLog, makeHub, newKey, type HubFixture } from './helpers/hub.ts';

type Path = (string | number)[];
interface Hostile {
  label: string;
  value: unknown;
  /** Must be refused with a 4xx naming the field; otherwise it may also be accepted. */
  reject: boolean;
}

const fieldOf = (path: Path) => path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k), '');

const TEXT: Hostile[] = [
  { label: 'NUL', value: 'a\u0000b', reject: true },
  { label: 'NUL alone', value: '\u0000', reject: true },
  { label: 'unpaired high surrogate', value: 'x\ud800', reject: true },
  { label: 'unpaired low surrogate', value: '\udc00y', reject: true },
  { label: 'over-long string', value: 'x'.repeat(70_000), reject: true },
  { label: 'number instead of text', value: 1e308, reject: true },
  { label: 'object instead of text', value: { a: 1 }, reject: true },
  { label: 'array instead of text', value: ['x'], reject: true },
  { label: 'boolean instead of text', value: true, reject: true },
];

const DATES: Hostile[] = [
  '2026-02-30T10:00:00Z',
  '2026-02-29T10:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-04-31T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '2026-11-20T10:00:00+23:59',
  '2026-11-20T10:00:00-15:00',
  '2026-11-20T10:00:00+14:60',
  '2026-13-01T00:00:00Z',
  '2026-11-20T24:00:00Z',
  '2026-11-20T10:00:60Z',
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '2026-11-20',
  '2026-11-20T10:00:00',
  '2026-11-20T10:00:00.000\u0000Z',
].map((value) => ({ label: `date ${JSON.stringify(value)}`, value, reject: true }));

const NUMBERS: Hostile[] = [
  { label: '2^31', value: 2 ** 31, reject: false },
  { label: '2^53', value: 2 ** 53, reject: false },
  { label: '2^63', value: 2 ** 63, reject: false },
  { label: '1e300', value: 1e300, reject: false },
  { label: 'negative', value: -1, reject: true },
  { label: 'fraction', value: 1.5, reject: true },
  { label: 'number as text', value: '2', reject: true },
];

const IDS: Hostile[] = [
  { label: 'zero id', value: '0', reject: true },
  { label: 'negative id', value: '-1', reject: true },
  { label: 'bigint overflow', value: '9223372036854775808', reject: true },
  { label: '40 digits', value: '1'.repeat(40), reject: true },
  { label: 'exponent', value: '1e3', reject: true },
  { label: 'leading zeros', value: '00012', reject: true },
  { label: 'id with NUL', value: '1\u0000', reject: true },
  { label: 'numeric id', value: 1, reject: true },
  { label: 'largest bigint', value: '9223372036854775807', reject: false },
];

const PARAMS: { label: string; raw: string; reject: true }[] = [
  ['zero', '0'],
  ['negative', '-1'],
  ['bigint overflow', '9223372036854775808'],
  ['not a number', 'abc'],
  ['NUL', '%00'],
  ['NUL after digits', '1%00'],
  ['unpaired surrogate as UTF-8 bytes', '%ED%A0%80'],
  ['invalid UTF-8', '%FF'],
  ['emoji', '%F0%9F%98%80'],
  ['fraction', '1.5'],
  ['exponent', '1e3'],
  ['over-long', '9'.repeat(150)],
  ['space', '%201'],
].map(([label, raw]) => ({ label: label!, raw: raw!, reject: true as const }));

const encodeCursor = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const CURSORS: Hostile[] = [
  ['impossible date', ['2026-02-30T10:00:00.000Z', '1']],
  ['year zero', ['0000-01-01T00:00:00.000Z', '1']],
  ['overflowing id', ['2026-11-20T10:00:00.000Z', '99999999999999999999']],
  ['negative id', ['2026-11-20T10:00:00.000Z', '-1']],
  ['numeric id', ['2026-11-20T10:00:00.000Z', 1]],
  ['NUL in the time', ['2026-11-20T10:00:00.000Z\u0000', '1']],
  ['offset beyond PostgreSQL', ['2026-11-20T10:00:00.000+23:59', '1']],
  ['not an array', { at: '2026-11-20T10:00:00.000Z', id: '1' }],
  ['three items', ['2026-11-20T10:00:00.000Z', '1', 'x']],
  ['not JSON', 'not json at all'],
].map(([label, x]) => ({ label: `cursor: ${label}`, value: encodeCursor(x), reject: true }));

const isoLike = (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s);
const idLike = (s: string) => /^\d+$/.test(s);

/** The hostile values for one place in a request, chosen by what the example holds there. */
function hostilesFor(example: unknown, path: Path): Hostile[] {
  if (path[path.length - 1] === 'cursor') return [...CURSORS, ...TEXT];
  if (typeof example === 'string') return isoLike(example) ? [...DATES, ...TEXT] : idLike(example) ? [...IDS, ...TEXT] : TEXT;
  if (typeof example === 'number') return NUMBERS;
  if (Array.isArray(example)) {
    return [
      { label: 'object instead of array', value: { 0: example[0] }, reject: true },
      { label: 'text instead of array', value: 'x', reject: true },
      { label: 'empty array', value: [], reject: false },
    ];
  }
  if (example && typeof example === 'object') {
    return [
      { label: 'array instead of object', value: [], reject: true },
      { label: 'array of the object', value: [example], reject: true },
      { label: 'text instead of object', value: 'x', reject: true },
      { label: 'unknown field inside', value: { ...example, zzUnknown: 1 }, reject: true },
    ];
  }
  return [];
}

/** Every place in an example value: the value itself and, inside objects and arrays, every member. */
function* places(value: unknown, path: Path = []): Generator<[Path, unknown]> {
  if (path.length) yield [path, value];
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* places(value[i], [...path, i]);
  else if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) yield* places(x, [...path, k]);
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node: any = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1]!] = value;
  return copy;
}

/** Every key path a schema declares (objects inside arrays as `[0]`), to check that an example uses them all. */
function schemaKeys(schema: any, prefix: Path = []): string[] {
  if (!schema) return [];
  if (['optional', 'nullable', 'nullish', 'exact_optional'].includes(schema.type)) return schemaKeys(schema.wrapped, prefix);
  if (schema.type === 'array') return schemaKeys(schema.item, [...prefix, 0]);
  if (schema.type === 'object' || schema.type === 'strict_object' || schema.type === 'loose_object') {
    return Object.entries(schema.entries).flatMap(([k, s]) => [fieldOf([...prefix, k]), ...schemaKeys(s, [...prefix, k])]);
  }
  return [];
}

const exampleOf = (schema: any): Record<string, unknown> | undefined =>
  schema?.pipe?.find((a: any) => a.type === 'metadata' && a.metadata?.examples)?.metadata.examples[0];

/** Places where a bad value is answered rather than refused: a lookup answers a non-address as not found. */
const LENIENT: Record<string, RegExp> = { 'POST /v1/lookup': /^emails\[\d+\]$/ };

describe(`hostile input on every route (${engineName})`, () => {
  let hub: HubFixture;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    hub = await makeHub();
    const t = hub.a.admin.token;
    const jane = (await hub.call(t, 'POST', '/v1/contacts', { name: 'Jane', emails: ['jane.doe@acme-corp.com'] })).body;
    ids.contacts = jane.id;
    ids.companies = jane.company.id;
    ids.interactions = (await hub.call(t, 'POST', '/v1/interactions', emailLog(), { 'idempotency-key': newKey() })).body.interaction.id;
    ids.flags = (await hub.call(t, 'POST', `/v1/contacts/${ids.contacts}/flags`, { kind: 'key-account' })).body.id;
    ids.tasks = (await hub.call(t, 'POST', '/v1/tasks', { title: 'x' })).body.id;
    ids.members = hub.a.member.id;
    ids.tokens = (await hub.db.query<{ id: string }>('SELECT id FROM tokens WHERE member_id = $1', [hub.a.member.id]))[0]!.id;
  });
  afterAll(() => hub.close());

  // The ids in examples point at rows of this hub, so that a value that may be accepted is accepted.
  const REAL_IDS: Record<string, keyof typeof ids> = { ownerId: 'members', assigneeId: 'members', contactId: 'contacts', interactionId: 'interactions' };
  const realExample = (example: Record<string, unknown> | undefined) =>
    example && JSON.parse(JSON.stringify(example), (k, x) => (k in REAL_IDS && typeof x === 'string' ? (ids[REAL_IDS[k]!] ?? x) : x));
  // A valid value for each path parameter that is not a row id (a row id is the row this hub made for its segment).
  const PARAM_VALUES: Record<string, string> = { provider: 'hubspot' };
  const paramOf = (def: RouteDef) => /:(\w+)/.exec(def.url)?.[1] ?? 'id';
  const urlOf = (def: RouteDef, param?: string) =>
    def.url.replace(/\/(\w+)\/:(\w+)/, (_m, seg: string, name: string) => `/${seg}/${param ?? (name === 'id' ? ids[seg] : PARAM_VALUES[name]) ?? '1'}`);
  const headersOf = (def: RouteDef): Record<string, string> =>
    Object.fromEntries((def.headers ?? []).map((h) => [h.name.toLowerCase(), h.name === 'Idempotency-Key' ? newKey() : 'x']));

  const failures: string[] = [];
  async function send(
    what: string,
    def: RouteDef,
    req: { url: string; body?: unknown; rawBody?: string; contentType?: string; headers?: Record<string, string>; token?: string | null },
    expectation: { reject: boolean; field?: string | RegExp; statuses?: number[] },
  ) {
    const payload = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    const res = await hub.app.inject({
      method: def.method,
      url: req.url,
      headers: {
        ...(req.token === null ? {} : { authorization: `Bearer ${req.token ?? hub.a.admin.token}` }),
        ...(payload !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}),
        ...headersOf(def),
        ...req.headers,
      },
      payload,
    });
    const label = `${def.method} ${def.url} — ${what} → ${res.statusCode}`;
    let body: any = null;
    try {
      body = JSON.parse(res.body || 'null');
    } catch {
      // judged below
    }
    const problems: string[] = [];
    if (res.statusCode >= 500) problems.push('server error');
    if (res.statusCode >= 400) {
      if (typeof body?.error?.code !== 'string' || typeof body?.error?.message !== 'string') problems.push(`not our error shape: ${res.body.slice(0, 120)}`);
      if (!String(res.headers['content-type']).startsWith('application/json')) problems.push('error not JSON');
    }
    if (expectation.statuses && !expectation.statuses.includes(res.statusCode)) problems.push(`expected ${expectation.statuses.join('/')}`);
    if (expectation.reject && (res.statusCode < 400 || res.statusCode >= 500)) problems.push('accepted a value that must be refused');
    const field = expectation.field;
    if (field && res.statusCode >= 400 && res.statusCode < 500 && (expectation.reject || res.statusCode === 400)) {
      const named: string | undefined = body?.error?.field;
      const ok =
        typeof field === 'string'
          ? named === field || named?.startsWith(`${field}.`) || named?.startsWith(`${field}[`)
          : named !== undefined && field.test(named);
      if (!ok) problems.push(`names field ${JSON.stringify(named)}, expected ${String(field)} (${body?.error?.message})`);
    }
    if (problems.length) failures.push(`${label}: ${problems.join('; ')}`);
    return res;
  }

  it('has, for each route with a body or query, an example that passes its schema and uses every field', () => {
    expect(ROUTES.length).toBeGreaterThan(15);
    for (const def of ROUTES) {
      for (const schema of [def.body, def.query]) {
        if (!schema) continue;
        const example = exampleOf(schema);
        expect(example, `${def.method} ${def.url}: example`).toBeDefined();
        const parsed = v.safeParse(schema, example);
        expect(parsed.success, `${def.method} ${def.url}: example fails its schema: ${JSON.stringify(parsed.issues?.[0]?.message)}`).toBe(true);
        const used = new Set([...places(example)].map(([p]) => fieldOf(p.map((k) => (typeof k === 'number' ? 0 : k)))));
        for (const key of schemaKeys(schema)) expect(used.has(key), `${def.method} ${def.url}: example does not use ${key}`).toBe(true);
      }
    }
  });

  it('never answers a 5xx, and refuses each hostile value with a 4xx naming its field', async () => {
    let sent = 0;
    for (const def of ROUTES) {
      const key = `${def.method} ${def.url}`;
      const body = realExample(exampleOf(def.body));
      const query = exampleOf(def.query) as Record<string, string> | undefined;
      const qs = (q: Record<string, string>) => (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
      const url = urlOf(def) + qs(query ?? {});

      // Path parameters.
      for (const p of def.params ? PARAMS : []) {
        sent++;
        await send(`${paramOf(def)} ${p.label}`, def, { url: urlOf(def, p.raw) + qs(query ?? {}), body }, { reject: true, field: new RegExp(`^(${paramOf(def)}|url)$`) });
      }
      // Query parameters, each in turn; and each given twice (an array).
      for (const [name, example] of Object.entries(query ?? {})) {
        for (const h of hostilesFor(example, [name]).filter((h) => typeof h.value === 'string')) {
          sent++;
          await send(`query ${name}: ${h.label}`, def, { url: urlOf(def) + qs({ ...query, [name]: h.value as string }), body }, { reject: h.reject, field: name });
        }
        sent++;
        await send(`query ${name} twice`, def, { url: `${url}&${name}=${encodeURIComponent(example)}`, body }, { reject: true, field: name });
      }
      if (def.query) {
        sent++;
        await send('unknown query parameter', def, { url: `${url}${query ? '&' : '?'}zzUnknown=1`, body }, { reject: true, field: 'zzUnknown' });
      }
      // Body fields, each in turn, at every depth.
      if (body) {
        for (const [path, example] of places(body)) {
          for (const h of hostilesFor(example, path)) {
            const field = fieldOf(path);
            const lenient = LENIENT[key]?.test(field) && typeof h.value === 'string';
            sent++;
            await send(`body ${field}: ${h.label}`, def, { url, body: setAt(body, path, h.value) }, { reject: h.reject && !lenient, field });
          }
        }
        for (const [what, value] of [['array', []], ['array of the example', [body]], ['text', 'x'], ['number', 42], ['null', null]] as const) {
          sent++;
          await send(`body is ${what}`, def, { url, body: value }, { reject: true, field: 'body' });
        }
        sent++;
        await send('unknown body field', def, { url, body: { ...body, zzUnknown: 1 } }, { reject: true, field: 'zzUnknown' });
        sent++;
        await send('malformed JSON', def, { url, rawBody: '{"a": [' }, { reject: true, field: 'body', statuses: [400] });
        sent++;
        await send('empty body', def, { url, rawBody: '' }, { reject: true, field: 'body', statuses: [400] });
        sent++;
        await send('JSON with a __proto__ key', def, { url, rawBody: '{"__proto__": {"admin": true}}' }, { reject: true, field: 'body', statuses: [400] });
        sent++;
        await send('form body', def, { url, rawBody: 'a=1', contentType: 'application/x-www-form-urlencoded' }, { reject: true, field: 'Content-Type', statuses: [415] });
        sent++;
        await send('text body', def, { url, rawBody: JSON.stringify(body), contentType: 'text/plain' }, { reject: true, field: 'Content-Type', statuses: [415] });
        sent++;
        // Past the route's own limit (a CSV import takes more than the 512 KB every other route takes).
        const limit = def.bodyLimit ?? 512 * 1024;
        await send('oversize body', def, { url, body: { ...body, pad: 'x'.repeat(limit + 88 * 1024) } }, { reject: true, field: 'body', statuses: [413] });
      }
      // Declared headers: empty, too short, too long, not ASCII.
      for (const h of def.headers ?? []) {
        for (const [what, value] of [['empty', ''], ['short', 'abc'], ['over-long', 'k'.repeat(300)], ['not ASCII', 'schlüssel-12345']]) {
          sent++;
          await send(`header ${h.name} ${what}`, def, { url, body, headers: { [h.name.toLowerCase()]: value! } }, { reject: h.required, field: h.name });
        }
      }
      // No token, with a large body that is not even JSON: refused before the body is read, so 401 and not 400.
      sent++;
      await send('no token, 500 KB of junk', def, { url, rawBody: '{'.repeat(500 * 1024), token: null }, { reject: true, statuses: [401] });
      sent++;
      await send('unknown token, 500 KB of junk', def, { url, rawBody: '{'.repeat(500 * 1024), token: 'lia_guess' }, { reject: true, statuses: [401] });
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
  });
});
