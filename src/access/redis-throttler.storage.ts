import { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

/**
 * One fixed window per key: the first hit starts it, INCR counts, and the key expires when the
 * window ends. Atomic in one script, so every API instance sharing the Redis sees one counter.
 * Returns the hits so far and the milliseconds left in the window.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }
`;

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface RedisWithHit extends Redis {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
}

/**
 * The throttler's counters in Redis (under the client's REDIS_PREFIX). A fixed window, not a
 * sliding one: a caller over the limit is refused until its window ends, so `blockDuration`
 * is the rest of the window and the throttler's own blockDuration option is not used.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: RedisWithHit;

  constructor(redis: Redis) {
    if (!('rateLimitHit' in redis)) redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as RedisWithHit;
  }

  /** `ttl` in milliseconds, as the throttler passes it; the times returned are whole seconds. */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [totalHits, msLeft] = await this.redis.rateLimitHit(key, ttl);
    const timeToExpire = Math.max(1, Math.ceil(msLeft / 1000));
    const isBlocked = totalHits > limit;
    return { totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }
}
