#!/usr/bin/env node
// `npm run bench:sweeps`: closing every overdue info_requested act with the worker's sweep
// (batches of SWEEP_BATCH, each one statement writing the act, a history row, a system comment
// and an e-mail per act), next to a plain one-statement UPDATE of the same acts on an identical
// copy of the data, in the same run; also the same sweep as one statement without batches. Seeds a throw-away database (BENCH_ACTS acts, 1 000 000 by
// default; about a tenth of them info_requested and overdue), copies it with CREATE DATABASE
// ... TEMPLATE, and drops everything after. Needs the built app: npm run build.
// Results on stdout; progress on stderr.
require('reflect-metadata');
const path = require('node:path');
const { Logger } = require('@nestjs/common');
const { DataSource } = require('typeorm');
const lib = require('./lib');
const { seed } = require('./seed');

const ACTS = Number(process.env.BENCH_ACTS ?? 1_000_000);
const { ActSweeps, SWEEP_BATCH } = require(path.join(lib.DIST, 'acts', 'act-sweeps.service.js'));
const { ActsRepository } = require(path.join(lib.DIST, 'acts', 'acts.repository.js'));
const { ShipmentsRepository } = require(path.join(lib.DIST, 'shipments', 'shipments.repository.js'));
const { Clock } = require(path.join(lib.DIST, 'common', 'clock.js'));
const { dataSourceOptions } = require(path.join(lib.DIST, 'database', 'data-source-options.js'));
const BATCH = Number(process.env.BENCH_SWEEP_BATCH ?? SWEEP_BATCH);
// The sweep's log line would land in the results on stdout.
Logger.overrideLogger(['error', 'warn']);

const log = (message) => process.stderr.write(`${message}\n`);
const seconds = (startedNs) => Number(process.hrtime.bigint() - startedNs) / 1e9;

function withDatabaseName(url, name) {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

async function copyDatabase(url, name) {
  const admin = withDatabaseName(url, 'postgres');
  const template = new URL(url).pathname.slice(1);
  const target = withDatabaseName(url, name);
  if (!/bench/.test(name)) throw new Error('refusing a database whose name does not say bench');
  await lib.withClient(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return target;
}

// Every case closes the acts overdue at one moment, fixed when the seed is done: with now(),
// an act whose deadline passes while the cases run would be closed by the later ones only.
const OVERDUE = `SELECT count(*)::int AS n FROM acts WHERE status = 'info_requested' AND reply_deadline < $1`;
let cutoff;

/** Every case runs on a fresh copy, read once the same way first, so none has a warmer cache. */
async function freshCopy(url, name, copies) {
  const copy = await copyDatabase(url, name);
  copies.push(copy);
  await lib.withClient(copy, async (c) => {
    await c.query(`SELECT count(*) FROM acts WHERE status = 'info_requested'`);
    await c.query(OVERDUE, [cutoff]);
  });
  return copy;
}

/** The worker's sweep, as the worker runs it (its own pool, batches of BATCH). */
async function sweep(url, batch) {
  const db = new DataSource({ ...dataSourceOptions(url), migrationsRun: false });
  await db.initialize();
  try {
    const clock = new (class extends Clock {
      now() {
        return cutoff;
      }
    })();
    const sweeps = new ActSweeps(new ActsRepository(db), new ShipmentsRepository(db), clock, {
      reminderBeforeMs: 24 * 3600_000,
      mailSignature: '',
      deliveryFollowUpMs: 10 * 24 * 3600_000,
    });
    const started = process.hrtime.bigint();
    const closed = await sweeps.closeSilentActs(batch);
    return { closed, seconds: seconds(started) };
  } finally {
    await db.destroy();
  }
}

/** The least the database can do: one UPDATE of the act rows, no history, comment or e-mail. */
async function plainUpdate(url) {
  return lib.withClient(url, async (c) => {
    const started = process.hrtime.bigint();
    const { rowCount } = await c.query(
      `UPDATE acts SET status = 'closed', resolution = 'warranty_refused', closed_at = now(),
              reply_deadline = NULL, mismatch_deadline = NULL, version = version + 1, updated_at = now()
        WHERE status = 'info_requested' AND reply_deadline < $1`,
      [cutoff],
    );
    return { closed: rowCount, seconds: seconds(started) };
  });
}

async function rowsWritten(url) {
  return lib.withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT (SELECT count(*) FROM act_history WHERE to_status = 'closed' AND actor_role = 'system')::int AS history,
              (SELECT count(*) FROM act_comments WHERE author_role = 'system')::int AS comments,
              (SELECT count(*) FROM notifications WHERE kind = 'status_changed')::int AS mails`,
    );
    return rows[0];
  });
}

async function main() {
  const url = lib.benchDatabaseUrl('sweeps_bench');
  const name = new URL(url).pathname.slice(1);
  const copies = [];
  const results = [];
  log(`Database ${name}: migrating and seeding ${ACTS} acts...`);
  await lib.createDatabase(url);
  try {
    const seeded = await lib.withClient(url, (c) => seed(c, { acts: ACTS }));
    cutoff = new Date();
    const overdue = await lib.withClient(url, async (c) => (await c.query(OVERDUE, [cutoff])).rows[0].n);
    log(`Seeded in ${seeded.seconds.toFixed(0)} s; ${overdue} acts info_requested past their reply deadline. Copying...`);

    log(`Sweeping in batches of ${BATCH}...`);
    const sweepUrl = await freshCopy(url, `${name}_sweep`, copies);
    const swept = await sweep(sweepUrl, BATCH);
    log('Sweeping in one statement...');
    const oneStatement = await sweep(await freshCopy(url, `${name}_one`, copies), 2_147_483_647);
    log('Plain UPDATE...');
    const plain = await plainUpdate(await freshCopy(url, `${name}_plain`, copies));

    const written = await rowsWritten(sweepUrl);
    for (const [what, result] of [
      ['sweep', swept],
      ['one-statement sweep', oneStatement],
      ['plain UPDATE', plain],
    ]) {
      if (result.closed !== overdue) throw new Error(`${what} closed ${result.closed} acts, expected ${overdue}`);
    }
    for (const [table, n] of Object.entries(written)) {
      if (n !== overdue) throw new Error(`the sweep wrote ${n} ${table} rows for ${overdue} acts`);
    }
    const rate = (r) => r.closed / r.seconds;
    results.push(
      [
        `sweep, batches of ${BATCH} (acts + history + comment + e-mail)`,
        overdue,
        `${swept.seconds.toFixed(2)} s`,
        `${rate(swept).toFixed(0)} acts/s`,
        (rate(swept) / rate(plain)).toFixed(2),
      ],
      [
        'same sweep, one statement, no batches',
        overdue,
        `${oneStatement.seconds.toFixed(2)} s`,
        `${rate(oneStatement).toFixed(0)} acts/s`,
        (rate(oneStatement) / rate(plain)).toFixed(2),
      ],
      ['baseline: one plain UPDATE of acts only', overdue, `${plain.seconds.toFixed(2)} s`, `${rate(plain).toFixed(0)} acts/s`, '1.00'],
    );
  } finally {
    for (const copy of copies) await lib.dropDatabase(copy).catch((error) => log(`Cannot drop ${copy}: ${error.message}`));
    await lib.dropDatabase(url);
  }

  console.log(
    [
      `Sweeps: closing overdue info_requested acts; ${ACTS.toLocaleString('en')} acts seeded, ${require('node:os').cpus().length} cores, Node ${process.version}.`,
      '',
      lib.table(['case', 'acts closed', 'time', 'rate', 'ratio to baseline'], results),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
