import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ActKind } from '../acts/act.entity';
import { ActStatus } from '../acts/act-status';
import { Principal } from '../common/auth/principal';
import { TimeCursor } from '../common/cursor';
import { scopeToTenant } from '../common/tenant-scope';
import { NotificationKind } from '../notifications/notification.entity';
import { Shipment, ShipmentAct } from './shipment.entity';

/** An act a parcel carries, with the ids of its parts in that parcel (none: a reship). */
export interface ShipmentItem {
  actId: string;
  partIds: string[];
}

/** A shipment with the acts it carries (ordered by act number) and the parts of each. */
export interface ShipmentRecord {
  shipment: Shipment;
  actIds: string[];
  items: ShipmentItem[];
}

export interface ShipmentListFilter {
  serviceCenterId?: string;
  actId?: string;
  /** Only parcels shipped before this instant and not delivered. */
  undeliveredBefore?: Date;
  cursor?: TimeCursor;
  limit: number;
}

/** A part of an act as shipping needs it. */
export interface ShippablePart {
  id: string;
  actId: string;
  position: number;
  name: string;
  diagramNumber: string | null;
  quantity: number;
  unit: 'pcs' | 'm' | 'l' | 'kg';
  ownPart: boolean;
  shipmentId: string | null;
}

/** Where an act stands in its shipping round when one of its parcels arrives. */
export interface RoundState {
  actId: string;
  /** Another parcel of the act's round is still in transit. */
  otherInTransit: boolean;
  /** Parts of the act still to ship. */
  partsPending: boolean;
  /** The latest delivery among the round's parcels so far (null: none yet). */
  lastDeliveredAt: Date | null;
}

/** A row of the dispatch board: one act with parts still to ship. */
export interface DispatchRow {
  actId: string;
  number: string;
  serviceCenterId: string;
  serviceCenterName: string;
  preSale: boolean;
  urgent: boolean;
  expectedDispatchDate: string | null;
  status: ActStatus;
  kind: ActKind;
  paid: boolean;
  parts: { id: string; name: string; diagramNumber: string | null; quantity: number; unit: string }[];
}

/** One line of the pick list: the same part (name, diagram number, unit) summed over acts. */
export interface PickListRow {
  name: string;
  diagramNumber: string | null;
  unit: string;
  quantity: string;
  actCount: number;
}

/** The acts a shipment carries, each with the round it rode in. */
export const CARRIED_ACTS_SQL = `SELECT sa.act_id, sa.round_id FROM shipment_acts sa WHERE sa.shipment_id = $1`;

/** For acts whose parcel $2 arrives: the rest of their current round (parcels in transit, parts pending, the last delivery). */
export const ROUND_STATE_SQL = `SELECT a.id AS act_id,
    EXISTS (SELECT 1 FROM shipment_acts sa JOIN shipments s ON s.id = sa.shipment_id
             WHERE sa.act_id = a.id AND sa.round_id IS NOT DISTINCT FROM a.shipping_round AND s.id <> $2 AND s.delivered_at IS NULL) AS other_in_transit,
    EXISTS (SELECT 1 FROM act_parts p WHERE p.act_id = a.id AND NOT p.own_part AND p.shipment_id IS NULL) AS parts_pending,
    (SELECT max(s.delivered_at) FROM shipment_acts sa JOIN shipments s ON s.id = sa.shipment_id
      WHERE sa.act_id = a.id AND sa.round_id IS NOT DISTINCT FROM a.shipping_round AND s.id <> $2) AS last_delivered_at
  FROM acts a WHERE a.id = ANY($1::uuid[])`;

/** The parts of these acts, as shipping weighs them (the acts are locked by the caller). */
export const PARTS_OF_ACTS_SQL = `SELECT p.id, p.act_id AS "actId", p.position, p.name, p.diagram_number AS "diagramNumber",
    p.quantity::float8 AS quantity, p.unit, p.own_part AS "ownPart", p.shipment_id AS "shipmentId"
  FROM act_parts p WHERE p.act_id = ANY($1::uuid[]) ORDER BY p.act_id, p.position`;

/**
 * Marks parts as carried by a parcel, only those still to ship: of two parcels racing for one
 * part, one marks it and the other finds nothing to mark (and is refused).
 */
export const MARK_PARTS_SHIPPED_SQL = `UPDATE act_parts SET shipment_id = $1
  WHERE id = ANY($2::uuid[]) AND shipment_id IS NULL AND NOT own_part RETURNING id`;

const ACT_IDS_SQL = `ARRAY(SELECT sa.act_id::text FROM shipment_acts sa JOIN acts a ON a.id = sa.act_id
  WHERE sa.shipment_id = s.id ORDER BY a.number)`;

const ITEMS_SQL = `(SELECT coalesce(json_agg(json_build_object('actId', sa.act_id, 'partIds',
    ARRAY(SELECT p.id::text FROM act_parts p WHERE p.shipment_id = s.id AND p.act_id = sa.act_id ORDER BY p.position)) ORDER BY a.number), '[]')
  FROM shipment_acts sa JOIN acts a ON a.id = sa.act_id WHERE sa.shipment_id = s.id)`;

/** Parts still to ship (not own, not carried yet) of acts waiting for a parcel; $1 the statuses. */
const TO_SHIP = `FROM acts a
  JOIN act_parts p ON p.act_id = a.id AND NOT p.own_part AND p.shipment_id IS NULL
  WHERE a.status = ANY($1::text[])`;

/** The dispatch board: acts with parts to ship, by service center, pre-sale and urgent first, then by expected date. */
export const DISPATCH_BOARD_SQL = `SELECT a.id AS "actId", a.number, a.service_center_id AS "serviceCenterId", sc.name AS "serviceCenterName",
    a.pre_sale AS "preSale", a.urgent, a.expected_dispatch_date::text AS "expectedDispatchDate", a.status, a.kind,
    EXISTS (SELECT 1 FROM act_invoices i WHERE i.act_id = a.id AND i.paid_at IS NOT NULL) AS paid,
    json_agg(json_build_object('id', p.id, 'name', p.name, 'diagramNumber', p.diagram_number, 'quantity', p.quantity,
      'unit', p.unit) ORDER BY p.position) AS parts
  ${TO_SHIP.replace('FROM acts a', 'FROM acts a JOIN service_centers sc ON sc.id = a.service_center_id')}
  GROUP BY a.id, sc.name
  ORDER BY bool_or(a.pre_sale OR a.urgent) OVER (PARTITION BY a.service_center_id) DESC, sc.name, a.service_center_id,
    (a.pre_sale OR a.urgent) DESC, a.expected_dispatch_date NULLS LAST, a.number`;

/** The pick list: the parts to ship summed by name, diagram number and unit (quantities exact, as text). */
export const PICK_LIST_SQL = `SELECT p.name, p.diagram_number AS "diagramNumber", p.unit, sum(p.quantity)::text AS quantity,
    count(DISTINCT a.id)::int AS "actCount"
  ${TO_SHIP}
  GROUP BY p.name, p.diagram_number, p.unit
  ORDER BY p.name, p.diagram_number NULLS FIRST, p.unit`;

export const MARKERS = { carrier: '{{carrier}}', tracking: '{{tracking}}', shippedAt: '{{shippedAt}}', acts: '{{acts}}' } as const;

/**
 * One batch of parcels shipped before $1 and never delivered nor followed up: each is marked
 * followed up and its SC gets ONE e-mail asking to confirm receipt. The dedupe key holds it to one
 * e-mail per parcel even if followed_up_at were reset; SKIP LOCKED lets two workers share the
 * work. The parcels are locked in `due` and updated by id alone, as the acts' sweeps are
 * (LOCKED_DUE_ACTS in acts.repository.ts: the condition repeated there lets the planner read
 * every parcel in transit through the partial index, for each batch).
 * $1 shipped before, $2 now, $3 batch size, $4-$5 subject and body with MARKERS.
 */
export const FOLLOW_UP_SQL = `
      WITH due AS (
        SELECT id FROM shipments
         WHERE delivered_at IS NULL AND followed_up_at IS NULL AND shipped_at < $1
         ORDER BY shipped_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED
      ), marked AS (
        UPDATE shipments s SET followed_up_at = $2
          FROM due
         WHERE s.id = due.id
        RETURNING s.id, s.service_center_id, s.carrier, s.tracking_number, s.shipped_at
      ), texts AS (
        SELECT m.*, to_char(m.shipped_at AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY, HH24:MI') AS shipped_text,
               (SELECT string_agg(a.number, ', ' ORDER BY a.number) FROM shipment_acts sa JOIN acts a ON a.id = sa.act_id
                 WHERE sa.shipment_id = m.id) AS acts_text
          FROM marked m
      ), mail AS (
        INSERT INTO notifications (service_center_id, act_id, kind, recipient, reply_to, subject, body, dedupe_key)
        SELECT t.service_center_id, NULL, '${NotificationKind.DeliveryFollowUp}', sc.email, rm.email,
               replace(replace(replace(replace($4, '${MARKERS.carrier}', t.carrier), '${MARKERS.tracking}', t.tracking_number),
                 '${MARKERS.shippedAt}', t.shipped_text), '${MARKERS.acts}', coalesce(t.acts_text, '')),
               replace(replace(replace(replace($5, '${MARKERS.carrier}', t.carrier), '${MARKERS.tracking}', t.tracking_number),
                 '${MARKERS.shippedAt}', t.shipped_text), '${MARKERS.acts}', coalesce(t.acts_text, '')),
               'delivery-follow-up:' || t.id
          FROM texts t JOIN service_centers sc ON sc.id = t.service_center_id
          LEFT JOIN managers rm ON rm.id = sc.manager_id
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM marked)::int AS picked, (SELECT count(*) FROM mail)::int AS sent`;

/** Statuses whose acts may wait for parts: approved and part_mismatch, and acts left with pending parts after a partial parcel. */
export const DISPATCH_STATUSES = [ActStatus.Approved, ActStatus.PartMismatch, ActStatus.PartsShipped, ActStatus.PartsDelivered];

/** The shipment aggregate's SQL: parcels, the acts and parts they carry, scoped to the caller's tenant. */
@Injectable()
export class ShipmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new parcel carrying these acts, each in its shipping round. */
  async insert(tx: EntityManager, shipment: Omit<Shipment, 'id'>, acts: { actId: string; roundId: string | null }[]): Promise<Shipment> {
    const entity = tx.create(Shipment, shipment);
    await tx.insert(Shipment, entity);
    await tx.insert(
      ShipmentAct,
      acts.map(({ actId, roundId }) => ({ shipmentId: entity.id, actId, roundId: roundId ?? entity.id })),
    );
    return entity;
  }

  /** The parts of these acts (the caller holds the acts' locks). */
  partsOf(tx: EntityManager, actIds: string[]): Promise<ShippablePart[]> {
    return tx.query(PARTS_OF_ACTS_SQL, [actIds]);
  }

  /** Marks the parts as carried by the parcel; returns the ids it marked (those still to ship). */
  async markPartsShipped(tx: EntityManager, shipmentId: string, partIds: string[]): Promise<string[]> {
    if (partIds.length === 0) return [];
    // An UPDATE answers [rows, affected count] through TypeORM's query().
    const [rows]: [{ id: string }[], number] = await tx.query(MARK_PARTS_SHIPPED_SQL, [shipmentId, partIds]);
    return rows.map((r) => r.id);
  }

  /** Locks a shipment row for the rest of the transaction, if the caller may see it (an SC: only its own). */
  async lock(tx: EntityManager, id: string, principal: Principal): Promise<Shipment | undefined> {
    const qb = tx.createQueryBuilder(Shipment, 's').setLock('pessimistic_write').where('s.id = :id', { id });
    return (await scopeToTenant(qb, 's.service_center_id', principal).getOne()) ?? undefined;
  }

  /** The acts a shipment carries, with the round each rode in. */
  async carriedActs(tx: EntityManager, shipmentId: string): Promise<{ actId: string; roundId: string | null }[]> {
    const rows: { act_id: string; round_id: string | null }[] = await tx.query(CARRIED_ACTS_SQL, [shipmentId]);
    return rows.map((r) => ({ actId: r.act_id, roundId: r.round_id }));
  }

  /** Where each act stands in its round while parcel `shipmentId` arrives (that parcel left out). */
  async roundState(tx: EntityManager, actIds: string[], shipmentId: string): Promise<RoundState[]> {
    if (actIds.length === 0) return [];
    const rows: { act_id: string; other_in_transit: boolean; parts_pending: boolean; last_delivered_at: Date | null }[] = await tx.query(
      ROUND_STATE_SQL,
      [actIds, shipmentId],
    );
    return rows.map((r) => ({
      actId: r.act_id,
      otherInTransit: r.other_in_transit,
      partsPending: r.parts_pending,
      lastDeliveredAt: r.last_delivered_at,
    }));
  }

  async markDelivered(tx: EntityManager, id: string, deliveredAt: Date, by: Principal): Promise<void> {
    await tx.update(Shipment, { id }, { deliveredAt, deliveredBy: by.ownerId, deliveredByRole: by.role });
  }

  /** The dispatch board's acts and the pick list, in one snapshot. */
  async dispatchBoard(): Promise<{ acts: DispatchRow[]; pickList: PickListRow[] }> {
    return this.db.transaction('REPEATABLE READ', async (tx) => ({
      acts: await tx.query<DispatchRow[]>(DISPATCH_BOARD_SQL, [DISPATCH_STATUSES]),
      pickList: await tx.query<PickListRow[]>(PICK_LIST_SQL, [DISPATCH_STATUSES]),
    }));
  }

  /** Follows up one batch of overdue parcels (FOLLOW_UP_SQL): the parcels picked and the e-mails written. */
  async followUpBatch(
    shippedBefore: Date,
    now: Date,
    batchSize: number,
    mail: { subject: string; body: string },
  ): Promise<{ picked: number; sent: number }> {
    const [row]: { picked: number; sent: number }[] = await this.db.query(FOLLOW_UP_SQL, [shippedBefore, now, batchSize, mail.subject, mail.body]);
    return row;
  }

  /** One shipment, if the caller may see it (an SC: only its own). */
  async find(id: string, principal: Principal): Promise<ShipmentRecord | undefined> {
    const [record] = await this.records(this.scoped(principal).andWhere('s.id = :id', { id }));
    return record;
  }

  /** Newest first, keyset-paginated on (shippedAt, id): limit + 1 rows. */
  async list(principal: Principal, filter: ShipmentListFilter): Promise<ShipmentRecord[]> {
    const qb = this.scoped(principal);
    if (filter.serviceCenterId) qb.andWhere('s.service_center_id = :sc', { sc: filter.serviceCenterId });
    if (filter.actId) {
      qb.andWhere('EXISTS (SELECT 1 FROM shipment_acts f WHERE f.shipment_id = s.id AND f.act_id = :actId)', { actId: filter.actId });
    }
    if (filter.undeliveredBefore) qb.andWhere('s.delivered_at IS NULL AND s.shipped_at < :before', { before: filter.undeliveredBefore });
    if (filter.cursor) qb.andWhere('(s.shipped_at, s.id) < (:t, :i)', { t: filter.cursor.t, i: filter.cursor.i });
    qb.orderBy('s.shipped_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(filter.limit + 1);
    return this.records(qb);
  }

  private scoped(principal: Principal): SelectQueryBuilder<Shipment> {
    return scopeToTenant(this.db.manager.createQueryBuilder(Shipment, 's').where('TRUE'), 's.service_center_id', principal);
  }

  /** Shipments with their act ids and items, in one query. */
  private async records(qb: SelectQueryBuilder<Shipment>): Promise<ShipmentRecord[]> {
    const { entities, raw } = await qb.addSelect(ACT_IDS_SQL, 'act_ids').addSelect(ITEMS_SQL, 'items').getRawAndEntities();
    const extras = new Map<string, { act_ids: string[]; items: ShipmentItem[] }>(
      raw.map((row: { s_id: string; act_ids: string[]; items: ShipmentItem[] }) => [row.s_id, row]),
    );
    return entities.map((shipment) => ({ shipment, actIds: extras.get(shipment.id)?.act_ids ?? [], items: extras.get(shipment.id)?.items ?? [] }));
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const SHIPMENTS_SQL = {
  CARRIED_ACTS_SQL,
  ROUND_STATE_SQL,
  PARTS_OF_ACTS_SQL,
  MARK_PARTS_SHIPPED_SQL,
  ACT_IDS_SQL,
  ITEMS_SQL,
  DISPATCH_BOARD_SQL,
  PICK_LIST_SQL,
  FOLLOW_UP_SQL,
};
