import { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import type { ThrottlerStorageRecord } from './redis-throttler.storage';

/**
 * A lease is this share of what is left of a key's window, and at least one request: the first
 * lease of a 1 000-request window is 62 requests, and leases shrink to one as the window runs out.
 */
export const LEASE_SHARE = 16;

/**
 * Takes a lease atomically: at most what is left of the window (the limit minus every lease
 * already taken, by any instance), so the leases of one window never add up to more than the
 * limit. The first lease of a window starts it. Returns the requests granted (0: the window is
 * spent), the window's count after this lease, and the milliseconds left in the window.
 */
const LEASE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[1]) end
local left = tonumber(ARGV[2]) - used
if left <= 0 then return { 0, used, ttl } end
local grant = math.max(1, math.floor(left / tonumber(ARGV[3])))
used = redis.call('INCRBY', KEYS[1], grant)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return { grant, used, ttl }
`;

interface RedisWithLease extends Redis {
  rateLimitLease(key: string, windowMs: number, limit: number, share: number): Promise<[number, number, number]>;
}

/** One key's budget in this process for the current window. */
interface Lease {
  /** Requests this process may still let through without asking Redis. */
  left: number;
  /** The window's count in Redis when the lease was taken: every instance's leases. */
  used: number;
  /** When this process stops using the lease (Date.now() ms): never after Redis ends the window. */
  endsAt: number;
}

/**
 * The per-key rate limit without a Redis round trip on most requests. Each API instance takes
 * the budget of a key's fixed window from Redis in leases (`LEASE_SCRIPT`, one atomic step) and
 * lets requests through from its lease in memory; only a request that finds the lease spent
 * waits for Redis. Concurrent requests of one key share one lease request.
 *
 * The bounds, for a limit L per window and N instances sharing the Redis:
 * - **No overshoot.** Every request let through was leased from Redis within its window, and the
 *   leases of a window add up to at most L. A lease is dropped no later than Redis ends its
 *   window: its end is reckoned from when the lease was asked for, before Redis answered.
 * - **Early refusals.** A key may be refused while other instances still hold unspent leases:
 *   at most N − 1 leases, each at most 1/16 of what was left of the window when it was taken
 *   (so at most (N − 1) × L / 16, and a single request each once fewer than 32 are left).
 *   With one instance, or while every instance keeps receiving the key's requests, the limit
 *   is met exactly. Unspent leases lapse with the window; nothing carries over.
 * - A spent window is refused from memory until its end, without asking Redis again.
 */
export class LeasedRateLimitStorage implements ThrottlerStorage {
  private readonly redis: RedisWithLease;
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(redis: Redis) {
    if (!('rateLimitLease' in redis)) redis.defineCommand('rateLimitLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
    this.redis = redis as RedisWithLease;
  }

  /** `ttl`: the window in milliseconds, as the throttler passes it; the times returned are whole seconds. */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    for (;;) {
      const lease = this.current(key);
      if (lease && lease.left > 0) {
        lease.left -= 1;
        return record(lease.used - lease.left, limit, lease.endsAt);
      }
      if (lease && lease.used >= limit) return record(limit + 1, limit, lease.endsAt);
      await this.take(key, ttl, limit);
    }
  }

  /** The key's lease of the current window, if this process holds one. */
  private current(key: string): Lease | undefined {
    const lease = this.leases.get(key);
    if (lease && lease.endsAt <= Date.now()) {
      this.leases.delete(key);
      return undefined;
    }
    return lease;
  }

  /** Asks Redis for a lease; concurrent callers for one key wait for the same answer. */
  private take(key: string, windowMs: number, limit: number): Promise<void> {
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.lease(key, windowMs, limit).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async lease(key: string, windowMs: number, limit: number): Promise<void> {
    const askedAt = Date.now();
    const [granted, used, msLeft] = await this.redis.rateLimitLease(key, windowMs, limit, LEASE_SHARE);
    if (this.leases.size > 10_000) this.forgetEnded();
    this.leases.set(key, { left: granted, used, endsAt: askedAt + msLeft });
  }

  private forgetEnded(): void {
    const now = Date.now();
    for (const [key, lease] of this.leases) if (lease.endsAt <= now) this.leases.delete(key);
  }
}

function record(totalHits: number, limit: number, endsAt: number): ThrottlerStorageRecord {
  const timeToExpire = Math.max(1, Math.ceil((endsAt - Date.now()) / 1000));
  const isBlocked = totalHits > limit;
  return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
}
