import { ModuleMetadata, Provider, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock, ClockModule } from '../../src/common/clock';
import { APP_CONFIG, ConfigModule } from '../../src/config/config.module';
import { AppConfig, loadConfig } from '../../src/config/env';
import { DatabaseModule } from '../../src/database/database.module';
import { createSuiteDatabase } from '../setup/test-env';
import { TestClock } from './test-clock';

export interface ServiceTest {
  moduleRef: TestingModule;
  /** The suite's own database: nothing else writes to it. */
  db: DataSource;
  clock: TestClock;
  config: AppConfig;
  /** A provider of the module, found by its class wherever it is declared. */
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

export interface ServiceTestOptions {
  /** Feature modules under test, as the app imports them. */
  imports: ModuleMetadata['imports'];
  /** Providers that no imported module declares yet. */
  providers?: Provider[];
  /** Configuration over the run's (which comes from the environment). */
  config?: Partial<AppConfig>;
}

/**
 * The integration tier's harness: real feature modules with the configuration, the database
 * module and a clock the test moves, on a database of the suite's own (a copy of the migrated
 * template). No HTTP, no queues unless a module imported brings them.
 */
export async function createServiceTest(options: ServiceTestOptions): Promise<ServiceTest> {
  const suite = await createSuiteDatabase();
  const clock = new TestClock();
  const config: AppConfig = { ...loadConfig(), ...options.config, databaseUrl: suite.databaseUrl };
  let moduleRef: TestingModule | undefined;
  try {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ClockModule, DatabaseModule, ...(options.imports ?? [])],
      providers: options.providers ?? [],
    })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
  } catch (error) {
    await moduleRef?.close().catch(() => undefined);
    await suite.drop();
    throw error;
  }
  const ref = moduleRef;
  return {
    moduleRef: ref,
    db: ref.get(DataSource),
    clock,
    config,
    get: <T>(type: Type<T>) => ref.get(type, { strict: false }),
    close: async () => {
      await ref.close();
      await suite.drop();
    },
  };
}
