import fc from 'fast-check';
import request from 'supertest';
import { bearer, createTestApp, TestApp } from './app';
import {
  anyCategoryId,
  makeAct,
  makeApprovedAct,
  makeServiceCenter,
  makeShipment,
  makeSubmittedAct,
  TestServiceCenter,
  validActBody,
} from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { RouteInfo, routeTable } from './support/routes';

/**
 * Thousands of malformed requests against every endpoint (wrong types, huge strings, deep JSON,
 * invalid UTF-8, bad ids, odd headers, garbage queries), and valid bodies and queries with one
 * part spoilt by fast-check (NUL bytes, bad dates, forged cursors, wrong shapes, huge numbers,
 * unknown keys such as `__proto__`): never a 5xx, and a refused request changes no row. Runs in
 * a database of its own so that "no row changed" is exact. The generator is seeded: a failure
 * names the seed and the case, and is reproducible.
 * `FUZZ_REQUESTS` requests in all (`npm test`: 2 600; `npm run test:fuzz`: 10 000).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2600);

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELD_NAMES = [
  'product',
  'diagnosis',
  'parts',
  'extra',
  'text',
  'name',
  'email',
  'kind',
  'status',
  'serviceCenterId',
  'model',
  'quantity',
  'unitPrice',
  'saleDate',
  'decision',
  'resolution',
  'reason',
  'actIds',
  'label',
  '__proto__',
  'constructor',
];

function randomValue(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rnd() < 0.5;
    case 2:
      return Math.floor(rnd() * 2 ** 53) * (rnd() < 0.5 ? -1 : 1);
    case 3:
      return rnd() * 1e308;
    case 4:
      return 'x'.repeat(Math.floor(rnd() * 70_000));
    case 5:
      return ['', ' ', '\u0000', '2026-02-30', '9999-99-99', 'Б/Н', '1e309', 'NaN', '<script>', "'; DROP TABLE acts; --"][Math.floor(rnd() * 10)];
    case 6:
      return '00000000-0000-4000-8000-000000000000';
    case 7:
      return depth < 3 ? Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1)) : [];
    case 8:
    case 9: {
      if (depth >= 3) return {};
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--) obj[FIELD_NAMES[Math.floor(rnd() * FIELD_NAMES.length)]] = randomValue(rnd, depth + 1);
      return obj;
    }
    case 10:
      return -1;
    default:
      return '💥'.repeat(Math.floor(rnd() * 100));
  }
}

function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// What fast-check spoils a valid request with: every input the security review saw answered 500,
// and their relatives.
const BAD_DATES = [
  '2026-W01',
  '20260101',
  '2026-01-01T10',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '+275760-09-13',
  '-001000-01-01',
  '2026-01-01T25:00:00Z',
  '1',
  'Tue',
  '2026-01-01\u0000',
  '2026-1-1',
];
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype', 'status', 'serviceCenterId', 'number', 'id', 'version', 'createdAt'];
const QUERY_NAMES = [
  'status',
  'q',
  'number',
  'createdFrom',
  'createdTo',
  'cursor',
  'limit',
  'serviceCenterId',
  'sort',
  'actId',
  'from',
  'to',
  'groupBy',
];

const withNul = fc.string({ maxLength: 12 }).map((text) => `${text}\u0000${text}`);
const badDate = fc.constantFrom(...BAD_DATES);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1, 1e-320, 4.2e9, 0.1 + 0.2);
const nestedArray = fc.integer({ min: 2, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);
const wrongShape = fc.constantFrom<unknown>([[]], [], [[[]]], {}, '', 'x', 0, true, null, [{}], [null], [1, 'a'], { 0: 'a' });
const uuid = fc.uuid();
/** Anything that may stand where a value goes. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  withNul,
  badDate,
  hugeNumber,
  wrongShape,
  nestedArray,
  uuid,
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);
/** Cursors this API never made: right form, wrong content, and plain garbage. */
const forgedCursor = fc.oneof(
  fc
    .record({
      t: fc.oneof(badDate, fc.constantFrom('+275760-09-13T00:00:00.000Z', '1', 'Tue, 1 Jan 2026', '2026-02-30T00:00:00Z')),
      i: uuid,
      p: fc.boolean(),
    })
    .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url')),
  fc
    .record({ t: fc.constant(new Date().toISOString()), i: fc.oneof(withNul, fc.string()) })
    .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  withNul,
);
const queryValue: fc.Arbitrary<string> = fc.oneof(
  withNul,
  badDate,
  forgedCursor,
  hugeNumber.map(String),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('энергопром', '%', '_', '\\', "'", '-1', '0', '1e9', 'NaN', 'true', '[]', '{}'),
);
/** A value aimed at the parameter: forged cursors for `cursor`, bad dates for dates, else anything. */
function queryValueFor(name: string): fc.Arbitrary<string> {
  if (name === 'cursor') return fc.oneof({ weight: 4, arbitrary: forgedCursor }, { weight: 1, arbitrary: queryValue });
  if (['createdFrom', 'createdTo', 'from', 'to'].includes(name))
    return fc.oneof({ weight: 3, arbitrary: badDate }, { weight: 1, arbitrary: queryValue });
  return queryValue;
}
/** 1-3 query parameters, repeated names and bracket forms included, URL-encoded. */
const nastyQuery = fc
  .array(
    fc
      .tuple(fc.constantFrom(...QUERY_NAMES), fc.constantFrom('', '', '', '', '[]', '[a]'))
      .chain(([name, suffix]) => queryValueFor(name).map((value) => `${name}${suffix}=${encodeURIComponent(value)}`)),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => pairs.join('&'));

// Case kinds: 0-3 random JSON, 4 deep JSON, 5 invalid UTF-8, 6 odd headers, 7 fixed garbage
// queries, 8 truncated multipart, 9 huge strings, 10-11 a spoilt valid body, 12 a spoilt query,
// 13 a wrong shape. The spoilt ones come first, so that a small run still has them on every route.
const KIND_ORDER = [10, 12, 13, 0, 11, 7, 4, 1, 5, 12, 6, 2, 10, 8, 3, 13, 9, 11];

type Json = unknown;
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

/** Sets an own, enumerable property even for `__proto__`, so that JSON.stringify writes it. */
function define(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `body` with one spot spoilt: a value replaced, an unknown key added, or a value wrapped in an array. */
function spoil(body: Json, rnd: () => number, sample: <T>(arb: fc.Arbitrary<T>) => T): { body: Json; how: string } {
  const copy: Json = structuredClone(body);
  const paths = pathsOf(copy);
  const path = paths[Math.floor(rnd() * paths.length)];
  const where = path.join('.') || '(body)';
  const parentOf = (p: Path) =>
    p.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy as never);
  const op = Math.floor(rnd() * 4);
  const replacement = sample(nastyValue);
  if (path.length === 0) return op % 2 ? { body: [copy], how: 'body wrapped in an array' } : { body: replacement, how: 'body replaced' };
  const parent = parentOf(path);
  const key = path[path.length - 1];
  if (op === 0 || op === 1) {
    define(parent, key, replacement);
    return { body: copy, how: `${where} = ${(JSON.stringify(replacement) ?? 'undefined').slice(0, 60)}` };
  }
  if (op === 2) {
    const target = parent[key] && typeof parent[key] === 'object' && !Array.isArray(parent[key]) ? (parent[key] as Record<string, unknown>) : parent;
    const unknownKey = rnd() < 0.6 ? FORBIDDEN_KEYS[Math.floor(rnd() * FORBIDDEN_KEYS.length)] : sample(fc.string({ minLength: 1, maxLength: 10 }));
    define(target, unknownKey, rnd() < 0.5 ? { polluted: true } : replacement);
    return { body: copy, how: `unknown key ${JSON.stringify(unknownKey)} near ${where}` };
  }
  define(parent, key, [parent[key]]);
  return { body: copy, how: `${where} wrapped in an array` };
}

describe('fuzzing every endpoint', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let routes: RouteInfo[];
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  const previousUrl = process.env.DATABASE_URL as string;
  /** Acts in the statuses the act routes need; made anew when a request moved one on. */
  const acts: Record<'draft' | 'submitted' | 'approved' | 'shipped', string> = { draft: '', submitted: '', approved: '', shipped: '' };
  let shipmentId = '';
  let categoryId = '';

  async function refreshActs(): Promise<void> {
    const rows: { id: string; status: string }[] = await t.db.query(`SELECT id, status FROM acts WHERE id = ANY($1::uuid[])`, [
      Object.values(acts).filter(Boolean),
    ]);
    const statusOf = (id: string) => rows.find((row) => row.id === id)?.status;
    if (statusOf(acts.draft) !== 'draft') acts.draft = (await makeAct(t, sc)).id;
    if (statusOf(acts.submitted) !== 'submitted') acts.submitted = (await makeSubmittedAct(t, sc)).id;
    if (statusOf(acts.approved) !== 'approved') acts.approved = (await makeApprovedAct(t, sc)).id;
    if (statusOf(acts.shipped) !== 'parts_shipped') {
      const approved = await makeApprovedAct(t, sc);
      shipmentId = (await makeShipment(t, [approved.id])).id;
      acts.shipped = approved.id;
    }
  }

  beforeAll(async () => {
    const suite = await createSuiteDatabase();
    dropSuiteDatabase = suite.drop;
    process.env.DATABASE_URL = suite.databaseUrl;
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    categoryId = await anyCategoryId(t);
    await refreshActs();
    routes = routeTable(t.app);
  });
  afterAll(async () => {
    await t?.close();
    process.env.DATABASE_URL = previousUrl;
    await dropSuiteDatabase?.();
  });

  /** Row counts of every table plus the acts' versions: any write shows. */
  async function fingerprint(): Promise<string> {
    const tables: { tablename: string }[] = await t.db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'idempotency_keys') ORDER BY tablename`,
    );
    const counts = await t.db.query(tables.map((x) => `SELECT '${x.tablename}' AS t, count(*) AS n FROM "${x.tablename}"`).join(' UNION ALL '));
    const [acts] = await t.db.query(`SELECT coalesce(sum(version), 0) AS v, max(updated_at) AS u FROM acts`);
    return JSON.stringify({ counts, acts });
  }

  /** A valid body for the routes that take one, to spoil in one spot. */
  function validBody(route: RouteInfo): Json {
    const act = validActBody(categoryId);
    const bodies: Record<string, Json> = {
      'POST /acts': act,
      'PUT /acts/:id/product': act.product,
      'PUT /acts/:id/diagnosis': act.diagnosis,
      'PUT /acts/:id/parts': act.parts,
      'PUT /acts/:id/extra': act.extra,
      'POST /acts/:id/comments': { text: 'Фото приложили' },
      'POST /acts/:id/request-info': { text: 'Пришлите фото', replyWithin: '3d' },
      'POST /acts/:id/decision': { decision: 'warranty', comment: 'Гарантия' },
      'POST /acts/:id/close': { resolution: 'warranty_refused', reason: 'Отказ' },
      'POST /acts/:id/reopen': { reason: 'Ошибка', to: 'submitted' },
      'POST /acts/:id/mismatch': { text: 'Не та деталь', reason: 'wrong_part' },
      'POST /service-centers': { name: 'СЦ', email: 'sc@example.com', city: 'Москва', phone: '8 916 123-45-67' },
      'POST /service-centers/:id/api-keys': { label: '1C' },
      'POST /product-categories': { name: 'Культиватор' },
      'POST /shipments': { carrier: 'СДЭК', trackingNumber: '123', urgent: false, actIds: [acts.approved] },
      'POST /shipments/:id/delivered': { deliveredAt: new Date().toISOString() },
    };
    return bodies[`${route.method} ${route.path}`] ?? {};
  }

  /** A valid query for the routes that read one, to spoil in one parameter. */
  function validQuery(route: RouteInfo): Record<string, string> {
    const queries: Record<string, Record<string, string>> = {
      'GET /acts': { limit: '5', status: 'submitted', q: 'энергопром', createdFrom: '2026-01-01', createdTo: '2026-12-31', serviceCenterId: sc.id },
      'GET /acts/lookup': { number: '0001' },
      'GET /shipments': { limit: '5', serviceCenterId: sc.id, actId: acts.shipped },
      'GET /reports/compensation': { from: '2026-01-01', to: '2026-12-31', serviceCenterId: sc.id },
      'GET /reports/summary': { serviceCenterId: sc.id },
    };
    return queries[`${route.method} ${route.path}`] ?? {};
  }

  /** Some of the route's valid parameters, and one of them (or another name) spoilt for its kind. */
  function spoiltQuery(route: RouteInfo, rnd: () => number, sample: <T>(arb: fc.Arbitrary<T>) => T): string {
    const valid = Object.entries(validQuery(route)).filter(() => rnd() < 0.6);
    const names = [...Object.keys(validQuery(route)), 'cursor', ...QUERY_NAMES];
    const name = names[Math.floor(rnd() * names.length)];
    const value = sample(queryValueFor(name));
    return [...valid.filter(([other]) => other !== name), [name, value]].map(([key, v]) => `${key}=${encodeURIComponent(v)}`).join('&');
  }

  type Case = { label: string; path: string; send: (req: request.Test) => request.Test };

  /** Ids are filled in when the case is sent: the acts may have been made anew since. */
  function fillPath(path: string): string {
    return path
      .replace(/\{act:(\w+)\}/g, (_, status: keyof typeof acts) => acts[status])
      .replace('{shipment}', shipmentId)
      .replace('{sc}', sc.id);
  }

  function casesFor(route: RouteInfo, rnd: () => number, count: number): Case[] {
    const cases: Case[] = [];
    const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: Math.floor(rnd() * 2 ** 31), numRuns: 1 })[0];
    const statuses = Object.keys(acts);
    const realId = () =>
      route.path.startsWith('/acts/:id')
        ? `{act:${statuses[Math.floor(rnd() * statuses.length)]}}`
        : route.path.startsWith('/shipments/:id')
          ? '{shipment}'
          : route.path.includes(':id')
            ? '{sc}'
            : '';
    const fill = (idFor: () => string) => route.path.replace(/:(\w+)/g, () => idFor());
    const badIds = [
      'not-a-uuid',
      '1',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      `${'a'.repeat(300)}`,
      '00000000-0000-4000-8000-000000000000',
    ];
    for (let n = 0; n < count; n++) {
      let kind = KIND_ORDER[n % KIND_ORDER.length];
      // A GET or DELETE reads no body: most of its cases go to the query instead.
      if ((route.method === 'GET' || route.method === 'DELETE') && ![6, 7, 12].includes(kind) && rnd() < 0.75) kind = 12;
      const withBadId = route.path.includes(':') && rnd() < 0.2;
      const path = `/api/v1${fill(() => (withBadId ? badIds[Math.floor(rnd() * badIds.length)] : realId()))}`;
      if (kind >= 10 && kind <= 11) {
        const { body, how } = spoil(validBody(route), rnd, sample);
        const json = JSON.stringify(body) ?? 'null';
        cases.push({ label: `spoilt body: ${how}`, path, send: (req) => req.set('Content-Type', 'application/json').send(json) });
        continue;
      }
      if (kind === 12) {
        const query = rnd() < 0.5 ? sample(nastyQuery) : spoiltQuery(route, rnd, sample);
        cases.push({ label: `query ${query.slice(0, 400)}`, path: `${path}?${query}`, send: (req) => req });
        continue;
      }
      if (kind === 13) {
        const shape = sample(fc.oneof(wrongShape, nestedArray, hugeNumber, withNul));
        const json = JSON.stringify(shape);
        cases.push({ label: `shape ${json.slice(0, 60)}`, path, send: (req) => req.set('Content-Type', 'application/json').send(json) });
        continue;
      }
      const value = randomValue(rnd);
      if (kind <= 3) {
        const json = JSON.stringify(value) ?? 'null';
        cases.push({ label: `json ${json.slice(0, 80)}`, path, send: (req) => req.set('Content-Type', 'application/json').send(json) });
      } else if (kind === 4) {
        const depth = 100 + Math.floor(rnd() * 5000);
        cases.push({ label: `deep json ${depth}`, path, send: (req) => req.set('Content-Type', 'application/json').send(deepJson(depth)) });
      } else if (kind === 5) {
        const bytes = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x22, 0x7d]);
        cases.push({ label: 'invalid utf-8', path, send: (req) => req.set('Content-Type', 'application/json').send(bytes) });
      } else if (kind === 6) {
        const headers: [string, string][] = [
          ['Content-Type', 'text/plain'],
          ['Content-Type', 'application/json; charset=latin1'],
          ['Content-Type', 'multipart/form-data; boundary=zzz'],
          ['If-Match', '"' + 'x'.repeat(5000) + '"'],
          ['Accept-Language', ';;;q=abc,,en;q=2'],
          ['Idempotency-Key', '\t'],
          ['Accept', 'text/csv'],
          ['Content-Encoding', 'gzip'],
        ];
        const [name, header] = headers[Math.floor(rnd() * headers.length)];
        cases.push({ label: `header ${name}: ${header.slice(0, 40)}`, path, send: (req) => req.set(name, header).send('{"text":"x"}') });
      } else if (kind === 7) {
        const queries = [
          'status=lost',
          'status[]=draft',
          'limit=-1',
          'limit=1e9',
          'cursor=%00',
          'cursor=' + 'A'.repeat(600),
          'q=' + '%25'.repeat(50),
          'createdFrom=2026-13-01',
          'sort=review&sort=created',
          'number=',
          'number=' + '9'.repeat(40),
          'serviceCenterId=nope',
          'from=2026-01-01&to=2025-01-01',
        ];
        const q = queries[Math.floor(rnd() * queries.length)];
        cases.push({ label: `query ${q.slice(0, 60)}`, path: `${path}?${q}`, send: (req) => req });
      } else if (kind === 8) {
        const boundary = 'fuzzboundary';
        const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nnameplate\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff`;
        cases.push({
          label: 'truncated multipart',
          path,
          send: (req) => req.set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(truncated),
        });
      } else {
        cases.push({ label: 'huge string field', path, send: (req) => req.send({ text: 'я'.repeat(300_000), name: 'x'.repeat(10_000) }) });
      }
    }
    return cases;
  }

  it(
    `never answers 5xx and never writes on a refused request (seed ${SEED})`,
    async () => {
      const rnd = prng(SEED);
      const failures: string[] = [];
      const byStatus: Record<string, number> = {};
      let total = 0;
      const perRoute = Math.max(1, Math.ceil(REQUESTS / (routes.length * 2)));
      let before = await fingerprint();
      for (const route of routes) {
        for (const c of casesFor(route, rnd, perRoute)) {
          for (const key of [sc.key, t.managerKey]) {
            total += 1;
            const method = route.method.toLowerCase() as 'get';
            const path = fillPath(c.path);
            const res = await c.send(t.http[method](path).set(bearer(key)));
            byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
            const who = key === sc.key ? 'sc' : 'manager';
            if (res.status >= 500)
              failures.push(`${route.method} ${path.split('?')[0].slice(0, 80)} (${who}) ${c.label}: ${res.status} ${String(res.body?.title)}`);
            if (res.status >= 400) {
              const after = await fingerprint();
              if (after !== before)
                failures.push(`${route.method} ${path.slice(0, 80)} (${who}) ${c.label}: refused with ${res.status} but rows changed`);
              before = after;
            } else {
              // Accepted: it may have moved an act on; the next cases get acts in their statuses.
              await refreshActs();
              before = await fingerprint();
            }
          }
        }
      }
      expect(total).toBeGreaterThanOrEqual(Math.min(REQUESTS, 2000));
      expect({ failures, total, byStatus }).toEqual({ failures: [], total, byStatus });
      // Its run time grows with every new route and with FUZZ_REQUESTS (about 80 requests a second).
    },
    Number(process.env.FUZZ_TIMEOUT_MS ?? Math.max(10 * 60_000, REQUESTS * 150)),
  );
});
