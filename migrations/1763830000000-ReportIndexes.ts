import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the managers' reports (src/reports). Partial ones, so each holds only the rows
 * its report reads. Plain CREATE INDEX: it blocks writes to the table while it builds (a few
 * seconds at a million acts); CONCURRENTLY cannot run under the migration lock's waiters.
 */
export class ReportIndexes1763830000000 implements MigrationInterface {
  name = 'ReportIndexes1763830000000';

  async up(q: QueryRunner): Promise<void> {
    // Compensation: warranty acts closed as repaired, by closing time.
    await q.query(`CREATE INDEX ix_acts_compensation ON acts (closed_at) INCLUDE (id, service_center_id, number)
      WHERE status = 'closed' AND resolution = 'repaired' AND kind = 'warranty'`);
    // status, resolution and kind go together (closed acts have a resolution, most are warranty):
    // without this the planner multiplies their selectivities and underestimates the partial
    // indexes' rows by several times.
    await q.query(`CREATE STATISTICS st_acts_status_resolution_kind (mcv, dependencies) ON status, resolution, kind FROM acts`);
    // ... and their own-part lines.
    await q.query(`CREATE INDEX ix_act_parts_own ON act_parts (act_id) WHERE own_part`);
    // Summary: acts by status, counted index-only (a seventh of the size of ix_acts_status_created).
    await q.query(`CREATE INDEX ix_acts_status ON acts (status)`);
    // Summary: submitted acts past the review SLA, oldest first.
    await q.query(`CREATE INDEX ix_acts_submitted_at ON acts (submitted_at, id) WHERE status = 'submitted'`);
    // Summary: time to decision over the last days.
    await q.query(`CREATE INDEX ix_acts_decided ON acts (decided_at) INCLUDE (submitted_at, service_center_id)
      WHERE decided_at IS NOT NULL`);
    // Summary: acts the system closed as warranty_refused, by time.
    await q.query(`CREATE INDEX ix_act_history_auto_refused ON act_history (at) INCLUDE (act_id)
      WHERE to_status = 'closed' AND resolution = 'warranty_refused' AND actor_role = 'system'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'ix_act_history_auto_refused',
      'ix_acts_decided',
      'ix_acts_submitted_at',
      'ix_acts_status',
      'ix_act_parts_own',
      'ix_acts_compensation',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`DROP STATISTICS st_acts_status_resolution_kind`);
  }
}
