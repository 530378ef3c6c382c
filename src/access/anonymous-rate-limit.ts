import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import Redis from 'ioredis';
import { detailMessage, ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { REDIS } from '../redis/redis.module';
import { REDIS_TIMEOUT_MS, withTimeout } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * RATE_LIMIT_ANON_PER_MINUTE for requests without a valid key (none, or one that is unknown or
 * revoked), per client address, in the RATE_LIMIT_WINDOW windows of the per-key limit and in
 * Redis (`rate-limit:anonymous:<address>`). A key that has to be looked up in Postgres is
 * first checked against its address's budget, so a client over it costs no database work,
 * even with a key that would turn out valid; only the refusals (401) are counted. Like the
 * per-key limit it fails open when Redis does not answer.
 */
@Injectable()
export class AnonymousRateLimit {
  private readonly log = new Logger('RateLimit');
  private readonly storage: RedisThrottlerStorage;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.storage = new RedisThrottlerStorage(redis);
    this.windowMs = config.rateLimitWindowMs;
    this.limit = Math.max(1, Math.floor((config.rateLimitAnonPerMinute * config.rateLimitWindowMs) / 60_000));
  }

  /** 429 if the address has spent its budget; counts nothing. */
  async assertUnder(request: Request, response: Response): Promise<void> {
    const key = this.keyOf(request);
    const state = await this.guarded(async () => {
      const [hits, msLeft] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
      return { totalHits: Number(hits ?? 0), timeToExpire: Math.max(1, Math.ceil(msLeft / 1000)) };
    });
    if (state && state.totalHits >= this.limit) this.refuse(response, state.timeToExpire);
  }

  /** Counts a request refused for its key; 429 once the address is over its budget. */
  async count(request: Request, response: Response): Promise<void> {
    const record = await this.guarded(() => this.storage.increment(this.keyOf(request), this.windowMs, this.limit));
    if (record?.isBlocked) this.refuse(response, record.timeToExpire);
  }

  private keyOf(request: Request): string {
    return `rate-limit:anonymous:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }

  private refuse(response: Response, retryAfter: number): never {
    response.setHeader('Retry-After', retryAfter);
    throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'rate-limited', detailMessage('anonymousRateLimited', { retryAfter }));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work(), REDIS_TIMEOUT_MS);
    } catch (error) {
      this.log.warn(`Anonymous rate limit skipped, Redis did not answer: ${(error as Error).message}`);
      return undefined;
    }
  }
}
