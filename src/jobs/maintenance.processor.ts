import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository';
import { OrphanPhotos } from '../photos/orphan-photos.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { JobName, QueueName } from './queues';
import { workerOptions } from './worker-options';

const HOUR = 60 * 60 * 1000;
/** Older than any upload in flight can be (Node's requestTimeout ends a request after 5 min). */
export const ORPHAN_PHOTO_AGE_MS = HOUR;

/**
 * Housekeeping, hourly: drops idempotency records past their 24 hours, stored photo files
 * that no row points to (older than ORPHAN_PHOTO_AGE_MS), and webhook deliveries past 30 days.
 */
@Processor(QueueName.Maintenance, workerOptions())
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly idempotency: IdempotencyRepository,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly orphanPhotos: OrphanPhotos,
    private readonly webhooks: WebhooksService,
  ) {
    super();
  }

  /** Schedulers with stable ids: every replica upserts the same ones, so each runs once an hour. */
  async onApplicationBootstrap(): Promise<void> {
    for (const name of [JobName.PurgeIdempotencyKeys, JobName.PurgeOrphanPhotos, JobName.PurgeWebhookDeliveries]) {
      await this.queue.upsertJobScheduler(name, { every: HOUR }, { name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } });
    }
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.PurgeIdempotencyKeys:
        return this.purgeIdempotencyKeys();
      case JobName.PurgeOrphanPhotos:
        // Real time, not the Clock: it is compared with the files' modification times.
        return this.orphanPhotos.purge(new Date(Date.now() - ORPHAN_PHOTO_AGE_MS));
      case JobName.PurgeWebhookDeliveries:
        return this.purgeWebhookDeliveries();
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Maintenance}`);
    }
  }

  /** Webhook deliveries older than 30 days (whatever their state), then the events left without one. */
  async purgeWebhookDeliveries(): Promise<{ deliveries: number; events: number }> {
    const purged = await this.webhooks.purge();
    if (purged.deliveries || purged.events) this.logger.log(`Purged ${purged.deliveries} webhook deliveries and ${purged.events} events`);
    return purged;
  }

  async purgeIdempotencyKeys(): Promise<{ deleted: number }> {
    const deleted = await this.idempotency.purgeExpired();
    if (deleted) this.logger.log(`Purged ${deleted} expired idempotency keys`);
    return { deleted };
  }
}
