import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { REDIS } from '../redis/redis.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AccessGuard } from './access.guard';
import { AnonymousRateLimit } from './anonymous-rate-limit';
import { ApiKeyCache } from './api-key-cache';
import { AuthGuard } from './auth.guard';
import { RateLimitGuard } from './rate-limit.guard';
import { LeasedRateLimitStorage } from './leased-rate-limit.storage';

/**
 * RATE_LIMIT_PER_MINUTE spread over windows of RATE_LIMIT_WINDOW: 600 a minute counted in 10 s
 * windows is 100 per window. Never less than one request per window.
 */
export function perKeyLimit(config: AppConfig): ThrottlerOptions {
  const limit = Math.max(1, Math.floor((config.rateLimitPerMinute * config.rateLimitWindowMs) / 60_000));
  return { name: 'api-key', limit, ttl: config.rateLimitWindowMs };
}

/**
 * Who may call what, and how often: every request passes the one global guard (AccessGuard), which
 * authenticates the API key (deny by default; keys remembered by ApiKeyCache) and then counts the request against the key's
 * rate limit (leased from Redis by LeasedRateLimitStorage, so most requests do not wait for it).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [perKeyLimit(config)],
        storage: new LeasedRateLimitStorage(redis),
      }),
    }),
    ApiKeysModule,
  ],
  providers: [ApiKeyCache, AnonymousRateLimit, AuthGuard, RateLimitGuard, { provide: APP_GUARD, useClass: AccessGuard }],
})
export class AccessModule {}
