import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { Problems } from '../common/problem';
import { fullStatusLabel, texts } from '../messages/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { Act } from './act.entity';
import { ActComment } from './act-comment.entity';
import { FieldChange } from './act-history.entity';
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
  changes?: ActChanges | ((now: Date) => ActChanges);
}

/**
 * Every change of an act goes through here, inside the caller's transaction: the status machine
 * is asked, and the act row, its history row, the comment and the e-mail to the SC are written
 * together or not at all.
 */
@Injectable()
export class ActLifecycle {
  constructor(
    private readonly acts: ActsRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
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
    const transition = this.check(act, action, actor, options.facts);
    if (transition.noop) return transition;
    if (transition.before) await this.apply(tx, act, transition.before, actor, { reason: options.beforeReason });
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
      ...(typeof options.changes === 'function' ? options.changes(now) : options.changes),
      version: act.version + 1,
      updatedAt: now,
    };
    await this.acts.update(tx, act.id, patch);
    Object.assign(act, patch);

    await this.acts.addHistory(tx, {
      actId: act.id,
      type: 'status',
      fromStatus: transition.from,
      toStatus: to,
      resolution,
      changes: null,
      actorRole: actor.role,
      actorId: actor.id,
      actorName: actor.name,
      reason: options.reason ?? null,
      at: now,
    });
    if (options.comment) await this.comment(tx, act, options.commentBy ?? actor, options.comment);
    if (transition.from !== to || resolution) {
      await this.notifications.enqueue(tx, [this.statusEmail(act, options.reason)]);
    }
    return { ...transition, to };
  }

  /** Records the act's creation in its history. */
  async created(tx: EntityManager, act: Act, actor: Actor): Promise<void> {
    await this.acts.addHistory(tx, {
      actId: act.id,
      type: 'status',
      fromStatus: null,
      toStatus: act.status,
      resolution: null,
      changes: null,
      actorRole: actor.role,
      actorId: actor.id,
      actorName: actor.name,
      reason: null,
      at: act.createdAt,
    });
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
    if (actor.role !== ActorRole.Manager) return;
    const text = texts.comment.managerEdit(
      changes.map((c) => ({ field: texts.fieldName(c.field), from: texts.comment.value(c.from), to: texts.comment.value(c.to) })),
    );
    await this.acts.addComment(tx, {
      actId: act.id,
      authorRole: ActorRole.System,
      authorId: null,
      authorName: SYSTEM_ACTOR.name,
      text,
      createdAt: at,
    });
    await this.notifications.enqueue(tx, [
      {
        serviceCenterId: act.serviceCenterId,
        actId: act.id,
        kind: NotificationKind.ManagerComment,
        ...texts.mail.managerComment(act.number, actor.name, text),
      },
    ]);
  }

  /** Adds a comment; a manager's comment is e-mailed to the SC and clears "needs attention". */
  async comment(tx: EntityManager, act: Act, author: Actor, text: string): Promise<ActComment> {
    const comment = await this.acts.addComment(tx, {
      actId: act.id,
      authorRole: author.role,
      authorId: author.id,
      authorName: author.name,
      text,
      createdAt: this.clock.now(),
    });
    if (author.role === ActorRole.Manager) {
      if (act.needsAttention) await this.touch(tx, act, {}, author);
      await this.notifications.enqueue(tx, [
        {
          serviceCenterId: act.serviceCenterId,
          actId: act.id,
          kind: NotificationKind.ManagerComment,
          ...texts.mail.managerComment(act.number, author.name, text),
        },
      ]);
    }
    return comment;
  }

  /** Bumps the version of an act whose content changed (sections, parts, photos). */
  async touch(tx: EntityManager, act: Act, changes: ActChanges = {}, actor?: Actor): Promise<Act> {
    const patch: Partial<Act> = { ...(actor ? managerActed(actor) : {}), ...changes, version: act.version + 1, updatedAt: this.clock.now() };
    await this.acts.update(tx, act.id, patch);
    return Object.assign(act, patch);
  }

  private statusEmail(act: Act, reason?: string) {
    return {
      serviceCenterId: act.serviceCenterId,
      actId: act.id,
      kind: NotificationKind.StatusChanged,
      ...statusMessage(act, reason),
    };
  }
}

/** A manager acting on an act answers whatever the SC said: the act no longer needs attention. */
function managerActed(actor: Actor): Partial<Act> {
  return actor.role === ActorRole.Manager ? { needsAttention: false } : {};
}

/** The e-mail telling the SC an act's status changed (also written, set-based, by the sweeps). */
export function statusMessage(
  act: Pick<Act, 'number' | 'status' | 'resolution' | 'replyDeadline' | 'mismatchDeadline'>,
  reason?: string,
): { subject: string; body: string } {
  return texts.mail.statusChanged({
    number: act.number,
    label: fullStatusLabel(act.status, act.resolution),
    reason,
    replyDeadline: act.status === ActStatus.InfoRequested ? act.replyDeadline : null,
    mismatchDeadline: act.status === ActStatus.PartsDelivered ? act.mismatchDeadline : null,
  });
}
