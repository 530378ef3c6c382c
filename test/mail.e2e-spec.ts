import { Test, TestingModule } from '@nestjs/testing';
import { Job } from 'bullmq';
import { Clock } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config.module';
import { AppConfig, loadConfig } from '../src/config/env';
import { NotificationsProcessor } from '../src/jobs/notifications.processor';
import { JobName } from '../src/jobs/queues';
import { SweepsProcessor } from '../src/jobs/sweeps.processor';
import { WorkerModule } from '../src/jobs/worker.module';
import { formatMoscow } from '../src/messages/format';
import { bearer, createTestApp, TestApp, TestClock, uniqueSuffix } from './app';
import { attachPhotoRows, makeAct, makeApprovedAct, makeServiceCenter, makeShipment, makeSubmittedAct, TestServiceCenter } from './factories';
import { MailReceiver } from './mail-receiver';
import { createSuiteDatabase } from './setup/test-env';
import { waitFor } from './support/wait';

interface Mail {
  kind: string;
  recipient: string;
  reply_to: string | null;
  manager_id: string | null;
  subject: string;
  body: string;
}

const SIGNATURE = 'Гарантийный отдел «Энергопром», 8 800 000-00-00';

/** No enum value (snake_case words such as info_requested) in a text people read; addresses aside. */
function expectNoEnumValues(text: string): void {
  expect(text.replace(/\S+@\S+/g, '')).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
}

// E-mails as API.md "E-mail" says: one per action, none to the actor, the SC's with the next
// step, the deadline and whom to contact, the managers' on what the SC did; per-act order with
// two workers; the morning digest.
describe('e-mail content and order', () => {
  const smtp = new MailReceiver();
  let databaseUrl: string;
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  let config: AppConfig;
  let api: TestApp;
  const workers: TestingModule[] = [];
  let workerClock: TestClock;
  let manager: { id: string; name: string; email: string; phone: string };
  let sc: TestServiceCenter;

  async function startWorker(): Promise<TestingModule> {
    const worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(workerClock)
      .compile();
    await worker.init();
    workers.push(worker);
    return worker;
  }

  beforeAll(async () => {
    ({ databaseUrl, drop: dropSuiteDatabase } = await createSuiteDatabase());
    await smtp.start();
    config = {
      ...loadConfig(),
      databaseUrl,
      redisPrefix: `${process.env.REDIS_PREFIX}:mail`,
      smtpUrl: smtp.url,
      mailFrom: 'Гарантия <warranty@example.com>',
      mailSignature: SIGNATURE,
      notifyBackoffMs: 50,
      notifyPollEveryMs: 3_600_000,
      // Clock time, so that moving the clock by the SLA makes an act overdue whatever the weekday;
      // business-day cut-offs are tested in test/integration/calendar.int-spec.ts.
      reviewSla: { kind: 'clock', ms: 3 * 86_400_000 },
      reviewSlaMs: 3 * 86_400_000,
    };
    api = await createTestApp((b) => b.overrideProvider(APP_CONFIG).useValue(config));
    workerClock = new TestClock();
    await startWorker();
    const suffix = uniqueSuffix();
    const created = await api.http
      .post('/api/v1/managers')
      .set(bearer(api.managerKey))
      .send({ name: 'Анна Петрова', email: `anna-${suffix}@example.com`, phone: '+7 495 123-45-67', office: 'Москва' })
      .expect(201);
    manager = created.body;
    sc = await responsibleSc();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await api?.close();
    await smtp.stop();
    await dropSuiteDatabase?.();
  });

  /** A service center whose responsible manager is `manager`. */
  async function responsibleSc(): Promise<TestServiceCenter> {
    const made = await makeServiceCenter(api);
    await api.http.patch(`/api/v1/service-centers/${made.id}`).set(bearer(api.managerKey)).send({ managerId: manager.id }).expect(200);
    return made;
  }

  async function mails(actId: string): Promise<Mail[]> {
    return api.db.query(`SELECT kind, recipient, reply_to, manager_id, subject, body FROM notifications WHERE act_id = $1 ORDER BY seq`, [actId]);
  }
  const toSc = async (actId: string) => (await mails(actId)).filter((m) => m.manager_id === null);
  const toManagers = async (actId: string) => (await mails(actId)).filter((m) => m.manager_id !== null);
  /** Forgets what was written so far, so the next action's e-mails stand alone. */
  const clear = (actId: string) => api.db.query(`DELETE FROM notifications WHERE act_id = $1`, [actId]);

  function expectScMail(mail: Mail, number: string): void {
    expect(mail.recipient).toBe(sc.email);
    expect(mail.reply_to).toBe(manager.email);
    expect(mail.subject).toContain(`Акт ${number}`);
    expect(mail.body).toContain(number);
    expect(mail.body).toContain('Что сделать:');
    expect(mail.body).toContain(`Ваш менеджер: Анна Петрова, ${manager.email}, тел. ${manager.phone}.`);
    expect(mail.body).toContain(SIGNATURE);
    expectNoEnumValues(mail.subject + '\n' + mail.body);
  }

  function expectManagerMail(mail: Mail, number: string): void {
    expect(mail.manager_id).toBe(manager.id);
    expect(mail.recipient).toBe(manager.email);
    expect(mail.reply_to).toBe(sc.email);
    expect(mail.subject).toContain(`Акт ${number}`);
    expect(mail.body).toContain(number);
    expect(mail.body).toContain(`«${sc.name}»`);
    expectNoEnumValues(mail.subject + '\n' + mail.body);
  }

  it('submit with missing photos: ONE e-mail to the SC with the list and the deadline; the manager hears of the new act', async () => {
    const draft = await makeAct(api, sc);
    await attachPhotoRows(api, draft.id, ['nameplate']);
    const res = await api.http.post(`/api/v1/acts/${draft.id}/submit`).set(bearer(sc.key)).expect(200);
    expect(res.body.status).toBe('info_requested');

    const [mail, ...more] = await toSc(draft.id);
    expect(more).toHaveLength(0);
    expectScMail(mail, draft.number);
    expect(mail.subject).toBe(`Акт ${draft.number}: Запрошена информация`);
    expect(mail.body).toContain('фото гарантийного талона');
    expect(mail.body).toContain('фото поломки');
    expect(mail.body).not.toContain('фото шильдика');
    expect(mail.body).toContain(`Срок: до ${formatMoscow(new Date(res.body.replyDeadline))} (МСК).`);

    const [notice, ...others] = await toManagers(draft.id);
    expect(others).toHaveLength(0);
    expectManagerMail(notice, draft.number);
    expect(notice.subject).toBe(`Акт ${draft.number}: новый акт на рассмотрение`);
  });

  it('submit with every photo: nothing to the SC (its own action), one e-mail to the responsible manager only', async () => {
    const act = await makeSubmittedAct(api, sc);
    expect(await toSc(act.id)).toEqual([]);
    const notices = await toManagers(act.id);
    expect(notices).toHaveLength(1);
    expectManagerMail(notices[0], act.number);
    expect(notices[0].body).toContain('Акт ждёт вашего решения.');
  });

  it('a question: one e-mail with the status, the question and the deadline; the answer goes to the manager only', async () => {
    const act = await makeSubmittedAct(api, sc);
    await clear(act.id);
    const asked = await api.http
      .post(`/api/v1/acts/${act.id}/request-info`)
      .set(bearer(api.managerKey))
      .send({ text: 'Пришлите фото серийного номера крупным планом.' })
      .expect(200);
    const [mail, ...more] = await toSc(act.id);
    expect(more).toHaveLength(0);
    expectScMail(mail, act.number);
    expect(mail.kind).toBe('status_changed');
    expect(mail.body).toContain('Статус акта');
    expect(mail.body).toContain('«Пришлите фото серийного номера крупным планом.»');
    expect(mail.body).toContain('Ответьте комментарием к акту');
    expect(mail.body).toContain(`Срок: до ${formatMoscow(new Date(asked.body.replyDeadline))} (МСК).`);
    expect(await toManagers(act.id)).toEqual([]);

    await clear(act.id);
    await api.http.post(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).send({ text: 'Фото приложили, номер 01.234.09274.' }).expect(201);
    expect(await toSc(act.id)).toEqual([]);
    const [answer, ...others] = await toManagers(act.id);
    expect(others).toHaveLength(0);
    expectManagerMail(answer, act.number);
    expect(answer.subject).toBe(`Акт ${act.number}: ответ сервисного центра`);
    expect(answer.body).toContain('«Фото приложили, номер 01.234.09274.»');
  });

  it("an SC's comment goes to the manager; a manager's comment to the SC, never back to its author", async () => {
    const act = await makeSubmittedAct(api, sc);
    await clear(act.id);
    await api.http.post(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).send({ text: 'Клиент торопит.' }).expect(201);
    expect(await toSc(act.id)).toEqual([]);
    const [notice] = await toManagers(act.id);
    expectManagerMail(notice, act.number);
    expect(notice.subject).toBe(`Акт ${act.number}: комментарий сервисного центра`);

    await clear(act.id);
    await api.http.post(`/api/v1/acts/${act.id}/comments`).set(bearer(api.managerKey)).send({ text: 'Рассмотрим сегодня.' }).expect(201);
    expect(await toManagers(act.id)).toEqual([]);
    const [mail, ...more] = await toSc(act.id);
    expect(more).toHaveLength(0);
    expectScMail(mail, act.number);
    expect(mail.subject).toBe(`Акт ${act.number}: комментарий менеджера`);
    expect(mail.body).toContain('«Рассмотрим сегодня.»');
  });

  it('approval, shipment with its tracking number, delivery by the SC and a problem report: one e-mail each, to the right side', async () => {
    const act = await makeApprovedAct(api, sc);
    const approved = await toSc(act.id);
    expect(approved).toHaveLength(1);
    expectScMail(approved[0], act.number);
    expect(approved[0].subject).toBe(`Акт ${act.number}: Одобрен`);

    await clear(act.id);
    const shipment = await makeShipment(api, [act.id]);
    const [shipped, ...more] = await toSc(act.id);
    expect(more).toHaveLength(0);
    expectScMail(shipped, act.number);
    expect(shipped.body).toContain(shipment.trackingNumber);
    expect(shipped.body).toContain('подтвердите получение');

    await clear(act.id);
    await api.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(bearer(sc.key)).send({}).expect(200);
    expect(await toSc(act.id)).toEqual([]);
    const [delivered] = await toManagers(act.id);
    expectManagerMail(delivered, act.number);
    expect(delivered.subject).toBe(`Акт ${act.number}: запчасти получены`);

    await clear(act.id);
    await api.http
      .post(`/api/v1/acts/${act.id}/mismatch`)
      .set(bearer(sc.key))
      .send({ reason: 'wrong_part', text: 'Пришёл не тот коленвал.' })
      .expect(200);
    expect(await toSc(act.id)).toEqual([]);
    const [problem, ...others] = await toManagers(act.id);
    expect(others).toHaveLength(0);
    expectManagerMail(problem, act.number);
    expect(problem.subject).toBe(`Акт ${act.number}: сервисный центр сообщил о проблеме`);
    expect(problem.body).toContain('прислали не ту запчасть');
    expect(problem.body).toContain('«Пришёл не тот коленвал.»');
  });

  it('a burst of ten events on one act reaches the SMTP server in event order with two workers running', async () => {
    const act = await makeSubmittedAct(api, sc);
    await clear(act.id);
    for (let i = 1; i <= 10; i++) {
      await api.http
        .post(`/api/v1/acts/${act.id}/comments`)
        .set(bearer(api.managerKey))
        .send({ text: `Сообщение ${i}` })
        .expect(201);
    }
    const second = await startWorker();
    const processors = workers.map((w) => w.get(NotificationsProcessor));
    await Promise.all(processors.map((p) => p.dispatch()));
    const received = await waitFor(
      async () => {
        const got = smtp.to(sc.email).filter((m) => m.subject === `Акт ${act.number}: комментарий менеджера`);
        return got.length >= 10 ? got : undefined;
      },
      'ten e-mails',
      30_000,
    );
    expect(received.map((m) => /Сообщение (\d+)/.exec(m.body)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(received[0].raw).toMatch(new RegExp(`^Reply-To: ${manager.email.replace(/[.]/g, '\\.')}`, 'mi'));
    expect(second).toBeDefined();
  });

  it('the morning digest lists each manager its acts past the review SLA, once a day, and nothing to a manager without any', async () => {
    const overdue = await makeSubmittedAct(api, sc);
    const sweeps = workers[0].get(SweepsProcessor);
    const run = () => sweeps.process({ name: JobName.SendReviewDigest, data: {} } as Job);
    const digests = (): Promise<(Mail & { dedupe_key: string })[]> =>
      api.db.query(`SELECT recipient, manager_id, subject, body, dedupe_key FROM notifications WHERE kind = 'digest' ORDER BY seq`);

    // Not overdue yet: nothing at all.
    expect(await run()).toEqual({ digests: 0 });

    workerClock.advance(config.reviewSlaMs + 3600_000);
    expect(await run()).toEqual({ digests: 1 });
    const [digest, ...more] = await digests();
    expect(more).toHaveLength(0);
    expect(digest.recipient).toBe(manager.email);
    expect(digest.subject).toMatch(/^Просрочено рассмотрение: \d+ акт/);
    expect(digest.body).toContain(`акт ${overdue.number}, ${sc.name}`);
    expect(digest.body).toContain('Анна Петрова, доброе утро!');
    expectNoEnumValues(digest.body);
    expect(digest.dedupe_key).toMatch(new RegExp(`^digest:${manager.id}:\\d{4}-\\d{2}-\\d{2}$`));

    // Run again the same day (a retry, a second worker): nothing new.
    expect(await run()).toEqual({ digests: 0 });
    expect(await digests()).toHaveLength(1);
    // The next morning: a new one.
    workerClock.advance(24 * 3600_000);
    expect(await run()).toEqual({ digests: 1 });
  });
});
