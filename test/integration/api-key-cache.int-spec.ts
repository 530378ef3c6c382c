import Redis from 'ioredis';
import { ApiKeyCache } from '../../src/access/api-key-cache';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { Principal, Role } from '../../src/common/auth/principal';
import { loadConfig } from '../../src/config/env';

/**
 * The ordering rules of the cache, with a key lookup the test resolves by hand (the lookup's SQL
 * is covered by the HTTP specs) and this run's real Redis for the revocation channel.
 */
describe('ApiKeyCache', () => {
  const principal: Principal = { role: Role.Manager, ownerId: 'm1', name: 'M', keyId: 'k1' };
  let redis: Redis;
  let cache: ApiKeyCache;
  let lookups: Array<(value: Principal | undefined) => void>;
  let revoke: (keyId: string) => void;

  beforeEach(async () => {
    const config = { ...loadConfig(), redisPrefix: `${process.env.REDIS_PREFIX}-cache-spec-${Date.now()}` };
    redis = new Redis(config.redisUrl, { keyPrefix: `${config.redisPrefix}:` });
    lookups = [];
    const apiKeys = {
      authenticate: () => new Promise<Principal | undefined>((resolve) => lookups.push(resolve)),
      onRevoked: (listener: (keyId: string) => void) => (revoke = listener),
    } as unknown as ApiKeysService;
    cache = new ApiKeyCache(config, redis, apiKeys);
    cache.onModuleInit();
    const until = Date.now() + 5000;
    while (!cache.active && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(cache.active).toBe(true);
  });

  afterEach(async () => {
    await cache.onApplicationShutdown();
    redis.disconnect();
  });

  /** Starts an authentication and answers its lookup, if it makes one, with `value`. */
  async function authenticate(value: Principal | undefined): Promise<{ result: Principal | undefined; lookedUp: boolean }> {
    const before = lookups.length;
    const pending = cache.authenticate('wa_key');
    await new Promise((r) => setImmediate(r));
    const lookedUp = lookups.length > before;
    if (lookedUp) lookups[lookups.length - 1](value);
    return { result: await pending, lookedUp };
  }

  it('looks a key up once and then answers from memory', async () => {
    expect(await authenticate(principal)).toEqual({ result: principal, lookedUp: true });
    expect(await authenticate(principal)).toEqual({ result: principal, lookedUp: false });
  });

  it('does not remember a key that was not found', async () => {
    expect(await authenticate(undefined)).toEqual({ result: undefined, lookedUp: true });
    expect(await authenticate(principal)).toEqual({ result: principal, lookedUp: true });
  });

  it('does not store a lookup that started before a revocation', async () => {
    const pending = cache.authenticate('wa_key');
    await new Promise((r) => setImmediate(r));
    revoke('k1');
    lookups[0](principal); // the row read before the revocation was stored
    expect(await pending).toBe(principal);
    expect((await authenticate(undefined)).lookedUp).toBe(true);
  });

  it('forgets everything when a revocation is stored through this instance', async () => {
    await authenticate(principal);
    revoke('k1');
    expect(await authenticate(undefined)).toEqual({ result: undefined, lookedUp: true });
  });
});
