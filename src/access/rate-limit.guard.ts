import { ExecutionContext, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { detailMessage, ProblemException } from '../common/problem';
import { ThrottlerStorageRecord } from './redis-throttler.storage';

/** How long a request waits for Redis before it is let through uncounted. */
export const REDIS_TIMEOUT_MS = 1000;

/**
 * Counts every authenticated request against its API key, in Redis so the limit holds across
 * API instances. Runs after authentication (see AccessGuard): requests without a principal
 * (health, docs, 401s) are not counted. Every counted response carries RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset; a refused one is 429 with Retry-After.
 * If Redis is unreachable, requests pass uncounted: an outage of the limiter must not become
 * an outage of the API (readiness already reports Redis down).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  private redisDown = false;

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest<Request>().principal;
  }

  protected override async getTracker(req: Request): Promise<string> {
    return req.principal!.keyId;
  }

  /** One counter per key for the whole API, not one per route as the throttler does by default. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `rate-limit:${throttlerName}:${tracker}`;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(request, context), name);

    let record: ThrottlerStorageRecord;
    try {
      record = await withTimeout(this.storageService.increment(key, ttl, limit, blockDuration, name), REDIS_TIMEOUT_MS);
    } catch (error) {
      if (!this.redisDown) this.log.warn(`Rate limits are off while Redis is unreachable: ${(error as Error).message}`);
      this.redisDown = true;
      return true;
    }
    if (this.redisDown) this.log.log('Redis answers again: rate limits are back on');
    this.redisDown = false;

    response.setHeader('RateLimit-Limit', limit);
    response.setHeader('RateLimit-Remaining', Math.max(0, limit - record.totalHits));
    response.setHeader('RateLimit-Reset', record.timeToExpire);
    if (record.isBlocked) {
      response.setHeader('Retry-After', record.timeToBlockExpire);
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        'rate-limited',
        detailMessage('rateLimited', { limit, seconds: ttl / 1000, retryAfter: record.timeToBlockExpire }),
      );
    }
    return true;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
