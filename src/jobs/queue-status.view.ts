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

/** Webhook deliveries by state (kept 30 days). */
export class WebhookBacklogView {
  /** Not delivered yet: waiting for an attempt, a retry, an older event of the same act, or a disabled endpoint. */
  pending: number;
  delivered: number;
  /** Gave up after every attempt (or the address was refused); `lastError` in the endpoint's delivery log says why. */
  failed: number;
  /** When the oldest pending delivery was recorded; null when none is pending. */
  oldestPendingAt: Date | null;
  /** Age of the oldest pending delivery in seconds; null when none is pending. */
  oldestPendingAgeSeconds: number | null;
  /** Endpoints disabled (by their owners, or for failing WEBHOOK_DISABLE_AFTER): their deliveries wait. */
  disabledEndpoints: number;
}

/** What the worker has to do and how e-mail and webhook delivery are going. */
export class QueuesStatusView {
  queues: QueueStatusView[];
  outbox: OutboxStatusView;
  webhooks: WebhookBacklogView;
}
