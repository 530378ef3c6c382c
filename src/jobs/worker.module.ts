import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Logger, Module } from '@nestjs/common';
import { ConnectionOptions, Queue } from 'bullmq';
import { LoggerModule } from 'nestjs-pino';
import { ClockModule } from '../common/clock';
import { loggerParams } from '../common/logging';
import { APP_CONFIG, ConfigModule } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DatabaseModule } from '../database/database.module';
import { redisOptions } from '../redis/redis.module';
import { NotificationDeliveryModule } from '../notifications/notification-delivery.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { OrphanPhotos } from '../photos/orphan-photos';
import { PhotoStorageModule } from '../photos/storage/photo-storage.module';
import { NotificationsProcessor } from './notifications.processor';
import { QueueName } from './queues';
import { ActSweeps } from '../acts/act-sweeps.service';
import { SweepsProcessor } from './sweeps.processor';

const registeredQueues = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name })));

/**
 * A queue without an error listener prints every failed reconnection to stderr; this logs a
 * queue's error once per change instead. Attached as soon as the queues exist.
 */
const queueErrorLog = {
  provide: 'QUEUE_ERROR_LOG',
  inject: Object.values(QueueName).map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => {
    const logger = new Logger('Queues');
    for (const queue of queues) {
      let last = '';
      queue.on('error', (error) => {
        if (error.message !== last) logger.warn(`Queue ${queue.name}: ${error.message}`);
        last = error.message;
      });
    }
    return true;
  },
};

@Module({ imports: [registeredQueues], providers: [queueErrorLog] })
class QueueErrorLogModule {}

/**
 * BullMQ on REDIS_URL, with every queue registered; shared by the worker and the API (producers).
 * The same module objects wherever imported, so each process holds one Queue per name.
 */
export const QueuesModule = [
  BullModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      connection: redisOptions(config) as ConnectionOptions,
      prefix: `${config.redisPrefix}:bull`,
    }),
  }),
  registeredQueues,
  QueueErrorLogModule,
] as const;

/** The worker process: job processors and schedulers, no HTTP. */
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
    DatabaseModule,
    ...QueuesModule,
    NotificationDeliveryModule,
    PhotoStorageModule,
  ],
  providers: [
    MaintenanceProcessor,
    OrphanPhotos,
    NotificationsProcessor,
    // Deadline sweeps.
    ActSweeps,
    SweepsProcessor,
  ],
})
export class WorkerModule {}
