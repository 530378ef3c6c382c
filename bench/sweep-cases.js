// The deadline sweep's cases, shared by bench:sweeps (each case on its own copy of the data) and
// bench:scale (the cases one after another on one database, each closing its own acts): the
// worker's sweep as the worker runs it, and the least the database can do, one plain UPDATE.
require('reflect-metadata');
const path = require('node:path');
const { Logger } = require('@nestjs/common');
const { DataSource } = require('typeorm');
const lib = require('./lib');

const { ActSweeps, SWEEP_BATCH } = require(path.join(lib.DIST, 'acts', 'act-sweeps.service.js'));
const { ActsRepository } = require(path.join(lib.DIST, 'acts', 'acts.repository.js'));
const { ShipmentsRepository } = require(path.join(lib.DIST, 'shipments', 'shipments.repository.js'));
const { Clock } = require(path.join(lib.DIST, 'common', 'clock.js'));
const { dataSourceOptions } = require(path.join(lib.DIST, 'database', 'data-source-options.js'));
// The sweep's log line would land in the results on stdout.
Logger.overrideLogger(['error', 'warn']);

const seconds = (startedNs) => Number(process.hrtime.bigint() - startedNs) / 1e9;

/** The acts a sweep at `cutoff` closes: info_requested past their reply deadline. */
const OVERDUE = `SELECT count(*)::int AS n FROM acts WHERE status = 'info_requested' AND reply_deadline < $1`;

const overdue = (url, cutoff) => lib.withClient(url, async (c) => (await c.query(OVERDUE, [cutoff])).rows[0].n);

/** Reads what the cases read, once, so that the first case has no colder cache than the others. */
const warm = (url, cutoff) =>
  lib.withClient(url, async (c) => {
    await c.query(`SELECT count(*) FROM acts WHERE status = 'info_requested'`);
    await c.query(OVERDUE, [cutoff]);
  });

/** The worker's sweep with its clock at `cutoff` (its own pool, batches of `batch`): { closed, seconds }. */
async function sweep(url, batch, cutoff) {
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

/** One UPDATE of the act rows the sweep at `cutoff` would close, no history, comment or e-mail. */
async function plainUpdate(url, cutoff) {
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

/** The rows the sweeps wrote besides the acts: history, system comments, e-mails. */
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

const rate = (r) => r.closed / r.seconds;

/** A results row: case, acts closed, time, rate, ratio to the plain UPDATE. */
const row = (name, result, plain) => [
  name,
  result.closed,
  `${result.seconds.toFixed(2)} s`,
  `${rate(result).toFixed(0)} acts/s`,
  (rate(result) / rate(plain)).toFixed(2),
];

module.exports = { SWEEP_BATCH, OVERDUE, overdue, warm, sweep, plainUpdate, rowsWritten, rate, row };
