import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Own-part compensation paid in settlements: a settlement takes the eligible acts once
 * (acts.settlement_id, never cleared, not even by a reopen) and keeps its totals on its row.
 */
export class CompensationSettlements1764410000000 implements MigrationInterface {
  name = 'CompensationSettlements1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE compensation_settlements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      closed_to date NOT NULL,
      service_center_id uuid REFERENCES service_centers(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid NOT NULL REFERENCES managers(id),
      act_count int NOT NULL CHECK (act_count >= 0),
      amount numeric(14,2) NOT NULL CHECK (amount >= 0)
    )`);
    // Lists: newest first, keyset-paginated on (created_at, id).
    await q.query(`CREATE INDEX ix_compensation_settlements_created ON compensation_settlements (created_at DESC, id DESC)`);
    await q.query(`ALTER TABLE acts ADD COLUMN settlement_id uuid REFERENCES compensation_settlements(id)`);
    // A settlement's acts; only settled acts are in it.
    await q.query(`CREATE INDEX ix_acts_settlement ON acts (settlement_id, service_center_id) WHERE settlement_id IS NOT NULL`);
    // Acts waiting for a settlement, by closing time: what a new settlement and the report's
    // settled=false read.
    await q.query(`CREATE INDEX ix_acts_unsettled ON acts (closed_at) INCLUDE (id, service_center_id)
      WHERE status = 'closed' AND resolution = 'repaired' AND kind = 'warranty' AND settlement_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_acts_unsettled`);
    await q.query(`DROP INDEX ix_acts_settlement`);
    await q.query(`ALTER TABLE acts DROP COLUMN settlement_id`);
    await q.query(`DROP TABLE compensation_settlements`);
  }
}
