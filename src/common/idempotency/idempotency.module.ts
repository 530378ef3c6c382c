import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';

/** The idempotency records: claimed by the API's interceptor, purged by the worker. */
@Module({
  providers: [IdempotencyRepository],
  exports: [IdempotencyRepository],
})
export class IdempotencyModule {}
