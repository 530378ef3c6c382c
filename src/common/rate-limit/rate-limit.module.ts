import { Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import Redis from 'ioredis';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/env';
import { REDIS } from '../../redis/redis.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * RATE_LIMIT_PER_MINUTE spread over windows of RATE_LIMIT_WINDOW: 600 a minute counted in 10 s
 * windows is 100 per window. Never less than one request per window.
 */
export function perKeyLimit(config: AppConfig): ThrottlerOptions {
  const limit = Math.max(1, Math.floor((config.rateLimitPerMinute * config.rateLimitWindowMs) / 60_000));
  return { name: 'api-key', limit, ttl: config.rateLimitWindowMs };
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [perKeyLimit(config)],
        storage: new RedisThrottlerStorage(redis),
      }),
    }),
  ],
  providers: [RateLimitGuard],
  exports: [RateLimitGuard],
})
export class RateLimitModule {}
