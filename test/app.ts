import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/bootstrap';
import { Clock } from '../src/common/clock';
import { loadConfig } from '../src/config/env';
import { ManagersService } from '../src/managers/managers.service';
import { TestClock } from './support/test-clock';

export { TestClock };

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  db: DataSource;
  clock: TestClock;
  managerKey: string;
  /** The manager whose key managerKey is. */
  managerId: string;
  close(): Promise<void>;
}

/** The real API on this run's database and Redis prefix, configured exactly as main.ts does. */
export async function createTestApp(customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder): Promise<TestApp> {
  const clock = new TestClock();
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (customize) builder = customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app, loadConfig());
  await app.init();
  const db = app.get(DataSource);
  const { manager, key } = await app.get(ManagersService).create('Test Manager', `manager-${uniqueSuffix()}@example.com`);
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    clock,
    managerKey: key.key,
    managerId: manager.id,
    close: () => app.close(),
  };
}

/** A test app built with these variables set; the rest of the run keeps its own. */
export async function appWith(env: Record<string, string>): Promise<TestApp> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await createTestApp();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

let counter = 0;
export function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
