import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotificationState } from './notification.entity';
import { NewNotification, OutboxCounts, OutboxRepository } from './notifications.repository';

export type { NewNotification, OutboxCounts };

@Injectable()
export class NotificationsService {
  constructor(private readonly outbox: OutboxRepository) {}

  /**
   * Writes e-mails to the outbox inside the caller's transaction; the recipient is the service
   * center's current address, or the manager's when managerId is set. A message whose dedupe key exists already is skipped.
   * Returns the ids of the rows written.
   */
  async enqueue(tx: EntityManager, messages: NewNotification[]): Promise<string[]> {
    if (messages.length === 0) return [];
    return this.outbox.insert(tx, messages);
  }

  /**
   * Claims up to `limit` pending rows that were never queued, or were queued before
   * `requeueBefore` (their job may be lost), oldest first, and stamps them queued at `now`.
   * SKIP LOCKED lets several dispatchers run at once without waiting for each other; the
   * caller queues the jobs before committing `tx`, so a failure leaves the rows unclaimed.
   */
  claimForDispatch(tx: EntityManager, now: Date, requeueBefore: Date, limit: number): Promise<string[]> {
    return this.outbox.claimForDispatch(tx, now, requeueBefore, limit);
  }

  /** The outbox by state, for operators. */
  async counts(): Promise<OutboxCounts> {
    const rows = await this.outbox.countByState();
    const of = (state: NotificationState) => rows.find((r) => r.state === state);
    return {
      pending: Number(of(NotificationState.Pending)?.count ?? 0),
      sent: Number(of(NotificationState.Sent)?.count ?? 0),
      failed: Number(of(NotificationState.Failed)?.count ?? 0),
      oldestPendingAt: of(NotificationState.Pending)?.oldest ?? null,
    };
  }
}
