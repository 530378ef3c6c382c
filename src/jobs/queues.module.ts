import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Logger, Module } from '@nestjs/common';
import { ConnectionOptions, Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { redisOptions } from '../redis/redis.module';
import { QueueName } from './queues';
import { SweepStats } from './sweep-stats.service';

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

/**
 * BullMQ on REDIS_URL with every queue registered: the producers' side (the API) and the
 * processors' (the worker). Nest keeps one instance of this module per process, so each process
 * holds one Queue per name.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: redisOptions(config) as ConnectionOptions,
        prefix: `${config.redisPrefix}:bull`,
      }),
    }),
    registeredQueues,
  ],
  providers: [queueErrorLog, SweepStats],
  exports: [registeredQueues, SweepStats],
})
export class QueuesModule {}
