#!/usr/bin/env node
// `npm run bench:scale`: the read cases of `npm run bench` at 1 000 000 and at 10 000 000 acts
// (BENCH_SCALE_SIZES, comma-separated) in one run, side by side. For each size: a throw-away
// database seeded set-based (bench/seed.js, indexes built after the rows), VACUUM ANALYZE as
// autovacuum would, its seeding time and size; then the built API: GET /acts/:id against the bare
// baseline that remembers keys and prepares its statement (like for like), the list, search and lookup cases (p95, one
// client), and the API's RSS after them and a full garbage collection; last, the deadline sweep of
// the overdue acts against a plain UPDATE (bench/sweep-cases.js) on the same database, each case
// closing its own third of them (bench:sweeps gives each case a copy instead, which at 10 000 000
// acts would take 3 × 18 GB). The database is dropped before the next size.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const lib = require('./lib');
const { seed } = require('./seed');
const { cannon, latencies } = require('./run');
const sweepCases = require('./sweep-cases');

const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000000,10000000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const log = (message) => process.stderr.write(`${message}\n`);
const ms = (n) => `${n.toFixed(1)} ms`;

/** The cases at one size: { seeding, size, cases: Map(name → { text, value, p95? }), rss }. */
async function measure(acts) {
  const url = lib.benchDatabaseUrl(`scale_bench_${acts}`);
  const redisPrefix = `wa-bench-${randomBytes(3).toString('hex')}`;
  log(`${acts} acts: database ${new URL(url).pathname.slice(1)}, seeding...`);
  await lib.createDatabase(url);
  let api;
  let baseline;
  try {
    const seeded = await lib.withClient(url, async (client) => {
      const s = await seed(client, { acts });
      const started = Date.now();
      await client.query('VACUUM ANALYZE');
      return { ...s, seconds: s.seconds + (Date.now() - started) / 1000 };
    });
    const { size } = await lib.withClient(
      url,
      async (c) => (await c.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)).rows[0],
    );
    log(`${acts} acts: seeded in ${seeded.seconds.toFixed(0)} s, ${size}`);

    const env = { DATABASE_URL: url, REDIS_PREFIX: redisPrefix, MIGRATIONS_RUN: 'false', RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'info' };
    api = await lib.startServer(path.join(lib.DIST, 'main.js'), env, '/health/live', ['-r', path.join(__dirname, 'gc-on-signal.js')]);
    baseline = await lib.startServer(
      path.join(__dirname, 'baseline-server.js'),
      { ...env, BASELINE_KEY_CACHE: '1', BASELINE_PREPARED: '1' },
      '/health/live',
    );
    const manager = { authorization: `Bearer ${seeded.managerKey}` };
    const cases = new Map();

    const ids = await lib.withClient(url, async (c) =>
      (await c.query(`SELECT id FROM acts TABLESAMPLE SYSTEM (0.1) LIMIT 2000`)).rows.map((r) => r.id),
    );
    let i = 0;
    const randomAct = () => ({ method: 'GET', headers: manager, setupRequest: (req) => ({ ...req, path: `/api/v1/acts/${ids[i++ % ids.length]}` }) });
    for (const server of [api, baseline]) await cannon({ url: server.base, requests: [randomAct()], duration: 3 });
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await cannon({ url: api.base, requests: [randomAct()] });
      const b = await cannon({ url: baseline.base, requests: [randomAct()] });
      if (a.non2xx || b.non2xx) throw new Error(`non-2xx answers: api ${a.non2xx}, baseline ${b.non2xx}`);
      rounds.push({ a, b, ratio: a.requests.average / b.requests.average });
    }
    const mid = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)];
    cases.set('GET /acts/:id, like for like', {
      text: `${mid.a.requests.average.toFixed(0)} req/s, p99 ${mid.a.latency.p99} ms; baseline ${mid.b.requests.average.toFixed(0)} req/s: ${mid.ratio.toFixed(2)}`,
      value: mid.ratio,
    });

    const deep = await lib.withClient(url, async (c) => {
      const { rows } = await c.query(`SELECT created_at, id FROM acts ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [Math.floor(acts * 0.9)]);
      return Buffer.from(JSON.stringify({ t: rows[0].created_at.toISOString(), i: rows[0].id })).toString('base64url');
    });
    const sc = { authorization: `Bearer ${seeded.scKeys[0].key}` };
    for (const [name, pathAndQuery, headers] of [
      ['GET /acts (first page, manager)', '/api/v1/acts', manager],
      ['GET /acts?status=submitted', '/api/v1/acts?status=submitted', manager],
      ['GET /acts?status=submitted&sort=review', '/api/v1/acts?status=submitted&sort=review', manager],
      ['GET /acts deep cursor (90% down)', `/api/v1/acts?cursor=${deep}`, manager],
      ['GET /acts?q=sn123456 (search)', '/api/v1/acts?q=sn123456', manager],
      // An act number: its first pieces (act-, 2026…) are in every act, and the search leaves them out.
      [`GET /acts?q=ACT-${new Date().getFullYear()}-000717 (search)`, `/api/v1/acts?q=ACT-${new Date().getFullYear()}-000717`, manager],
      ['GET /acts (SC, own acts)', '/api/v1/acts', sc],
      ['GET /acts/lookup?number=0717', '/api/v1/acts/lookup?number=0717', manager],
    ]) {
      const l = await latencies(`${api.base}${pathAndQuery}`, headers);
      cases.set(name, { text: `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}`, value: l.p95, p95: true });
    }
    const rss = lib.rssMb(api.pid);
    process.kill(api.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssAfterGc = lib.rssMb(api.pid);
    await api.stop();
    await baseline.stop();
    api = baseline = undefined;
    return { seeding: `${seeded.seconds.toFixed(0)} s`, size, cases, rss, rssAfterGc, sweeps: await sweeps(url) };
  } finally {
    await api?.stop();
    await baseline?.stop();
    await lib.dropRedisKeys(redisPrefix);
    await lib.dropDatabase(url);
  }
}

/**
 * The overdue acts split in three by reply deadline, each closed by one case in turn: a plain
 * UPDATE, the worker's sweep in batches, the sweep as one statement. Before each case (not
 * timed) the acts' table is vacuumed, as autovacuum would, so that none walks another's dead
 * rows, and a CHECKPOINT is taken, so that none pays for the one before it: with max_wal_size at
 * its default (1 GB) Postgres otherwise checkpoints every 12-20 s through all three, and the
 * ratios of session 7's first run swung between 0.10 and 0.51.
 */
async function sweeps(url) {
  const cutoff = new Date();
  const [t1, t2] = await lib.withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT percentile_disc(ARRAY[1/3.0, 2/3.0]) WITHIN GROUP (ORDER BY reply_deadline) AS t
         FROM acts WHERE status = 'info_requested' AND reply_deadline < $1`,
      [cutoff],
    );
    return rows[0].t;
  });
  const [n1, n2, n3] = [await sweepCases.overdue(url, t1), await sweepCases.overdue(url, t2), await sweepCases.overdue(url, cutoff)];
  const expected = [n1, n2 - n1, n3 - n2];
  log(`sweeps: ${expected.join(' + ')} overdue acts`);
  const settle = () =>
    lib.withClient(url, async (c) => {
      await c.query('VACUUM ANALYZE acts');
      await c.query('CHECKPOINT');
    });
  await sweepCases.warm(url, cutoff);
  await settle();
  const plain = await sweepCases.plainUpdate(url, t1);
  await settle();
  const batches = await sweepCases.sweep(url, sweepCases.SWEEP_BATCH, t2);
  await settle();
  const one = await sweepCases.sweep(url, 2_147_483_647, cutoff);
  [plain, batches, one].forEach((r, i) => {
    if (r.closed !== expected[i]) throw new Error(`sweep case ${i + 1} closed ${r.closed} acts, expected ${expected[i]}`);
  });
  for (const [table, n] of Object.entries(await sweepCases.rowsWritten(url))) {
    if (n !== batches.closed + one.closed) throw new Error(`the sweeps wrote ${n} ${table} rows for ${batches.closed + one.closed} acts`);
  }
  return { plain, batches, one };
}

async function main() {
  const results = [];
  for (const acts of SIZES) results.push({ acts, ...(await measure(acts)) });
  const [small, ...larger] = results;
  const label = (r) => `${r.acts.toLocaleString('en')} acts`;
  const rows = [
    ['seeding (set-based, indexes built after)', ...results.map((r) => r.seeding), ''],
    ['database size', ...results.map((r) => r.size), ''],
  ];
  for (const [name, first] of small.cases) {
    const ratios = larger.map((r) => (r.cases.get(name).value / first.value).toFixed(2));
    const goal = first.p95 ? 'p95 < 30 ms and ≤ 1.2× the 1 M figure' : '≥ 0.6';
    rows.push([name, ...results.map((r) => r.cases.get(name).text), `${ratios.join(', ')}× (goal: ${goal})`]);
  }
  rows.push(
    [
      'API RSS after the cases and a full collection',
      ...results.map((r) => `${r.rssAfterGc.toFixed(0)} MB (${r.rss.toFixed(0)} MB before it)`),
      `${larger.map((r) => (r.rssAfterGc / small.rssAfterGc).toFixed(2)).join(', ')}× (goal: 1 ± 0.1)`,
    ],
    ...[
      ['batches', `deadline sweep, batches of ${sweepCases.SWEEP_BATCH}, vs a plain UPDATE`],
      ['one', 'deadline sweep, one statement, vs a plain UPDATE'],
    ].map(([key, name]) => [
      name,
      ...results.map((r) => {
        const s = r.sweeps;
        return `${s[key].closed} acts, ${sweepCases.rate(s[key]).toFixed(0)} acts/s; UPDATE ${s.plain.closed} acts, ${sweepCases.rate(s.plain).toFixed(0)} acts/s: ${(sweepCases.rate(s[key]) / sweepCases.rate(s.plain)).toFixed(2)}`;
      }),
      'goal: ≥ 0.5 at every size',
    ]),
  );
  console.log(
    `Scale: ${results.map(label).join(' and ')} across 500 service centers, in one run on ${require('node:os').cpus().length} cores, Node ${process.version}; ` +
      `GET /acts/:id: ${ROUNDS} alternating rounds of 10 s, 16 connections, the median ratio; lists: 300 requests, one client.`,
  );
  console.log(lib.table(['case', ...results.map(label), 'largest ÷ first'], rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
