import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Managers get contact data (phone, office) for the e-mails that name them, and every service
 * center may get a responsible manager. Existing rows keep their values: the new columns are
 * nullable, and a service center without one is the concern of every manager.
 */
export class ManagerContactsAndResponsibility1763851000000 implements MigrationInterface {
  name = 'ManagerContactsAndResponsibility1763851000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE managers ADD COLUMN phone text, ADD COLUMN office text`);
    await q.query(`ALTER TABLE service_centers ADD COLUMN manager_id uuid
      CONSTRAINT fk_service_centers_manager REFERENCES managers(id) ON DELETE SET NULL`);
    // Acts and e-mails look up a manager's service centers ("assigned to me").
    await q.query(`CREATE INDEX ix_service_centers_manager ON service_centers (manager_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_service_centers_manager`);
    await q.query(`ALTER TABLE service_centers DROP COLUMN manager_id`);
    await q.query(`ALTER TABLE managers DROP COLUMN office, DROP COLUMN phone`);
  }
}
