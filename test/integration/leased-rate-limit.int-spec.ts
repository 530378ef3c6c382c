import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { LEASE_SHARE, LeasedRateLimitStorage } from '../../src/access/leased-rate-limit.storage';

/**
 * The leased per-key limit against this run's real Redis: several storages stand for several
 * API instances sharing it. The HTTP specs (rate-limit, multi-instance) check the headers and
 * the 429s; these check the bounds written on LeasedRateLimitStorage.
 */
describe('LeasedRateLimitStorage', () => {
  let redis: Redis;
  let calls: number;

  beforeEach(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: `${process.env.REDIS_PREFIX}:lease-spec:` });
    new LeasedRateLimitStorage(redis); // defines the lease command on the client
    // Counts the round trips to Redis; the command itself runs as it does in the API.
    const withCommand = redis as unknown as { rateLimitLease: (...args: unknown[]) => Promise<unknown> };
    const lease = withCommand.rateLimitLease.bind(redis);
    withCommand.rateLimitLease = (...args: unknown[]) => {
      calls += 1;
      return lease(...args);
    };
    calls = 0;
  });
  afterEach(() => redis.disconnect());

  /** An API instance: its own storage (its own leases) on the shared Redis. */
  function instance(): LeasedRateLimitStorage {
    return new LeasedRateLimitStorage(redis);
  }

  it('lets most requests through from memory, with headers as exact as counting each in Redis', async () => {
    const storage = instance();
    const key = `key-${randomUUID()}`;
    const limit = 1000;
    for (let hit = 1; hit <= 600; hit++) {
      const record = await storage.increment(key, 60_000, limit);
      expect(record).toMatchObject({ totalHits: hit, isBlocked: false });
      expect(record.timeToExpire).toBeGreaterThanOrEqual(59);
    }
    // Leases of 1/16 of what is left (62, 58, 55, …): 600 requests in 15 round trips.
    let leased = 0;
    let expected = 0;
    while (leased < 600) {
      leased += Math.max(1, Math.floor((limit - leased) / LEASE_SHARE));
      expected += 1;
    }
    expect(expected).toBe(15);
    expect(calls).toBe(expected);
  });

  it('never lets more than the limit through across instances, and spends it whole when each keeps being asked', async () => {
    const instances = [instance(), instance(), instance()];
    const key = `key-${randomUUID()}`;
    const limit = 200;
    // 900 concurrent requests spread unevenly over three instances.
    const records = await Promise.all(
      Array.from({ length: 900 }, (_, i) => instances[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2].increment(key, 60_000, limit)),
    );
    const allowed = records.filter((r) => !r.isBlocked).length;
    expect(allowed).toBe(limit);
    expect(Number(await redis.get(key))).toBe(limit);
    for (const r of records.filter((x) => x.isBlocked)) {
      expect(r.totalHits).toBe(limit + 1);
      expect(r.timeToBlockExpire).toBe(r.timeToExpire);
    }
  });

  it('refuses early by at most the unspent leases of the other instances', async () => {
    const [a, b] = [instance(), instance()];
    const key = `key-${randomUUID()}`;
    const limit = 160;
    await a.increment(key, 60_000, limit); // a leases 160 / 16 = 10 and spends one
    let fromB = 0;
    while (!(await b.increment(key, 60_000, limit)).isBlocked) fromB += 1;
    // b got everything but a's lease: a holds 9 unspent, within its bound of one lease.
    expect(fromB).toBe(limit - limit / LEASE_SHARE);
    let fromA = 1;
    while (!(await a.increment(key, 60_000, limit)).isBlocked) fromA += 1;
    expect(fromA + fromB).toBe(limit);
  });

  it('refuses a spent window from memory until it ends, then starts a new one', async () => {
    const storage = instance();
    const key = `key-${randomUUID()}`;
    for (let i = 0; i < 3; i++) expect((await storage.increment(key, 1_000, 3)).isBlocked).toBe(false);
    const roundTrips = calls;
    for (let i = 0; i < 20; i++) {
      const refused = await storage.increment(key, 1_000, 3);
      expect(refused).toMatchObject({ isBlocked: true, timeToExpire: 1, timeToBlockExpire: 1 });
    }
    // The third lease took the last of the window: the refusals need no round trip at all.
    expect(calls).toBe(roundTrips);
    await new Promise((r) => setTimeout(r, 1_050));
    expect(await storage.increment(key, 1_000, 3)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it("lets the window's key expire with the window", async () => {
    const key = `key-${randomUUID()}`;
    await instance().increment(key, 60_000, 100);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
