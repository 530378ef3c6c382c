import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { JobName } from './queues';

/** A sweep's run, counted: how many runs, and how many acts (or e-mails) each outcome touched. */
export interface SweepCount {
  sweep: string;
  runs: number;
  /** `closed`, `reminded`, `digests`: what the sweep's job returned, summed over its runs. */
  items: Record<string, number>;
}

/**
 * Counts of sweep runs kept in Redis under the run's prefix (`<REDIS_PREFIX>:metrics:sweeps`, one
 * hash: `<sweep>:runs` and `<sweep>:<outcome>`), so that the worker, which has no HTTP server,
 * counts and any API instance reads them for GET /metrics. Counts only grow (Prometheus counters);
 * they start again from zero if Redis loses its data, which Prometheus reads as a counter reset.
 */
@Injectable()
export class SweepStats {
  private readonly log = new Logger(SweepStats.name);
  /** Under the client's key prefix: `<REDIS_PREFIX>:metrics:sweeps`. */
  private readonly key = 'metrics:sweeps';

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Adds one run and its outcome; a failure to count is logged, never the sweep's failure. */
  async record(sweep: JobName, outcome: Record<string, number>): Promise<void> {
    try {
      const multi = this.redis.multi().hincrby(this.key, `${sweep}:runs`, 1);
      for (const [name, value] of Object.entries(outcome)) multi.hincrby(this.key, `${sweep}:${name}`, value);
      await multi.exec();
    } catch (error) {
      this.log.warn(`Sweep ${sweep} not counted: ${(error as Error).message}`);
    }
  }

  /** Every sweep's counts so far. */
  async read(): Promise<SweepCount[]> {
    const fields = await this.redis.hgetall(this.key);
    const bySweep = new Map<string, SweepCount>();
    for (const [field, value] of Object.entries(fields)) {
      const at = field.lastIndexOf(':');
      const sweep = field.slice(0, at);
      const name = field.slice(at + 1);
      const count = bySweep.get(sweep) ?? { sweep, runs: 0, items: {} };
      if (name === 'runs') count.runs = Number(value);
      else count.items[name] = Number(value);
      bySweep.set(sweep, count);
    }
    return [...bySweep.values()];
  }
}
