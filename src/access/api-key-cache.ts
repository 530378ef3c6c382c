import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { Principal } from '../common/auth/principal';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { REDIS } from '../redis/redis.module';
import { ApiKeysService, hashKey } from '../api-keys/api-keys.service';

/**
 * The Redis channel on which revocations are announced (the key's id), for every API instance's
 * cache. ioredis prefixes keys, not channels: the prefix keeps deployments sharing a Redis apart.
 */
export function revocationChannel(redisPrefix: string): string {
  return `${redisPrefix}:api-keys:revoked`;
}

/** Keys remembered at most; a key that falls out is looked up again on its next request. */
const MAX_ENTRIES = 10_000;

/**
 * Who an API key belongs to, remembered in memory for API_KEY_CACHE_TTL so that a request does
 * not cost a key lookup in Postgres. Revocation stays immediate:
 * - a key revoked through this instance is forgotten before the DELETE answers, which waits
 *   for Redis to take the revocation to every other instance's channel (they forget all);
 * - while this instance is not subscribed to that channel (Redis down, reconnecting) it
 *   remembers nothing and reads Postgres on every request, as with the cache off;
 * - a lookup that started before a revocation is not stored after it (generation check).
 * The TTL bounds only changes made behind the API's back (an UPDATE typed into psql).
 * Unknown and revoked keys are never remembered. Entries are kept under the key's hash.
 */
@Injectable()
export class ApiKeyCache implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('ApiKeyCache');
  private readonly entries: LRUCache<string, Principal> | undefined;
  private readonly channel: string;
  private subscriber: Redis | undefined;
  private subscribed = false;
  private generation = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly apiKeys: ApiKeysService,
  ) {
    if (config.apiKeyCacheTtlMs > 0) this.entries = new LRUCache({ max: MAX_ENTRIES, ttl: config.apiKeyCacheTtlMs });
    this.channel = revocationChannel(config.redisPrefix);
  }

  /** True while remembered keys may be used: the cache is on and revocations can reach it. */
  get active(): boolean {
    return this.entries !== undefined && this.subscribed;
  }

  /** True when `key` would be answered from memory, without a Postgres query. */
  remembers(key: string): boolean {
    return this.active && this.entries!.has(hashKey(key));
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!this.active) return this.apiKeys.authenticate(key);
    const hash = hashKey(key);
    const known = this.entries!.get(hash);
    if (known) return known;
    const generation = this.generation;
    const principal = await this.apiKeys.authenticate(key);
    if (principal && this.active && generation === this.generation) this.entries!.set(hash, principal);
    return principal;
  }

  onModuleInit(): void {
    // The DELETE answers once Redis has taken the message: other instances hear it at once.
    this.apiKeys.onRevoked(async (keyId) => {
      this.forget();
      await this.redis.publish(this.channel, keyId).catch((error: Error) => {
        this.log.warn(`Could not tell other API instances that key ${keyId} was revoked: ${error.message}`);
      });
    });
    if (!this.entries) return;
    const subscriber = this.redis.duplicate({
      keyPrefix: undefined,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      connectionName: this.channel,
    });
    this.subscriber = subscriber;
    subscriber.on('message', () => this.forget());
    // Whatever was remembered may have been revoked while the channel was not heard.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          this.forget();
          // The connection may have dropped again while SUBSCRIBE was on its way.
          this.subscribed = subscriber.status === 'ready';
        },
        (error: Error) => this.log.warn(`Could not subscribe to ${this.channel}: ${error.message}`),
      );
    });
    subscriber.on('close', () => {
      this.subscribed = false;
      this.forget();
    });
    // Errors are retried by ioredis; 'close' above already stopped the cache.
    subscriber.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscribed = false;
    this.subscriber?.disconnect(false);
  }

  private forget(): void {
    this.generation += 1;
    this.entries?.clear();
  }
}
