#!/usr/bin/env node
// `npm run bench:reports`: the managers' reports at scale. Creates a throw-away database (its
// name says bench), migrates it with the built app (dist/), seeds 1 000 000 acts across 500
// service centers set-based (bench/seed.js, plus own-part lines and the history rows the
// summary reads), VACUUM ANALYZE as autovacuum would, then times each report through the built
// API (JSON and CSV) and prints the time next to the rows it covers. Drops the database after.
// BENCH_ACTS changes the number of acts, BENCH_REPEAT the timed requests per case. BENCH_KEEP=true
// keeps the seeded database (its name is printed) and BENCH_DATABASE=<that name> times the
// reports on it again without seeding: for comparing changes of the report code.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const lib = require('./lib');
const { seed } = require('./seed');

const ACTS = Number(process.env.BENCH_ACTS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const KEEP = process.env.BENCH_KEEP === 'true';
const REUSE = process.env.BENCH_DATABASE;

/** What the seed leaves out: own parts with awkward prices, the history the summary reads, parcels. */
async function seedReportData(client) {
  // A second own part on some acts, priced in kopecks that floats get wrong (3 × 0.10).
  await client.query(
    `INSERT INTO act_parts (act_id, position, name, quantity, own_part, unit_price)
     SELECT id, 1, 'Шайба; М6', 3, true, 0.10 FROM acts WHERE seq % 8 = 0`,
  );
  // Submissions and decisions, then the system's refusals for want of an answer.
  await client.query(
    `INSERT INTO act_history (act_id, from_status, to_status, resolution, actor_role, actor_name, at)
     SELECT id, 'draft', 'submitted', NULL, 'service_center', 'СЦ', submitted_at FROM acts WHERE submitted_at IS NOT NULL
     UNION ALL
     SELECT id, 'submitted', 'approved', NULL, 'manager', 'Менеджер', decided_at FROM acts WHERE decided_at IS NOT NULL
     UNION ALL
     SELECT id, 'info_requested', 'closed', resolution, 'system', 'Система', closed_at
       FROM acts WHERE status = 'closed' AND resolution = 'warranty_refused'`,
  );
  // Parcels: one per act whose parts went out (shipped, delivered, or closed as repaired), carrying its parts to ship.
  await client.query(
    `CREATE TEMP TABLE bench_parcels AS
     SELECT a.id AS act_id, gen_random_uuid() AS shipment_id, a.service_center_id, a.decided_at + interval '1 day' AS shipped_at
       FROM acts a
      WHERE a.decided_at IS NOT NULL AND (a.status IN ('parts_shipped', 'parts_delivered') OR a.resolution = 'repaired')
        AND EXISTS (SELECT 1 FROM act_parts p WHERE p.act_id = a.id AND NOT p.own_part)`,
  );
  await client.query(
    `INSERT INTO shipments (id, service_center_id, carrier, tracking_number, shipped_at, delivered_at, created_by)
     SELECT b.shipment_id, b.service_center_id, 'СДЭК', 'TRK' || row_number() OVER (), b.shipped_at,
            CASE WHEN a.status <> 'parts_shipped' THEN b.shipped_at + interval '3 days' END, (SELECT id FROM managers LIMIT 1)
       FROM bench_parcels b JOIN acts a ON a.id = b.act_id`,
  );
  await client.query(`INSERT INTO shipment_acts (shipment_id, act_id) SELECT shipment_id, act_id FROM bench_parcels`);
  await client.query(`UPDATE act_parts p SET shipment_id = b.shipment_id FROM bench_parcels b WHERE p.act_id = b.act_id AND NOT p.own_part`);
  await client.query(`DROP TABLE bench_parcels`);
  // Why the not-warranty ones were refused (the quality report's reasons).
  await client.query(
    `UPDATE acts SET reason_code = (ARRAY['mechanical_damage','improper_use','overload','no_documents','out_of_warranty','not_a_defect','other'])[1 + seq % 7]
      WHERE resolution = 'not_warranty'`,
  );
  await client.query('VACUUM ANALYZE');
}

/**
 * Times REPEAT requests after a warm-up. With `pid`, also the API's resident memory: sampled
 * every 5 ms during each request, the largest growth over its value just before the request.
 */
async function timed(url, headers, pid) {
  const times = [];
  let body;
  let status;
  let rssGrowth = 0;
  for (let i = 0; i <= REPEAT; i++) {
    if (pid && global.gc) global.gc();
    const before = pid ? lib.rssMb(pid) : 0;
    let peak = before;
    const sampler = pid ? setInterval(() => (peak = Math.max(peak, lib.rssMb(pid))), 5) : undefined;
    const started = process.hrtime.bigint();
    const res = await fetch(url, { headers });
    body = Buffer.from(await res.arrayBuffer());
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (sampler) clearInterval(sampler);
    if (pid) peak = Math.max(peak, lib.rssMb(pid));
    status = res.status;
    if (i > 0) {
      times.push(elapsed); // the first call warms up
      rssGrowth = Math.max(rssGrowth, peak - before);
    }
  }
  if (status !== 200) throw new Error(`${url}: ${status} ${body.toString('utf8').slice(0, 300)}`);
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1], body, rssGrowth };
}

const ms = (n) => `${n.toFixed(0)} ms`;
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const mb = (n) => `${n.toFixed(1)} MB`;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** Seeds a new database: the bench seed, then the report data. */
async function seedAll(url) {
  const seeded = await lib.withClient(url, async (client) => {
    const s = await seed(client, { acts: ACTS });
    const started = Date.now();
    await seedReportData(client);
    return { ...s, seconds: s.seconds + (Date.now() - started) / 1000 };
  });
  const counts = await lib.withClient(
    url,
    async (c) =>
      (
        await c.query(
          `SELECT (SELECT count(*) FROM acts) AS acts, (SELECT count(*) FROM act_parts) AS parts, (SELECT count(*) FROM act_history) AS history`,
        )
      ).rows[0],
  );
  console.error(`Seeded in ${seeded.seconds.toFixed(0)} s: ${counts.acts} acts, ${counts.parts} part lines, ${counts.history} history rows`);
  return seeded;
}

/** A kept bench database, by name. */
function reuseUrl(name) {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  if (!/bench/.test(name)) throw new Error('BENCH_DATABASE must name a bench database');
  return url.toString();
}

/** A fresh manager key on a kept database. */
async function managerKeyOf(client) {
  const { rows } = await client.query(`SELECT id FROM managers ORDER BY created_at LIMIT 1`);
  return lib.insertKey(client, { managerId: rows[0].id });
}

async function main() {
  const url = REUSE ? reuseUrl(REUSE) : lib.benchDatabaseUrl('reports_bench');
  const rows = [];
  const redisPrefix = `wa-bench-${randomBytes(3).toString('hex')}`;
  let api;
  try {
    if (!REUSE) {
      console.error(`Database ${new URL(url).pathname.slice(1)}: migrating and seeding ${ACTS} acts...`);
      await lib.createDatabase(url);
    }
    const seeded = REUSE ? { managerKey: await lib.withClient(url, (c) => managerKeyOf(c)) } : await seedAll(url);
    const env = {
      DATABASE_URL: url,
      REDIS_PREFIX: redisPrefix,
      MIGRATIONS_RUN: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
    };
    api = await lib.startServer(path.join(lib.DIST, 'main.js'), env, '/health/live');
    const json = { authorization: `Bearer ${seeded.managerKey}` };
    const csv = { ...json, accept: 'text/csv' };
    const today = new Date();
    const monthAgo = isoDay(new Date(today.getTime() - 30 * 86_400_000));
    const yearAgo = isoDay(new Date(today.getTime() - 365 * 86_400_000));
    // The service center with the most own parts to compensate.
    const sc = await lib.withClient(
      url,
      async (c) =>
        (
          await c.query(
            `SELECT a.service_center_id FROM acts a JOIN act_parts p ON p.act_id = a.id AND p.own_part
        WHERE a.status = 'closed' AND a.resolution = 'repaired' AND a.kind = 'warranty'
        GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
          )
        ).rows[0].service_center_id,
    );
    const base = `${api.base}/api/v1/reports`;

    const compensationCases = [
      ['compensation, 31 days, JSON', `${base}/compensation?from=${monthAgo}&to=${isoDay(today)}`, json],
      ['compensation, 31 days, CSV', `${base}/compensation?from=${monthAgo}&to=${isoDay(today)}`, csv],
      ['compensation, 366 days, JSON', `${base}/compensation?from=${yearAgo}&to=${isoDay(today)}`, json],
      ['compensation, 366 days, CSV', `${base}/compensation?from=${yearAgo}&to=${isoDay(today)}`, csv],
      ['compensation, 366 days, one SC', `${base}/compensation?from=${yearAgo}&to=${isoDay(today)}&serviceCenterId=${sc}`, json],
    ];
    for (const [name, caseUrl, headers] of compensationCases) {
      const r = await timed(caseUrl, headers, api.pid);
      let covered;
      if (headers.accept === 'text/csv') {
        const lines = r.body
          .toString('utf8')
          .split('\r\n')
          .filter((l) => l.startsWith('line;'));
        covered = `${lines.length} lines`;
      } else {
        const report = JSON.parse(r.body.toString('utf8'));
        covered = `${report.lineCount} lines, ${report.actCount} acts, ${report.serviceCenters.length} SCs, total ${report.total}`;
      }
      rows.push([name, ms(r.median), ms(r.max), covered, kb(r.body.length), mb(r.rssGrowth)]);
    }

    // The quality report over a year, every grouping (goal ≤ 1 s).
    for (const groupBy of ['category', 'model', 'part', 'reason', 'serviceCenter']) {
      for (const headers of groupBy === 'part' ? [json, csv] : [json]) {
        const r = await timed(`${base}/quality?from=${yearAgo}&to=${isoDay(today)}&groupBy=${groupBy}`, headers, api.pid);
        let covered;
        if (headers.accept === 'text/csv') covered = `${r.body.toString('utf8').split('\r\n').length - 2} rows`;
        else {
          const report = JSON.parse(r.body.toString('utf8'));
          covered = `${report.items.length} groups, ${report.items.reduce((n, i) => n + (groupBy === 'part' ? 0 : i.acts), 0) || 'n/a'} acts`;
        }
        rows.push([
          `quality, 366 days, by ${groupBy}, ${headers.accept ? 'CSV' : 'JSON'}`,
          ms(r.median),
          ms(r.max),
          covered,
          kb(r.body.length),
          mb(r.rssGrowth),
        ]);
      }
    }

    const summaryCases = [
      ['summary, JSON', `${base}/summary`, json],
      ['summary, CSV', `${base}/summary`, csv],
      ['summary, one SC', `${base}/summary?serviceCenterId=${sc}`, json],
    ];
    for (const [name, caseUrl, headers] of summaryCases) {
      const r = await timed(caseUrl, headers);
      let covered;
      if (headers.accept === 'text/csv') {
        covered = `${r.body.toString('utf8').split('\r\n').length - 2} rows`;
      } else {
        const report = JSON.parse(r.body.toString('utf8'));
        const total = Object.values(report.byStatus).reduce((a, b) => a + b, 0);
        covered =
          `${total} acts by status, ${report.overdueReview.count} overdue, ${report.decisionTime.decidedCount} decided ` +
          `(median ${report.decisionTime.medianHours} h), ${report.autoRefused.count} auto-refused`;
      }
      rows.push([name, ms(r.median), ms(r.max), covered, kb(r.body.length), '']);
    }
  } finally {
    await api?.stop();
    await lib.dropRedisKeys(redisPrefix);
    if (KEEP || REUSE) console.error(`Kept database ${new URL(url).pathname.slice(1)} (BENCH_DATABASE= to reuse it)`);
    else await lib.dropDatabase(url);
  }
  console.log(
    `Reports over ${ACTS.toLocaleString('en')} acts across 500 service centers; ${REPEAT} timed requests per case after one warm-up, ` +
      `through the built API on ${require('node:os').cpus().length} cores, Node ${process.version}.`,
  );
  console.log(lib.table(['case', 'median', 'max', 'rows', 'body', 'API RSS growth (max)'], rows));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
