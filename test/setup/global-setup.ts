import { assertTestDatabase, cloneTemplateDatabase, createTemplateDatabase, newTestEnvironment } from './test-env';

/**
 * Migrates a template database once, then copies it into this run's shared database; suites
 * with a database of their own copy it too (createSuiteDatabase). Workers inherit the
 * environment set here. Only the integration and e2e tiers use this set-up.
 */
export default async function globalSetup(): Promise<void> {
  const { databaseUrl, redisPrefix } = newTestEnvironment();
  assertTestDatabase(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_PREFIX = redisPrefix;
  // Every test client has one address; tests of the anonymous limit set their own.
  process.env.RATE_LIMIT_ANON_PER_MINUTE = process.env.RATE_LIMIT_ANON_PER_MINUTE ?? '1000000';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  // The AWS SDK's notice that its releases from 2027 need Node 22 (the README says so once).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.UPLOAD_DIR = process.env.UPLOAD_DIR ?? `/tmp/${redisPrefix}-uploads`;
  const template = new URL(databaseUrl);
  template.pathname = `${template.pathname}_template`;
  await createTemplateDatabase(template.toString());
  await cloneTemplateDatabase(databaseUrl);
}
