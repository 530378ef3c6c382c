import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per stored object: the orphan-photo clean-up (jobs/maintenance.processor.ts) asks
 * which of a batch of stored keys have a row, by this index.
 */
export class PhotoStorageKeys1763840000000 implements MigrationInterface {
  name = 'PhotoStorageKeys1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX ux_act_photos_storage_key ON act_photos (storage_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ux_act_photos_storage_key`);
  }
}
