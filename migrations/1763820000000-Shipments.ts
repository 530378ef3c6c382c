import { MigrationInterface, QueryRunner } from 'typeorm';

/** Parcels of spare parts, each to one service center, each carrying the parts of one or more acts. */
export class Shipments1763820000000 implements MigrationInterface {
  name = 'Shipments1763820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shipments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      service_center_id uuid NOT NULL REFERENCES service_centers(id),
      carrier text NOT NULL,
      tracking_number text NOT NULL,
      urgent boolean NOT NULL DEFAULT false,
      shipped_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      created_by uuid NOT NULL REFERENCES managers(id),
      delivered_by uuid REFERENCES managers(id),
      CONSTRAINT ck_shipments_delivered_after_shipped CHECK (delivered_at IS NULL OR delivered_at >= shipped_at)
    )`);
    // Lists: newest first, overall and per SC; keyset pagination on (shipped_at, id).
    await q.query(`CREATE INDEX ix_shipments_shipped ON shipments (shipped_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_shipments_sc_shipped ON shipments (service_center_id, shipped_at DESC, id DESC)`);

    await q.query(`CREATE TABLE shipment_acts (
      shipment_id uuid NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      PRIMARY KEY (shipment_id, act_id)
    )`);
    // The shipments of an act (filter actId, the latest shipment of an act).
    await q.query(`CREATE INDEX ix_shipment_acts_act ON shipment_acts (act_id, shipment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shipment_acts`);
    await q.query(`DROP TABLE shipments`);
  }
}
