import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConnectionOptions } from 'bullmq';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from '../common/logging';
import { APP_CONFIG, ConfigModule } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DatabaseModule } from '../database/database.module';
import { redisOptions } from '../redis/redis.module';
import { MaintenanceProcessor } from './maintenance.processor';
import { QueueName } from './queues';

/** BullMQ on REDIS_URL, with every queue registered; shared by the worker and the API (producers). */
export const QueuesModule = [
  BullModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      connection: redisOptions(config) as ConnectionOptions,
      prefix: `${config.redisPrefix}:bull`,
    }),
  }),
  BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
];

/** The worker process: job processors and schedulers, no HTTP. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
    DatabaseModule,
    ...QueuesModule,
  ],
  providers: [MaintenanceProcessor],
})
export class WorkerModule {}
