import { freePort, waitFor } from '../support/wait';
import { WebhookReceiver } from '../support/webhook-receiver';
import { cli, ServiceProcess, sql } from './harness';
import { PrivatePostgres, PrivateRedis } from './private-services';

/**
 * The worker SIGKILLed again and again while it delivers webhooks to a real receiver: after a
 * restart every event arrives, no event arrives under another webhook-id (a repeat is the same
 * event with the same webhook-id: the receiver drops it), and the events of each act arrive in
 * the order they were recorded.
 */
describe('webhooks under worker kills', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  const receiver = new WebhookReceiver();
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let base: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    pg = new PrivatePostgres(await freePort());
    pg.init();
    pg.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    await receiver.start();
    // Every answer takes a moment, so that kills land while requests are out.
    for (const path of ['/sc', '/manager']) receiver.answerAlways(path, { status: 200, delayMs: 15 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'fault-webhooks',
      NOTIFY_POLL_EVERY: '200ms',
      WEBHOOK_BACKOFF: '200ms',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // A killed worker's jobs run again once their lock expired: 5 s rather than the default 30 s.
      JOB_LOCK: '5s',
      LOG_LEVEL: 'warn',
      UPLOAD_DIR: `${pg.dir}/uploads`,
    };
    cli(env, ['migrate']);
    api = new ServiceProcess('main.js', env);
    api.start();
    worker = new ServiceProcess('worker.js', { ...env, LOG_LEVEL: 'info' });
    await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, 'the API', 20_000);
  }, 60_000);

  afterAll(async () => {
    await api?.kill('SIGTERM');
    await worker?.kill('SIGTERM');
    await receiver.stop();
    await redis?.destroy();
    pg?.destroy();
  });

  it('delivers every event after SIGKILLs mid-delivery, none under another webhook-id, in order per act', async () => {
    const managerKey = cli(env, ['create-manager', '--name', 'Hooks Manager', '--email', 'hooks@example.com']);
    const m = { authorization: `Bearer ${managerKey}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, headers = m) => {
      const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const sc = await post('/service-centers', { name: 'СЦ Вебхуки', email: 'hooks-sc@example.com' });
    const scKey = (await post(`/service-centers/${sc.id as string}/api-keys`, {})).key as string;
    const s = { authorization: `Bearer ${scKey}`, 'content-type': 'application/json' };
    await post('/webhooks', { url: receiver.url('/sc') }, s);
    await post('/webhooks', { url: receiver.url('/manager') });
    const [{ id: categoryId }] = await sql<{ id: string }>(pg.url, `SELECT id FROM product_categories LIMIT 1`);

    // 40 acts, 5 comments each: 200 events, 400 deliveries (the SC's endpoint and the manager's).
    const ACTS = 40;
    const COMMENTS = 5;
    await Promise.all(
      Array.from({ length: ACTS }, async (_, i) => {
        const act = await post(
          '/acts',
          {
            product: {
              categoryId,
              model: `Модель ${i}`,
              serialNumber: `SN-${i}`,
              complaint: 'Не запускается',
              condition: 'used',
              saleDate: '2026-06-01',
              acceptedDate: '2026-06-15',
              completeness: 'full',
              hasWarrantyCard: true,
            },
          },
          s,
        );
        for (let c = 1; c <= COMMENTS; c++) await post(`/acts/${act.id as string}/comments`, { text: `Комментарий ${c}` }, s);
      }),
    );
    const events = await sql<{ id: string; act_id: string; payload: string }>(
      pg.url,
      `SELECT id, act_id, payload::text FROM webhook_events ORDER BY seq`,
    );
    expect(events).toHaveLength(ACTS * COMMENTS);
    const [{ n: total }] = await sql<{ n: string }>(pg.url, `SELECT count(*) AS n FROM webhook_deliveries`);
    expect(Number(total)).toBe(2 * ACTS * COMMENTS);
    const delivered = async () =>
      Number((await sql<{ n: string }>(pg.url, `SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'`))[0].n);

    const started = Date.now();
    const killedAt: number[] = [];
    for (let round = 0; round < 4 && (await delivered()) < Number(total); round++) {
      worker.start();
      await waitFor(() => worker.output.includes('Worker started'), 'the worker to start', 20_000);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await worker.kill('SIGKILL');
      killedAt.push(await delivered());
    }
    process.stderr.write(
      `faults: worker killed with ${killedAt.join(', ')} of ${total} webhook deliveries done, in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    const restarted = Date.now();
    worker.start();
    // Jobs that were running when the worker died come back once their lock expired (JOB_LOCK).
    await waitFor(async () => (await delivered()) === Number(total), 'every delivery', 150_000, 500);
    process.stderr.write(`faults: the rest delivered ${((Date.now() - restarted) / 1000).toFixed(0)} s after the last restart\n`);

    const byId = new Map(events.map((e) => [e.id, e]));
    const order = new Map<string, string[]>();
    for (const e of events) order.set(e.act_id, [...(order.get(e.act_id) ?? []), e.id]);
    let repeats = 0;
    for (const path of ['/sc', '/manager']) {
      const accepted = receiver.at(path).filter((r) => r.status === 200);
      // Each body is its event's, under the event's own webhook-id.
      for (const r of accepted) {
        const event = byId.get(r.headers['webhook-id']);
        expect(event).toBeDefined();
        expect(JSON.parse(r.body)).toEqual(JSON.parse(event?.payload ?? 'null'));
      }
      // Every event arrived; a repeat is the same event (same webhook-id) again.
      expect(new Set(accepted.map((r) => r.headers['webhook-id'])).size).toBe(events.length);
      repeats += accepted.length - events.length;
      // In order per act: a repeat comes right after its own first arrival (a later event waits for it), so collapsing
      // consecutive repeats leaves exactly the recorded order.
      const seen = new Map<string, string[]>();
      for (const r of accepted) {
        const event = byId.get(r.headers['webhook-id']);
        if (!event) continue;
        const list = seen.get(event.act_id) ?? [];
        if (list[list.length - 1] !== event.id) list.push(event.id);
        seen.set(event.act_id, list);
      }
      for (const [actId, ids] of order) expect(seen.get(actId)).toEqual(ids);
    }
    process.stderr.write(`faults: ${repeats} webhook requests repeated a delivered event with its webhook-id\n`);
  }, 300_000);
});
