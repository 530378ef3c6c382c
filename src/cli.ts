import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { parseArgs } from 'node:util';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { loggerParams } from './common/logging';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { ManagersModule } from './managers/managers.module';
import { ManagersService } from './managers/managers.service';
import { startUp } from './start-up';

const USAGE = `Usage:
  cli create-manager --name "Full Name" --email manager@example.com
      Creates a manager (or reuses one with that e-mail) and prints a new API key as the last line.
  cli migrate
      Creates the database if missing and applies pending migrations.`;

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config, true) }),
    DatabaseModule,
    ApiKeysModule,
    ManagersModule,
  ],
})
class CliModule {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'migrate') {
    await startUp({ migrate: true, toStderr: true });
    process.stderr.write('Migrations are up to date.\n');
    return 0;
  }
  if (command !== 'create-manager') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' } },
    strict: true,
  });
  const name = values.name?.trim();
  const email = values.email?.trim();
  if (!name || !email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    process.stderr.write(`create-manager needs --name and a valid --email.\n${USAGE}\n`);
    return 2;
  }
  await startUp({ toStderr: true });
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    const { manager, key } = await app.get(ManagersService).create(name, email);
    process.stderr.write(`Manager ${manager.name} <${manager.email}> (${manager.id}); API key id ${key.id}:\n`);
    process.stdout.write(`${key.key}\n`);
  } finally {
    await app.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
