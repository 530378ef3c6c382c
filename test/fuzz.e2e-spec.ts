import request from 'supertest';
import { bearer, createTestApp, TestApp } from './app';
import { makeAct, makeServiceCenter, makeSubmittedAct, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { RouteInfo, routeTable } from './support/routes';

/**
 * Thousands of malformed requests against every endpoint (wrong types, huge strings, deep JSON,
 * invalid UTF-8, bad ids, odd headers, garbage queries): never a 5xx, and a refused request
 * changes no row. Runs in a database of its own so that "no row changed" is exact.
 * The generator is seeded: a failure names the seed and the case, and is reproducible.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES ?? 36);

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

describe('fuzzing every endpoint', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let routes: RouteInfo[];
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  const previousUrl = process.env.DATABASE_URL as string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const suite = await createSuiteDatabase();
    dropSuiteDatabase = suite.drop;
    process.env.DATABASE_URL = suite.databaseUrl;
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    ids.draft = (await makeAct(t, sc)).id;
    ids.submitted = (await makeSubmittedAct(t, sc)).id;
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

  type Case = { label: string; path: string; send: (req: request.Test) => request.Test };

  function casesFor(route: RouteInfo, rnd: () => number): Case[] {
    const cases: Case[] = [];
    const fill = (idFor: () => string) => route.path.replace(/:(\w+)/g, () => idFor());
    const realId = () => (route.path.startsWith('/acts/:id') ? (rnd() < 0.5 ? ids.draft : ids.submitted) : route.path.includes(':id') ? sc.id : '');
    const badIds = [
      'not-a-uuid',
      '1',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      `${'a'.repeat(300)}`,
      '00000000-0000-4000-8000-000000000000',
    ];
    for (let n = 0; n < CASES_PER_ROUTE; n++) {
      const kind = n % 10;
      const withBadId = route.path.includes(':') && rnd() < 0.2;
      const path = `/api/v1${fill(() => (withBadId ? badIds[Math.floor(rnd() * badIds.length)] : realId()))}`;
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
      let total = 0;
      let before = await fingerprint();
      for (const route of routes) {
        for (const c of casesFor(route, rnd)) {
          for (const key of [sc.key, t.managerKey]) {
            total += 1;
            const method = route.method.toLowerCase() as 'get';
            const res = await c.send(t.http[method](c.path).set(bearer(key)));
            if (res.status >= 500)
              failures.push(`${route.method} ${c.path.slice(0, 80)} ${c.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            if (res.status >= 400) {
              const after = await fingerprint();
              if (after !== before) failures.push(`${route.method} ${c.path.slice(0, 80)} ${c.label}: refused with ${res.status} but rows changed`);
              before = after;
            } else {
              before = await fingerprint();
            }
          }
        }
      }
      expect(total).toBeGreaterThan(2000);
      expect(failures).toEqual([]);
      // Its run time grows with every new route (about 1.5 s each): the default 30 s is too short.
    },
    10 * 60_000,
  );
});
