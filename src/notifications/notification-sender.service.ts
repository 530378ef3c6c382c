import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { Mailer } from './mailer';
import { NotificationState } from './notification.entity';
import { OutboxRepository } from './notifications.repository';

/** `waiting`: an older e-mail about the same act to the same address must go first; try again later. */
export type DeliveryResult = 'sent' | 'already-sent' | 'already-failed' | 'missing' | 'waiting';

/** Sends one outbox row and records the outcome on it. */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends the row unless it is no longer pending, so a job that runs again after a success
   * sends nothing. A failure is recorded and re-thrown for the queue to retry; on the last
   * attempt (`lastAttempt`) the row becomes failed.
   */
  async deliver(id: string, lastAttempt: boolean): Promise<DeliveryResult> {
    // The row stays locked while the message is handed to SMTP: a second delivery of the same
    // row (a job BullMQ thought stalled while Redis was away runs again) waits for the first and
    // then finds it sent, instead of sending a duplicate. The dispatcher's claim holds the lock
    // only until its commit, so a job that starts before that commit simply waits a moment.
    const outcome = await this.db.transaction(async (tx): Promise<DeliveryResult | { error: Error }> => {
      const row = await this.outbox.lockForDelivery(tx, id);
      if (!row) return 'missing';
      if (row.state === NotificationState.Sent) return 'already-sent';
      if (row.state === NotificationState.Failed) return 'already-failed';
      if (row.waitsForOlder) return 'waiting';
      try {
        await this.mailer.send(row);
      } catch (error) {
        await this.outbox.recordFailedAttempt(tx, id, String((error as Error).message ?? error), lastAttempt);
        return { error: error as Error };
      }
      // If this commit is lost (the database fails now), the retry sends again: the stable
      // Message-ID lets the receiving side drop that duplicate.
      await this.outbox.markSent(tx, id, this.clock.now());
      return 'sent';
    });
    if (typeof outcome === 'object') {
      if (lastAttempt) this.logger.warn(`E-mail ${id} failed for good: ${outcome.error.message}`);
      throw outcome.error;
    }
    return outcome;
  }

  /** Marks a row failed once its job has given up without deliver() recording it (a stalled job). */
  markFailed(id: string, reason: string): Promise<void> {
    return this.outbox.markFailed(id, reason);
  }
}
