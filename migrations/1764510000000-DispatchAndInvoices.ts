import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch days and partial parcels, paid orders' invoices (API.md, "Dispatch and partial
 * shipments", "Paid orders"):
 * - acts: the expected dispatch date set on approval, the SC's consent to partial parcels, and the
 *   shipment that opened the act's current shipping round (its parcels since it last left
 *   approved or part_mismatch: the ones its delivery waits for);
 * - act_parts.shipment_id: the parcel that carried the part (null: still to ship), set by a
 *   conditional UPDATE so that two parcels never carry one part;
 * - shipment_acts.round_id: the round of the act the parcel was part of;
 * - shipments.followed_up_at: the SC was asked to confirm receipt of an overdue parcel;
 * - act_invoices: one invoice per paid act (reissued in place until paid).
 */
export class DispatchAndInvoices1764510000000 implements MigrationInterface {
  name = 'DispatchAndInvoices1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE acts ADD COLUMN expected_dispatch_date date`);
    await q.query(`ALTER TABLE acts ADD COLUMN partial_consent boolean`);
    await q.query(`ALTER TABLE acts ADD COLUMN shipping_round uuid`);

    await q.query(`ALTER TABLE act_parts ADD COLUMN shipment_id uuid REFERENCES shipments(id)`);
    await q.query(`CREATE INDEX ix_act_parts_shipment ON act_parts (shipment_id) WHERE shipment_id IS NOT NULL`);
    // The dispatch board: parts still to ship.
    await q.query(`CREATE INDEX ix_act_parts_to_ship ON act_parts (act_id) WHERE shipment_id IS NULL AND NOT own_part`);

    await q.query(`ALTER TABLE shipment_acts ADD COLUMN round_id uuid`);
    await q.query(`ALTER TABLE shipments ADD COLUMN followed_up_at timestamptz`);
    // The follow-up sweep and GET /shipments?undelivered=true: parcels in transit, oldest first.
    await q.query(`CREATE INDEX ix_shipments_in_transit ON shipments (shipped_at) WHERE delivered_at IS NULL`);

    // v1 parcels: each opened its acts' round and carried every part they had to ship.
    await q.query(`UPDATE shipment_acts SET round_id = shipment_id`);
    await q.query(`UPDATE acts a SET shipping_round = (
        SELECT sa.shipment_id FROM shipment_acts sa JOIN shipments s ON s.id = sa.shipment_id
         WHERE sa.act_id = a.id ORDER BY s.shipped_at DESC, s.id DESC LIMIT 1)
      WHERE EXISTS (SELECT 1 FROM shipment_acts sa WHERE sa.act_id = a.id)`);
    await q.query(`UPDATE act_parts p SET shipment_id = (
        SELECT sa.shipment_id FROM shipment_acts sa JOIN shipments s ON s.id = sa.shipment_id
         WHERE sa.act_id = p.act_id ORDER BY s.shipped_at, s.id LIMIT 1)
      WHERE NOT p.own_part AND EXISTS (SELECT 1 FROM shipment_acts sa WHERE sa.act_id = p.act_id)`);

    await q.query(`CREATE TABLE act_invoices (
      act_id uuid PRIMARY KEY REFERENCES acts(id) ON DELETE CASCADE,
      amount numeric(14,2) NOT NULL CHECK (amount >= 0),
      currency text NOT NULL DEFAULT 'RUB',
      payment_reference text NOT NULL,
      lines jsonb NOT NULL,
      issued_at timestamptz NOT NULL,
      issued_by uuid REFERENCES managers(id),
      paid_at timestamptz,
      paid_amount numeric(14,2),
      payment_recorded_by uuid REFERENCES managers(id),
      CONSTRAINT ck_act_invoices_paid CHECK ((paid_at IS NULL) = (paid_amount IS NULL))
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE act_invoices`);
    await q.query(`DROP INDEX ix_shipments_in_transit`);
    await q.query(`ALTER TABLE shipments DROP COLUMN followed_up_at`);
    await q.query(`ALTER TABLE shipment_acts DROP COLUMN round_id`);
    await q.query(`DROP INDEX ix_act_parts_to_ship`);
    await q.query(`DROP INDEX ix_act_parts_shipment`);
    await q.query(`ALTER TABLE act_parts DROP COLUMN shipment_id`);
    await q.query(`ALTER TABLE acts DROP COLUMN shipping_round`);
    await q.query(`ALTER TABLE acts DROP COLUMN partial_consent`);
    await q.query(`ALTER TABLE acts DROP COLUMN expected_dispatch_date`);
  }
}
