import { getQueueToken } from '@nestjs/bullmq';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { detailMessage, ProblemException } from '../common/problem';
import { NotificationsService } from '../notifications/notifications.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { QueuesStatusView, QueueStatusView } from './queue-status.view';
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
    const [queues, outbox, webhooks] = await Promise.all([
      withTimeout(Promise.all(Object.values(QueueName).map((name) => this.queueStatus(name))), REDIS_TIMEOUT_MS),
      this.notifications.counts(),
      this.webhooks.counts(),
    ]);
    const now = this.clock.now().getTime();
    const age = (at: Date | null) => (at ? Math.max(0, Math.floor((now - at.getTime()) / 1000)) : null);
    return {
      queues,
      outbox: { ...outbox, oldestPendingAgeSeconds: age(outbox.oldestPendingAt) },
      webhooks: { ...webhooks, oldestPendingAgeSeconds: age(webhooks.oldestPendingAt) },
    };
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
