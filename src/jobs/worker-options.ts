import type { WorkerOptions } from 'bullmq';
import { parseDuration } from '../config/duration';
import { ENV_DEFAULTS } from '../config/env';

/**
 * How long a running job's lock lasts (JOB_LOCK), which is also how often a worker looks for jobs
 * whose lock expired (their worker died): such a job runs again at most about twice this long
 * after its worker was lost. BullMQ takes worker options only from the `@Processor` decorator, so
 * this is read when the processors' classes are declared; loadConfig checks the same variable at
 * start-up and refuses a bad value by name (the default stands in for it until then).
 */
const JOB_LOCK_MS = parseDuration(process.env.JOB_LOCK?.trim() || ENV_DEFAULTS.JOB_LOCK) ?? 30_000;

/** A processor's worker options with the lock duration and stalled-job check of JOB_LOCK. */
export function workerOptions(options: Omit<WorkerOptions, 'connection'> = {}): Omit<WorkerOptions, 'connection'> {
  return { lockDuration: JOB_LOCK_MS, stalledInterval: JOB_LOCK_MS, ...options };
}
