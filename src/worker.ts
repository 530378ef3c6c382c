import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './jobs/worker.module';
import { closeOnSignals, startUp } from './start-up';

/** The job worker: BullMQ processors and schedulers. SIGTERM lets the running job finish. */
async function main(): Promise<void> {
  await startUp();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  closeOnSignals(app, (message) => logger.log(message, 'Worker'));
  logger.log('Worker started', 'Worker');
}

void main();
