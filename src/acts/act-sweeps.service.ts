import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { statusMessage } from './act-lifecycle.service';
import { mailTexts, resolutionLabel, texts } from '../messages/messages';
import { ActAction, ActorRole, allowedFrom, findTransition, Resolution } from './act-status';
import { ActsRepository, DEADLINE_MARK, DeadlineColumn, Expiry, NUMBER_MARK } from './acts.repository';
import { SYSTEM_ACTOR } from './actor';
import { MARKERS, ShipmentsRepository } from '../shipments/shipments.repository';

/** Acts handled per statement (and so per transaction). */
export const SWEEP_BATCH = 1000;

// The texts are built once in TypeScript with these markers; SQL puts each act's values in.
const NUMBER = NUMBER_MARK;
const DEADLINE = DEADLINE_MARK;

interface Deadline {
  /** The system's action when the deadline passes in silence. */
  action: ActAction;
  column: DeadlineColumn;
  reason: string;
  comment: (resolution: Resolution) => string;
  reminder: (resolution: Resolution) => { subject: string; body: string };
}

const REPLY: Deadline = {
  action: ActAction.ExpireReply,
  column: 'reply_deadline',
  reason: texts.reason.noReply,
  comment: (resolution) => texts.comment.closedForNoReply(resolutionLabel(resolution)),
  reminder: (resolution) => texts.mail.replyReminder(NUMBER, DEADLINE, resolutionLabel(resolution)),
};

const MISMATCH: Deadline = {
  action: ActAction.ExpireMismatch,
  column: 'mismatch_deadline',
  reason: texts.reason.noMismatchReport,
  comment: (resolution) => texts.comment.closedForNoMismatchReport(resolutionLabel(resolution)),
  reminder: (resolution) => texts.mail.mismatchReminder(NUMBER, DEADLINE, resolutionLabel(resolution)),
};

/** What the status machine says the system does when a deadline passes: from, to, resolution. */
function expiry(deadline: Deadline): Expiry {
  const [from] = allowedFrom(deadline.action, ActorRole.System);
  const transition = from && findTransition({ status: from }, deadline.action, ActorRole.System);
  if (!transition?.resolution) throw new Error(`${deadline.action} is not a closing action of the system`);
  return { from: transition.from, to: transition.to, resolution: transition.resolution, column: deadline.column };
}

/**
 * The worker's sweeps over act deadlines, set-based: each batch is one statement (one
 * transaction, ActsRepository.closeExpiredBatch) that picks due acts with FOR UPDATE SKIP LOCKED
 * (a row changed since the statement began is checked again as it is locked), and writes
 * everything ActLifecycle.apply would write for each act.
 * Safe with several workers and when a job runs twice: a row is taken by one statement only,
 * and a handled act no longer matches. An act whose row another transaction holds (the SC
 * answering right now) is skipped and looked at again by the next run, when it matches no more
 * if the answer was committed.
 */
@Injectable()
export class ActSweeps {
  private readonly logger = new Logger(ActSweeps.name);

  constructor(
    private readonly acts: ActsRepository,
    private readonly shipments: ShipmentsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'reminderBeforeMs' | 'mailSignature' | 'deliveryFollowUpMs'>,
  ) {}

  /**
   * Parcels shipped more than DELIVERY_FOLLOW_UP ago and still not delivered: the SC gets ONE
   * e-mail per parcel asking to confirm receipt (set-based, FOLLOW_UP_SQL; once per parcel even
   * with several workers). Returns the e-mails written.
   */
  async followUpUndeliveredParcels(batchSize = SWEEP_BATCH): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.deliveryFollowUpMs);
    const text = texts.mail.deliveryFollowUp(MARKERS.carrier, MARKERS.tracking, MARKERS.shippedAt, MARKERS.acts);
    const mail = { ...text, body: [text.body, '', ...mailTexts.contactLines(null, this.config.mailSignature)].join('\n') };
    let total = 0;
    for (;;) {
      const { picked, sent } = await this.shipments.followUpBatch(before, now, batchSize, mail);
      total += sent;
      if (picked < batchSize) break;
    }
    if (total) this.logger.log(`Asked service centers to confirm receipt of ${total} parcels`);
    return total;
  }

  /** info_requested past its reply deadline → closed: warranty_refused. Returns the acts closed. */
  closeSilentActs(batchSize = SWEEP_BATCH): Promise<number> {
    return this.closeExpired(REPLY, batchSize);
  }

  /** parts_delivered past its mismatch deadline → closed: repaired. Returns the acts closed. */
  closeDeliveredActs(batchSize = SWEEP_BATCH): Promise<number> {
    return this.closeExpired(MISMATCH, batchSize);
  }

  /** One reminder per deadline, REMINDER_BEFORE ahead of it. Returns the reminders written. */
  async sendReminders(batchSize = SWEEP_BATCH): Promise<number> {
    const sent = (await this.remind(REPLY, batchSize)) + (await this.remind(MISMATCH, batchSize));
    if (sent) this.logger.log(`Reminded service centers of ${sent} deadlines`);
    return sent;
  }

  private async closeExpired(deadline: Deadline, batchSize: number): Promise<number> {
    const spec = expiry(deadline);
    const now = this.clock.now();
    const message = statusMessage(
      { number: NUMBER, status: spec.to, resolution: spec.resolution, replyDeadline: null, mismatchDeadline: null },
      deadline.reason,
      this.config.mailSignature,
      deadline.comment(spec.resolution),
    );
    const written = {
      actorName: SYSTEM_ACTOR.name,
      reason: deadline.reason,
      comment: deadline.comment(spec.resolution),
      subject: message.subject,
      body: message.body,
    };
    let total = 0;
    for (;;) {
      const n = await this.acts.closeExpiredBatch(spec, now, batchSize, written);
      total += n;
      if (n < batchSize) break;
    }
    if (total) this.logger.log(`Closed ${total} acts ${spec.from} past their ${spec.column} as ${spec.to}/${spec.resolution}`);
    return total;
  }

  private async remind(deadline: Deadline, batchSize: number): Promise<number> {
    const spec = expiry(deadline);
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.config.reminderBeforeMs);
    const reminder = deadline.reminder(spec.resolution);
    // Whom to contact: SQL writes many at once, so the general line; replies go to the responsible manager.
    const mail = { ...reminder, body: [reminder.body, '', ...mailTexts.contactLines(null, this.config.mailSignature)].join('\n') };
    let total = 0;
    for (;;) {
      const { picked, sent } = await this.acts.remindBatch(spec, now, horizon, batchSize, mail);
      total += sent;
      if (picked < batchSize) break;
    }
    return total;
  }
}
