import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config.module';
import { AppConfig, loadConfig } from '../src/config/env';
import { NotificationsProcessor, REQUEUE_AFTER_MS } from '../src/jobs/notifications.processor';
import { JobName, QueueName } from '../src/jobs/queues';
import { WorkerModule } from '../src/jobs/worker.module';
import { NotificationKind } from '../src/notifications/notification.entity';
import { NotificationSender } from '../src/notifications/notification-sender.service';
import { NotificationsService } from '../src/notifications/notifications.service';
import { bearer, createTestApp, TestApp, TestClock } from './app';
import { makeServiceCenter, TestServiceCenter } from './factories';
import { MailReceiver } from './mail-receiver';
import { createSuiteDatabase } from './setup/test-env';
import { waitFor } from './support/wait';

const ATTEMPTS = 3;

interface Row {
  state: string;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  queued_at: Date | null;
}

// The worker here polls the outbox of its own database: other suites' processes (a worker
// started by processes.e2e-spec) must not send these rows, nor this worker theirs.
describe('e-mail notifications', () => {
  const smtp = new MailReceiver();
  let databaseUrl: string;
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  let config: AppConfig;
  let api: TestApp;
  let worker: TestingModule;
  let workerClock: TestClock;
  let processor: NotificationsProcessor;
  let queue: Queue;
  let db: DataSource;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    ({ databaseUrl, drop: dropSuiteDatabase } = await createSuiteDatabase());
    await smtp.start();
    config = {
      ...loadConfig(),
      databaseUrl,
      // Under the run's prefix, so the global teardown removes these keys too.
      redisPrefix: `${process.env.REDIS_PREFIX}:notify`,
      smtpUrl: smtp.url,
      mailFrom: 'Гарантия <warranty@example.com>',
      notifyAttempts: ATTEMPTS,
      notifyBackoffMs: 50,
      // The tests call dispatch() themselves; the scheduler's own runs would only race them.
      notifyPollEveryMs: 3_600_000,
    };
    api = await createTestApp((b) => b.overrideProvider(APP_CONFIG).useValue(config));
    workerClock = new TestClock();
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(workerClock)
      .compile();
    await worker.init();
    processor = worker.get(NotificationsProcessor);
    queue = worker.get(getQueueToken(QueueName.Notifications));
    db = api.db;
    sc = await makeServiceCenter(api);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp.stop();
    await dropSuiteDatabase?.();
  });

  async function enqueue(to: TestServiceCenter, subject: string, body: string): Promise<string> {
    const [id] = await db.transaction((tx) =>
      api.app.get(NotificationsService).enqueue(tx, [{ serviceCenterId: to.id, actId: null, kind: NotificationKind.StatusChanged, subject, body }]),
    );
    return id;
  }

  async function row(id: string): Promise<Row> {
    const [found] = await db.query(`SELECT state, attempts, last_error, sent_at, queued_at FROM notifications WHERE id = $1`, [id]);
    return found;
  }

  const inState = (id: string, state: string) => async () => {
    const current = await row(id);
    return current.state === state ? current : undefined;
  };

  it('sends a committed outbox row by SMTP: recipient, sender, subject, body and a Message-ID from the row id', async () => {
    const id = await enqueue(sc, 'Акт № 2025-000123: статус «На рассмотрении»', 'Здравствуйте!\nАкт № 2025-000123 передан менеджеру.');

    expect((await processor.dispatch()).queued).toBeGreaterThanOrEqual(1);
    const sent = await waitFor(inState(id, 'sent'), 'the row to be sent');

    expect(sent.sent_at).toBeInstanceOf(Date);
    expect(sent.attempts).toBe(1);
    const mails = smtp.to(sc.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'warranty@example.com',
      messageId: `<${id}@warranty-acts>`,
      subject: 'Акт № 2025-000123: статус «На рассмотрении»',
      body: 'Здравствуйте!\nАкт № 2025-000123 передан менеджеру.',
    });
  });

  it('retries a message the SMTP server refuses, then sends it exactly once', async () => {
    const other = await makeServiceCenter(api);
    smtp.failNext(other.email, 2);
    const id = await enqueue(other, 'Комментарий менеджера', 'Пришлите фото шильдика.');

    await processor.dispatch();
    const sent = await waitFor(inState(id, 'sent'), 'the row to be sent after retries');

    expect(sent.attempts).toBe(3);
    expect(sent.last_error).toBeNull();
    expect(smtp.to(other.email).map((m) => m.messageId)).toEqual([`<${id}@warranty-acts>`]);
    expect(await (await queue.getJob(id))?.getState()).toBe('completed');
  });

  it('sends nothing when the job of a row already sent runs again', async () => {
    const other = await makeServiceCenter(api);
    const id = await enqueue(other, 'Акт закрыт', 'Акт закрыт: ремонт выполнен.');
    await processor.dispatch();
    await waitFor(inState(id, 'sent'), 'the row to be sent');
    const job = await waitFor(async () => {
      const found = await queue.getJob(id);
      return (await found?.getState()) === 'completed' ? found : undefined;
    }, 'the job to complete');

    await job.retry('completed');
    const rerun = await waitFor(async () => {
      const found = await queue.getJob(id);
      return (await found?.getState()) === 'completed' && found?.returnvalue ? found : undefined;
    }, 'the job to run again');
    expect(rerun.returnvalue).toBe('already-sent');

    // A second dispatch does not queue a sent row either.
    await processor.dispatch();
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.to(other.email)).toHaveLength(1);
    expect((await row(id)).attempts).toBe(1);
  });

  it('sends once when two deliveries of one row run at the same time (a job thought stalled runs twice)', async () => {
    const other = await makeServiceCenter(api);
    const id = await enqueue(other, 'Два исполнителя', 'Одно письмо.');
    const sender = worker.get(NotificationSender);
    const outcomes = await Promise.all([sender.deliver(id, false), sender.deliver(id, false), sender.deliver(id, false)]);
    // The others waited for the row and found it sent.
    expect(outcomes.sort()).toEqual(['already-sent', 'already-sent', 'sent']);
    expect(smtp.to(other.email)).toHaveLength(1);
    expect((await row(id)).state).toBe('sent');
  });

  it('queues again a pending row whose job was lost, once its claim is old', async () => {
    const other = await makeServiceCenter(api);
    const id = await enqueue(other, 'Напоминание', 'Срок ответа истекает завтра.');
    // As if the dispatcher had queued it and Redis had then lost the job.
    await db.query(`UPDATE notifications SET queued_at = $2 WHERE id = $1`, [id, workerClock.now()]);

    await processor.dispatch();
    expect(await queue.getJob(id)).toBeUndefined();

    workerClock.advance(REQUEUE_AFTER_MS + 1000);
    await processor.dispatch();
    await waitFor(inState(id, 'sent'), 'the lost row to be sent');
    expect(smtp.to(other.email)).toHaveLength(1);
  });

  it('marks a row failed, with the error, after the last attempt', async () => {
    const bouncing = await makeServiceCenter(api, { email: `bounce-${Date.now()}@example.com` });
    const id = await enqueue(bouncing, 'Акт отклонён', 'Отказ в гарантийном обслуживании.');

    await processor.dispatch();
    const failed = await waitFor(inState(id, 'failed'), 'the row to fail');

    expect(failed.attempts).toBe(ATTEMPTS);
    expect(failed.last_error).toMatch(/550/);
    expect(failed.sent_at).toBeNull();
    expect(await (await queue.getJob(id))?.getState()).toBe('failed');
    // Failed rows are not picked up again.
    workerClock.advance(REQUEUE_AFTER_MS + 1000);
    expect((await processor.dispatch()).queued).toBe(0);
    expect(smtp.to(bouncing.email)).toHaveLength(0);
  });

  describe('GET /api/v1/admin/queues', () => {
    it('counts jobs per queue and the outbox by state with the age of the oldest pending row', async () => {
      const before = await api.http.get('/api/v1/admin/queues').set(bearer(api.managerKey)).expect(200);
      expect(before.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
        QueueName.Maintenance,
        QueueName.Notifications,
        QueueName.Sweeps,
        QueueName.Webhooks,
      ]);
      for (const q of before.body.queues) {
        expect(Object.keys(q.counts).sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'paused', 'waiting']);
      }
      const [counts] = await db.query(
        `SELECT count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM notifications`,
      );
      expect(before.body.outbox).toMatchObject({
        pending: 0,
        sent: counts.sent,
        failed: counts.failed,
        oldestPendingAt: null,
        oldestPendingAgeSeconds: null,
      });
      expect(counts.sent).toBeGreaterThan(0);

      // Two rows not dispatched yet, and a job waiting an hour on the maintenance queue.
      await enqueue(sc, 'Первое', 'Текст');
      await enqueue(sc, 'Второе', 'Текст');
      const maintenance: Queue = worker.get(getQueueToken(QueueName.Maintenance));
      const delayed = await maintenance.add(JobName.PurgeIdempotencyKeys, {}, { delay: 3_600_000 });
      api.clock.advance(90_000);
      try {
        const after = await api.http.get('/api/v1/admin/queues').set(bearer(api.managerKey)).expect(200);
        const byName = (body: { queues: { name: string; counts: Record<string, number> }[] }, name: string) =>
          body.queues.find((q) => q.name === name)!.counts;
        expect(after.body.outbox.pending).toBe(2);
        expect(after.body.outbox.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(90);
        expect(after.body.outbox.oldestPendingAgeSeconds).toBeLessThan(120);
        expect(byName(after.body, QueueName.Maintenance).delayed).toBe(byName(before.body, QueueName.Maintenance).delayed + 1);
        expect(byName(after.body, QueueName.Notifications).failed).toBeGreaterThanOrEqual(1);
        expect(byName(after.body, QueueName.Notifications).completed).toBeGreaterThanOrEqual(3);
      } finally {
        await delayed.remove();
      }
    });

    it('is for managers only', async () => {
      await api.http.get('/api/v1/admin/queues').set(bearer(sc.key)).expect(403);
      await api.http.get('/api/v1/admin/queues').expect(401);
    });

    // The 200 schema comes from the swagger CLI plugin at build time, which jest does not run.
    it('is documented in OpenAPI with its problems', async () => {
      const res = await api.http.get('/api/v1/openapi.json').expect(200);
      const operation = res.body.paths['/api/v1/admin/queues'].get;
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '503']));
      expect(operation.security).toEqual([{ bearer: [] }]);
    });
  });
});
