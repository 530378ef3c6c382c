#!/usr/bin/env node
// `npm run bench:sweeps`: closing every overdue info_requested act with the worker's sweep
// (batches of SWEEP_BATCH, each one statement writing the act, a history row, a system comment
// and an e-mail per act), next to a plain one-statement UPDATE of the same acts on an identical
// copy of the data, in the same run; also the same sweep as one statement without batches. Seeds a throw-away database (BENCH_ACTS acts, 1 000 000 by
// default; about a tenth of them info_requested and overdue), copies it with CREATE DATABASE
// ... TEMPLATE, and drops everything after. Needs the built app: npm run build.
// At 10 000 000 acts the copies would need 3 × 18 GB: bench:scale measures the sweep there on one
// database instead (bench/sweep-cases.js). Results on stdout; progress on stderr.
const lib = require('./lib');
const { seed } = require('./seed');
const cases = require('./sweep-cases');

const ACTS = Number(process.env.BENCH_ACTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_SWEEP_BATCH ?? cases.SWEEP_BATCH);

const log = (message) => process.stderr.write(`${message}\n`);

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

async function main() {
  const url = lib.benchDatabaseUrl('sweeps_bench');
  const name = new URL(url).pathname.slice(1);
  const copies = [];
  let results;
  log(`Database ${name}: migrating and seeding ${ACTS} acts...`);
  await lib.createDatabase(url);
  try {
    const seeded = await lib.withClient(url, (c) => seed(c, { acts: ACTS }));
    // Every case closes the acts overdue at one moment, fixed when the seed is done: with now(),
    // an act whose deadline passes while the cases run would be closed by the later ones only.
    const cutoff = new Date();
    const overdue = await cases.overdue(url, cutoff);
    log(`Seeded in ${seeded.seconds.toFixed(0)} s; ${overdue} acts info_requested past their reply deadline. Copying...`);
    // Every case runs on a fresh copy, read once the same way first, so none has a warmer cache.
    const freshCopy = async (suffix) => {
      const copy = await copyDatabase(url, `${name}_${suffix}`);
      copies.push(copy);
      await cases.warm(copy, cutoff);
      return copy;
    };

    log(`Sweeping in batches of ${BATCH}...`);
    const sweepUrl = await freshCopy('sweep');
    const swept = await cases.sweep(sweepUrl, BATCH, cutoff);
    log('Sweeping in one statement...');
    const oneStatement = await cases.sweep(await freshCopy('one'), 2_147_483_647, cutoff);
    log('Plain UPDATE...');
    const plain = await cases.plainUpdate(await freshCopy('plain'), cutoff);

    const written = await cases.rowsWritten(sweepUrl);
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
    results = [
      cases.row(`sweep, batches of ${BATCH} (acts + history + comment + e-mail)`, swept, plain),
      cases.row('same sweep, one statement, no batches', oneStatement, plain),
      cases.row('baseline: one plain UPDATE of acts only', plain, plain),
    ];
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
