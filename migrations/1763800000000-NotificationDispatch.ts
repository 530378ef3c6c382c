import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the dispatcher last queued a send job for an outbox row. Rows queued recently are
 * skipped by the next polls; a row whose job was lost is queued again once this is old.
 */
export class NotificationDispatch1763800000000 implements MigrationInterface {
  name = 'NotificationDispatch1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN queued_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN queued_at`);
  }
}
