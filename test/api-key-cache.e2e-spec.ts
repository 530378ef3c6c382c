import Redis from 'ioredis';
import { ApiKeyCache } from '../src/access/api-key-cache';
import { appWith, bearer, createTestApp, TestApp } from './app';
import { makeServiceCenter } from './factories';
import { waitFor } from './support/wait';

const CATEGORIES = '/api/v1/product-categories';

/** Revokes a key behind the API's back, as an UPDATE typed into psql would. */
async function revokeInSql(t: TestApp, keyId: string): Promise<void> {
  await t.db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [keyId]);
}

async function cacheReady(t: TestApp): Promise<ApiKeyCache> {
  const cache = t.app.get(ApiKeyCache);
  await waitFor(() => cache.active, 'the API key cache to subscribe to revocations');
  return cache;
}

describe('API key cache', () => {
  // Two instances of the API on one database and one Redis, as behind a load balancer.
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    await cacheReady(a);
    await cacheReady(b);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('remembers a key: the second request does not read it again', async () => {
    const sc = await makeServiceCenter(a);
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
    await revokeInSql(a, sc.keyId);
    // Remembered: the change made behind the API's back is not seen (until API_KEY_CACHE_TTL).
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);

    const uncached = await appWith({ API_KEY_CACHE_TTL: '0' });
    try {
      expect(uncached.app.get(ApiKeyCache).active).toBe(false);
      await uncached.http.get(CATEGORIES).set(bearer(sc.key)).expect(401);
    } finally {
      await uncached.close();
    }
  });

  it('stops a key revoked through one instance on every other instance at once', async () => {
    const sc = await makeServiceCenter(a);
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
    await b.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);

    await a.http.delete(`/api/v1/api-keys/${sc.keyId}`).set(bearer(a.managerKey)).expect(204);
    const revokedAt = Date.now();
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(401);
    // b remembered the key; the revocation reaches it through Redis, not after the 30 s TTL.
    await waitFor(async () => (await b.http.get(CATEGORIES).set(bearer(sc.key))).status === 401, 'b to refuse the key', 2000, 10);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
  });

  it('does not remember unknown keys: a key issued after a refused try works at once', async () => {
    const sc = await makeServiceCenter(a);
    await a.http
      .get(CATEGORIES)
      .set(bearer(`${sc.key}x`))
      .expect(401);
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
  });

  it('forgets a key after API_KEY_CACHE_TTL', async () => {
    const short = await appWith({ API_KEY_CACHE_TTL: '1s' });
    try {
      await cacheReady(short);
      const sc = await makeServiceCenter(short);
      await short.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
      await revokeInSql(short, sc.keyId);
      await short.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
      await waitFor(async () => (await short.http.get(CATEGORIES).set(bearer(sc.key))).status === 401, 'the entry to expire', 5000, 100);
    } finally {
      await short.close();
    }
  });

  it('forgets everything when it loses the revocation channel, and remembers again once back', async () => {
    const cache = b.app.get(ApiKeyCache);
    const sc = await makeServiceCenter(b);
    await b.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);
    await revokeInSql(b, sc.keyId);
    await b.http.get(CATEGORIES).set(bearer(sc.key)).expect(200);

    // Drop the subscriber connections of this run (a revocation could have been missed meanwhile).
    const admin = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const channel = `${process.env.REDIS_PREFIX}:api-keys:revoked`;
      const clients = ((await admin.client('LIST')) as string).split('\n').filter((line) => line.includes(` name=${channel} `));
      expect(clients.length).toBeGreaterThan(0);
      for (const line of clients) await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
    } finally {
      admin.disconnect();
    }
    await waitFor(() => !cache.active, 'the cache to notice the lost channel', 2000, 5);
    // Without the channel every request reads Postgres...
    await b.http.get(CATEGORIES).set(bearer(sc.key)).expect(401);
    // ...and once subscribed again, what was remembered before is gone.
    await cacheReady(b);
    await b.http.get(CATEGORIES).set(bearer(sc.key)).expect(401);
  });
});
