#!/usr/bin/env node
// `npm run bench:webhooks`: BENCH_WEBHOOK_EVENTS (10 000) webhook events recorded the way the
// API records them (WebhooksRepository.record in committed transactions of BENCH_WEBHOOK_BATCH
// events, spread over BENCH_WEBHOOK_ACTS acts so that per-act order matters), delivered by the
// built worker (dist/src/worker.js, a child process) to a local HTTP receiver; then as many
// e-mails from the outbox to a local SMTP sink by the same worker, for comparison. Reports
// events/s, p50/p99 from commit to arrival, and the worker's RSS growth. BENCH_MAILS sets the
// number of e-mails (default: as many as events). Throw-away database and
// Redis prefix, dropped after. Needs the built app: npm run build. Results on stdout; progress on stderr.
require('reflect-metadata');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { SMTPServer } = require('smtp-server');
const { DataSource } = require('typeorm');
const lib = require('./lib');

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const ACTS = Number(process.env.BENCH_WEBHOOK_ACTS ?? 1_000);
const BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 50);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 2);
const MAILS = Number(process.env.BENCH_MAILS ?? EVENTS);
const { WebhooksRepository } = require(path.join(lib.DIST, 'webhooks', 'webhooks.repository.js'));
const { dataSourceOptions } = require(path.join(lib.DIST, 'database', 'data-source-options.js'));

const log = (message) => process.stderr.write(`${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Keeps each webhook's arrival time by webhook-id (the first arrival). */
function startReceiver() {
  const arrivals = new Map();
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const id = req.headers['webhook-id'];
      if (!arrivals.has(id)) arrivals.set(id, Date.now());
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, arrivals, requests: () => requests, close: () => server.close() }),
    ),
  );
}

function startSmtpSink() {
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `smtp://127.0.0.1:${server.server.address().port}`, received: () => received, close: () => server.close() }),
    ),
  );
}

async function waitUntil(check, what, timeoutMs, onTick) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    if (onTick) onTick();
    await sleep(50);
  }
}

async function main() {
  const url = lib.benchDatabaseUrl('webhooks_bench');
  const prefix = `bench-webhooks-${Date.now().toString(36)}`;
  log(`Database ${new URL(url).pathname.slice(1)}: migrating...`);
  await lib.createDatabase(url);
  const receiver = await startReceiver();
  const smtp = await startSmtpSink();
  const db = new DataSource({ ...dataSourceOptions(url), migrationsRun: false });
  await db.initialize();
  let worker;
  try {
    const [{ id: scId }] = await db.query(`INSERT INTO service_centers (name, email) VALUES ('СЦ Бенчмарк', 'bench-sc@example.com') RETURNING id`);
    await db.query(`INSERT INTO webhook_endpoints (service_center_id, url, secret) VALUES ($1, $2, $3)`, [
      scId,
      receiver.url,
      `whsec_${Buffer.from('bench-secret-bench-secret-bench!').toString('base64')}`,
    ]);

    // Started as npm run start:worker starts it: with its bounded heap.
    worker = spawn(process.execPath, ['--max-old-space-size=160', path.join(lib.DIST, 'worker.js')], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        REDIS_PREFIX: prefix,
        SMTP_URL: smtp.url,
        WEBHOOK_ALLOW_PRIVATE: 'true',
        NOTIFY_POLL_EVERY: '200ms',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Idle: started (its module graph loaded and its pools open), its RSS steady for a second.
    await sleep(3000);
    let rssStart = lib.rssMb(worker.pid);
    for (;;) {
      await sleep(1000);
      const now = lib.rssMb(worker.pid);
      if (Math.abs(now - rssStart) <= 1) break;
      rssStart = now;
    }
    let rssMax = rssStart;
    const sample = () => (rssMax = Math.max(rssMax, lib.rssMb(worker.pid)));

    // Webhooks: record in committed transactions, as fast as one client can; ROUNDS rounds, so
    // that the RSS after the first (warmed up) and after the last tell growth from a leak.
    const repo = new WebhooksRepository(db);
    const acts = Array.from({ length: ACTS }, () => randomUUID());
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      receiver.arrivals.clear();
      log(`Round ${round}: recording ${EVENTS} webhook events over ${ACTS} acts in transactions of ${BATCH}...`);
      const committedAt = new Map();
      const started = Date.now();
      for (let n = 0; n < EVENTS; n += BATCH) {
        const size = Math.min(BATCH, EVENTS - n);
        const events = Array.from({ length: size }, (_, i) => {
          const actId = acts[(n + i) % ACTS];
          return {
            type: 'act.comment_added',
            actId,
            serviceCenterId: scId,
            data: { actId, number: `ACT-2026-${String(n + i).padStart(6, '0')}`, n: n + i },
          };
        });
        const ids = await db.transaction(async (tx) => {
          await repo.record(tx, events, new Date());
          return (await tx.query(`SELECT id FROM webhook_events ORDER BY seq DESC LIMIT $1`, [size])).map((r) => r.id);
        });
        const at = Date.now();
        for (const id of ids) committedAt.set(id, at);
        if ((n / BATCH) % 20 === 0) sample();
      }
      const recordedIn = (Date.now() - started) / 1000;
      log(`Recorded in ${recordedIn.toFixed(1)} s; waiting for delivery...`);
      await waitUntil(() => receiver.arrivals.size >= EVENTS, 'every webhook', 900_000, sample);
      const arrivals = [...receiver.arrivals.values()];
      const latencies = [...committedAt].map(([id, at]) => receiver.arrivals.get(id) - at).sort((a, b) => a - b);
      await sleep(500);
      sample();
      rounds.push({
        round,
        recordedIn,
        seconds: (Math.max(...arrivals) - started) / 1000,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        rss: lib.rssMb(worker.pid),
      });
    }
    const [{ pending }] = await db.query(`SELECT count(*) FILTER (WHERE status <> 'delivered')::int AS pending FROM webhook_deliveries`);
    const rssMaxWebhooks = rssMax;

    // E-mails: the same number of outbox rows, written at once, sent by the same worker.
    log(`Writing ${MAILS} e-mails to the outbox...`);
    const mailStarted = Date.now();
    for (let n = 0; n < MAILS; n += 1000) {
      await db.query(
        `INSERT INTO notifications (service_center_id, kind, recipient, subject, body)
         SELECT $1, 'status_changed', 'bench-sc@example.com', 'Акт ' || g, 'Статус акта изменён.' FROM generate_series($2::int, $3::int) g`,
        [scId, n, Math.min(n + 1000, MAILS) - 1],
      );
    }
    await waitUntil(() => smtp.received() >= MAILS, 'every e-mail', 900_000, sample);
    const mailSeconds = (Date.now() - mailStarted) / 1000;
    sample();

    const result = lib.table(
      ['what', 'count', 'recorded in', 'delivered in', 'per second', 'p50 commit→arrival', 'p99 commit→arrival'],
      [
        ...rounds.map((r) => [
          `webhooks, round ${r.round} (HTTP, signed)`,
          EVENTS,
          `${r.recordedIn.toFixed(1)} s`,
          `${r.seconds.toFixed(1)} s`,
          (EVENTS / r.seconds).toFixed(0),
          `${r.p50} ms`,
          `${r.p99} ms`,
        ]),
        ['e-mails (outbox → SMTP)', MAILS, '', `${mailSeconds.toFixed(1)} s`, (MAILS / mailSeconds).toFixed(0), '', ''],
      ],
    );
    const rss = lib.table(
      ['worker RSS', 'MB'],
      [
        ['at start (idle)', rssStart.toFixed(0)],
        ...rounds.map((r) => [`after webhook round ${r.round}`, r.rss.toFixed(0)]),
        ['peak while delivering webhooks', rssMaxWebhooks.toFixed(0)],
        ['growth while delivering webhooks, peak − start', (rssMaxWebhooks - rssStart).toFixed(0)],
        ['peak while sending the e-mails after', rssMax.toFixed(0)],
        [`growth, round ${ROUNDS} − round 1`, (rounds[rounds.length - 1].rss - rounds[0].rss).toFixed(0)],
      ],
    );
    process.stdout.write(
      `## Webhooks: ${EVENTS} events over ${ACTS} acts (transactions of ${BATCH}), one endpoint, ${ROUNDS} rounds\n\n${result}\n\n${rss}\n\n` +
        `HTTP requests received: ${receiver.requests()} (repeats: ${receiver.requests() - ROUNDS * EVENTS}); not delivered at the end: ${pending}.\n` +
        `Load average at the end: ${require('node:os')
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${require('node:os').cpus().length} cores.\n`,
    );
  } finally {
    if (worker) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    await db.destroy();
    receiver.close();
    smtp.close();
    await lib.dropRedisKeys(prefix);
    await lib.dropDatabase(url);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
