import { getQueueToken } from '@nestjs/bullmq';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { detailMessage, ProblemException } from '../common/problem';
import { NotificationsService } from '../notifications/notifications.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { OutboxStatusView, QueuesStatusView, QueueStatusView, WebhookBacklogView } from './queue-status.view';
import { QueueName } from './queues';

// The queues' connection waits for Redis forever (workers need that); an operator needs an answer.
const REDIS_TIMEOUT_MS = 3000;

@Injectable()
export class QueuesStatusService {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly clock: Clock,
  ) {}

  async status(): Promise<QueuesStatusView> {
    const [queues, outbox, webhooks] = await Promise.all([this.queues(), this.outbox(), this.webhookBacklog()]);
    return { queues, outbox, webhooks };
  }

  /** Every queue's jobs by state (also read by GET /metrics); 503 when Redis does not answer within 3 s. */
  queues(): Promise<QueueStatusView[]> {
    return withTimeout(Promise.all(Object.values(QueueName).map((name) => this.queueStatus(name))), REDIS_TIMEOUT_MS);
  }

  /** The e-mail outbox by state, with the age of its oldest pending row (also read by GET /metrics). */
  async outbox(): Promise<OutboxStatusView> {
    const outbox = await this.notifications.counts();
    return { ...outbox, oldestPendingAgeSeconds: this.ageOf(outbox.oldestPendingAt) };
  }

  /** Webhook deliveries by state, with the age of the oldest pending one (also read by GET /metrics). */
  async webhookBacklog(): Promise<WebhookBacklogView> {
    const webhooks = await this.webhooks.counts();
    return { ...webhooks, oldestPendingAgeSeconds: this.ageOf(webhooks.oldestPendingAt) };
  }

  private ageOf(at: Date | null): number | null {
    return at ? Math.max(0, Math.floor((this.clock.now().getTime() - at.getTime()) / 1000)) : null;
  }

  private async queueStatus(name: QueueName): Promise<QueueStatusView> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    const [counts, isPaused] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'),
      queue.isPaused(),
    ]);
    // BullMQ keeps the jobs of a paused queue in its wait list; report them as paused, as Bull did.
    const ready = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    return {
      name,
      isPaused,
      counts: {
        waiting: isPaused ? 0 : ready,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        paused: isPaused ? ready : 0,
      },
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'service-unavailable', detailMessage('queuesUnknown'))), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
