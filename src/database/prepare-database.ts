import { DataSource } from 'typeorm';
import { ensureDatabase } from './ensure-database';
import { dataSourceOptions } from './data-source-options';

// Any constant works; it only has to be the same in every process of this service.
const MIGRATION_LOCK = 727_001;

/**
 * Creates the database when missing and applies pending migrations. Several processes may
 * start at once (API replicas, worker): an advisory lock lets one migrate while others wait.
 */
export async function prepareDatabase(databaseUrl: string, logger: { info(message: string): void } = { info: () => undefined }): Promise<string[]> {
  if (await ensureDatabase(databaseUrl)) logger.info('Created the database');
  const db = new DataSource(dataSourceOptions(databaseUrl));
  await db.initialize();
  try {
    // A session-level lock: held on one dedicated connection while the pool migrates.
    const lock = db.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await db.runMigrations({ transaction: 'each' });
      for (const migration of applied) logger.info(`Applied migration ${migration.name}`);
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  } finally {
    await db.destroy();
  }
}
