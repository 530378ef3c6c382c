import { Module } from '@nestjs/common';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ActsModule } from './acts/acts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { CalendarModule } from './calendar/calendar.module';
import { ClockModule } from './common/clock';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { loggerParams } from './common/logging';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { AccessModule } from './access/access.module';
import { AppValidationPipe } from './common/validation.pipe';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { QueuesAdminModule } from './jobs/queues-admin.module';
import { QueuesModule } from './jobs/queues.module';
import { CommentsModule } from './comments/comments.module';
import { ManagersModule } from './managers/managers.module';
import { MetricsModule } from './metrics/metrics.module';
import { PhotosModule } from './photos/photos.module';
import { ProductCategoriesModule } from './product-categories/product-categories.module';
import { RedisModule } from './redis/redis.module';
import { ReportsModule } from './reports/reports.module';
import { ServiceCentersModule } from './service-centers/service-centers.module';
import { SettlementsModule } from './settlements/settlements.module';
import { ShipmentsModule } from './shipments/shipments.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The HTTP API. */
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
    DatabaseModule,
    IdempotencyModule,
    RedisModule,
    AccessModule,
    QueuesModule,
    HealthModule,
    ApiKeysModule,
    ManagersModule,
    ServiceCentersModule,
    ProductCategoriesModule,
    ActsModule,
    CommentsModule,
    ShipmentsModule,
    QueuesAdminModule,
    ReportsModule,
    SettlementsModule,
    PhotosModule,
    CalendarModule,
    MetricsModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
