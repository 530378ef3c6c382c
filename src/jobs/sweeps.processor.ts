import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue } from 'bullmq';
import { ActDigest } from '../acts/act-digest.service';
import { ActSweeps } from '../acts/act-sweeps.service';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { JobName, QueueName } from './queues';
import { SweepStats } from './sweep-stats.service';
import { workerOptions } from './worker-options';

/** The sweeps, each a job scheduler whose id is the job name. */
export const SWEEP_JOBS = [JobName.CloseSilentActs, JobName.CloseDeliveredActs, JobName.SendReminders, JobName.FollowUpParcels] as const;

/**
 * A failed sweep is retried with backoff (it is idempotent), then kept as failed for operators;
 * the next scheduled run starts afresh anyway.
 */
export const SWEEP_JOB_OPTIONS: JobSchedulerTemplateOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 1000 },
};

/** Closes acts whose deadline passed in silence, reminds SCs ahead of deadlines, and sends the managers' morning digest. */
@Processor(QueueName.Sweeps, workerOptions())
export class SweepsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly sweeps: ActSweeps,
    private readonly digest: ActDigest,
    @InjectQueue(QueueName.Sweeps) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stats: SweepStats,
  ) {
    super();
  }

  /** Stable scheduler ids: every replica upserts the same schedulers, so each runs once per SWEEP_EVERY. */
  async onApplicationBootstrap(): Promise<void> {
    for (const name of SWEEP_JOBS) {
      await this.queue.upsertJobScheduler(name, { every: this.config.sweepEveryMs }, { name, data: {}, opts: SWEEP_JOB_OPTIONS });
    }
    // Once a day at DIGEST_AT, Moscow time; the stable id keeps it one scheduler however many workers upsert it.
    const { hour, minute } = this.config.digestAt;
    await this.queue.upsertJobScheduler(
      JobName.SendReviewDigest,
      { pattern: `${minute} ${hour} * * *`, tz: 'Europe/Moscow' },
      { name: JobName.SendReviewDigest, data: {}, opts: SWEEP_JOB_OPTIONS },
    );
  }

  async process(job: Job): Promise<{ closed: number } | { reminded: number } | { digests: number } | { followedUp: number }> {
    const outcome = await this.run(job);
    // Counted for GET /metrics (read by the API from Redis): the worker has no HTTP server of its own.
    await this.stats.record(job.name as JobName, outcome);
    return outcome;
  }

  private async run(job: Job): Promise<{ closed: number } | { reminded: number } | { digests: number } | { followedUp: number }> {
    switch (job.name as JobName) {
      case JobName.CloseSilentActs:
        return { closed: await this.sweeps.closeSilentActs() };
      case JobName.CloseDeliveredActs:
        return { closed: await this.sweeps.closeDeliveredActs() };
      case JobName.SendReminders:
        return { reminded: await this.sweeps.sendReminders() };
      case JobName.SendReviewDigest:
        return { digests: await this.digest.sendDigests() };
      case JobName.FollowUpParcels:
        return { followedUp: await this.sweeps.followUpUndeliveredParcels() };
      default:
        throw new Error(`Unknown job ${job.name} on queue ${QueueName.Sweeps}`);
    }
  }
}
