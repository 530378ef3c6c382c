import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';
import { Agent, request } from 'undici';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { mailTexts } from '../messages/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { hostOf, RefusedAddressError, WebhookAddressGuard } from './webhook-address.service';
import { LockedDelivery, WebhookDeliveryStatus } from './webhook.entity';
import { DeliveryJob, WebhooksRepository } from './webhooks.repository';

/** At most this much of a receiver's answer is kept on the delivery (and read at all). */
export const RESPONSE_BODY_LIMIT = 1024;

/**
 * What a send job did: `waiting` (an older delivery of the act to the endpoint goes first),
 * `disabled`, `not-due` and `stale` (another job sent this attempt already) send nothing and
 * leave the row to the dispatcher.
 */
export type WebhookSendResult = 'delivered' | 'retrying' | 'failed' | 'already-done' | 'missing' | 'waiting' | 'disabled' | 'not-due' | 'stale';

export interface WebhookSendOutcome {
  result: WebhookSendResult;
  /** Deliveries claimed for sending next (the next of the same act to the endpoint), handed to `queue` before the commit. */
  next: DeliveryJob[];
}

interface HttpOutcome {
  statusCode: number | null;
  body: string | null;
  error: string | null;
  /** The SSRF guard refused the address: failed for good, no retry. */
  refused: boolean;
}

/**
 * Sends one webhook delivery (Standard Webhooks: webhook-id = the event's id, stable across
 * retries; webhook-timestamp = this attempt's time; webhook-signature = `v1,<base64 HMAC>` with
 * the secret, and also with the previous one for 24 h after a rotation) and records the outcome.
 *
 * The delivery row stays locked (FOR UPDATE) while the request is out, as NotificationSender
 * does: a second job for the same delivery waits and then finds it settled (or its attempt
 * recorded), so a delivery is sent twice only when a worker dies between the receiver's answer
 * and the commit — and then with the same webhook-id, which receivers use to drop duplicates.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookSender.name);
  /** One connection pool for every receiver; its lookup is the SSRF guard's. Redirects are never followed (undici's request does not). */
  private readonly agent: Agent;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly webhooks: WebhooksRepository,
    private readonly guard: WebhookAddressGuard,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'webhookAttempts' | 'webhookBackoffMs' | 'webhookDisableAfterMs' | 'webhookTimeoutMs' | 'mailSignature'>,
  ) {
    const timeout = config.webhookTimeoutMs;
    this.agent = new Agent({
      connect: { lookup: guard.connectLookup, timeout },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      keepAliveTimeout: 4000,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  /**
   * Sends the delivery's attempt number `attempt` (attempts made so far; a job made for another
   * attempt sends nothing) unless it is settled, not due, or waits for an older one.
   *
   * Once it is settled, the next delivery of the act to the endpoint is claimed and handed to
   * `queue` inside the same transaction, before the commit: a worker that dies before the commit
   * leaves it unclaimed for the dispatcher's next poll, one that dies after has queued it already.
   * (Queued after the commit, a death in between left it claimed and waiting for the dispatcher's
   * requeue, two minutes later.) If queueing fails the claim stands, and the requeue catches it.
   */
  async deliver(id: string, attempt?: number, queue?: (jobs: DeliveryJob[]) => Promise<void>): Promise<WebhookSendOutcome> {
    let disabled = false;
    const outcome = await this.db.transaction(async (tx): Promise<WebhookSendOutcome> => {
      const row = await this.webhooks.lockForDelivery(tx, id);
      const none = (result: WebhookSendResult): WebhookSendOutcome => ({ result, next: [] });
      if (!row) return none('missing');
      if (row.status !== WebhookDeliveryStatus.Pending) return none('already-done');
      if (attempt !== undefined && row.attempts !== attempt) return none('stale');
      const now = this.clock.now();
      const hold = async (result: WebhookSendResult) => {
        await this.webhooks.release(tx, id);
        return none(result);
      };
      if (!row.enabled) return hold('disabled');
      if (row.waitsForOlder) return hold('waiting');
      if (row.nextAttemptAt.getTime() > now.getTime()) return hold('not-due');

      const http = await this.send(row);
      const at = this.clock.now();
      if (http.error === null && http.statusCode !== null) {
        await this.webhooks.markDelivered(tx, id, at, http.statusCode, http.body);
        await this.webhooks.endpointSucceeded(tx, row.endpointId);
        return { result: 'delivered', next: await this.nextInLine(tx, row, at, queue) };
      }
      const limit = row.attemptsLimit ?? this.config.webhookAttempts;
      const final = http.refused || row.attempts + 1 >= limit;
      await this.webhooks.recordFailedAttempt(tx, id, {
        statusCode: http.statusCode,
        error: http.error ?? 'failed',
        body: http.body,
        final,
        nextAttemptAt: final ? at : new Date(at.getTime() + this.config.webhookBackoffMs * 2 ** row.attempts),
      });
      const failure = await this.webhooks.endpointFailed(tx, row.endpointId, at, new Date(at.getTime() - this.config.webhookDisableAfterMs));
      if (failure?.disabled) {
        disabled = true;
        const message = mailTexts.webhookDisabled({
          url: failure.url,
          failingSince: failure.failingSince,
          lastError: http.error ?? '',
          signature: this.config.mailSignature,
        });
        await this.notifications.enqueue(tx, [
          { serviceCenterId: failure.serviceCenterId, managerId: failure.managerId, actId: null, kind: NotificationKind.WebhookDisabled, ...message },
        ]);
      }
      if (final) return { result: 'failed', next: await this.nextInLine(tx, row, at, queue) };
      return none('retrying');
    });
    if (disabled) this.logger.warn(`Webhook endpoint of delivery ${id} failed for too long and was disabled`);
    return outcome;
  }

  /** Marks a delivery failed once its job gave up without deliver() recording it (it stalled too often). */
  markFailed(id: string, reason: string): Promise<void> {
    return this.webhooks.markFailed(id, reason);
  }

  /** The secrets that sign now: the current one, and the previous one until 24 h after a rotation. */
  signature(row: Pick<LockedDelivery, 'eventId' | 'payload' | 'secret' | 'previousSecret' | 'previousSecretUntil'>, timestamp: Date): string {
    const secrets = [row.secret];
    if (row.previousSecret && row.previousSecretUntil && row.previousSecretUntil.getTime() > this.clock.now().getTime())
      secrets.push(row.previousSecret);
    return secrets.map((secret) => new Webhook(secret).sign(row.eventId, timestamp, row.payload)).join(' ');
  }

  private async nextInLine(
    tx: EntityManager,
    row: LockedDelivery,
    now: Date,
    queue?: (jobs: DeliveryJob[]) => Promise<void>,
  ): Promise<DeliveryJob[]> {
    const claimed = await this.webhooks.claimNextInLine(tx, row, now);
    const next = claimed ? [claimed] : [];
    if (next.length && queue) {
      try {
        await queue(next);
      } catch (error) {
        this.logger.warn(`The next delivery of ${row.id} was not queued (${(error as Error).message}); the dispatcher queues it again later`);
      }
    }
    return next;
  }

  /** One POST: any 2xx within the timeout is a success; a 3xx (never followed), 4xx, 5xx, timeout or network error a failure. */
  private async send(row: LockedDelivery): Promise<HttpOutcome> {
    // Real time, not the Clock: receivers check webhook-timestamp against their own clocks.
    const timestamp = new Date();
    // One timer per request, cleared when done (AbortSignal.timeout would keep every request's signal alive for the whole timeout).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), this.config.webhookTimeoutMs);
    try {
      const url = new URL(row.url);
      // Names are checked by the Agent's lookup on connecting; an address in the URL is never looked up, so it is checked here.
      await this.guard.checkHost(hostOf(url)).catch((error: Error) => {
        if (error instanceof RefusedAddressError && error.reason !== 'unresolvable') throw error;
      });
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'warranty-acts-webhooks/1',
          'webhook-id': row.eventId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': this.signature(row, timestamp),
        },
        body: row.payload,
        signal: abort.signal,
      });
      const body = await readLimited(response.body, RESPONSE_BODY_LIMIT);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { statusCode: response.statusCode, body, error: ok ? null : `HTTP ${response.statusCode}`, refused: false };
    } catch (error) {
      const refused = findRefusal(error);
      if (refused) return { statusCode: null, body: null, error: `refused: ${refused.message}`, refused: true };
      return { statusCode: null, body: null, error: abort.signal.aborted ? 'timed out' : describe(error), refused: false };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The first `limit` bytes of a body as text; the rest is not read (the connection is dropped). */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk.subarray(0, limit - size));
      size += Math.min(chunk.length, limit - size);
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still tells what it told.
  } finally {
    body.destroy();
  }
  if (size === 0) return null;
  // Cut at a character boundary: a multi-byte character split by the limit is dropped.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

function findRefusal(error: unknown): RefusedAddressError | undefined {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof RefusedAddressError) return e;
  }
  return undefined;
}

function describe(error: unknown): string {
  const e = error as Error & { code?: string; cause?: Error & { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const cause = e?.cause && e.cause !== e ? `: ${e.cause.code ?? ''} ${e.cause.message ?? ''}`.trimEnd() : '';
  return `${e?.code ? `${e.code} ` : ''}${e?.message ?? String(error)}${cause}`;
}
