import Redis from 'ioredis';
import { rm } from 'node:fs/promises';
import { dropDatabase } from '../../src/database/ensure-database';
import { assertTestDatabase, dropTemplateDatabase } from './test-env';

/** Drops this run's database and its template, Redis keys and upload folder. */
export default async function globalTeardown(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL as string;
  assertTestDatabase(databaseUrl);
  await dropDatabase(databaseUrl);
  await dropTemplateDatabase();

  const prefix = process.env.REDIS_PREFIX as string;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  if (process.env.UPLOAD_DIR?.startsWith('/tmp/')) await rm(process.env.UPLOAD_DIR, { recursive: true, force: true });
}
