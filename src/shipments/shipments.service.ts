import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Act } from '../acts/act.entity';
import { ActLifecycle } from '../acts/act-lifecycle.service';
import { ActAction, ActorRole, allowedFrom, findTransition } from '../acts/act-status';
import { ActsRepository } from '../acts/acts.repository';
import { actorOf, SYSTEM_ACTOR } from '../acts/actor';
import { Principal } from '../common/auth/principal';
import { texts } from '../messages/messages';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { detailMessage, FieldError, fieldMessage, Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { CreateShipmentDto, DeliverShipmentDto } from './dto/create-shipment.dto';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentPageView, ShipmentView } from './shipment.view';
import { ShipmentRecord, ShipmentsRepository } from './shipments.repository';
import { WebhookEventType } from '../webhooks/webhook.entity';
import { WebhookEvents } from '../webhooks/webhook-events.service';

const describeActs = (acts: Act[]) => acts.map((a) => `${a.number} is ${a.status}`).join('; ');

@Injectable()
export class ShipmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shipments: ShipmentsRepository,
    private readonly acts: ActsRepository,
    private readonly lifecycle: ActLifecycle,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookEvents,
  ) {}

  /** One parcel for acts of one SC: each act goes parts_shipped with a system comment naming the tracking number. */
  async create(principal: Principal, dto: CreateShipmentDto): Promise<ShipmentView> {
    const actor = actorOf(principal);
    const id = await this.db.transaction(async (tx) => {
      const acts = await this.acts.lockMany(tx, dto.actIds);

      const found = new Set(acts.map((a) => a.id));
      const unknown = dto.actIds.map((actId, index) => ({ actId, index })).filter((x) => !found.has(x.actId));
      if (unknown.length) {
        throw Problems.validation(
          unknown.map((x): FieldError => ({ field: `actIds[${x.index}]`, message: fieldMessage('unknownAct', { id: x.actId }) })),
          detailMessage('unknownActs', { ids: unknown.map((x) => x.actId) }),
        );
      }
      const centers = new Set(acts.map((a) => a.serviceCenterId));
      if (centers.size > 1) {
        throw Problems.validation(
          [{ field: 'actIds', message: fieldMessage('oneServiceCenter') }],
          detailMessage('oneServiceCenter', { count: centers.size }),
        );
      }
      const blocked = acts.filter((a) => !findTransition(a, ActAction.Ship, actor.role));
      if (blocked.length) {
        const allowed = allowedFrom(ActAction.Ship, actor.role);
        throw Problems.conflict('action-not-allowed', detailMessage('shipNotAllowed', { statuses: allowed, acts: describeActs(blocked) }), {
          action: ActAction.Ship,
          allowedFrom: allowed,
          acts: blocked.map((a) => ({ id: a.id, number: a.number, status: a.status })),
        });
      }

      const shipment = await this.shipments.insert(
        tx,
        {
          serviceCenterId: acts[0].serviceCenterId,
          carrier: dto.carrier,
          trackingNumber: dto.trackingNumber,
          urgent: dto.urgent ?? false,
          shippedAt: this.clock.now(),
          deliveredAt: null,
          createdBy: principal.ownerId,
          deliveredBy: null,
          deliveredByRole: null,
        },
        acts.map((a) => a.id),
      );
      const comment = texts.comment.shipped(shipment.carrier, shipment.trackingNumber, shipment.urgent);
      for (const act of acts) {
        await this.lifecycle.apply(tx, act, ActAction.Ship, actor, { reason: comment, comment, commentBy: SYSTEM_ACTOR });
      }
      await this.webhooks.record(
        tx,
        acts.map((act) => shipmentEvent(WebhookEventType.ShipmentCreated, act, shipment)),
      );
      return shipment.id;
    });
    return this.get(id, principal);
  }

  /**
   * Records the delivery: the shipment's acts awaiting it go parts_delivered, and the SC may
   * report a wrong part until deliveredAt + MISMATCH_WINDOW. Acts that moved on meanwhile (the SC
   * already marked one repaired, or it rides in a later shipment) are left alone; when none
   * awaits the delivery, nothing is recorded (409).
   */
  async deliver(id: string, principal: Principal, dto: DeliverShipmentDto): Promise<ShipmentView> {
    const actor = actorOf(principal);
    await this.db.transaction(async (tx) => {
      const shipment = await this.shipments.lock(tx, id, principal);
      if (!shipment) throw Problems.notFound('shipment');
      if (shipment.deliveredAt) {
        throw Problems.conflict('already-delivered', detailMessage('alreadyDelivered', { at: shipment.deliveredAt }), {
          deliveredAt: shipment.deliveredAt.toISOString(),
        });
      }
      const now = this.clock.now();
      const deliveredAt = dto.deliveredAt ?? now;
      if (deliveredAt.getTime() > now.getTime()) {
        throw Problems.validation([{ field: 'deliveredAt', message: fieldMessage('notInFuture') }]);
      }
      if (deliveredAt.getTime() < shipment.shippedAt.getTime()) {
        throw Problems.validation([
          { field: 'deliveredAt', message: fieldMessage('notBeforeShipped', { shippedAt: shipment.shippedAt.toISOString() }) },
        ]);
      }

      const acts = await this.acts.lockMany(tx, await this.shipments.actsAwaitingDelivery(tx, shipment));
      const awaiting = acts.filter((a) => findTransition(a, ActAction.Deliver, actor.role));
      if (awaiting.length === 0) {
        throw Problems.conflict('action-not-allowed', detailMessage('nothingToDeliver', { acts: acts.length ? describeActs(acts) : '' }), {
          action: ActAction.Deliver,
          allowedFrom: allowedFrom(ActAction.Deliver, actor.role),
          acts: acts.map((a) => ({ id: a.id, number: a.number, status: a.status })),
        });
      }

      await this.shipments.markDelivered(tx, shipment.id, deliveredAt, principal);
      const mismatchDeadline = new Date(deliveredAt.getTime() + this.config.mismatchWindowMs);
      for (const act of awaiting) {
        await this.lifecycle.apply(tx, act, ActAction.Deliver, actor, {
          reason:
            actor.role === ActorRole.ServiceCenter ? texts.reason.deliveredBySc : texts.reason.delivered(shipment.carrier, shipment.trackingNumber),
          changes: { mismatchDeadline },
        });
      }
      const delivered = { ...shipment, deliveredAt };
      await this.webhooks.record(
        tx,
        awaiting.map((act) => shipmentEvent(WebhookEventType.ShipmentDelivered, act, delivered)),
      );
    });
    return this.get(id, principal);
  }

  /** A service center sees only its own shipments: others are "not found". */
  async get(id: string, principal: Principal): Promise<ShipmentView> {
    const record = await this.shipments.find(id, principal);
    if (!record) throw Problems.notFound('shipment');
    return toShipmentView(record);
  }

  /** Newest first, keyset-paginated on (shippedAt, id). */
  async list(principal: Principal, query: ListShipmentsQuery): Promise<ShipmentPageView> {
    const limit = query.limit ?? 20;
    const records = await this.shipments.list(principal, {
      serviceCenterId: query.serviceCenterId,
      actId: query.actId,
      cursor: query.cursor ? decodeTimeCursor(query.cursor) : undefined,
      limit,
    });
    const page = records.slice(0, limit).map(toShipmentView);
    const last = page[page.length - 1];
    return { items: page, nextCursor: records.length > limit && last ? encodeTimeCursor(last.shippedAt, last.id) : null };
  }
}

/** A shipment's webhook event, one per act it carries (so it keeps its place in the act's order). */
function shipmentEvent(
  type: WebhookEventType,
  act: Act,
  s: { id: string; carrier: string; trackingNumber: string; urgent: boolean; shippedAt: Date; deliveredAt: Date | null },
) {
  return {
    type,
    actId: act.id,
    serviceCenterId: act.serviceCenterId,
    data: {
      actId: act.id,
      number: act.number,
      serviceCenterId: act.serviceCenterId,
      status: act.status,
      resolution: act.resolution,
      shipment: {
        id: s.id,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        urgent: s.urgent,
        shippedAt: s.shippedAt,
        deliveredAt: s.deliveredAt,
      },
    },
  };
}

function toShipmentView({ shipment: s, actIds }: ShipmentRecord): ShipmentView {
  return {
    id: s.id,
    serviceCenterId: s.serviceCenterId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    urgent: s.urgent,
    actIds,
    shippedAt: s.shippedAt,
    deliveredAt: s.deliveredAt,
  };
}
