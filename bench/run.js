#!/usr/bin/env node
// `npm run bench`: seeds a throw-away database (1 000 000 acts across 500 service centers by
// default; BENCH_ACTS to change), starts the built API, a bare node:http + pg baseline and the
// bare floors of Express, Nest on Express and Nest on Fastify (baseline-server.js), and
// measures each case next to its baseline in the same run. Prints a table and writes it to
// bench/results/latest.md. Then runs the feature benchmarks (photos, sweeps, reports) if present.
const autocannon = require('autocannon');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const lib = require('./lib');
const { seed } = require('./seed');

const ACTS = Number(process.env.BENCH_ACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 16, duration: SECONDS, ...opts }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * p50/p95 of `count` requests, one at a time by default: the latency of the query itself, not
 * of a queue the benchmark makes on a 2-core machine that also runs Postgres and the client.
 */
async function latencies(url, headers, count = 300, concurrency = 1) {
  const times = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      next += 1;
      const started = process.hrtime.bigint();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p95: at(0.95) };
}

const ms = (n) => `${n.toFixed(1)} ms`;

async function main() {
  const url = lib.benchDatabaseUrl('bench');
  const redisPrefix = `wa-bench-${randomBytes(3).toString('hex')}`;
  const rows = [];
  console.error(`Database ${new URL(url).pathname.slice(1)}: migrating and seeding ${ACTS} acts...`);
  await lib.createDatabase(url);
  let api;
  let apiNoFlags;
  // GET /acts/:id's servers, each measured against the like-for-like baseline in the same rounds.
  const readers = [];
  try {
    const seeded = await lib.withClient(url, (client) => seed(client, { acts: ACTS }));
    console.error(`Seeded in ${seeded.seconds.toFixed(0)} s`);
    // The API as deployed (LOG_LEVEL info: an access line per request, written to /dev/null)
    // but for the rate limit, which a benchmark would hit.
    const env = { DATABASE_URL: url, REDIS_PREFIX: redisPrefix, MIGRATIONS_RUN: 'false', RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'info' };
    api = await lib.startServer(path.join(lib.DIST, 'main.js'), env, '/health/live');
    const baselineServer = (extra) => lib.startServer(path.join(__dirname, 'baseline-server.js'), { ...env, ...extra }, '/health/live');
    // Like for like: keys remembered (API_KEY_CACHE_TTL) and the act's statement prepared once
    // per connection, as the API does: one SQL statement per request. The other rows divide by it.
    const likeForLike = { BASELINE_KEY_CACHE: '1', BASELINE_PREPARED: '1' };
    readers.push(
      ['API', api],
      ['bare, key looked up', await baselineServer({})],
      ['bare, key remembered', await baselineServer({ BASELINE_KEY_CACHE: '1' })],
      ['like for like', await baselineServer(likeForLike)],
      // The floors of frameworks: the like-for-like answer from one route of a bare app.
      ['Express floor', await baselineServer({ ...likeForLike, BASELINE_FRAMEWORK: 'express' })],
      ['Nest + Express floor', await baselineServer({ ...likeForLike, BASELINE_FRAMEWORK: 'nest' })],
      ['Nest + Fastify floor', await baselineServer({ ...likeForLike, BASELINE_FRAMEWORK: 'nest-fastify' })],
    );
    // The same build with the integrity flags' step switched off: the same-run baseline of filing.
    apiNoFlags = await lib.startServer(path.join(lib.DIST, 'main.js'), { ...env, INTEGRITY_FLAGS: 'false' }, '/health/live');

    const manager = { authorization: `Bearer ${seeded.managerKey}` };
    const ids = await lib.withClient(url, async (c) =>
      (await c.query(`SELECT id FROM acts TABLESAMPLE SYSTEM (1) LIMIT 2000`)).rows.map((r) => r.id),
    );
    let i = 0;
    const randomAct = () => ({
      method: 'GET',
      headers: manager,
      setupRequest: (req) => ({ ...req, path: `/api/v1/acts/${ids[i++ % ids.length]}` }),
    });

    // GET /acts/:id on every server: all warmed up (the JIT), then ROUNDS alternating runs so
    // that a slow spell of a shared machine hits each; the median round is reported. Each run
    // also gives the server's CPU time per request (its process's user + system time).
    for (const [, server] of readers) await cannon({ url: server.base, requests: [randomAct()], duration: 3 });
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) {
      const results = new Map();
      for (const [name, server] of readers) {
        const cpuBefore = lib.cpuMicros(server.pid);
        const result = await cannon({ url: server.base, requests: [randomAct()] });
        if (result.non2xx) throw new Error(`${name}: ${result.non2xx} non-2xx answers`);
        results.set(name, { ...result, cpuPerRequest: (lib.cpuMicros(server.pid) - cpuBefore) / result.requests.total });
      }
      runs.push(results);
    }
    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const rate = (result) => result.requests.average;
    const cpu = (result) => `${result.cpuPerRequest.toFixed(0)} µs CPU/req`;
    const read = (label, name, base, what, note) => {
      const ratios = runs.map((r) => rate(r.get(name)) / rate(r.get(base)));
      const mid = runs[ratios.indexOf(median(ratios))];
      const cpus = runs.map((r) => r.get(name).cpuPerRequest / r.get(base).cpuPerRequest);
      const [a, b] = [mid.get(name), mid.get(base)];
      rows.push([
        label,
        `${rate(a).toFixed(0)} req/s, p99 ${a.latency.p99} ms, ${cpu(a)}`,
        `${rate(b).toFixed(0)} req/s, p99 ${b.latency.p99} ms, ${cpu(b)} (${what})`,
        `${median(ratios).toFixed(2)} (${note}; rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; CPU per request ${median(cpus).toFixed(2)}×)`,
      ]);
    };
    const pg = 'node:http + pg';
    read(
      'GET /acts/:id (random act, manager key)',
      'API',
      'bare, key looked up',
      `${pg}, key looked up per request`,
      'the first measure of the issue',
    );
    read(
      'GET /acts/:id, against keys remembered too',
      'API',
      'bare, key remembered',
      `${pg}, key remembered, statement not prepared`,
      'as measured before',
    );
    const prepared = `${pg}, key remembered, statement prepared`;
    read('GET /acts/:id, like for like', 'API', 'like for like', prepared, 'goal ≥ 0.6; p99 goal ≤ 2× the baseline');
    // What the frameworks themselves leave of the like-for-like baseline, the API's own work aside.
    read('  the same SQL from one route of bare Express', 'Express floor', 'like for like', prepared, 'the floor of Express');
    read('  … of a bare Nest app on Express', 'Nest + Express floor', 'like for like', prepared, 'the floor of the chosen stack');
    read('  … of a bare Nest app on Fastify', 'Nest + Fastify floor', 'like for like', prepared, 'another adapter, for comparison');
    read('GET /acts/:id against the chosen stack’s floor', 'API', 'Nest + Express floor', 'the bare Nest app on Express above', 'the API’s own work');

    // Lists: p95 per query. The baseline is the first page of the plain list in the same run.
    const deep = await lib.withClient(url, async (c) => {
      const { rows: r } = await c.query(`SELECT created_at, id FROM acts ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [
        Math.floor(ACTS * 0.9),
      ]);
      return Buffer.from(JSON.stringify({ t: r[0].created_at.toISOString(), i: r[0].id })).toString('base64url');
    });
    const sc = seeded.scKeys[0];
    const lists = [
      ['GET /acts (first page, manager)', '/api/v1/acts', manager],
      ['GET /acts?status=submitted', '/api/v1/acts?status=submitted', manager],
      ['GET /acts?status=submitted&sort=review', '/api/v1/acts?status=submitted&sort=review', manager],
      ['GET /acts deep cursor (90% down)', `/api/v1/acts?cursor=${deep}`, manager],
      ['GET /acts?q=sn123456 (search)', '/api/v1/acts?q=sn123456', manager],
      // An act number: its first pieces (act-, 2026…) are in every act, and the search leaves them out.
      [`GET /acts?q=ACT-${new Date().getFullYear()}-000717 (search)`, `/api/v1/acts?q=ACT-${new Date().getFullYear()}-000717`, manager],
      ['GET /acts (SC, own acts)', '/api/v1/acts', { authorization: `Bearer ${sc.key}` }],
      ['GET /acts/lookup?number=0717', '/api/v1/acts/lookup?number=0717', manager],
    ];
    const first = await latencies(`${api.base}${lists[0][1]}`, lists[0][2]);
    for (const [name, pathAndQuery, headers] of lists) {
      const l = await latencies(`${api.base}${pathAndQuery}`, headers);
      rows.push([
        name,
        `p50 ${ms(l.p50)}, p95 ${ms(l.p95)} (1 client)`,
        `first page p95 ${ms(first.p95)}`,
        `${(l.p95 / first.p95).toFixed(2)}× (goal p95 < 30 ms)`,
      ]);
    }

    // Filing: POST /acts + submit per second, next to the same rows written by raw SQL; and the
    // integrity flags' cost: the same filing against the same build with INTEGRITY_FLAGS=false,
    // on the same database, in alternating rounds (each round files new acts: one in ten reuses a
    // seeded act's model and serial number, so that duplicates are found and their counterparts
    // recomputed as in real use).
    const categoryId = (await (await fetch(`${api.base}/api/v1/product-categories`, { headers: manager })).json())[0].id;
    const scHeaders = { authorization: `Bearer ${sc.key}` };
    let serial = 0;
    async function file(server, seconds = SECONDS) {
      let filed = 0;
      const until = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (Date.now() < until) {
            serial += 1;
            const g = 1 + ((serial * 7919) % ACTS);
            const body = JSON.stringify(
              serial % 10 === 0 ? actBody(categoryId, `SN${g}`, `Модель ${g % 997}`) : actBody(categoryId, `B-${serial}-${redisPrefix}`),
            );
            const created = await lib.request(server.base, 'POST', '/api/v1/acts', scHeaders, body);
            if (created.status !== 201) throw new Error(`create: ${created.status}`);
            const submitted = await lib.request(server.base, 'POST', `/api/v1/acts/${created.body.id}/submit`, scHeaders);
            if (submitted.status !== 200) throw new Error(`submit: ${submitted.status}`);
            filed += 1;
          }
        }),
      );
      return filed;
    }
    // Both warmed up first (the JIT, and each pooled connection's prepared statements), as GET is.
    for (const server of [api, apiNoFlags]) await file(server, 3);
    // Each round: the API, the API without flags, and the same rows by raw SQL (as many acts as the
    // API filed that round, at most 2000): the raw baseline waits on each commit's flush to disk,
    // which varied by half between sessions, so it is measured beside each round as GET's is.
    const filing = [];
    for (let round = 0; round < ROUNDS; round++) {
      const flags = await file(api);
      const none = await file(apiNoFlags);
      const raw = await lib.withClient(url, (c) => rawFiling(c, sc.serviceCenterId, categoryId, Math.min(2000, flags)));
      filing.push({ flags, none, raw, ratio: flags / SECONDS / raw });
    }
    const ratios = filing.map((r) => r.ratio);
    const midRound = [...filing].sort((x, y) => x.ratio - y.ratio)[Math.floor(filing.length / 2)];
    rows.push([
      'POST /acts + submit (8 clients)',
      `${(midRound.flags / SECONDS).toFixed(0)} acts/s`,
      `${midRound.raw.toFixed(0)} acts/s (same rows, raw SQL, 1 client, same round)`,
      `${midRound.ratio.toFixed(2)} (goal ≥ 0.5; rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
    ]);
    const slowdowns = filing.map((r) => r.none / r.flags);
    const slowdown = [...slowdowns].sort((x, y) => x - y)[Math.floor(slowdowns.length / 2)];
    const mid = filing[slowdowns.indexOf(slowdown)];
    rows.push([
      'POST /acts + submit with integrity flags (8 clients)',
      `${(mid.flags / SECONDS).toFixed(0)} acts/s`,
      `${(mid.none / SECONDS).toFixed(0)} acts/s (same build, INTEGRITY_FLAGS=false, alternating rounds)`,
      `${slowdown.toFixed(2)}× the time per act (goal ≤ 1.2; rounds ${slowdowns.map((x) => x.toFixed(2)).join(', ')})`,
    ]);
  } finally {
    for (const [name, server] of readers) if (name !== 'API') await server.stop();
    await api?.stop();
    await apiNoFlags?.stop();
    await lib.dropRedisKeys(redisPrefix);
    await lib.dropDatabase(url);
  }

  const report = [
    `# Benchmarks`,
    '',
    `Run ${new Date().toISOString()} on ${require('node:os').cpus().length} cores, Node ${process.version}; ${ACTS.toLocaleString('en')} acts across 500 service centers; ${SECONDS} s per load test, 16 connections; GET /acts/:id: ${ROUNDS} alternating rounds after a warm-up, median shown. The API runs with LOG_LEVEL=info (an access line per request).`,
    '',
    lib.table(['case', 'measured', 'baseline (same run)', 'ratio'], rows),
    '',
  ];
  // BENCH_FEATURES=0 skips the feature benchmarks (they seed databases of their own).
  const features = process.env.BENCH_FEATURES === '0' ? [] : ['photos.bench.js', 'sweeps.bench.js', 'reports.bench.js'];
  for (const script of features) {
    const file = path.join(__dirname, script);
    if (!fs.existsSync(file)) continue;
    console.error(`Running ${script}...`);
    const result = spawnSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    report.push(`## ${script}`, '', '```', result.stdout.trim(), '```', '');
  }
  const text = report.join('\n');
  if (features.length) fs.writeFileSync(path.join(__dirname, 'results', 'latest.md'), text);
  console.log(text);
}

function actBody(categoryId, serialNumber = '01.234.09274', model = 'ЭГК-1500 Энергопром') {
  return {
    product: {
      categoryId,
      model,
      serialNumber,
      complaint: 'Не запускается',
      condition: 'used',
      saleDate: '2026-06-01',
      acceptedDate: '2026-06-15',
      completeness: 'incomplete',
      hasWarrantyCard: true,
    },
    diagnosis: { mechanic: 'Иванов Иван', result: 'Гидроудар', conclusion: 'Гарантия', warrantyCase: true },
    parts: [
      { name: 'Коленвал', quantity: 1 },
      { name: 'Шнур', quantity: 2, ownPart: true, unitPrice: '150.50' },
    ],
    extra: { customerName: 'Петров Пётр', customerPhone: '+79161234567', sellerOrganization: 'ООО Садовод', complexity: 2, productState: 'repaired' },
  };
}

/** The rows one filed act makes (act, 2 parts, 3 history rows, a comment, 2 e-mails, 3 webhook events), by plain SQL. */
async function rawFiling(client, serviceCenterId, categoryId, count) {
  const started = Date.now();
  const product = JSON.stringify(actBody(categoryId).product);
  for (let n = 0; n < count; n++) {
    await client.query('BEGIN');
    const {
      rows: [seq],
    } = await client.query(
      `UPDATE act_number_counters SET last_value = last_value + 1 WHERE year = (SELECT max(year) FROM act_number_counters) RETURNING last_value, year`,
    );
    const {
      rows: [act],
    } = await client.query(
      `INSERT INTO acts (number, year, seq, service_center_id, status, product, submitted_at, reply_deadline)
       VALUES ($1, $2, $3, $4, 'info_requested', $5, now(), now() + interval '5 days') RETURNING id`,
      [`ACT-${seq.year}-${seq.last_value}`, seq.year, seq.last_value, serviceCenterId, product],
    );
    await client.query(
      `INSERT INTO act_parts (act_id, position, name, quantity, own_part, unit_price) VALUES ($1, 0, 'Коленвал', 1, false, NULL), ($1, 1, 'Шнур', 2, true, 150.50)`,
      [act.id],
    );
    await client.query(
      `INSERT INTO act_history (act_id, from_status, to_status, actor_role, actor_name) VALUES ($1, NULL, 'draft', 'service_center', 'x'), ($1, 'draft', 'submitted', 'service_center', 'x'), ($1, 'submitted', 'info_requested', 'system', 'x')`,
      [act.id],
    );
    await client.query(`INSERT INTO act_comments (act_id, author_role, author_name, text) VALUES ($1, 'system', 'x', 'photos')`, [act.id]);
    await client.query(
      `INSERT INTO notifications (service_center_id, act_id, kind, recipient, subject, body) VALUES ($1, $2, 'status_changed', 'x', 's', 'b'), ($1, $2, 'status_changed', 'x', 's', 'b')`,
      [serviceCenterId, act.id],
    );
    await client.query(
      `INSERT INTO webhook_events (id, type, act_id, service_center_id, payload)
       SELECT 'evt_' || gen_random_uuid(), t, $1, $2, '{"data": {}}' FROM unnest(ARRAY['act.created', 'act.submitted', 'act.info_requested']) t`,
      [act.id, serviceCenterId],
    );
    await client.query('COMMIT');
  }
  return count / ((Date.now() - started) / 1000);
}

module.exports = { cannon, latencies };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
