import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueuesStatusService } from '../jobs/queues-status.service';
import { SweepStats } from '../jobs/sweep-stats.service';

/** How long one source (Redis, Postgres) may take at scrape time before it is reported down. */
const SOURCE_TIMEOUT_MS = 3000;

/** Latency buckets in seconds: from a cached read to a slow report or an 8 MB upload. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The API's Prometheus registry (one per app, not prom-client's global one, so that several apps
 * in one test process do not collide). Request metrics are observed per request in memory; the
 * rest (queues, outbox, sweeps) is read from Redis and Postgres when Prometheus scrapes, so it
 * is the same whichever API instance is asked and costs nothing between scrapes.
 */
@Injectable()
export class MetricsService {
  private readonly log = new Logger(MetricsService.name);
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly sourceUp: Gauge<'source'>;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly outbox: Gauge<'state'>;
  private readonly outboxOldestAge: Gauge;
  private readonly webhookDeliveries: Gauge<'state'>;
  private readonly webhookOldestAge: Gauge;
  private readonly webhookDisabledEndpoints: Gauge;
  private readonly sweepRuns: Counter<'sweep'>;
  private readonly sweepItems: Counter<'sweep' | 'outcome'>;

  constructor(
    private readonly queues: QueuesStatusService,
    private readonly sweeps: SweepStats,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status: latency from arrival to the last byte of the response',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sourceUp = new Gauge({
      name: 'warranty_metrics_source_up',
      help: 'Whether a source of the scrape-time metrics answered (1) or not (0): queues (Redis), outbox and webhooks (Postgres), sweeps (Redis)',
      labelNames: ['source'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'warranty_queue_jobs',
      help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed, paused, completed kept)',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.outbox = new Gauge({
      name: 'warranty_email_outbox',
      help: 'E-mails in the outbox by state: pending (not sent yet, retries included), sent, failed (given up after every attempt)',
      labelNames: ['state'],
      registers,
    });
    this.outboxOldestAge = new Gauge({
      name: 'warranty_email_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending e-mail in seconds; 0 when none is pending',
      registers,
    });
    this.webhookDeliveries = new Gauge({
      name: 'warranty_webhook_deliveries',
      help: 'Webhook deliveries (kept 30 days) by state: pending (not delivered yet, retries and held ones included), delivered, failed',
      labelNames: ['state'],
      registers,
    });
    this.webhookOldestAge = new Gauge({
      name: 'warranty_webhook_oldest_pending_age_seconds',
      help: 'Age of the oldest pending webhook delivery in seconds; 0 when none is pending',
      registers,
    });
    this.webhookDisabledEndpoints = new Gauge({
      name: 'warranty_webhook_disabled_endpoints',
      help: 'Webhook endpoints disabled (by their owners or for failing WEBHOOK_DISABLE_AFTER); their deliveries wait',
      registers,
    });
    this.sweepRuns = new Counter({
      name: 'warranty_sweep_runs_total',
      help: 'Completed runs of each deadline sweep (all workers together)',
      labelNames: ['sweep'],
      registers,
    });
    this.sweepItems = new Counter({
      name: 'warranty_sweep_items_total',
      help: 'What the sweeps did, by sweep and outcome: acts closed, reminders sent, digests sent',
      labelNames: ['sweep', 'outcome'],
      registers,
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  /**
   * The Prometheus text of every metric, the scrape-time ones read now. Scrapes that arrive while
   * a collection runs share it, so a burst of requests (an open /metrics without METRICS_TOKEN)
   * costs one round of queries, not one per request.
   */
  async scrape(): Promise<string> {
    this.collecting ??= this.collectShared().finally(() => (this.collecting = undefined));
    await this.collecting;
    return this.registry.metrics();
  }

  private collecting: Promise<void> | undefined;

  private async collectShared(): Promise<void> {
    await Promise.all([
      this.source('queues', () => this.collectQueues()),
      this.source('outbox', () => this.collectOutbox()),
      this.source('sweeps', () => this.collectSweeps()),
      this.source('webhooks', () => this.collectWebhookBacklog()),
    ]);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async collectQueues(): Promise<void> {
    const queues = await this.queues.queues();
    this.queueJobs.reset();
    for (const { name, counts } of queues) {
      for (const [state, value] of Object.entries(counts) as [string, number][]) this.queueJobs.set({ queue: name, state }, value);
    }
  }

  private async collectOutbox(): Promise<void> {
    const outbox = await this.queues.outbox();
    this.outbox.set({ state: 'pending' }, outbox.pending);
    this.outbox.set({ state: 'sent' }, outbox.sent);
    this.outbox.set({ state: 'failed' }, outbox.failed);
    this.outboxOldestAge.set(outbox.oldestPendingAgeSeconds ?? 0);
  }

  private async collectSweeps(): Promise<void> {
    const counts = await this.sweeps.read();
    this.sweepRuns.reset();
    this.sweepItems.reset();
    for (const { sweep, runs, items } of counts) {
      this.sweepRuns.inc({ sweep }, runs);
      for (const [outcome, value] of Object.entries(items)) this.sweepItems.inc({ sweep, outcome }, value);
    }
  }

  private async collectWebhookBacklog(): Promise<void> {
    const webhooks = await this.queues.webhookBacklog();
    this.webhookDeliveries.set({ state: 'pending' }, webhooks.pending);
    this.webhookDeliveries.set({ state: 'delivered' }, webhooks.delivered);
    this.webhookDeliveries.set({ state: 'failed' }, webhooks.failed);
    this.webhookOldestAge.set(webhooks.oldestPendingAgeSeconds ?? 0);
    this.webhookDisabledEndpoints.set(webhooks.disabledEndpoints);
  }

  /** Runs one source's collection within SOURCE_TIMEOUT_MS and reports whether it answered. */
  private async source(source: string, collect: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        collect(),
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS)),
        ),
      ]);
      this.sourceUp.set({ source }, 1);
    } catch (error) {
      this.log.warn(`Metrics from ${source} unavailable: ${(error as Error).message}`);
      this.sourceUp.set({ source }, 0);
    } finally {
      clearTimeout(timer);
    }
  }
}
