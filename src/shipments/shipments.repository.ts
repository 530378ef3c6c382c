import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { TimeCursor } from '../common/cursor';
import { scopeToTenant } from '../common/tenant-scope';
import { Shipment, ShipmentAct } from './shipment.entity';

/** A shipment with the ids of the acts it carries (ordered by act number). */
export interface ShipmentRecord {
  shipment: Shipment;
  actIds: string[];
}

export interface ShipmentListFilter {
  serviceCenterId?: string;
  actId?: string;
  cursor?: TimeCursor;
  limit: number;
}

/** The acts of a shipment that no later shipment carries: the ones its delivery concerns. */
export const ACTS_AWAITING_DELIVERY_SQL = `SELECT sa.act_id FROM shipment_acts sa
  WHERE sa.shipment_id = $1
    AND NOT EXISTS (SELECT 1 FROM shipment_acts later JOIN shipments ls ON ls.id = later.shipment_id
                     WHERE later.act_id = sa.act_id AND ls.shipped_at > $2)`;

const ACT_IDS_SQL = `ARRAY(SELECT sa.act_id::text FROM shipment_acts sa JOIN acts a ON a.id = sa.act_id
  WHERE sa.shipment_id = s.id ORDER BY a.number)`;

/** The shipment aggregate's SQL: parcels and the acts they carry, scoped to the caller's tenant. */
@Injectable()
export class ShipmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new parcel carrying these acts. */
  async insert(tx: EntityManager, shipment: Omit<Shipment, 'id'>, actIds: string[]): Promise<Shipment> {
    const entity = tx.create(Shipment, shipment);
    await tx.insert(Shipment, entity);
    await tx.insert(
      ShipmentAct,
      actIds.map((actId) => ({ shipmentId: entity.id, actId })),
    );
    return entity;
  }

  /** Locks a shipment row for the rest of the transaction, if the caller may see it (an SC: only its own). */
  async lock(tx: EntityManager, id: string, principal: Principal): Promise<Shipment | undefined> {
    const qb = tx.createQueryBuilder(Shipment, 's').setLock('pessimistic_write').where('s.id = :id', { id });
    return (await scopeToTenant(qb, 's.service_center_id', principal).getOne()) ?? undefined;
  }

  async actsAwaitingDelivery(tx: EntityManager, shipment: Pick<Shipment, 'id' | 'shippedAt'>): Promise<string[]> {
    const rows: { act_id: string }[] = await tx.query(ACTS_AWAITING_DELIVERY_SQL, [shipment.id, shipment.shippedAt]);
    return rows.map((r) => r.act_id);
  }

  async markDelivered(tx: EntityManager, id: string, deliveredAt: Date, by: Principal): Promise<void> {
    await tx.update(Shipment, { id }, { deliveredAt, deliveredBy: by.ownerId, deliveredByRole: by.role });
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
    if (filter.cursor) qb.andWhere('(s.shipped_at, s.id) < (:t, :i)', { t: filter.cursor.t, i: filter.cursor.i });
    qb.orderBy('s.shipped_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(filter.limit + 1);
    return this.records(qb);
  }

  private scoped(principal: Principal): SelectQueryBuilder<Shipment> {
    return scopeToTenant(this.db.manager.createQueryBuilder(Shipment, 's').where('TRUE'), 's.service_center_id', principal);
  }

  /** Shipments with their act ids, in one query. */
  private async records(qb: SelectQueryBuilder<Shipment>): Promise<ShipmentRecord[]> {
    const { entities, raw } = await qb.addSelect(ACT_IDS_SQL, 'act_ids').getRawAndEntities();
    const actIds = new Map<string, string[]>(raw.map((row: { s_id: string; act_ids: string[] }) => [row.s_id, row.act_ids]));
    return entities.map((shipment) => ({ shipment, actIds: actIds.get(shipment.id) ?? [] }));
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const SHIPMENTS_SQL = { ACTS_AWAITING_DELIVERY_SQL, ACT_IDS_SQL };
