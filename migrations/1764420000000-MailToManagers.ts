import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox also writes to managers (manager_id; the recipient is then the manager's address)
 * and digests that concern no single service center; each row says whom a reply goes to, and
 * carries its place in the order of events (seq) so that e-mails about one act go out in order.
 */
export class MailToManagers1764420000000 implements MigrationInterface {
  name = 'MailToManagers1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN service_center_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notifications ADD COLUMN manager_id uuid REFERENCES managers(id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE notifications ADD COLUMN reply_to text`);
    await q.query(`ALTER TABLE notifications ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    // Delivery looks for an older unsent e-mail of the same act to the same address.
    await q.query(`CREATE INDEX ix_notifications_pending_act ON notifications (act_id, recipient, seq) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_notifications_pending_act`);
    await q.query(`ALTER TABLE notifications DROP COLUMN seq`);
    await q.query(`ALTER TABLE notifications DROP COLUMN reply_to`);
    await q.query(`ALTER TABLE notifications DROP COLUMN manager_id`);
    await q.query(`DELETE FROM notifications WHERE service_center_id IS NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN service_center_id SET NOT NULL`);
  }
}
