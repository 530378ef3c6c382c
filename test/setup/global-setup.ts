import { prepareDatabase } from '../../src/database/prepare-database';
import { assertTestDatabase, newTestEnvironment } from './test-env';

/** Creates this run's database from the migrations; workers inherit the environment. */
export default async function globalSetup(): Promise<void> {
  const { databaseUrl, redisPrefix } = newTestEnvironment();
  assertTestDatabase(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_PREFIX = redisPrefix;
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.UPLOAD_DIR = process.env.UPLOAD_DIR ?? `/tmp/${redisPrefix}-uploads`;
  await prepareDatabase(databaseUrl);
}
