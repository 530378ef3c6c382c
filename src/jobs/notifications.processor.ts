import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DelayedError, Job, JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { NotificationSender } from '../notifications/notification-sender.service';
import { NotificationsService } from '../notifications/notifications.service';
import { JobName, JobPayloads, QueueName } from './queues';
import { workerOptions } from './worker-options';

/** Outbox rows claimed per transaction by the dispatcher. */
export const DISPATCH_BATCH = 100;
/**
 * A pending row queued this long ago is queued again, in case its job was lost (Redis lost
 * data). While the job still exists BullMQ ignores the duplicate id, so this costs little.
 */
export const REQUEUE_AFTER_MS = 10 * 60_000;

/**
 * How long a send job waits before looking again when an older e-mail about the same act to the
 * same address is not sent yet.
 */
export const ORDER_WAIT_MS = 500;

/**
 * E-mail delivery from the outbox. A scheduled dispatcher turns pending rows into one send job
 * each (job id = notification id, so a row is never queued twice at once); send jobs retry with
 * exponential backoff and leave the row sent or, after the last attempt, failed.
 *
 * Order per act: jobs run on any worker, in any order. A row is sent only when no older row
 * (by seq, the order of events) about the same act to the same address is still pending; the
 * check is made under the row's lock in the delivery transaction, and an older row counts as
 * pending until its own delivery has committed, which happens only after SMTP took it. A job
 * that must wait is moved back to delayed (no attempt spent) and looks again shortly.
 */
// A job whose worker died is retried, not failed: delivery is safe to repeat (the row is locked
// and re-checked), so even a crash-looping worker must not turn e-mails into failures.
@Processor(QueueName.Notifications, workerOptions({ concurrency: 5, maxStalledCount: 10 }))
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationsProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** A scheduler with a stable id: every replica upserts the same one. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobName.DispatchNotifications,
      { every: this.config.notifyPollEveryMs },
      { name: JobName.DispatchNotifications, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
    );
  }

  async process(job: Job, token?: string): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.DispatchNotifications:
        return this.dispatch();
      case JobName.SendNotification: {
        const { notificationId } = job.data as JobPayloads[JobName.SendNotification];
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const result = await this.sender.deliver(notificationId, lastAttempt);
        if (result === 'waiting' && token) {
          await job.moveToDelayed(Date.now() + ORDER_WAIT_MS, token);
          throw new DelayedError();
        }
        return result;
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Notifications}`);
    }
  }

  /** Queues a send job for every pending row that has none, a batch per transaction. */
  async dispatch(): Promise<{ queued: number }> {
    let queued = 0;
    for (;;) {
      const now = this.clock.now();
      const ids = await this.db.transaction(async (tx) => {
        const claimed = await this.notifications.claimForDispatch(tx, now, new Date(now.getTime() - REQUEUE_AFTER_MS), DISPATCH_BATCH);
        // Queued before the commit: if Redis fails, the claim rolls back and the next poll retries.
        if (claimed.length) {
          await this.queue.addBulk(
            claimed.map((notificationId) => ({
              name: JobName.SendNotification,
              data: { notificationId } satisfies JobPayloads[JobName.SendNotification],
              opts: { ...this.sendJobOptions(), jobId: notificationId },
            })),
          );
        }
        return claimed;
      });
      queued += ids.length;
      if (ids.length < DISPATCH_BATCH) break;
    }
    if (queued) this.logger.log(`Queued ${queued} e-mails`);
    return { queued };
  }

  sendJobOptions(): JobsOptions {
    return {
      attempts: this.config.notifyAttempts,
      backoff: { type: 'exponential', delay: this.config.notifyBackoffMs },
      // The outbox row keeps the outcome; the jobs are kept a while for operators to inspect.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
  }

  /** A job can give up without deliver() seeing its last attempt (it stalled); the row must say so. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (job?.name !== JobName.SendNotification) return;
    try {
      if ((await job.getState()) !== 'failed') return;
      await this.sender.markFailed((job.data as JobPayloads[JobName.SendNotification]).notificationId, error.message);
    } catch (markError) {
      this.logger.error(`Cannot mark e-mail ${job.id} failed: ${(markError as Error).message}`);
    }
  }
}
