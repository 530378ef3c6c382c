import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { gatherUntilCommit } from '../common/gather-until-commit';
import { Clock } from '../common/clock';
import { Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import type { MailComment, ManagerEvent } from '../messages/mail.ru';
import { fullStatusLabel, mailTexts, texts } from '../messages/messages';
import { ManagersRepository } from '../managers/managers.repository';
import { NotificationKind } from '../notifications/notification.entity';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { WebhookEventType } from '../webhooks/webhook.entity';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { Act } from './act.entity';
import { ActComment } from './act-comment.entity';
import { ActHistoryEntry, FieldChange } from './act-history.entity';
import { ActAction, ActFacts, ActorRole, ActStatus, changesStatus, chosenTarget, Resolution, Transition, transitionFor } from './act-status';
import { ActsRepository } from './acts.repository';
import { Actor, SYSTEM_ACTOR } from './actor';

/** Columns an action may set besides the status (deadlines, timestamps, kind). */
export type ActChanges = Partial<
  Pick<
    Act,
    | 'replyDeadline'
    | 'mismatchDeadline'
    | 'kind'
    | 'decidedAt'
    | 'submittedAt'
    | 'product'
    | 'diagnosis'
    | 'extra'
    | 'problem'
    | 'needsAttention'
    | 'reasonCode'
    | 'urgent'
    | 'expectedDispatchDate'
    | 'partialConsent'
    | 'shippingRound'
  >
>;

export interface ApplyOptions {
  /** Why: shown in the history and the e-mail. */
  reason?: string;
  /** A comment to add with the change (by the system unless `commentBy` says otherwise). */
  comment?: string;
  commentBy?: Actor;
  /** The resolution, for actions whose resolution is chosen (a manager's close). */
  resolution?: Resolution;
  /** The target, for actions whose target is chosen (a reopen's `to`); the machine's default otherwise. */
  to?: ActStatus;
  /** Facts the machine's rules may depend on (nothing to ship). */
  facts?: ActFacts;
  /** The reason recorded for the action the machine takes first (`before`), if any. */
  beforeReason?: string;
  /** Other columns to set; as a function, of the change's time (the act's new updatedAt). */
  changes?: ActChanges | ((now: Date) => ActChanges | Promise<ActChanges>);
}

/** In SQL-written texts, the service center's name (the outbox puts it in). */
export const SERVICE_CENTER_MARK = '{{serviceCenter}}';

/** One status action of applyInTurn. */
export interface Step {
  action: ActAction;
  actor: Actor;
  options?: ApplyOptions;
}

/** A step's change of the act, planned: what is written, and what its aftermath needs. */
interface Change {
  action: ActAction;
  actor: Actor;
  author: Actor;
  options: ApplyOptions;
  transition: Transition;
  /** Its history row: the status it moved to, and the resolution, are there. */
  history: Omit<ActHistoryEntry, 'id' | 'actId'>;
  comment?: Omit<ActComment, 'id' | 'actId'>;
  patch: Partial<Act>;
  /** The act's event data right after the change (eventData). */
  event: Record<string, unknown>;
}

/** What one action (one transaction) has said so far about one act. */
interface ActionMail {
  act: Act;
  /** To the SC: what managers and the system did. */
  sc: { statusChanged: boolean; reasons: string[]; comments: MailComment[] };
  /** To the managers: what the SC did. */
  managers: { events: ManagerEvent[]; reasons: string[]; comments: string[] };
}

/**
 * Every change of an act goes through here, inside the caller's transaction: the status machine
 * is asked, and the act row, its history row, the comment and the e-mails are written together
 * or not at all.
 *
 * One e-mail per action: everything an action says about an act (a status change, its question
 * or reason, the list of missing photos, the tracking number; a system step that follows, like
 * the request for missing photos after a submit) is gathered per transaction and act, and goes
 * into ONE outbox row per recipient, all written in one statement just before the transaction
 * commits (gatherUntilCommit). The SC is told what managers and the system did, never what the SC
 * did itself; the managers are told what the SC did (API.md, "E-mail").
 */
@Injectable()
export class ActLifecycle {
  constructor(
    private readonly acts: ActsRepository,
    private readonly notifications: NotificationsService,
    private readonly managers: ManagersRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'mailSignature'>,
    private readonly webhooks: WebhookEvents,
  ) {}

  /**
   * Locks an act for the rest of the transaction. Scoped to the caller: another SC's act is
   * "not found", never "forbidden".
   */
  async lock(tx: EntityManager, actId: string, principal?: Principal): Promise<Act> {
    const act = await this.acts.lock(tx, actId, principal);
    if (!act) throw Problems.notFound('act');
    return act;
  }

  /** What the machine says of an action on the act now; refuses (409) what it does not allow. */
  check(act: Act, action: ActAction, actor: Actor, facts: ActFacts = {}): Transition {
    return transitionFor({ status: act.status, resolution: act.resolution, ...facts }, action, actor.role);
  }

  /**
   * For actions that add to the act without being status actions themselves (a comment, a
   * photo): the machine is asked, and where it moves the act (the SC's answer to a question)
   * the move is recorded as apply() does. The act row is locked, so a sweep closing the act for
   * silence ran either before (the act is closed and takes no answer) or runs after.
   */
  async follow(tx: EntityManager, act: Act, action: ActAction, actor: Actor, reason: string): Promise<Transition> {
    const transition = this.check(act, action, actor);
    if (changesStatus(transition)) await this.apply(tx, act, action, actor, { reason });
    else if (transition.holds) await this.touch(tx, act, { mismatchDeadline: null, needsAttention: true });
    return transition;
  }

  /**
   * Takes a status action and returns the machine's transition. A no-op (the action was done
   * already: a repeated submit or withdrawal) writes nothing.
   */
  async apply(tx: EntityManager, act: Act, action: ActAction, actor: Actor, options: ApplyOptions = {}): Promise<Transition> {
    const [transition] = await this.applyInTurn(tx, act, [{ action, actor, options }]);
    return transition;
  }

  /**
   * Takes status actions one after another (a submit, then the system's request for the photos
   * it lacks), each checked against the act as the one before left it, as apply() would; the act
   * row is written once, with a history row per change and the comment, in one statement (each
   * new row version of an act costs an entry in every one of its indexes). Each change still
   * counts a version and has its webhook event and its part of the e-mail. Returns the steps'
   * transitions; at most one step may carry a comment.
   */
  async applyInTurn(tx: EntityManager, act: Act, steps: Step[]): Promise<Transition[]> {
    const changes: Change[] = [];
    const transitions: Transition[] = [];
    for (const step of steps) transitions.push(await this.plan(act, step, changes));
    if (changes.length === 0) return transitions;
    const commented = changes.filter((change) => change.comment);
    if (commented.length > 1) throw new Error('One write of an act takes one comment');
    const written = await this.acts.update(
      tx,
      act.id,
      changes.reduce<Partial<Act>>((patch, change) => ({ ...patch, ...change.patch }), {}),
      changes.map((change) => change.history),
      commented[0]?.comment,
    );
    for (const change of changes) await this.changed(tx, act, change, change.comment && written);
    return transitions;
  }

  /**
   * A step's changes (its machine's `before` action first, if any), applied to `act` and added
   * to `changes`; its transition (no change for a no-op).
   */
  private async plan(act: Act, step: Step, changes: Change[]): Promise<Transition> {
    const { action, actor, options = {} } = step;
    let transition = this.check(act, action, actor, options.facts);
    if (transition.noop) return transition;
    if (transition.before) {
      await this.plan(act, { action: transition.before, actor, options: { reason: options.beforeReason } }, changes);
      transition = this.check(act, action, actor, options.facts);
    }
    const to = chosenTarget(transition, options.to);
    const now = this.clock.now();
    const closing = to === ActStatus.Closed;
    const resolution = closing ? (transition.resolution ?? options.resolution ?? null) : null;
    if (closing && !resolution) throw new Error(`Closing by ${action} needs a resolution`);

    const patch: Partial<Act> = {
      status: to,
      resolution,
      closedAt: closing ? now : null,
      replyDeadline: to === ActStatus.InfoRequested ? act.replyDeadline : null,
      mismatchDeadline: to === ActStatus.PartsDelivered ? act.mismatchDeadline : null,
      ...managerActed(actor),
      ...(typeof options.changes === 'function' ? await options.changes(now) : options.changes),
      version: act.version + 1,
      updatedAt: now,
    };
    const author = options.commentBy ?? actor;
    const history = {
      type: 'status' as const,
      fromStatus: transition.from,
      toStatus: to,
      resolution,
      changes: null,
      actorRole: actor.role,
      actorId: actor.id,
      actorName: actor.name,
      reason: options.reason ?? null,
      at: now,
    };
    const comment = options.comment
      ? { authorRole: author.role, authorId: author.id, authorName: author.name, text: options.comment, createdAt: now }
      : undefined;
    Object.assign(act, patch);
    changes.push({ action, actor, author, options, transition, history, comment, patch, event: eventData(act) });
    return { ...transition, to };
  }

  /** What follows a change written: its webhook event, its part of the e-mail, its comment's aftermath. */
  private async changed(tx: EntityManager, act: Act, change: Change, written: ActComment | undefined): Promise<void> {
    const { action, actor, author, options, transition } = change;
    const { toStatus: to, resolution } = change.history;
    const statusChanged = transition.from !== to || !!resolution;
    if (statusChanged) {
      await this.webhooks.record(tx, [
        {
          type: statusEventType(action, to),
          actId: act.id,
          serviceCenterId: act.serviceCenterId,
          data: { ...change.event, previousStatus: transition.from, reason: options.reason ?? null },
        },
      ]);
    }
    if (actor.role === ActorRole.ServiceCenter) {
      const event = managerEventOf(action, transition.from, to);
      if (event) this.mail(tx, act).managers.events.push(event);
      if (event && options.reason) this.mail(tx, act).managers.reasons.push(options.reason);
    } else if (statusChanged || options.comment) {
      const mail = this.mail(tx, act).sc;
      mail.statusChanged ||= statusChanged;
      if (options.reason && options.reason !== options.comment) mail.reasons.push(options.reason);
    }
    if (written) await this.commented(tx, act, written, author, actor, change.event);
  }

  /**
   * Records a correction of the act's sections after the draft, field by field. A manager's
   * correction is also told to the SC: a system comment «Менеджер исправил: …», e-mailed.
   */
  async edited(tx: EntityManager, act: Act, actor: Actor, changes: FieldChange[]): Promise<void> {
    if (changes.length === 0 || act.status === ActStatus.Draft) return;
    const at = this.clock.now();
    await this.acts.addHistory(tx, {
      actId: act.id,
      type: 'edit',
      fromStatus: act.status,
      toStatus: act.status,
      resolution: act.resolution,
      actorRole: actor.role,
      actorId: actor.id,
      actorName: actor.name,
      reason: null,
      changes,
      at,
    });
    await this.webhooks.record(tx, [
      { type: WebhookEventType.ActEdited, actId: act.id, serviceCenterId: act.serviceCenterId, data: { ...eventData(act), changes } },
    ]);
    if (actor.role !== ActorRole.Manager) return;
    const text = texts.comment.managerEdit(
      changes.map((c) => ({ field: texts.fieldName(c.field), from: texts.comment.value(c.from), to: texts.comment.value(c.to) })),
    );
    const comment = await this.acts.addComment(tx, {
      actId: act.id,
      authorRole: ActorRole.System,
      authorId: null,
      authorName: SYSTEM_ACTOR.name,
      text,
      createdAt: at,
    });
    await this.commentEvent(tx, act, comment);
    this.mail(tx, act).sc.comments.push({ author: actor.name, text });
  }

  /**
   * Adds a comment. A manager's comment (or the system's, in a manager's or the system's action)
   * goes to the SC, and a manager's clears "needs attention"; an SC's goes to the managers. A
   * comment made with a status change goes into that change's e-mail. `by`: whose action it
   * is part of, when not the author's own.
   */
  async comment(tx: EntityManager, act: Act, author: Actor, text: string, by: Actor = author): Promise<ActComment> {
    const comment = await this.acts.addComment(tx, {
      actId: act.id,
      authorRole: author.role,
      authorId: author.id,
      authorName: author.name,
      text,
      createdAt: this.clock.now(),
    });
    await this.commented(tx, act, comment, author, by);
    return comment;
  }

  /**
   * What follows a comment written: its webhook event (with `event`, the act as the comment found
   * it, when not as it is now), "needs attention" and the e-mails (see comment).
   */
  private async commented(tx: EntityManager, act: Act, comment: ActComment, author: Actor, by: Actor, event = eventData(act)): Promise<void> {
    const text = comment.text;
    await this.commentEvent(tx, act, comment, event);
    if (author.role === ActorRole.Manager) {
      if (act.needsAttention) await this.touch(tx, act, {}, author);
    }
    if (author.role === ActorRole.ServiceCenter) {
      const mail = this.mail(tx, act).managers;
      mail.comments.push(text);
      if (mail.events.length === 0) mail.events.push('comment');
    } else if (by.role !== ActorRole.ServiceCenter) {
      this.mail(tx, act).sc.comments.push({ author: author.role === ActorRole.Manager ? author.name : null, text });
    }
  }

  /**
   * E-mails the managers who answer for the act's service center (its responsible manager, or
   * every manager when none is set), one outbox row each, except the manager who acted.
   * `{{serviceCenter}}` (SERVICE_CENTER_MARK) in the texts becomes the service center's name.
   */
  async tellManagers(tx: EntityManager, act: Act, message: { subject: string; body: string }, exceptManagerId?: string): Promise<void> {
    const to = (await this.managers.managersToNotify(act.serviceCenterId, tx)).filter((manager) => manager.id !== exceptManagerId);
    await this.notifications.enqueue(
      tx,
      to.map((manager) => ({
        serviceCenterId: act.serviceCenterId,
        managerId: manager.id,
        actId: act.id,
        kind: NotificationKind.ManagerNotice,
        ...message,
      })),
    );
  }

  /** Bumps the version of an act whose content changed (sections, parts, photos). */
  async touch(tx: EntityManager, act: Act, changes: ActChanges = {}, actor?: Actor): Promise<Act> {
    const patch: Partial<Act> = { ...(actor ? managerActed(actor) : {}), ...changes, version: act.version + 1, updatedAt: this.clock.now() };
    await this.acts.update(tx, act.id, patch);
    return Object.assign(act, patch);
  }

  /** act.comment_added, for every comment written on the act (a person's, or the system's with a change). */
  private commentEvent(tx: EntityManager, act: Act, comment: ActComment, event = eventData(act)): Promise<void> {
    return this.webhooks.record(tx, [
      {
        type: WebhookEventType.ActCommentAdded,
        actId: act.id,
        serviceCenterId: act.serviceCenterId,
        data: {
          ...event,
          comment: {
            id: comment.id,
            author: { role: comment.authorRole, name: comment.authorName },
            text: comment.text,
            createdAt: comment.createdAt,
          },
        },
      },
    ]);
  }

  /** What this transaction's action has said about the act so far. */
  private mail(tx: EntityManager, act: Act): ActionMail {
    const byAct = gatherUntilCommit(
      tx,
      this,
      () => new Map<string, ActionMail>(),
      (mails) => this.writeMails(tx, mails),
    );
    let mail = byAct.get(act.id);
    if (!mail) {
      mail = {
        act,
        sc: { statusChanged: false, reasons: [], comments: [] },
        managers: { events: [], reasons: [], comments: [] },
      };
      byAct.set(act.id, mail);
    }
    mail.act = act;
    return mail;
  }

  /** Every e-mail the transaction's action gathered, one outbox row per recipient, in one statement, as it commits. */
  private async writeMails(tx: EntityManager, byAct: Map<string, ActionMail>): Promise<void> {
    const rows: NewNotification[] = [];
    for (const { act, sc, managers: m } of byAct.values()) {
      const toSc = sc.statusChanged || sc.comments.length > 0;
      if (!toSc && !m.events.length) continue;
      const contacts = await this.managers.mailContacts(act.serviceCenterId, tx);
      if (m.events.length) {
        const message = mailTexts.toManager({
          number: act.number,
          serviceCenter: SERVICE_CENTER_MARK,
          events: m.events,
          label: fullStatusLabel(act.status, act.resolution),
          reasons: m.reasons,
          comments: m.comments,
        });
        const kind = NotificationKind.ManagerNotice;
        rows.push(
          ...contacts.toNotify.map((manager) => ({ serviceCenterId: act.serviceCenterId, managerId: manager.id, actId: act.id, kind, ...message })),
        );
      }
      if (toSc) {
        const message = mailTexts.toServiceCenter({
          number: act.number,
          label: sc.statusChanged ? fullStatusLabel(act.status, act.resolution) : null,
          status: act.status,
          reasons: sc.reasons,
          comments: sc.comments,
          deadline: deadlineOf(act),
          dispatchDate: act.status === ActStatus.Approved ? act.expectedDispatchDate : null,
          contact: contacts.responsible,
          signature: this.config.mailSignature,
        });
        const kind = sc.statusChanged ? NotificationKind.StatusChanged : NotificationKind.ManagerComment;
        rows.push({ serviceCenterId: act.serviceCenterId, actId: act.id, kind, ...message });
      }
    }
    await this.notifications.enqueue(tx, rows);
  }
}

/**
 * The webhook event of a status change: exactly one per change, the specific type where one
 * exists (the SC's submit: act.submitted; any move to info_requested: act.info_requested), else
 * act.status_changed (approvals, closings, reopening, shipping, delivery, mismatch...).
 */
export function statusEventType(action: ActAction, to: ActStatus): WebhookEventType {
  if (action === ActAction.Submit && to === ActStatus.Submitted) return WebhookEventType.ActSubmitted;
  if (to === ActStatus.InfoRequested) return WebhookEventType.ActInfoRequested;
  return WebhookEventType.ActStatusChanged;
}

/** What every act event's `data` carries (the SQL sweeps write the same fields: acts.repository.ts closeExpiredSql). */
export function eventData(
  act: Pick<Act, 'id' | 'number' | 'serviceCenterId' | 'status' | 'resolution' | 'kind' | 'version'>,
): Record<string, unknown> {
  return {
    actId: act.id,
    number: act.number,
    serviceCenterId: act.serviceCenterId,
    status: act.status,
    resolution: act.resolution,
    kind: act.kind,
    version: act.version,
  };
}

/** What a manager is told of an SC's status action; null: nothing. */
function managerEventOf(action: ActAction, from: ActStatus, to: ActStatus): ManagerEvent | null {
  if (action === ActAction.Submit) return 'submitted';
  if (action === ActAction.ReportMismatch) return 'problem';
  if (action === ActAction.Deliver) return 'delivered';
  if (from === ActStatus.InfoRequested && to !== ActStatus.InfoRequested && to !== ActStatus.Closed) return 'answered';
  return null;
}

/** The date the SC must act by in the act's status, if any. */
function deadlineOf(act: Pick<Act, 'status' | 'replyDeadline' | 'mismatchDeadline'>): Date | null {
  if (act.status === ActStatus.InfoRequested) return act.replyDeadline;
  if (act.status === ActStatus.PartsDelivered) return act.mismatchDeadline;
  return null;
}

/** A manager acting on an act answers whatever the SC said: the act no longer needs attention. */
function managerActed(actor: Actor): Partial<Act> {
  return actor.role === ActorRole.Manager ? { needsAttention: false } : {};
}

/**
 * The e-mail telling the SC an act's status changed by the system (written, set-based, by the
 * sweeps): no personal contact (SQL writes many at once), replies go to the responsible manager.
 */
export function statusMessage(
  act: Pick<Act, 'number' | 'status' | 'resolution' | 'replyDeadline' | 'mismatchDeadline'>,
  reason: string | undefined,
  signature: string,
  comment?: string,
): { subject: string; body: string } {
  return mailTexts.toServiceCenter({
    number: act.number,
    label: fullStatusLabel(act.status, act.resolution),
    status: act.status,
    reasons: reason ? [reason] : [],
    comments: comment ? [{ author: null, text: comment }] : [],
    deadline: deadlineOf(act),
    contact: null,
    signature,
  });
}
