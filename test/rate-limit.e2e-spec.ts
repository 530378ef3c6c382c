import Redis from 'ioredis';
import { REDIS } from '../src/redis/redis.module';
import { ManagersService } from '../src/managers/managers.service';
import { appWith, bearer, TestApp, uniqueSuffix } from './app';
import { makeServiceCenter } from './factories';

const PROBLEM = /application\/problem\+json/;
const CATEGORIES = '/api/v1/product-categories';

/** Another manager's key, made without an HTTP request so that it costs no one's limit. */
async function newManagerKey(t: TestApp): Promise<string> {
  return (await newManagerKeyWithId(t)).key;
}

async function newManagerKeyWithId(t: TestApp): Promise<{ key: string; id: string }> {
  const { key } = await t.app.get(ManagersService).create('Other Manager', `manager-${uniqueSuffix()}@example.com`);
  return key;
}

describe('rate limits per API key', () => {
  // Two instances of the API sharing one Redis, 5 requests a minute per key.
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await appWith({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_WINDOW: '1m' });
    b = await appWith({ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_WINDOW: '1m' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts every request of a key and refuses the one over the limit with 429 problem+json', async () => {
    const key = await newManagerKey(a);
    for (let i = 1; i <= 5; i++) {
      const res = await a.http.get(CATEGORIES).set(bearer(key)).expect(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const res = await a.http.get(CATEGORIES).set(bearer(key)).set('Accept-Language', 'en').expect(429);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests', type: expect.stringContaining('rate-limited') });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers['ratelimit-limit']).toBe('5');
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBe(String(retryAfter));
  });

  it('leaves other keys alone', async () => {
    const spent = await newManagerKey(a);
    const fresh = await newManagerKey(a);
    await Promise.all(Array.from({ length: 6 }, () => a.http.get(CATEGORIES).set(bearer(spent))));
    await a.http.get(CATEGORIES).set(bearer(spent)).expect(429);
    const res = await a.http.get(CATEGORIES).set(bearer(fresh)).expect(200);
    expect(res.headers['ratelimit-remaining']).toBe('4');
  });

  it('holds one limit across API instances sharing Redis', async () => {
    const key = await newManagerKey(a);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const instance = i % 2 === 0 ? a : b;
      statuses.push((await instance.http.get(CATEGORIES).set(bearer(key))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });

  it('counts concurrent requests exactly once each', async () => {
    const key = await newManagerKey(a);
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).http.get(CATEGORIES).set(bearer(key))));
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('authenticates first: requests without a valid key are not counted and carry no RateLimit headers', async () => {
    for (let i = 0; i < 7; i++) {
      const res = await a.http.get(CATEGORIES).expect(401);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
      await a.http.get(CATEGORIES).set(bearer('wa_not-a-real-key')).expect(401);
    }
    await a.http.get('/health/live').expect(200);
    const res = await a.http.get('/health/live').expect(200);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
    // The principal set by authentication is what the limit counts.
    const key = await newManagerKey(a);
    const counted = await a.http.get(CATEGORIES).set(bearer(key)).expect(200);
    expect(counted.headers['ratelimit-remaining']).toBe('4');
  });

  it('counts requests refused for their role, and the limit wins over the 403', async () => {
    const sc = await makeServiceCenter(b); // two requests of b's manager key
    for (let i = 1; i <= 5; i++) {
      const res = await a.http.get('/api/v1/service-centers').set(bearer(sc.key)).expect(403);
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
    }
    await a.http.get('/api/v1/service-centers').set(bearer(sc.key)).expect(429);
    await a.http.get(CATEGORIES).set(bearer(sc.key)).expect(429);
  });

  it('documents 429 and its headers on routes that take a key', async () => {
    const doc = await a.http.get('/api/v1/openapi.json').expect(200);
    const tooMany = doc.body.paths['/api/v1/product-categories'].get.responses['429'];
    expect(Object.keys(tooMany.headers)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
    );
    expect(doc.body.paths['/api/v1/health/live'].get.responses['429']).toBeUndefined();
  });

  it("keeps its counters under the run's Redis prefix, expiring with the window", async () => {
    const { key, id: keyId } = await newManagerKeyWithId(a);
    await a.http.get(CATEGORIES).set(bearer(key)).expect(200);
    const redis = a.app.get<Redis>(REDIS);
    const [hits, ttl] = await Promise.all([redis.get(`rate-limit:api-key:${keyId}`), redis.pttl(`rate-limit:api-key:${keyId}`)]);
    expect(hits).toBe('1');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

describe('rate limit window', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 180 a minute in 1 s windows: 3 requests per second.
    t = await appWith({ RATE_LIMIT_PER_MINUTE: '180', RATE_LIMIT_WINDOW: '1s' });
  });
  afterAll(() => t?.close());

  it('lets a key in again when its window ends', async () => {
    const key = await newManagerKey(t);
    const first = await Promise.all(Array.from({ length: 4 }, () => t.http.get(CATEGORIES).set(bearer(key))));
    expect(first.map((res) => res.status).sort()).toEqual([200, 200, 200, 429]);
    const refused = first.find((res) => res.status === 429)!;
    expect(refused.headers['retry-after']).toBe('1');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await t.http.get(CATEGORIES).set(bearer(key)).expect(200);
    expect(again.headers['ratelimit-limit']).toBe('3');
    expect(again.headers['ratelimit-remaining']).toBe('2');
  });
});

describe('rate limits while Redis is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: the limiter's Redis is unreachable from the start.
    t = await appWith({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_MINUTE: '1' });
  });
  afterAll(() => t?.close());

  it('serves requests uncounted instead of failing them', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http.get(CATEGORIES).set(bearer(t.managerKey)).expect(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
    await t.http.get('/health/ready').expect(503);
  });
});
