import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { closeOnSignals, startUp } from './start-up';

async function main(): Promise<void> {
  const config = await startUp();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureApp(app, config);
  const logger = app.get(Logger);
  closeOnSignals(app, (message) => logger.log(message, 'Main'));
  await app.listen(config.port, config.host);
  logger.log(`API listening on ${config.host} port ${config.port}`, 'Main');
}

void main();
