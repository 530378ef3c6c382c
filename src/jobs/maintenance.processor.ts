import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobName, QueueName } from './queues';

/** Housekeeping: drops idempotency records past their 24 hours. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  /** A scheduler with a stable id: every replica upserts the same one, so it runs once an hour. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobName.PurgeIdempotencyKeys,
      { every: 60 * 60 * 1000 },
      { name: JobName.PurgeIdempotencyKeys, data: {}, opts: { removeOnComplete: 100, removeOnFail: 1000 } },
    );
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.PurgeIdempotencyKeys:
        return this.purgeIdempotencyKeys();
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Maintenance}`);
    }
  }

  async purgeIdempotencyKeys(): Promise<{ deleted: number }> {
    const [, deleted] = await this.db.query(`DELETE FROM idempotency_keys WHERE expires_at < now()`);
    if (deleted) this.logger.log(`Purged ${deleted} expired idempotency keys`);
    return { deleted: Number(deleted ?? 0) };
  }
}
