import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { WebhookSender, WebhookSendOutcome } from '../webhooks/webhook-sender.service';
import { DeliveryJob, WebhooksRepository } from '../webhooks/webhooks.repository';
import { JobName, JobPayloads, QueueName } from './queues';
import { workerOptions } from './worker-options';

/** Deliveries claimed per transaction by the dispatcher. */
export const WEBHOOK_DISPATCH_BATCH = 200;
/**
 * A delivery queued this long ago and still pending is queued again, in case its job was lost
 * (Redis lost data). Far above a send's 10 s; while the job exists BullMQ ignores the duplicate id.
 */
export const WEBHOOK_REQUEUE_AFTER_MS = 2 * 60_000;

/**
 * Webhook delivery. The database is the source of truth: every delivery row is pending until
 * settled, with its next attempt's time (retries and their backoff live in the row, not in
 * BullMQ). A scheduled dispatcher claims due deliveries that are first in their act's line for
 * their endpoint and queues one send job each, id `<delivery>-<attempts made>-<claimed at>`: the
 * same claim is never queued twice, a job for an attempt already made sends nothing, and a
 * delivery claimed again (a job that held it back, a job lost) gets a job of its own, not one
 * BullMQ would drop as a copy of the finished one it still keeps. A settled delivery's successor
 * in line is queued by the send job itself, before its transaction commits. A worker killed
 * mid-send leaves the row pending (its transaction rolls back): the stalled job runs again, with
 * the same webhook-id.
 */
@Processor(QueueName.Webhooks, workerOptions({ concurrency: 10, maxStalledCount: 10 }))
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** A scheduler with a stable id (every replica upserts the same one), polling as the e-mail outbox does (NOTIFY_POLL_EVERY). */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobName.DispatchWebhooks,
      { every: this.config.notifyPollEveryMs },
      { name: JobName.DispatchWebhooks, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
    );
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.DispatchWebhooks:
        return this.dispatch();
      case JobName.SendWebhook: {
        const { deliveryId, attempt } = job.data as JobPayloads[JobName.SendWebhook];
        const outcome: WebhookSendOutcome = await this.sender.deliver(deliveryId, attempt, (jobs) => this.enqueue(jobs));
        return outcome.result;
      }
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Webhooks}`);
    }
  }

  /** Queues a send job for every due delivery first in its line that has none, a batch per transaction. */
  async dispatch(): Promise<{ queued: number }> {
    let queued = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.db.transaction(async (tx) => {
        const jobs = await this.webhooks.claimForDispatch(tx, now, new Date(now.getTime() - WEBHOOK_REQUEUE_AFTER_MS), WEBHOOK_DISPATCH_BATCH);
        // Queued before the commit: if Redis fails, the claim rolls back and the next poll retries.
        await this.enqueue(jobs);
        return jobs;
      });
      queued += claimed.length;
      if (claimed.length < WEBHOOK_DISPATCH_BATCH) break;
    }
    if (queued) this.logger.log(`Queued ${queued} webhook deliveries`);
    return { queued };
  }

  async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(
      jobs.map(({ id, attempts, queuedAt }) => ({
        name: JobName.SendWebhook,
        data: { deliveryId: id, attempt: attempts } satisfies JobPayloads[JobName.SendWebhook],
        opts: { ...this.sendJobOptions(), jobId: `${id}-${attempts}-${queuedAt.getTime()}` },
      })),
    );
  }

  sendJobOptions(): JobsOptions {
    return {
      // An HTTP failure is recorded in the row and retried from there; BullMQ's own retries only
      // cover a job that threw (the database was away), briefly.
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
  }

  /** A job that gave up (it threw every time, or stalled too often) leaves its row pending: the dispatcher queues it again after WEBHOOK_REQUEUE_AFTER_MS. */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job?.name === JobName.SendWebhook) this.logger.warn(`Webhook send job ${job.id} failed: ${error.message}`);
  }
}
