import { Test, TestingModule } from '@nestjs/testing';
import { Webhook } from 'standardwebhooks';
import { ActSweeps } from '../src/acts/act-sweeps.service';
import { Clock } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config.module';
import { AppConfig, loadConfig } from '../src/config/env';
import { WorkerModule } from '../src/jobs/worker.module';
import { WebhookSender } from '../src/webhooks/webhook-sender.service';
import { bearer, createTestApp, TestApp, TestClock } from './app';
import { makeAct, makeApprovedAct, makeServiceCenter, makeShipment, makeSubmittedAct, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { waitFor } from './support/wait';
import { WebhookReceiver } from './support/webhook-receiver';

const ATTEMPTS = 4;

interface DeliveryItem {
  id: string;
  event: string;
  eventId: string;
  actId: string | null;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponseBody: string | null;
  deliveredAt: string | null;
}

// Partner webhooks end to end: the API records events in the same transaction as each change,
// a worker of this suite (its own database and Redis prefix) delivers them to a real local HTTP
// receiver (WEBHOOK_ALLOW_PRIVATE: the receiver is on the loopback; the guard is tested in
// webhooks-ssrf.e2e-spec.ts).
describe('webhooks', () => {
  const receiver = new WebhookReceiver();
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  let config: AppConfig;
  let api: TestApp;
  let worker: TestingModule;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    const { databaseUrl, drop } = await createSuiteDatabase();
    dropSuiteDatabase = drop;
    await receiver.start();
    config = {
      ...loadConfig(),
      databaseUrl,
      redisPrefix: `${process.env.REDIS_PREFIX}:webhooks`,
      notifyPollEveryMs: 100,
      webhookAttempts: ATTEMPTS,
      webhookBackoffMs: 50,
      webhookAllowPrivate: true,
      webhookTimeoutMs: 2000,
    };
    api = await createTestApp((b) => b.overrideProvider(APP_CONFIG).useValue(config));
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(new TestClock())
      .compile();
    await worker.init();
    sc = await makeServiceCenter(api);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await dropSuiteDatabase?.();
  });

  async function subscribe(key: string, path: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(key))
      .send({ url: receiver.url(path), ...body })
      .expect(201);
    return res.body as { id: string; secret: string };
  }

  async function deliveries(key: string, webhookId: string, query = ''): Promise<{ items: DeliveryItem[]; nextCursor: string | null }> {
    const res = await api.http.get(`/api/v1/webhooks/${webhookId}/deliveries${query}`).set(bearer(key)).expect(200);
    return res.body as { items: DeliveryItem[]; nextCursor: string | null };
  }

  const comment = (key: string, actId: string, text: string) =>
    api.http.post(`/api/v1/acts/${actId}/comments`).set(bearer(key)).send({ text }).expect(201);

  it('creates an endpoint with a whsec_ secret shown once, and signs every delivery so that standardwebhooks verifies it', async () => {
    const created = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(sc.key))
      .set('Idempotency-Key', 'webhook-create-1')
      .send({ url: receiver.url('/signed'), description: '1С' })
      .expect(201);
    expect(created.body).toMatchObject({ url: receiver.url('/signed'), events: null, description: '1С', enabled: true });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // A replay answers the same endpoint without the secret (the idempotency store never holds it).
    const replay = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(sc.key))
      .set('Idempotency-Key', 'webhook-create-1')
      .send({ url: receiver.url('/signed'), description: '1С' })
      .expect(201);
    expect(replay.body.id).toBe(created.body.id);
    expect(replay.body.secret).toBeUndefined();
    const got = await api.http.get(`/api/v1/webhooks/${created.body.id}`).set(bearer(sc.key)).expect(200);
    expect(got.body.secret).toBeUndefined();

    const act = await makeSubmittedAct(api, sc);
    const [request] = await waitFor(() => receiver.at('/signed').length && receiver.at('/signed'), 'the act.submitted webhook');
    const verified = new Webhook(created.body.secret as string).verify(request.body, request.headers) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown>;
    };
    expect(verified.type).toBe('act.submitted');
    expect(verified.data).toMatchObject({ actId: act.id, number: act.number, status: 'submitted', previousStatus: 'draft', resolution: null });
    expect(request.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(() => new Webhook(`whsec_${Buffer.from('another secret entirely!').toString('base64')}`).verify(request.body, request.headers)).toThrow();

    // After a rotation both secrets verify for 24 h: two signatures in one header.
    const rotated = await api.http.post(`/api/v1/webhooks/${created.body.id}/rotate-secret`).set(bearer(sc.key)).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    await api.http.post(`/api/v1/acts/${act.id}/comments`).set(bearer(api.managerKey)).send({ text: 'Пришлите фото' }).expect(201);
    const afterRotation = await waitFor(() => receiver.at('/signed').find((r) => r.body.includes('act.comment_added')), 'the comment webhook');
    expect(afterRotation.headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [created.body.secret as string, rotated.body.secret as string]) {
      expect((new Webhook(secret).verify(afterRotation.body, afterRotation.headers) as { type: string }).type).toBe('act.comment_added');
    }
  });

  it('retries 500, 500 and delivers on the third attempt with the same webhook-id', async () => {
    const hook = await subscribe(sc.key, '/flaky', { events: ['act.submitted'] });
    receiver.answerNext('/flaky', [500, 500]);
    const act = await makeSubmittedAct(api, sc);

    const attempts = await waitFor(() => receiver.at('/flaky').length >= 3 && receiver.at('/flaky'), 'three attempts');
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const [item] = (
      await waitFor(
        async () => (await deliveries(sc.key, hook.id)).items.find((d) => d.status === 'delivered') && deliveries(sc.key, hook.id),
        'delivered',
      )
    ).items;
    expect(item).toMatchObject({ event: 'act.submitted', actId: act.id, status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
    expect(item.eventId).toBe(attempts[0].headers['webhook-id']);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at('/flaky')).toHaveLength(3);
  });

  it('delivers the events of one act in order under a burst of 20 changes, a failing event holding the later ones back', async () => {
    const hook = await subscribe(sc.key, '/burst', { events: ['act.comment_added'] });
    const act = await makeAct(api, sc);
    // The third request fails twice: everything after it must wait for it.
    receiver.answerNext('/burst', [200, 200, 503, 503]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => comment(sc.key, act.id, `Комментарий ${i + 1}`)));

    const accepted = await waitFor(() => receiver.accepted('/burst').length >= 20 && receiver.accepted('/burst'), '20 comment webhooks', 30_000);
    const recorded: { id: string }[] = await api.db.query(
      `SELECT id FROM webhook_events WHERE act_id = $1 AND type = 'act.comment_added' ORDER BY seq`,
      [act.id],
    );
    expect(accepted.map((e) => e.id)).toEqual(recorded.map((e) => e.id));
    const texts = (await api.http.get(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).expect(200)).body.map((c: { text: string }) => c.text);
    expect(accepted.map((e) => (e.data.comment as { text: string }).text)).toEqual(texts);
    const log = await deliveries(sc.key, hook.id, '?limit=100');
    expect(log.items.every((d) => d.status === 'delivered')).toBe(true);
  });

  it("never sends a service center another's events; a manager's endpoint hears every act", async () => {
    const scB = await makeServiceCenter(api);
    await subscribe(sc.key, '/sc-a');
    await subscribe(scB.key, '/sc-b');
    await subscribe(api.managerKey, '/manager');
    const actA = await makeSubmittedAct(api, sc);
    const actB = await makeSubmittedAct(api, scB);

    await waitFor(() => {
      const seen = new Set(receiver.accepted('/manager').map((e) => e.data.actId));
      return seen.has(actA.id) && seen.has(actB.id) && receiver.accepted('/sc-a').length > 0 && receiver.accepted('/sc-b').length > 0;
    }, 'both service centers and the manager to hear');
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(receiver.accepted('/sc-a').map((e) => e.data.actId))).toEqual(new Set([actA.id]));
    expect(new Set(receiver.accepted('/sc-b').map((e) => e.data.actId))).toEqual(new Set([actB.id]));
    expect(receiver.accepted('/sc-b').every((e) => e.data.serviceCenterId === scB.id)).toBe(true);
  });

  it("shows owners only their own endpoints: another's is 404 for reading, changing, deleting and its log", async () => {
    const scB = await makeServiceCenter(api);
    const hook = await subscribe(sc.key, '/private');
    for (const key of [scB.key, api.managerKey]) {
      await api.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(key)).expect(404);
      await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(key)).send({ enabled: false }).expect(404);
      await api.http.get(`/api/v1/webhooks/${hook.id}/deliveries`).set(bearer(key)).expect(404);
      await api.http.post(`/api/v1/webhooks/${hook.id}/rotate-secret`).set(bearer(key)).expect(404);
      await api.http.delete(`/api/v1/webhooks/${hook.id}`).set(bearer(key)).expect(404);
      const list = await api.http.get('/api/v1/webhooks?limit=100').set(bearer(key)).expect(200);
      expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(hook.id);
    }
    const own = await api.http.get('/api/v1/webhooks?limit=1').set(bearer(sc.key)).expect(200);
    expect(own.body.items).toHaveLength(1);
    expect(own.body.nextCursor).toEqual(expect.any(String));
    const next = await api.http.get(`/api/v1/webhooks?limit=1&cursor=${own.body.nextCursor}`).set(bearer(sc.key)).expect(200);
    expect(next.body.items[0].id).not.toBe(own.body.items[0].id);
    await api.http.delete(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).expect(204);
    await api.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).expect(404);
  });

  it('refuses a bad body with 422 naming each field', async () => {
    const res = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(sc.key))
      .set('Accept-Language', 'en')
      .send({ url: 'ftp://example.com/x', events: ['act.submitted', 'act.nope'], description: 5, secret: 'mine' })
      .expect(422);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['description', 'secret']));
    expect(fields.some((f) => f.startsWith('events'))).toBe(true);
    const scheme = await api.http.post('/api/v1/webhooks').set(bearer(sc.key)).send({ url: 'ftp://example.com/x' }).expect(422);
    expect(scheme.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    await api.http.post('/api/v1/webhooks').set(bearer(sc.key)).send({ url: 'not a url' }).expect(422);
    await api.http
      .post('/api/v1/webhooks')
      .set(bearer(sc.key))
      .send({ url: receiver.url('/x'), events: [] })
      .expect(422);
    const hook = await subscribe(sc.key, '/patch');
    const patched = await api.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(bearer(sc.key))
      .send({ events: ['act.edited'], description: null })
      .expect(200);
    expect(patched.body).toMatchObject({ events: ['act.edited'], description: null, url: receiver.url('/patch') });
    await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).send({ enabled: 'yes' }).expect(422);
  });

  it('sends nothing to a disabled endpoint until it is enabled again, then everything it missed, in order', async () => {
    const hook = await subscribe(sc.key, '/paused', { events: ['act.comment_added'] });
    await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).send({ enabled: false }).expect(200);
    const act = await makeAct(api, sc);
    for (const text of ['первый', 'второй', 'третий']) await comment(sc.key, act.id, text);
    await new Promise((r) => setTimeout(r, 800));
    expect(receiver.at('/paused')).toHaveLength(0);
    expect((await deliveries(sc.key, hook.id)).items.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);

    const enabled = await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null });
    const got = await waitFor(() => receiver.accepted('/paused').length >= 3 && receiver.accepted('/paused'), 'the held events');
    expect(got.map((e) => (e.data.comment as { text: string }).text)).toEqual(['первый', 'второй', 'третий']);
  });

  it('disables an endpoint failing for WEBHOOK_DISABLE_AFTER, e-mails its owner, and resumes once enabled', async () => {
    const hook = await subscribe(sc.key, '/dead', { events: ['act.comment_added'] });
    receiver.answerAlways('/dead', 502);
    // It has been failing (since its first failure after the last success) for longer than WEBHOOK_DISABLE_AFTER.
    await api.db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [hook.id]);
    const act = await makeAct(api, sc);
    await comment(sc.key, act.id, 'до отключения');

    const disabled = await waitFor(async () => {
      const res = await api.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).expect(200);
      return res.body.enabled === false && res.body;
    }, 'the endpoint to be disabled');
    expect(disabled.disabledAt).toEqual(expect.any(String));
    const mails: { recipient: string; subject: string; body: string }[] = await api.db.query(
      `SELECT recipient, subject, body FROM notifications WHERE kind = 'webhook_disabled' AND service_center_id = $1`,
      [sc.id],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0].recipient).toBe(sc.email);
    expect(mails[0].body).toContain(receiver.url('/dead'));
    const attemptsWhenDisabled = receiver.at('/dead').length;
    await comment(sc.key, act.id, 'пока отключён');
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.at('/dead')).toHaveLength(attemptsWhenDisabled);

    receiver.answerAlways('/dead', undefined);
    await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).send({ enabled: true }).expect(200);
    const got = await waitFor(() => receiver.accepted('/dead').length >= 2 && receiver.accepted('/dead'), 'both comments after enabling');
    expect(got.map((e) => (e.data.comment as { text: string }).text)).toEqual(['до отключения', 'пока отключён']);
    const after = await api.http.get(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).expect(200);
    expect(after.body.failingSince).toBeNull();
  });

  it('logs every delivery with a cursor, fails one for good after WEBHOOK_ATTEMPTS, and retries it by hand with the same webhook-id', async () => {
    const hook = await subscribe(sc.key, '/gone', { events: ['act.comment_added'] });
    receiver.answerAlways('/gone', { status: 410, body: 'Gone for now' });
    const act = await makeAct(api, sc);
    await comment(sc.key, act.id, 'один');
    await comment(sc.key, act.id, 'два');

    // The first fails for good after ATTEMPTS tries; that releases the second, which fails too.
    const failed = await waitFor(
      async () => {
        const log = await deliveries(sc.key, hook.id);
        return log.items.length === 2 && log.items.every((d) => d.status === 'failed') && log;
      },
      'both deliveries to fail for good',
      20_000,
    );
    for (const item of failed.items) {
      expect(item).toMatchObject({
        attempts: ATTEMPTS,
        lastStatusCode: 410,
        lastError: 'HTTP 410',
        lastResponseBody: 'Gone for now',
        deliveredAt: null,
      });
    }
    const page1 = await deliveries(sc.key, hook.id, '?limit=1');
    const page2 = await deliveries(sc.key, hook.id, `?limit=1&cursor=${page1.nextCursor}`);
    expect([...page1.items, ...page2.items].map((d) => d.id)).toEqual(failed.items.map((d) => d.id));
    expect(page2.nextCursor).toBeNull();
    await api.http.get(`/api/v1/webhooks/${hook.id}/deliveries?cursor=bad`).set(bearer(sc.key)).expect(400);

    receiver.answerAlways('/gone', undefined);
    const older = failed.items[1];
    await api.http.post(`/api/v1/webhooks/${hook.id}/deliveries/${older.id}/retry`).set(bearer(sc.key)).expect(202);
    const retried = await waitFor(() => receiver.accepted('/gone')[0], 'the manual retry');
    expect(retried.id).toBe(older.eventId);
    const after = await waitFor(
      async () => (await deliveries(sc.key, hook.id)).items.find((d) => d.id === older.id && d.status === 'delivered'),
      'delivered',
    );
    expect(after.attempts).toBe(ATTEMPTS + 1);
    await api.http
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/retry`)
      .set(bearer(sc.key))
      .expect(404);
  });

  it('keeps at most 1 KB of the response body', async () => {
    const hook = await subscribe(sc.key, '/chatty', { events: ['act.submitted'] });
    receiver.answerAlways('/chatty', { status: 200, body: 'я'.repeat(3000) });
    await makeSubmittedAct(api, sc);
    const item = await waitFor(async () => (await deliveries(sc.key, hook.id)).items.find((d) => d.status === 'delivered'), 'delivered');
    expect(Buffer.byteLength(item.lastResponseBody ?? '')).toBeLessThanOrEqual(1024);
    expect(item.lastResponseBody).toMatch(/^я{500,}$/);
  });

  it('times out a receiver that does not answer in WEBHOOK_TIMEOUT, and follows no redirect', async () => {
    const hook = await subscribe(sc.key, '/slow', { events: ['act.submitted'] });
    receiver.answerNext('/slow', [
      { status: 200, delayMs: 3000 },
      { status: 302, headers: { location: receiver.url('/elsewhere') } },
    ]);
    await makeSubmittedAct(api, sc);
    const delivered = await waitFor(
      async () => (await deliveries(sc.key, hook.id)).items.find((d) => d.status === 'delivered'),
      'delivered at last',
      15_000,
    );
    // 1: no answer within WEBHOOK_TIMEOUT (2 s here; the receiver answers after 3 s), 2: a redirect, not followed, 3: 200.
    await waitFor(() => receiver.at('/slow').length >= 3, 'the slow answer to be logged', 5_000);
    expect(
      receiver
        .at('/slow')
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 302]);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
    expect(delivered.attempts).toBe(3);
  });

  it('sends every kind of act event: submit with missing photos, edits, shipments, and the set-based sweep', async () => {
    await subscribe(sc.key, '/kinds');
    const noPhotos = await makeAct(api, sc);
    await api.http.post(`/api/v1/acts/${noPhotos.id}/submit`).set(bearer(sc.key)).expect(200);
    const approved = await makeApprovedAct(api, sc);
    await api.http
      .put(`/api/v1/acts/${approved.id}/diagnosis`)
      .set(bearer(api.managerKey))
      .send({ mechanic: 'Сидоров', result: 'Гидроудар', conclusion: 'Гарантия', warrantyCase: true })
      .expect(200);
    const shipment = await makeShipment(api, [approved.id]);
    await api.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(bearer(api.managerKey)).send({}).expect(200);
    // The act with missing photos is closed by the sweep once its reply deadline passed.
    await api.db.query(`UPDATE acts SET reply_deadline = now() - interval '1 minute' WHERE id = $1`, [noPhotos.id]);
    expect(await worker.get(ActSweeps).closeSilentActs()).toBeGreaterThanOrEqual(1);

    const types = (actId: string) =>
      receiver
        .accepted('/kinds')
        .filter((e) => e.data.actId === actId)
        .map((e) => e.type);
    await waitFor(() => types(noPhotos.id).includes('act.status_changed') && types(approved.id).includes('shipment.delivered'), 'all events', 20_000);
    expect(types(noPhotos.id)).toEqual(['act.submitted', 'act.info_requested', 'act.comment_added', 'act.status_changed', 'act.comment_added']);
    expect(types(approved.id)).toEqual([
      'act.submitted',
      'act.status_changed',
      'act.edited',
      'act.comment_added',
      'act.status_changed',
      'act.comment_added',
      'shipment.created',
      'act.status_changed',
      'shipment.delivered',
    ]);
    const closed = receiver.accepted('/kinds').find((e) => e.data.actId === noPhotos.id && e.type === 'act.status_changed');
    expect(closed?.data).toMatchObject({
      number: noPhotos.number,
      status: 'closed',
      previousStatus: 'info_requested',
      resolution: 'warranty_refused',
      serviceCenterId: sc.id,
    });
    // The sweep's comment event carries the comment as the act's comments show it.
    const { body: comments } = await api.http.get(`/api/v1/acts/${noPhotos.id}/comments`).set(bearer(sc.key)).expect(200);
    const sweepComment = receiver
      .accepted('/kinds')
      .filter((e) => e.data.actId === noPhotos.id && e.type === 'act.comment_added')
      .at(-1);
    expect(sweepComment?.data.comment).toEqual(comments.at(-1));
    const shipped = receiver.accepted('/kinds').find((e) => e.type === 'shipment.created');
    expect(shipped?.data).toMatchObject({ actId: approved.id, status: 'parts_shipped', shipment: { id: shipment.id, carrier: 'СДЭК' } });
  });

  it('sends invoice.issued with the amount and the payment reference when a paid order is invoiced', async () => {
    await subscribe(sc.key, '/invoices', { events: ['invoice.issued'] });
    const act = await makeApprovedAct(api, sc, 'paid');
    const parts = (act.parts as { id: string; ownPart: boolean }[]).filter((p) => !p.ownPart);
    await api.http
      .post(`/api/v1/acts/${act.id}/invoice`)
      .set(bearer(api.managerKey))
      .send({ lines: parts.map((p) => ({ partId: p.id, unitPrice: '250.00' })) })
      .expect(201);
    await waitFor(() => receiver.accepted('/invoices').some((e) => e.data.actId === act.id), 'the invoice event', 20_000);
    const events = receiver.accepted('/invoices').filter((e) => e.data.actId === act.id);
    // Only the subscribed type: none of the act's status or comment events.
    expect(events.map((e) => e.type)).toEqual(['invoice.issued']);
    expect(events[0].data).toMatchObject({
      number: act.number,
      status: 'approved',
      kind: 'paid',
      invoice: { currency: 'RUB', paymentReference: act.number, replaced: false },
    });
    expect((events[0].data.invoice as { lines: unknown[] }).lines).toHaveLength(parts.length);
  });

  it('shows the webhook backlog and failures in GET /admin/queues', async () => {
    const res = await api.http.get('/api/v1/admin/queues').set(bearer(api.managerKey)).expect(200);
    expect(res.body.queues.map((q: { name: string }) => q.name)).toContain('webhooks');
    expect(res.body.webhooks).toMatchObject({
      pending: expect.any(Number),
      delivered: expect.any(Number),
      failed: expect.any(Number),
      disabledEndpoints: expect.any(Number),
    });
    expect(res.body.webhooks.delivered).toBeGreaterThan(0);
    expect(res.body.webhooks.failed).toBeGreaterThan(0);
  });

  it('sends a delivery once when two jobs for the same attempt run at the same time', async () => {
    const hook = await subscribe(sc.key, '/twice', { events: ['act.submitted'] });
    // The dispatcher must not take it first: the endpoint is disabled while the row is made.
    await api.http.patch(`/api/v1/webhooks/${hook.id}`).set(bearer(sc.key)).send({ enabled: false }).expect(200);
    await makeSubmittedAct(api, sc);
    const [{ id }]: { id: string }[] = await api.db.query(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, [hook.id]);
    await api.db.query(`UPDATE webhook_endpoints SET enabled = true WHERE id = $1`, [hook.id]);
    await api.db.query(`UPDATE webhook_deliveries SET queued_at = now() WHERE id = $1`, [id]);
    const sender = worker.get(WebhookSender);
    const outcomes = await Promise.all([sender.deliver(id, 0), sender.deliver(id, 0), sender.deliver(id, 0)]);
    expect(outcomes.map((o) => o.result).sort()).toEqual(['already-done', 'already-done', 'delivered']);
    expect(receiver.at('/twice')).toHaveLength(1);
  });
});
