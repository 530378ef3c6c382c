import { randomBytes } from 'node:crypto';
import { dropDatabase } from '../../src/database/ensure-database';
import { prepareDatabase } from '../../src/database/prepare-database';

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
 * A migrated database for one suite alone, for tests that sweep, send or count everything in
 * their database. Drop it in afterAll.
 */
export async function createSuiteDatabase(): Promise<{ databaseUrl: string; drop: () => Promise<void> }> {
  const { databaseUrl } = newTestEnvironment();
  assertTestDatabase(databaseUrl);
  await prepareDatabase(databaseUrl);
  return { databaseUrl, drop: () => dropDatabase(databaseUrl) };
}
