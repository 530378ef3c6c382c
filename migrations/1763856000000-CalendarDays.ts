import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Managers' overrides of the business calendar (`PUT /calendar/days/:date`): one row per day
 * marked working or not, which wins over the built-in Russian calendar. The built-in holidays and
 * transfers are code (src/calendar), not rows.
 */
export class CalendarDays1763856000000 implements MigrationInterface {
  name = 'CalendarDays1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_days (
      date date PRIMARY KEY,
      working boolean NOT NULL,
      note text CHECK (char_length(note) <= 200),
      updated_by uuid REFERENCES managers(id) ON DELETE SET NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_days`);
  }
}
