import { getQueueToken } from '@nestjs/bullmq';
import { Test, TestingModule } from '@nestjs/testing';
import { ConnectionOptions, Job, Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ActLifecycle } from '../src/acts/act-lifecycle.service';
import { formatMoscow } from '../src/messages/format';
import { ActAction } from '../src/acts/act-status';
import { ActSweeps } from '../src/acts/act-sweeps.service';
import { SYSTEM_ACTOR } from '../src/acts/actor';
import { Clock } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config.module';
import { AppConfig, loadConfig } from '../src/config/env';
import { JobName, QueueName } from '../src/jobs/queues';
import { SWEEP_JOB_OPTIONS, SWEEP_JOBS, SweepsProcessor } from '../src/jobs/sweeps.processor';
import { WorkerModule } from '../src/jobs/worker.module';
import { redisOptions } from '../src/redis/redis.module';
import { bearer, createTestApp, TestApp } from './app';
import { makeAct, makeServiceCenter, makeSubmittedAct, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { waitFor } from './support/wait';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A scheduler's first job runs at once: waits until the worker has run those, so they race no test. */
async function firstRunsDone(queue: Queue): Promise<void> {
  await waitFor(async () => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed');
    return counts.waiting + counts.prioritized + counts.active === 0 && counts.completed + counts.failed >= SWEEP_JOBS.length;
  }, 'the first scheduled sweeps');
}

// The sweeps close every overdue act of their database, and the tests move the clock by days:
// so this suite has a database of its own, and Redis keys under its own prefix.
describe('deadline sweeps', () => {
  let databaseUrl: string;
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  let config: AppConfig;
  let api: TestApp;
  let worker: TestingModule;
  let sweeps: ActSweeps;
  let db: DataSource;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    ({ databaseUrl, drop: dropSuiteDatabase } = await createSuiteDatabase());
    config = {
      ...loadConfig(),
      databaseUrl,
      redisPrefix: `${process.env.REDIS_PREFIX}:sweeps`,
      infoReplyWindowMs: 5 * DAY,
      infoReplyWindow: { kind: 'clock', ms: 5 * DAY },
      mismatchWindowMs: 3 * DAY,
      reminderBeforeMs: DAY,
      // The tests run the sweeps themselves; scheduled runs would only race them.
      sweepEveryMs: HOUR,
      notifyPollEveryMs: HOUR,
      rateLimitPerMinute: 100_000,
    };
    api = await createTestApp((b) => b.overrideProvider(APP_CONFIG).useValue(config));
    // The worker on the API's clock: moving it moves both.
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(api.clock)
      .compile();
    await worker.init();
    await firstRunsDone(worker.get(getQueueToken(QueueName.Sweeps)));
    sweeps = worker.get(ActSweeps);
    db = api.db;
    sc = await makeServiceCenter(api);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await dropSuiteDatabase?.();
  });

  // Every test starts from no acts, so what a sweep returns is about that test's acts only.
  beforeEach(async () => {
    await db.query(`TRUNCATE acts, notifications CASCADE`);
  });

  /** Submitted without photos: the system asks for them at once, with a reply deadline. */
  async function infoRequestedAct(owner: TestServiceCenter = sc) {
    const draft = await makeAct(api, owner);
    const res = await api.http.post(`/api/v1/acts/${draft.id}/submit`).set(bearer(owner.key)).expect(200);
    expect(res.body.status).toBe('info_requested');
    return { id: res.body.id as string, number: res.body.number as string, replyDeadline: new Date(res.body.replyDeadline) };
  }

  /** Parts delivered with a mismatch deadline (shipments are another feature: set in SQL). */
  async function deliveredAct(mismatchDeadline: Date, owner: TestServiceCenter = sc) {
    const act = await makeSubmittedAct(api, owner);
    await db.query(`UPDATE acts SET status = 'parts_delivered', mismatch_deadline = $2 WHERE id = $1`, [act.id, mismatchDeadline]);
    return { id: act.id, number: act.number, mismatchDeadline };
  }

  const actRow = async (id: string) => (await db.query(`SELECT * FROM acts WHERE id = $1`, [id]))[0];
  const history = (id: string) => db.query(`SELECT * FROM act_history WHERE act_id = $1 ORDER BY id`, [id]);
  const comments = (id: string) => db.query(`SELECT * FROM act_comments WHERE act_id = $1 ORDER BY created_at, id`, [id]);
  const mails = (id: string, kind?: string) =>
    db.query(`SELECT * FROM notifications WHERE act_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at, id`, [id, kind ?? null]);
  const closings = (id: string) => db.query(`SELECT * FROM act_history WHERE act_id = $1 AND to_status = 'closed'`, [id]);
  const rowCounts = async () =>
    (
      await db.query(`SELECT (SELECT count(*) FROM act_history)::int AS history, (SELECT count(*) FROM act_comments)::int AS comments,
                             (SELECT count(*) FROM notifications)::int AS mails, (SELECT sum(version) FROM acts)::int AS versions`)
    )[0];

  describe('silent acts (info_requested past the reply deadline)', () => {
    it('closes them as warranty_refused, each with a system history row, a system comment and an e-mail, in batches', async () => {
      const due = [await infoRequestedAct(), await infoRequestedAct(), await infoRequestedAct()];
      const notYet = await infoRequestedAct();
      const submitted = await makeSubmittedAct(api, sc);
      const before = await Promise.all(due.map((a) => actRow(a.id)));
      await db.query(`UPDATE acts SET reply_deadline = reply_deadline + interval '1 day' WHERE id = $1`, [notYet.id]);

      api.clock.advance(5 * DAY + 60_000);
      const sweptFrom = api.clock.now();
      // Batches of 2: the loop must go on past a full batch.
      expect(await sweeps.closeSilentActs(2)).toBe(3);
      const sweptTo = api.clock.now();

      for (const [i, act] of due.entries()) {
        const row = await actRow(act.id);
        expect(row).toMatchObject({ status: 'closed', resolution: 'warranty_refused', reply_deadline: null, mismatch_deadline: null });
        expect(row.version).toBe(before[i].version + 1);
        expect(row.closed_at.getTime()).toBeGreaterThanOrEqual(sweptFrom.getTime());
        expect(row.closed_at.getTime()).toBeLessThanOrEqual(sweptTo.getTime());
        expect(row.updated_at).toEqual(row.closed_at);

        const entries = await history(act.id);
        expect(entries.at(-1)).toMatchObject({
          from_status: 'info_requested',
          to_status: 'closed',
          resolution: 'warranty_refused',
          actor_role: 'system',
          actor_id: null,
          actor_name: 'Система',
          reason: 'Нет ответа на запрос информации в срок',
          at: row.closed_at,
        });
        const systemComments = (await comments(act.id)).filter((c: { created_at: Date }) => c.created_at.getTime() === row.closed_at.getTime());
        expect(systemComments).toHaveLength(1);
        expect(systemComments[0]).toMatchObject({ author_role: 'system', author_id: null, author_name: 'Система' });
        expect(systemComments[0].text).toContain('«ОТКАЗ в ГО»');

        const [mail] = (await mails(act.id, 'status_changed')).filter((m: { subject: string }) => m.subject.includes('Закрыт'));
        expect(mail).toMatchObject({
          recipient: sc.email,
          service_center_id: sc.id,
          subject: `Акт ${act.number}: Закрыт (ОТКАЗ в ГО)`,
          state: 'pending',
          dedupe_key: null,
        });
        expect(mail.body).toContain(`Статус акта ${act.number}: «Закрыт (ОТКАЗ в ГО)».\nПричина: Нет ответа на запрос информации в срок.`);
        expect(mail.body).toContain('Что сделать: ');
      }
      expect((await actRow(notYet.id)).status).toBe('info_requested');
      expect((await actRow(submitted.id)).status).toBe('submitted');

      // As the API shows it.
      const view = await api.http.get(`/api/v1/acts/${due[0].id}`).set(bearer(sc.key)).expect(200);
      expect(view.body).toMatchObject({ status: 'closed', resolution: 'warranty_refused', replyDeadline: null });
      const shown = await api.http.get(`/api/v1/acts/${due[0].id}/history`).set(bearer(sc.key)).expect(200);
      expect(shown.body.at(-1)).toMatchObject({ from: 'info_requested', to: 'closed', resolution: 'warranty_refused', actor: { role: 'system' } });
    });

    it('writes exactly what ActLifecycle.apply writes for the same closing', async () => {
      const bySweep = await infoRequestedAct();
      const byApply = await infoRequestedAct();
      api.clock.advance(5 * DAY + 60_000);
      // Out of the sweep's reach while it runs; closed by the lifecycle with the sweep's texts after.
      await db.query(`UPDATE acts SET reply_deadline = reply_deadline + interval '30 days' WHERE id = $1`, [byApply.id]);
      expect(await sweeps.closeSilentActs()).toBe(1);
      const reason = (await history(bySweep.id)).at(-1).reason;
      const text = (await comments(bySweep.id)).at(-1).text;
      await db.transaction(async (tx) => {
        const lifecycle = api.app.get(ActLifecycle);
        const act = await lifecycle.lock(tx, byApply.id);
        await lifecycle.apply(tx, act, ActAction.ExpireReply, SYSTEM_ACTOR, { reason, comment: text });
      });

      const strip = (row: Record<string, unknown>, ...keys: string[]) => {
        const copy = { ...row };
        for (const key of keys) delete copy[key];
        return copy;
      };
      const [a, b] = [await actRow(bySweep.id), await actRow(byApply.id)];
      const actKeys = [
        'id',
        'number',
        'seq',
        'search_text',
        'internal_number',
        'created_at',
        'submitted_at',
        'closed_at',
        'updated_at',
        'reminded_deadline',
        // Each act of the factory has a serial number of its own (else every act would be a duplicate).
        'serial_key',
      ];
      const withoutSerial = (row: Record<string, unknown>) => ({
        ...strip(row, ...actKeys),
        product: strip(row.product as Record<string, unknown>, 'serialNumber'),
      });
      expect(withoutSerial(a)).toEqual(withoutSerial(b));
      expect(a.closed_at).toEqual(a.updated_at);
      expect(b.closed_at).toEqual(b.updated_at);
      const historyKeys = ['id', 'act_id', 'at'];
      expect(strip((await history(bySweep.id)).at(-1), ...historyKeys)).toEqual(strip((await history(byApply.id)).at(-1), ...historyKeys));
      const commentKeys = ['id', 'act_id', 'created_at'];
      expect(strip((await comments(bySweep.id)).at(-1), ...commentKeys)).toEqual(strip((await comments(byApply.id)).at(-1), ...commentKeys));
      const mailKeys = ['id', 'act_id', 'created_at', 'seq', 'subject', 'body'];
      const [ma, mb] = [(await mails(bySweep.id)).at(-1), (await mails(byApply.id)).at(-1)];
      expect(strip(ma, ...mailKeys)).toEqual(strip(mb, ...mailKeys));
      expect(ma.subject.replace(bySweep.number, 'N')).toBe(mb.subject.replace(byApply.number, 'N'));
      expect(ma.body.replaceAll(bySweep.number, 'N')).toBe(mb.body.replaceAll(byApply.number, 'N'));
    });

    it('is idempotent: a second run closes nothing and writes no rows', async () => {
      const acts = [await infoRequestedAct(), await infoRequestedAct()];
      api.clock.advance(5 * DAY + 60_000);
      expect(await sweeps.closeSilentActs()).toBe(2);
      const after = await rowCounts();
      expect(await sweeps.closeSilentActs()).toBe(0);
      expect(await sweeps.closeSilentActs(1)).toBe(0);
      expect(await rowCounts()).toEqual(after);
      for (const act of acts) expect(await closings(act.id)).toHaveLength(1);
    });

    it('run by three workers at once, closes each act exactly once', async () => {
      const acts = await Promise.all(Array.from({ length: 12 }, () => infoRequestedAct()));
      api.clock.advance(5 * DAY + 60_000);
      const closed = await Promise.all([sweeps.closeSilentActs(2), sweeps.closeSilentActs(3), sweeps.closeSilentActs(5)]);
      expect(closed.reduce((sum, n) => sum + n, 0)).toBe(acts.length);
      for (const act of acts) {
        expect((await actRow(act.id)).status).toBe('closed');
        expect(await closings(act.id)).toHaveLength(1);
        expect((await mails(act.id, 'status_changed')).filter((m: { subject: string }) => m.subject.includes('Закрыт'))).toHaveLength(1);
        expect((await comments(act.id)).filter((c: { text: string }) => c.text.includes('не ответил'))).toHaveLength(1);
      }
    });

    it('the SC answering at the deadline races the sweep: exactly one wins, for every act', async () => {
      const racer = await makeServiceCenter(api);
      const acts = await Promise.all(Array.from({ length: 32 }, () => infoRequestedAct(racer)));
      const answer = async (id: string, i: number) =>
        (
          await api.http
            .post(`/api/v1/acts/${id}/comments`)
            .set(bearer(racer.key))
            .send({ text: `Ответ ${i}` })
        ).status;
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

      // Two with a known winner, so that both outcomes are checked below: answered, then swept;
      // swept, then answered.
      const [first, second, ...racing] = acts;
      await db.query(`UPDATE acts SET reply_deadline = $2 WHERE id = ANY($1)`, [[first.id, second.id], new Date(api.clock.now().getTime() - 1000)]);
      const statuses = new Map<string, number>();
      const started = Date.now();
      statuses.set(first.id, await answer(first.id, 0));
      // How long an answer takes over HTTP (L): the race below is timed by it.
      const answerMs = Math.max(10, Date.now() - started);
      let closed = await sweeps.closeSilentActs();
      statuses.set(second.id, await answer(second.id, 1));

      // The other 30 fall due one by one, 3L apart in real time; as each does, its answer is sent
      // and a sweep starts after a random 0-L, so either may take the row lock first.
      const spacing = 3 * answerMs;
      const base = api.clock.now().getTime() + 300;
      await Promise.all(
        racing.map((act, i) => db.query(`UPDATE acts SET reply_deadline = $2 WHERE id = $1`, [act.id, new Date(base + i * spacing)])),
      );
      const wait = base - api.clock.now().getTime();
      const swept = await Promise.all(
        racing.map(async (act, i) => {
          await sleep(wait + i * spacing + 1);
          const [status, n] = await Promise.all([answer(act.id, i + 2), sleep(Math.random() * answerMs).then(() => sweeps.closeSilentActs())]);
          statuses.set(act.id, status);
          return n;
        }),
      );
      // An act the SC held locked was skipped by a sweep; one more run finds what is left.
      closed += swept.reduce((sum, n) => sum + n, 0) + (await sweeps.closeSilentActs());

      let answered = 0;
      for (const act of acts) {
        const row = await actRow(act.id);
        const entries = await history(act.id);
        const scComments = (await comments(act.id)).filter((c: { author_role: string }) => c.author_role === 'service_center');
        const expired = entries.filter((h: { to_status: string }) => h.to_status === 'closed');
        const answers = entries.filter(
          (h: { from_status: string; to_status: string }) => h.from_status === 'info_requested' && h.to_status === 'submitted',
        );
        if (statuses.get(act.id) === 201) {
          answered += 1;
          expect(row.status).toBe('submitted');
          expect(scComments).toHaveLength(1);
          expect(answers).toHaveLength(1);
          expect(expired).toHaveLength(0);
        } else {
          expect(statuses.get(act.id)).toBe(409);
          expect(row).toMatchObject({ status: 'closed', resolution: 'warranty_refused' });
          expect(scComments).toHaveLength(0);
          expect(answers).toHaveLength(0);
          expect(expired).toHaveLength(1);
          expect(expired[0].actor_role).toBe('system');
        }
      }
      expect(statuses.get(first.id)).toBe(201);
      expect(statuses.get(second.id)).toBe(409);
      expect(closed).toBe(acts.length - answered);
    });
  });

  describe('delivered acts (parts_delivered past the mismatch deadline)', () => {
    it('closes them as repaired by the system, once, leaving acts still in their window alone', async () => {
      const now = api.clock.now().getTime();
      const due = await deliveredAct(new Date(now - 60_000));
      const notYet = await deliveredAct(new Date(now + HOUR));
      const before = await actRow(due.id);

      expect(await sweeps.closeDeliveredActs()).toBe(1);
      const row = await actRow(due.id);
      expect(row).toMatchObject({ status: 'closed', resolution: 'repaired', mismatch_deadline: null, version: before.version + 1 });
      expect((await history(due.id)).at(-1)).toMatchObject({
        from_status: 'parts_delivered',
        to_status: 'closed',
        resolution: 'repaired',
        actor_role: 'system',
        actor_name: 'Система',
        reason: 'Нет сообщения о несоответствии запчасти в срок',
      });
      expect((await comments(due.id)).at(-1)).toMatchObject({ author_role: 'system', author_name: 'Система' });
      expect((await mails(due.id, 'status_changed')).at(-1)).toMatchObject({
        recipient: sc.email,
        subject: `Акт ${due.number}: Закрыт (Отремонтировано)`,
      });
      expect((await actRow(notYet.id)).status).toBe('parts_delivered');

      const after = await rowCounts();
      expect(await sweeps.closeDeliveredActs()).toBe(0);
      expect(await sweeps.closeSilentActs()).toBe(0);
      expect(await rowCounts()).toEqual(after);

      api.clock.advance(HOUR + 60_000);
      expect(await sweeps.closeDeliveredActs()).toBe(1);
      expect((await actRow(notYet.id)).resolution).toBe('repaired');
    });
  });

  describe('reminders', () => {
    it('one e-mail REMINDER_BEFORE ahead of a reply deadline, however often the sweep runs; a new deadline gets its own', async () => {
      const act = await infoRequestedAct();
      const versionBefore = (await actRow(act.id)).version;
      api.clock.advance(4 * DAY - 60_000);
      expect(await sweeps.sendReminders()).toBe(0);

      api.clock.advance(2 * 60_000);
      expect(await sweeps.sendReminders()).toBe(1);
      expect(await sweeps.sendReminders()).toBe(0);
      expect(await sweeps.sendReminders()).toBe(0);
      const reminders = await mails(act.id, 'reminder');
      expect(reminders).toHaveLength(1);
      expect(reminders[0]).toMatchObject({
        recipient: sc.email,
        subject: `Акт ${act.number}: ответьте до ${formatMoscow(act.replyDeadline)} (МСК)`,
        dedupe_key: `reminder:${act.id}:${act.replyDeadline.toISOString()}`,
        state: 'pending',
      });
      expect(reminders[0].body).toContain(act.number);
      expect(reminders[0].body).toContain(`до ${formatMoscow(act.replyDeadline)} (МСК)`);
      const row = await actRow(act.id);
      expect(row.reminded_deadline).toEqual(act.replyDeadline);
      // Bookkeeping, not a change of the act: the SC's If-Match stays valid.
      expect(row.version).toBe(versionBefore);

      // Asked again by the manager: a new deadline, and a reminder for it.
      const asked = await api.http
        .post(`/api/v1/acts/${act.id}/request-info`)
        .set(bearer(api.managerKey))
        .send({ text: 'Пришлите ещё фото шильдика', replyWithin: '12h' })
        .expect(200);
      const newDeadline = new Date(asked.body.replyDeadline);
      expect(newDeadline.getTime()).not.toBe(act.replyDeadline.getTime());
      expect(await sweeps.sendReminders()).toBe(1);
      expect(await sweeps.sendReminders()).toBe(0);
      const both = await mails(act.id, 'reminder');
      expect(both).toHaveLength(2);
      expect(both[1].dedupe_key).toBe(`reminder:${act.id}:${newDeadline.toISOString()}`);
      expect(both[1].body).toContain(formatMoscow(newDeadline));

      // Past the deadline: closed, never reminded.
      api.clock.advance(13 * HOUR);
      expect(await sweeps.sendReminders()).toBe(0);
      expect(await sweeps.closeSilentActs()).toBe(1);
      expect(await mails(act.id, 'reminder')).toHaveLength(2);
    });

    it('reminds of a mismatch deadline once, and never of one already past', async () => {
      const now = api.clock.now().getTime();
      const soon = await deliveredAct(new Date(now + 12 * HOUR));
      const later = await deliveredAct(new Date(now + 2 * DAY));
      const past = await deliveredAct(new Date(now - 60_000));

      expect(await sweeps.sendReminders()).toBe(1);
      expect(await sweeps.sendReminders()).toBe(0);
      const [reminder] = await mails(soon.id, 'reminder');
      expect(reminder.subject).toBe(`Акт ${soon.number}: проверьте запчасти до ${formatMoscow(soon.mismatchDeadline)} (МСК)`);
      expect(reminder.body).toContain('запчаст');
      expect(await mails(later.id, 'reminder')).toHaveLength(0);
      expect(await mails(past.id, 'reminder')).toHaveLength(0);
    });

    it('parallel reminder sweeps write one reminder per deadline', async () => {
      const acts = await Promise.all(Array.from({ length: 8 }, () => infoRequestedAct()));
      api.clock.advance(4 * DAY + 60_000);
      const sent = await Promise.all([sweeps.sendReminders(2), sweeps.sendReminders(3), sweeps.sendReminders()]);
      expect(sent.reduce((sum, n) => sum + n, 0)).toBe(acts.length);
      for (const act of acts) expect(await mails(act.id, 'reminder')).toHaveLength(1);
    });
  });

  describe('the worker', () => {
    let queue: Queue;
    beforeAll(() => {
      queue = worker.get(getQueueToken(QueueName.Sweeps));
    });

    async function finished(job: Job): Promise<Job> {
      await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), `job ${job.name} to finish`);
      return (await Job.fromId(queue, job.id!))!;
    }

    it('registers one scheduler per sweep, every SWEEP_EVERY, with retries and kept failures; upserting again adds none', async () => {
      await worker.get(SweepsProcessor).onApplicationBootstrap();
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([...SWEEP_JOBS, JobName.SendReviewDigest].sort());
      const digest = schedulers.find((s) => s.key === String(JobName.SendReviewDigest));
      expect(digest).toMatchObject({ pattern: '0 9 * * *', tz: 'Europe/Moscow' });
      for (const scheduler of schedulers.filter((s) => s !== digest)) {
        expect(scheduler.every).toBe(config.sweepEveryMs);
        expect(scheduler.template?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential' }, removeOnFail: { count: 1000 } });
      }
    });

    it('runs a sweep through the queue with the real processor', async () => {
      const act = await infoRequestedAct();
      const delivered = await deliveredAct(new Date(api.clock.now().getTime() + 5 * DAY + HOUR));
      api.clock.advance(5 * DAY + 60_000);

      const reminders = await finished(await queue.add(JobName.SendReminders, {}));
      expect(reminders.returnvalue).toEqual({ reminded: 1 });
      expect(await mails(delivered.id, 'reminder')).toHaveLength(1);

      const job = await finished(await queue.add(JobName.CloseSilentActs, {}));
      expect(await job.getState()).toBe('completed');
      expect(job.returnvalue).toEqual({ closed: 1 });
      expect(await actRow(act.id)).toMatchObject({ status: 'closed', resolution: 'warranty_refused' });

      api.clock.advance(2 * HOUR);
      const second = await finished(await queue.add(JobName.CloseDeliveredActs, {}));
      expect(second.returnvalue).toEqual({ closed: 1 });
      expect(await actRow(delivered.id)).toMatchObject({ status: 'closed', resolution: 'repaired' });
    });

    it('retries a failing sweep, then keeps it as failed with its reason', async () => {
      const spy = jest.spyOn(sweeps, 'closeDeliveredActs').mockRejectedValue(new Error('database went away'));
      try {
        const job = await finished(await queue.add(JobName.CloseDeliveredActs, {}, { ...SWEEP_JOB_OPTIONS, backoff: { type: 'fixed', delay: 20 } }));
        expect(await job.getState()).toBe('failed');
        expect(job.attemptsMade).toBe(3);
        expect(job.failedReason).toBe('database went away');
        expect(spy).toHaveBeenCalledTimes(3);
        expect((await queue.getFailed()).map((j) => j.id)).toContain(job.id);
      } finally {
        spy.mockRestore();
      }
    });

    it('closing the worker lets the running sweep finish', async () => {
      // A worker of its own (its own queue prefix), closed by the test.
      const own = { ...config, redisPrefix: `${config.redisPrefix}:shutdown` };
      const closing = await Test.createTestingModule({ imports: [WorkerModule] })
        .overrideProvider(APP_CONFIG)
        .useValue(own)
        .overrideProvider(Clock)
        .useValue(api.clock)
        .compile();
      await closing.init();
      const closingQueue = closing.get<Queue>(getQueueToken(QueueName.Sweeps));
      await firstRunsDone(closingQueue);
      const act = await infoRequestedAct();
      api.clock.advance(5 * DAY + 60_000);

      // Hold the sweep inside its statement: it waits for this lock on act_history.
      const blocker = new Client({ connectionString: databaseUrl });
      await blocker.connect();
      let closeDone: Promise<unknown> | undefined;
      const probe = new Queue(QueueName.Sweeps, { connection: redisOptions(own) as ConnectionOptions, prefix: `${own.redisPrefix}:bull` });
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE act_history IN ACCESS EXCLUSIVE MODE');
        const job = await closingQueue.add(JobName.CloseSilentActs, {}, { jobId: 'shutdown-test' });
        await waitFor(async () => (await job.getState()) === 'active', 'the job to start');

        let closed = false;
        closeDone = closing.close().then(() => (closed = true));
        await new Promise((r) => setTimeout(r, 500));
        // The job cannot finish while the lock is held, wherever it is in its statement.
        expect(closed).toBe(false);
        expect(await probe.getJobState('shutdown-test')).toBe('active');
        expect((await actRow(act.id)).status).toBe('info_requested');

        await blocker.query('COMMIT');
        await closeDone;
        expect(await actRow(act.id)).toMatchObject({ status: 'closed', resolution: 'warranty_refused' });
        const done = await Job.fromId(probe, 'shutdown-test');
        expect(await done!.getState()).toBe('completed');
        expect(done!.returnvalue).toEqual({ closed: 1 });
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
        await (closeDone ?? closing.close());
        await probe.close();
      }
    }, 60_000);
  });
});
