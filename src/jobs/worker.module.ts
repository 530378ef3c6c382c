import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { LoggerModule } from 'nestjs-pino';
import { ActsCoreModule } from '../acts/acts-core.module';
import { ClockModule } from '../common/clock';
import { loggerParams } from '../common/logging';
import { APP_CONFIG, ConfigModule } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DatabaseModule } from '../database/database.module';
import { NotificationDeliveryModule } from '../notifications/notification-delivery.module';
import { PhotosCoreModule } from '../photos/photos-core.module';
import { RedisModule } from '../redis/redis.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { NotificationsProcessor } from './notifications.processor';
import { QueuesModule } from './queues.module';
import { SweepsProcessor } from './sweeps.processor';
import { WebhookDeliveryModule } from '../webhooks/webhook-delivery.module';
import { WebhooksProcessor } from './webhooks.processor';

/**
 * The worker process: job processors and schedulers, no HTTP. It imports the feature modules
 * whose work the jobs call (sweeps, sending e-mail, photo housekeeping), never their classes.
 */
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
    DatabaseModule,
    RedisModule,
    IdempotencyModule,
    QueuesModule,
    ActsCoreModule,
    NotificationDeliveryModule,
    PhotosCoreModule,
    WebhookDeliveryModule,
  ],
  providers: [MaintenanceProcessor, NotificationsProcessor, SweepsProcessor, WebhooksProcessor],
})
export class WorkerModule {}
