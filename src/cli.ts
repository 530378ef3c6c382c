import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import Redis from 'ioredis';
import { parseArgs } from 'node:util';
import { revocationChannel } from './access/api-key-cache';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ApiKeysService } from './api-keys/api-keys.service';
import { loggerParams } from './common/logging';
import { ProblemException } from './common/problem';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { AppConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { ManagersModule } from './managers/managers.module';
import { ManagersService } from './managers/managers.service';
import { PhotoCheck } from './photos/photo-check.service';
import { PhotosCoreModule } from './photos/photos-core.module';
import { redisOptions } from './redis/redis.module';
import { startUp } from './start-up';

const USAGE = `Usage:
  cli create-manager --name "Full Name" --email manager@example.com
      Creates a manager (or reuses one with that e-mail) and prints a new API key as the last line.
  cli revoke-key --id <key id>
      Revokes any API key (a manager's or a service center's); running API instances stop accepting it at once.
  cli migrate
      Creates the database if missing and applies pending migrations.
  cli check-photos
      Checks that every photo row has its stored object (STORAGE: local disk or S3) with the right size and
      SHA-256, and lists stored objects without a row. Exit 1 when an object is missing or does not match.`;

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
  if (command === 'revoke-key') return revokeKey(rest);
  if (command === 'check-photos') return checkPhotos();
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a key, then announces it on the Redis channel every API instance's key cache listens
 * to, as the API's DELETE /api-keys/:id does (this process has no cache of its own). Exit 1 when
 * there is no such key, and when the announcement failed: the key is revoked in Postgres, but an
 * instance that remembers it may accept it until API_KEY_CACHE_TTL ends; running the command
 * again is harmless.
 */
async function revokeKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { id: { type: 'string' } }, strict: true });
  const id = values.id?.trim();
  if (!id || !UUID.test(id)) {
    process.stderr.write(`revoke-key needs --id with the key's id (a UUID).\n${USAGE}\n`);
    return 2;
  }
  const config = await startUp({ toStderr: true });
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  const redis = new Redis({ ...redisOptions(config), lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below, from the failed publish
  try {
    const apiKeys = app.get(ApiKeysService);
    let announced: { error?: Error } = {};
    apiKeys.onRevoked(async (keyId) => {
      announced = await redis
        .connect()
        .then(() => redis.publish(revocationChannel(config.redisPrefix), keyId))
        .then(
          () => ({}),
          (error: Error) => ({ error }),
        );
    });
    try {
      await apiKeys.revoke(id);
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) {
        process.stderr.write(`There is no API key with the id ${id}.\n`);
        return 1;
      }
      throw error;
    }
    if (announced.error) {
      process.stderr.write(
        `API key ${id} is revoked, but the running API instances could not be told (${announced.error.message}): ` +
          `one that remembers the key may accept it for up to API_KEY_CACHE_TTL. Run revoke-key again once Redis answers.\n`,
      );
      return 1;
    }
    process.stderr.write(`API key ${id} is revoked.\n`);
    return 0;
  } finally {
    redis.disconnect();
    await app.close();
  }
}

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config, true) }),
    DatabaseModule,
    PhotosCoreModule,
  ],
})
class CheckPhotosModule {}

/** One line per finding on stdout (tab-separated: what, photo id, key, details), a summary on stderr. */
async function checkPhotos(): Promise<number> {
  const config = await startUp({ toStderr: true });
  const app = await NestFactory.createApplicationContext(CheckPhotosModule, { logger: ['error', 'warn'] });
  try {
    const where = config.storage.driver === 's3' ? `s3 bucket ${config.storage.bucket}` : `local disk ${config.uploadDir}`;
    process.stderr.write(`Checking photos on the ${where}…\n`);
    const summary = await app.get(PhotoCheck).run((finding) => {
      const line =
        finding.kind === 'unreferenced'
          ? ['unreferenced', '-', finding.key, finding.size === undefined ? '' : `size=${finding.size}`]
          : finding.kind === 'missing'
            ? ['missing', finding.photoId, finding.key, '']
            : [`${finding.kind}-mismatch`, finding.photoId, finding.key, `expected=${finding.expected} actual=${finding.actual}`];
      process.stdout.write(`${line.join('\t')}\n`);
    });
    process.stderr.write(
      `${summary.rows} photo rows, ${summary.objects} stored objects: ${summary.missing} missing, ${summary.mismatched} not matching, ` +
        `${summary.unreferenced} without a row.\n`,
    );
    return summary.missing + summary.mismatched > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
