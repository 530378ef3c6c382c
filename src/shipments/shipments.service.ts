import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Act, ActKind } from '../acts/act.entity';
import { ActLifecycle, eventData } from '../acts/act-lifecycle.service';
import { ActAction, ActorRole, ActStatus, allowedFrom, findTransition } from '../acts/act-status';
import { ActsRepository } from '../acts/acts.repository';
import { actorOf, SYSTEM_ACTOR } from '../acts/actor';
import { Principal, Role } from '../common/auth/principal';
import { texts } from '../messages/messages';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { detailMessage, FieldError, fieldMessage, Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { CreateShipmentDto, DeliverShipmentDto } from './dto/create-shipment.dto';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentPageView, ShipmentView } from './shipment.view';
import { WebhookEventType } from '../webhooks/webhook.entity';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { ShipmentRecord, ShipmentsRepository, ShippablePart } from './shipments.repository';

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

  /**
   * One parcel for acts of one SC. Each act ships the parts named for it (`items[].partIds`) or
   * every part it still has to ship; parts left for later need the act's partial consent (409
   * partial-consent-required), a paid order a paid invoice (409 payment-required). The acts'
   * rows are locked (in one order) and the parts are marked carried by a conditional UPDATE, so
   * two parcels racing for one act ship each part once. Each act goes parts_shipped with a system
   * comment naming the tracking number and the parts the parcel carries.
   */
  async create(principal: Principal, dto: CreateShipmentDto): Promise<ShipmentView> {
    const actor = actorOf(principal);
    const items = itemsOf(dto);
    const id = await this.db.transaction(async (tx) => {
      const acts = await this.acts.lockMany(
        tx,
        items.map((i) => i.actId),
      );

      const found = new Set(acts.map((a) => a.id));
      const unknown = items.filter((x) => !found.has(x.actId));
      if (unknown.length) {
        throw Problems.validation(
          unknown.map((x): FieldError => ({ field: x.field, message: fieldMessage('unknownAct', { id: x.actId }) })),
          detailMessage('unknownActs', { ids: unknown.map((x) => x.actId) }),
        );
      }
      const centers = new Set(acts.map((a) => a.serviceCenterId));
      if (centers.size > 1) {
        throw Problems.validation(
          [{ field: dto.items ? 'items' : 'actIds', message: fieldMessage('oneServiceCenter') }],
          detailMessage('oneServiceCenter', { count: centers.size }),
        );
      }

      const parts = await this.shipments.partsOf(
        tx,
        acts.map((a) => a.id),
      );
      const plans = items.map((item) => planOf(item, acts.find((a) => a.id === item.actId) as Act, parts));
      const errors = plans.flatMap((p) => p.errors);
      if (errors.length) throw Problems.validation(errors);
      const taken = plans.flatMap((p) => p.alreadyShipped);
      if (taken.length) throw partsAlreadyShipped(taken);

      const blocked = plans
        .filter((p) => !findTransition({ ...p.act, partsPending: p.toShip.length > 0 }, ActAction.Ship, actor.role))
        .map((p) => p.act);
      if (blocked.length) {
        const allowed = allowedFrom(ActAction.Ship, actor.role, true);
        throw Problems.conflict('action-not-allowed', detailMessage('shipNotAllowed', { statuses: allowed, acts: describeActs(blocked) }), {
          action: ActAction.Ship,
          allowedFrom: allowed,
          acts: blocked.map((a) => ({ id: a.id, number: a.number, status: a.status })),
        });
      }
      const unconsented = plans.filter((p) => p.left.length > 0 && p.act.partialConsent !== true);
      if (unconsented.length) {
        throw Problems.conflict('partial-consent-required', detailMessage('partialConsentRequired', { acts: unconsented.map((p) => p.act.number) }), {
          acts: unconsented.map((p) => ({
            id: p.act.id,
            number: p.act.number,
            partialConsent: p.act.partialConsent,
            leftPartIds: p.left.map((l) => l.id),
          })),
        });
      }
      const unpaid: Act[] = [];
      for (const { act } of plans) if (act.kind === ActKind.Paid && !(await this.acts.invoice(tx, act.id))?.paidAt) unpaid.push(act);
      if (unpaid.length) {
        throw Problems.conflict('payment-required', detailMessage('paymentRequired', { acts: unpaid.map((a) => a.number) }), {
          acts: unpaid.map((a) => ({ id: a.id, number: a.number })),
        });
      }

      const opensRound = (act: Act) => act.status === ActStatus.Approved || act.status === ActStatus.PartMismatch || !act.shippingRound;
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
          followedUpAt: null,
        },
        plans.map(({ act }) => ({ actId: act.id, roundId: opensRound(act) ? null : act.shippingRound })),
      );
      const carried = plans.flatMap((p) => p.carried.map((part) => part.id));
      const marked = new Set(await this.shipments.markPartsShipped(tx, shipment.id, carried));
      if (marked.size !== carried.length) throw partsAlreadyShipped(parts.filter((p) => carried.includes(p.id) && !marked.has(p.id)));

      const headline = texts.comment.shipped(shipment.carrier, shipment.trackingNumber, shipment.urgent);
      for (const plan of plans) {
        const parts = texts.comment.parcelParts(plan.carried, plan.left);
        const comment = parts ? `${headline}\n${parts}` : headline;
        await this.lifecycle.apply(tx, plan.act, ActAction.Ship, actor, {
          reason: comment,
          comment,
          commentBy: SYSTEM_ACTOR,
          facts: { partsPending: plan.toShip.length > 0 },
          changes: opensRound(plan.act) ? { shippingRound: shipment.id } : {},
        });
      }
      await this.webhooks.record(
        tx,
        plans.map(({ act, carried }) =>
          shipmentEvent(
            WebhookEventType.ShipmentCreated,
            act,
            shipment,
            carried.map((part) => part.id),
          ),
        ),
      );
      return shipment.id;
    });
    return this.get(id, principal);
  }

  /**
   * Records a parcel's delivery. Its acts in their current shipping round are concerned: an act
   * still waiting for another parcel of the round, or with parts pending, stays parts_shipped
   * (with a system comment); the others go parts_delivered, and the SC may report a wrong part
   * until the round's last delivery + MISMATCH_WINDOW. Acts that moved on meanwhile (marked
   * repaired, or reshipped in a new round) are left alone; when none is concerned, nothing is
   * recorded (409).
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

      const carried = await this.shipments.carriedActs(tx, shipment.id);
      const acts = await this.acts.lockMany(
        tx,
        carried.map((c) => c.actId),
      );
      const inRound = acts.filter((a) => carried.some((c) => c.actId === a.id && c.roundId === a.shippingRound));
      const states = new Map(
        (
          await this.shipments.roundState(
            tx,
            inRound.map((a) => a.id),
            shipment.id,
          )
        ).map((s) => [s.actId, s]),
      );
      const factsOf = (act: Act) => {
        const state = states.get(act.id);
        return { moreToCome: !!state && (state.otherInTransit || state.partsPending) };
      };
      const awaiting = inRound.filter((a) => findTransition({ ...a, ...factsOf(a) }, ActAction.Deliver, actor.role));
      if (awaiting.length === 0) {
        throw Problems.conflict('action-not-allowed', detailMessage('nothingToDeliver', { acts: acts.length ? describeActs(acts) : '' }), {
          action: ActAction.Deliver,
          allowedFrom: allowedFrom(ActAction.Deliver, actor.role),
          acts: acts.map((a) => ({ id: a.id, number: a.number, status: a.status })),
        });
      }

      await this.shipments.markDelivered(tx, shipment.id, deliveredAt, principal);
      for (const act of awaiting) {
        const facts = factsOf(act);
        if (facts.moreToCome) {
          await this.lifecycle.comment(tx, act, SYSTEM_ACTOR, texts.comment.parcelArrived(shipment.carrier, shipment.trackingNumber), actor);
          continue;
        }
        const previous = states.get(act.id)?.lastDeliveredAt;
        const last = previous && previous.getTime() > deliveredAt.getTime() ? previous : deliveredAt;
        await this.lifecycle.apply(tx, act, ActAction.Deliver, actor, {
          reason:
            actor.role === ActorRole.ServiceCenter ? texts.reason.deliveredBySc : texts.reason.delivered(shipment.carrier, shipment.trackingNumber),
          facts,
          changes: { mismatchDeadline: new Date(last.getTime() + this.config.mismatchWindowMs) },
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
    if (query.undelivered !== undefined && principal.role !== Role.Manager) {
      throw Problems.badRequest(detailMessage('invalidParameters'), [{ field: 'undelivered', message: fieldMessage('forManagersOnly') }]);
    }
    const records = await this.shipments.list(principal, {
      serviceCenterId: query.serviceCenterId,
      actId: query.actId,
      undeliveredBefore: query.undelivered === 'true' ? new Date(this.clock.now().getTime() - this.config.deliveryFollowUpMs) : undefined,
      cursor: query.cursor ? decodeTimeCursor(query.cursor) : undefined,
      limit,
    });
    const page = records.slice(0, limit).map(toShipmentView);
    const last = page[page.length - 1];
    return { items: page, nextCursor: records.length > limit && last ? encodeTimeCursor(last.shippedAt, last.id) : null };
  }
}

/** One act of the request, with the field that names it in errors. */
interface RequestedItem {
  actId: string;
  partIds?: string[];
  /** `actIds[2]` or `items[2].actId`. */
  field: string;
  /** `items[2].partIds`, for items. */
  partsField?: string;
}

/** The request's acts: `actIds` or `items`, exactly one of them (422 naming the field otherwise), each act once. */
function itemsOf(dto: CreateShipmentDto): RequestedItem[] {
  if ((dto.actIds === undefined) === (dto.items === undefined)) {
    throw Problems.validation([{ field: dto.items ? 'items' : 'actIds', message: fieldMessage('actIdsOrItems') }]);
  }
  if (dto.actIds) return dto.actIds.map((actId, i) => ({ actId, field: `actIds[${i}]` }));
  const items = (dto.items ?? []).map((item, i) => ({
    actId: item.actId,
    partIds: item.partIds,
    field: `items[${i}].actId`,
    partsField: `items[${i}].partIds`,
  }));
  const twice = items.filter((item, i) => items.findIndex((other) => other.actId === item.actId) !== i);
  if (twice.length) throw Problems.validation(twice.map((item) => ({ field: item.field, message: fieldMessage('noActTwice') })));
  return items;
}

/** What the parcel does for one act: the parts it carries, those left for later, and what is wrong with the request. */
interface ActPlan {
  act: Act;
  /** The act's parts still to ship before this parcel. */
  toShip: ShippablePart[];
  carried: ShippablePart[];
  left: ShippablePart[];
  errors: FieldError[];
  alreadyShipped: ShippablePart[];
}

function planOf(item: RequestedItem, act: Act, parts: ShippablePart[]): ActPlan {
  const own = parts.filter((p) => p.actId === act.id);
  const toShip = own.filter((p) => !p.ownPart && !p.shipmentId);
  const plan: ActPlan = { act, toShip, carried: toShip, left: [], errors: [], alreadyShipped: [] };
  if (!item.partIds) return plan;
  plan.carried = [];
  item.partIds.forEach((partId, j) => {
    const part = own.find((p) => p.id === partId);
    const field = `${item.partsField}[${j}]`;
    if (!part) plan.errors.push({ field, message: fieldMessage('unknownPart', { id: partId }) });
    else if (part.ownPart) plan.errors.push({ field, message: fieldMessage('ownPartNotShipped') });
    else if (part.shipmentId) plan.alreadyShipped.push(part);
    else plan.carried.push(part);
  });
  plan.left = toShip.filter((p) => !plan.carried.includes(p));
  return plan;
}

function partsAlreadyShipped(parts: ShippablePart[]) {
  return Problems.conflict('parts-already-shipped', detailMessage('partsAlreadyShipped', { parts: parts.map((p) => `${p.name} (${p.id})`) }), {
    parts: parts.map((p) => ({ id: p.id, actId: p.actId, shipmentId: p.shipmentId })),
  });
}

/** A shipment's webhook event, one per act it carries (so it keeps its place in the act's order). */
function shipmentEvent(
  type: WebhookEventType,
  act: Act,
  s: { id: string; carrier: string; trackingNumber: string; urgent: boolean; shippedAt: Date; deliveredAt: Date | null },
  partIds?: string[],
) {
  return {
    type,
    actId: act.id,
    serviceCenterId: act.serviceCenterId,
    data: {
      ...eventData(act),
      shipment: {
        id: s.id,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        urgent: s.urgent,
        shippedAt: s.shippedAt,
        deliveredAt: s.deliveredAt,
        ...(partIds ? { partIds } : {}),
      },
    },
  };
}

function toShipmentView({ shipment: s, actIds, items }: ShipmentRecord): ShipmentView {
  return {
    id: s.id,
    serviceCenterId: s.serviceCenterId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    urgent: s.urgent,
    actIds,
    items,
    shippedAt: s.shippedAt,
    deliveredAt: s.deliveredAt,
  };
}
