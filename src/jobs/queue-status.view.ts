/** Jobs of one BullMQ queue by state. */
export class QueueJobCountsView {
  /** Ready to run (prioritized ones included). */
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Ready to run but held because the queue is paused. */
  paused: number;
}

export class QueueStatusView {
  /** The queue's name (`maintenance`, `notifications`). */
  name: string;
  /** True when an operator paused the queue: its workers take no new jobs. */
  isPaused: boolean;
  counts: QueueJobCountsView;
}

/** The e-mail outbox by state. */
export class OutboxStatusView {
  /** Written, not sent yet (including e-mails waiting for a retry). */
  pending: number;
  sent: number;
  /** Gave up after every attempt; `last_error` on the row says why. */
  failed: number;
  /** When the oldest pending e-mail was written; null when none is pending. */
  oldestPendingAt: Date | null;
  /** Age of the oldest pending e-mail in seconds; null when none is pending. A growing value means delivery is stuck. */
  oldestPendingAgeSeconds: number | null;
}

/** What the worker has to do and how e-mail delivery is going. */
export class QueuesStatusView {
  queues: QueueStatusView[];
  outbox: OutboxStatusView;
}
