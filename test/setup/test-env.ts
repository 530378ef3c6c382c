import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase } from '../../src/database/ensure-database';
import { prepareDatabase } from '../../src/database/prepare-database';

/** Set by the global setup: the migrated database that suites' databases are copied from. */
const TEMPLATE_ENV = 'TEST_TEMPLATE_DATABASE_URL';

/**
 * Names of this run's throw-away database and Redis prefix. Every run gets its own, so runs
 * on one machine never see each other's data.
 */
export function newTestEnvironment(): { databaseUrl: string; redisPrefix: string } {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/warranty_acts_test_${suffix}`;
  return { databaseUrl: base.toString(), redisPrefix: `wa-test-${suffix}` };
}

/** Refuses to touch any database whose name does not say it is a test one. */
export function assertTestDatabase(databaseUrl: string): void {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/test/.test(name)) throw new Error(`Refusing to use database "${name}": its name does not say test`);
}

/**
 * Runs the migrations once into `templateUrl`, then closes it to connections: CREATE DATABASE
 * ... TEMPLATE refuses a template that any session is connected to.
 */
export async function createTemplateDatabase(templateUrl: string): Promise<void> {
  assertTestDatabase(templateUrl);
  await prepareDatabase(templateUrl);
  await onServer(templateUrl, (client, name) => client.query(`ALTER DATABASE ${quote(name)} WITH ALLOW_CONNECTIONS false`));
  process.env[TEMPLATE_ENV] = templateUrl;
}

/** A copy of the migrated template under the name in `databaseUrl`: a file copy, no migrations. */
export async function cloneTemplateDatabase(databaseUrl: string): Promise<void> {
  assertTestDatabase(databaseUrl);
  const templateUrl = process.env[TEMPLATE_ENV];
  if (!templateUrl) {
    // Run without the global setup (a single file with a config of its own): migrate instead.
    await prepareDatabase(databaseUrl);
    return;
  }
  const template = new URL(templateUrl).pathname.slice(1);
  await onServer(databaseUrl, (client, name) => client.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(template)}`));
}

/** Drops the template (after everything cloned from it is done). */
export async function dropTemplateDatabase(): Promise<void> {
  const templateUrl = process.env[TEMPLATE_ENV];
  if (!templateUrl) return;
  assertTestDatabase(templateUrl);
  await dropDatabase(templateUrl);
}

/**
 * A migrated database for one suite alone, for tests that sweep, send or count everything in
 * their database. Drop it in afterAll.
 */
export async function createSuiteDatabase(): Promise<{ databaseUrl: string; drop: () => Promise<void> }> {
  const { databaseUrl } = newTestEnvironment();
  await cloneTemplateDatabase(databaseUrl);
  return { databaseUrl, drop: () => dropDatabase(databaseUrl) };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs `work` on the server's `postgres` database, given the name of the database in `databaseUrl`. */
async function onServer(databaseUrl: string, work: (client: Client, name: string) => Promise<unknown>): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await work(client, name);
  } finally {
    await client.end();
  }
}
