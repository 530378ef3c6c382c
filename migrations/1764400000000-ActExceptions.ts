import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rules' exceptions (issue: pre-sale goods, 14-day refusals, failed repairs, corrections):
 * - history rows get a type: `status` (every existing row) or `edit`, with the changed fields;
 * - parts get a unit (`pcs` for every existing row) and fractional quantities for m, l and kg;
 * - acts get the SC's problem report, the "needs a manager" flag, the not-warranty reason code,
 *   the urgent flag of a decision, and two resolutions: not_repaired and refund_or_exchange;
 * - a delivery may be confirmed by the SC the parcel is for: who confirmed it is a manager or
 *   that SC (`delivered_by_role`), so `delivered_by` no longer references managers only;
 * - serial numbers stored as one of the SCs' ways of writing "none" become "no serial number".
 */
export class ActExceptions1764400000000 implements MigrationInterface {
  name = 'ActExceptions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE act_history
      ADD COLUMN type text NOT NULL DEFAULT 'status' CHECK (type IN ('status','edit')),
      ADD COLUMN changes jsonb`);

    await q.query(`ALTER TABLE act_parts ADD COLUMN unit text NOT NULL DEFAULT 'pcs' CHECK (unit IN ('pcs','m','l','kg'))`);
    await q.query(`ALTER TABLE act_parts DROP CONSTRAINT act_parts_quantity_check`);
    await q.query(`ALTER TABLE act_parts ALTER COLUMN quantity TYPE numeric(12,3)`);
    await q.query(`ALTER TABLE act_parts ADD CONSTRAINT ck_act_parts_quantity CHECK (
      quantity > 0 AND (unit <> 'pcs' OR (quantity >= 1 AND quantity = trunc(quantity))))`);

    await q.query(`ALTER TABLE acts
      ADD COLUMN problem jsonb,
      ADD COLUMN needs_attention boolean NOT NULL DEFAULT false,
      ADD COLUMN reason_code text,
      ADD COLUMN urgent boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE acts DROP CONSTRAINT ck_acts_resolution`);
    await q.query(`ALTER TABLE acts ADD CONSTRAINT ck_acts_resolution CHECK (
      (status = 'closed') = (resolution IS NOT NULL)
      AND (resolution IS NULL OR resolution IN
        ('repaired','warranty_refused','not_warranty','withdrawn','not_repaired','refund_or_exchange')))`);
    // The managers' queue of acts an SC has spoken on since a manager last acted.
    await q.query(`CREATE INDEX ix_acts_needs_attention ON acts (updated_at) WHERE needs_attention`);

    await q.query(`ALTER TABLE shipments DROP CONSTRAINT shipments_delivered_by_fkey,
      ADD COLUMN delivered_by_role text CHECK (delivered_by_role IN ('manager','service_center'))`);
    await q.query(`UPDATE shipments SET delivered_by_role = 'manager' WHERE delivered_by IS NOT NULL`);

    await q.query(`UPDATE acts
      SET product = product || '{"serialNumber": null, "noSerialNumber": true}'::jsonb
      WHERE lower(regexp_replace(product->>'serialNumber', '[\\s./\\\\-]', '', 'g')) IN ('бн', 'нет', 'отсутствует', 'безномера')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE shipments SET delivered_by = NULL WHERE delivered_by_role = 'service_center'`);
    await q.query(`ALTER TABLE shipments DROP COLUMN delivered_by_role,
      ADD CONSTRAINT shipments_delivered_by_fkey FOREIGN KEY (delivered_by) REFERENCES managers(id)`);
    await q.query(`DROP INDEX ix_acts_needs_attention`);
    await q.query(`ALTER TABLE acts DROP CONSTRAINT ck_acts_resolution`);
    await q.query(`ALTER TABLE acts ADD CONSTRAINT ck_acts_resolution CHECK (
      (status = 'closed') = (resolution IS NOT NULL)
      AND (resolution IS NULL OR resolution IN ('repaired','warranty_refused','not_warranty','withdrawn')))`);
    await q.query(`ALTER TABLE acts DROP COLUMN problem, DROP COLUMN needs_attention, DROP COLUMN reason_code, DROP COLUMN urgent`);
    await q.query(`ALTER TABLE act_parts DROP CONSTRAINT ck_act_parts_quantity`);
    await q.query(`ALTER TABLE act_parts ALTER COLUMN quantity TYPE int USING ceil(quantity)`);
    await q.query(`ALTER TABLE act_parts ADD CONSTRAINT act_parts_quantity_check CHECK (quantity >= 1)`);
    await q.query(`ALTER TABLE act_parts DROP COLUMN unit`);
    await q.query(`ALTER TABLE act_history DROP COLUMN type, DROP COLUMN changes`);
  }
}
