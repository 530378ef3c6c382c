import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { detailMessage, fieldMessage, Problems } from '../common/problem';
import { RequestContext } from '../common/request-context';
import { APP_CONFIG } from '../config/config.module';
import { parseDeadlineDuration } from '../config/duration';
import { AppConfig } from '../config/env';
import { Act, ActKind } from './act.entity';
import { reasonCodeLabel, texts } from '../messages/messages';
import { ActLifecycle } from './act-lifecycle.service';
import { ActAction, ActStatus } from './act-status';
import { ActsRepository } from './acts.repository';
import { ActView } from './act.view';
import { ActsService } from './acts.service';
import { actorOf, SYSTEM_ACTOR } from './actor';
import { PartialConsentDto } from './dto/paid-order.dto';
import { CloseActDto, Decision, DecisionDto, ReopenActDto, ReportMismatchDto, RequestInfoDto } from './dto/act-actions.dto';

const DECISIONS: Record<Decision, { action: ActAction; kind?: ActKind; reason: string }> = {
  [Decision.Warranty]: { action: ActAction.Approve, kind: ActKind.Warranty, reason: texts.reason.warranty },
  [Decision.Paid]: { action: ActAction.Approve, kind: ActKind.Paid, reason: texts.reason.paid },
  [Decision.NotWarranty]: { action: ActAction.RefuseWarranty, reason: texts.reason.notWarranty },
  [Decision.Refund]: { action: ActAction.Refund, reason: texts.reason.refund },
};

/**
 * The review and repair steps after submission: a manager's question, decision, closing and
 * reopening; the SC's "repaired" and "wrong part". Each is one transaction through ActLifecycle
 * (status, history, comment, e-mail); the act is answered as GET /acts/:id shows it.
 */
@Injectable()
export class ActActionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lifecycle: ActLifecycle,
    private readonly acts: ActsService,
    private readonly repository: ActsRepository,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The manager asks the SC; the act waits for the answer until the reply deadline. */
  async requestInfo(id: string, ctx: RequestContext, dto: RequestInfoDto): Promise<ActView> {
    const window = (dto.replyWithin && parseDeadlineDuration(dto.replyWithin.trim())) || this.config.infoReplyWindow;
    return this.change(id, ctx, async (tx, act) => {
      await this.lifecycle.apply(tx, act, ActAction.RequestInfo, actorOf(ctx.principal), {
        reason: texts.reason.infoRequested,
        comment: dto.text,
        changes: async (now) => ({ replyDeadline: await this.calendar.deadline(now, window) }),
      });
    });
  }

  /**
   * warranty or paid: approved with that kind; not_warranty (with its reason code): closed;
   * refund (a 14-day refusal only): closed as refund_or_exchange.
   */
  async decide(id: string, ctx: RequestContext, dto: DecisionDto): Promise<ActView> {
    const decision = DECISIONS[dto.decision];
    return this.change(id, ctx, async (tx, act) => {
      const actor = actorOf(ctx.principal);
      this.lifecycle.check(act, decision.action, actor);
      if (dto.decision === Decision.Refund && !act.product.refusedWithin14Days) {
        throw Problems.validation([{ field: 'decision', message: fieldMessage('refundNotAllowed') }]);
      }
      const reasonCode = dto.decision === Decision.NotWarranty ? (dto.reasonCode ?? null) : null;
      const urgent = dto.urgent ?? false;
      await this.lifecycle.apply(tx, act, decision.action, actor, {
        reason: reasonCode ? texts.reason.notWarrantyBecause(reasonCodeLabel(reasonCode)) : decision.reason,
        comment: dto.comment,
        changes: async (now) => ({
          decidedAt: now,
          reasonCode,
          urgent,
          ...(decision.kind ? { kind: decision.kind } : {}),
          expectedDispatchDate: decision.action === ActAction.Approve ? await this.dispatchDate(tx, act, now, urgent) : null,
        }),
      });
    });
  }

  async close(id: string, ctx: RequestContext, dto: CloseActDto): Promise<ActView> {
    return this.change(id, ctx, async (tx, act) => {
      await this.lifecycle.apply(tx, act, ActAction.Close, actorOf(ctx.principal), { reason: dto.reason, resolution: dto.resolution });
    });
  }

  /**
   * A closed act back to submitted (a new decision), approved (the decision stands, parts to
   * ship) or part_mismatch (reship). A withdrawn draft was never submitted: the SC files a new act.
   */
  async reopen(id: string, ctx: RequestContext, dto: ReopenActDto): Promise<ActView> {
    return this.change(id, ctx, async (tx, act) => {
      const to = dto.to ?? ActStatus.Submitted;
      await this.lifecycle.apply(tx, act, ActAction.Reopen, actorOf(ctx.principal), {
        reason: dto.reason,
        to,
        changes: async (now) =>
          to === ActStatus.Submitted
            ? { decidedAt: null, reasonCode: null, expectedDispatchDate: null }
            : { reasonCode: null, ...(to === ActStatus.Approved ? { expectedDispatchDate: await this.dispatchDate(tx, act, now, act.urgent) } : {}) },
      });
    });
  }

  /** The SC has finished the repair: after the parts came, or at once when nothing is to be shipped. */
  async markRepaired(id: string, ctx: RequestContext): Promise<ActView> {
    return this.change(id, ctx, async (tx, act) => {
      const parts = await this.repository.parts(tx, act.id);
      await this.lifecycle.apply(tx, act, ActAction.MarkRepaired, actorOf(ctx.principal), {
        reason: texts.reason.repairedBySc,
        facts: { nothingToShip: parts.every((part) => part.ownPart) },
      });
    });
  }

  /**
   * A problem with the parts or the repair (wrong part, incomplete, damaged, another unit
   * failed...), reported by the SC on a parcel that has arrived: from parts_shipped (the delivery
   * is recorded first) or from parts_delivered before the mismatch deadline. The act waits for a
   * manager, who reships, asks, or closes it (e.g. not_repaired).
   */
  async reportMismatch(id: string, ctx: RequestContext, dto: ReportMismatchDto): Promise<ActView> {
    return this.change(id, ctx, async (tx, act) => {
      const actor = actorOf(ctx.principal);
      this.lifecycle.check(act, ActAction.ReportMismatch, actor);
      const deadline = act.status === ActStatus.PartsDelivered ? act.mismatchDeadline : null;
      if (deadline && this.clock.now().getTime() >= deadline.getTime()) {
        throw Problems.conflict('mismatch-window-closed', detailMessage('mismatchWindowClosed', { deadline }), {
          currentStatus: act.status,
          mismatchDeadline: deadline.toISOString(),
        });
      }
      const reason = dto.reason ?? 'wrong_part';
      await this.lifecycle.apply(tx, act, ActAction.ReportMismatch, actor, {
        reason: texts.reason.problemReported(texts.problemReason[reason]),
        beforeReason: texts.reason.deliveredBySc,
        comment: dto.text,
        changes: (now) => ({ problem: { reason, text: dto.text, at: now.toISOString() }, needsAttention: true }),
      });
    });
  }

  /**
   * When an act approved now is expected to ship: the next dispatch day (DISPATCH_DAYS,
   * DISPATCH_CUTOFF) that is a business day, the next business day for pre-sale or urgent acts;
   * null when nothing is to ship (own parts only, or none, or all shipped already).
   */
  private async dispatchDate(tx: EntityManager, act: Act, now: Date, urgent: boolean): Promise<string | null> {
    const parts = await this.repository.parts(tx, act.id);
    if (!parts.some((part) => !part.ownPart && !part.shipmentId)) return null;
    const soon = urgent || act.product.condition === 'pre_sale';
    return this.calendar.dispatchDate(now, { days: this.config.dispatchDays, cutoff: this.config.dispatchCutoff }, soon);
  }

  /**
   * The SC says whether the available parts may ship first and the rest later (partial parcels).
   * A parcel that leaves parts of an act for later needs `true` (else 409 partial-consent-required).
   * The answer is kept with a system comment; the same answer again changes nothing.
   */
  async partialConsent(id: string, ctx: RequestContext, dto: PartialConsentDto): Promise<ActView> {
    return this.change(id, ctx, async (tx, act) => {
      const actor = actorOf(ctx.principal);
      this.lifecycle.check(act, ActAction.ConsentPartial, actor);
      if (act.partialConsent === dto.consent) return;
      await this.lifecycle.touch(tx, act, { partialConsent: dto.consent });
      await this.lifecycle.comment(tx, act, SYSTEM_ACTOR, texts.comment.partialConsent(dto.consent), actor);
    });
  }

  /** Locks the act (404 when not the caller's), runs the change in one transaction, answers the act's view. */
  private async change(id: string, ctx: RequestContext, work: (tx: EntityManager, act: Act) => Promise<void>): Promise<ActView> {
    await this.db.transaction(async (tx) => work(tx, await this.lifecycle.lock(tx, id, ctx.principal)));
    return this.acts.get(id, ctx);
  }
}
