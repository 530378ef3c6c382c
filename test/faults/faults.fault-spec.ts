import { Client } from 'pg';
import { MailReceiver } from '../mail-receiver';
import { freePort, waitFor } from '../support/wait';
import { cli, ServiceProcess, sql, startLoad } from './harness';
import { PrivatePostgres, PrivateRedis } from './private-services';

/**
 * Faults while the service is under load, against a Postgres and a Redis of the test's own:
 * the API answers 503 while a dependency is down and recovers by itself, no request that got a
 * 2xx is lost, and every e-mail is delivered exactly once (by Message-ID).
 */
describe('faults under load', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let mail: MailReceiver;
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let base: string;
  let env: Record<string, string>;
  let scKey: string;
  let categoryId: string;

  const ready = async () => (await fetch(`${base}/health/ready`)).status;

  beforeAll(async () => {
    pg = new PrivatePostgres(await freePort());
    pg.init();
    pg.start();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    mail = new MailReceiver();
    await mail.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'fault',
      SMTP_URL: mail.url,
      NOTIFY_POLL_EVERY: '300ms',
      NOTIFY_BACKOFF: '200ms',
      SWEEP_EVERY: '500ms',
      // A job whose worker died (or lost Redis) runs again once its lock expired: 5 s, not 30 s.
      JOB_LOCK: '5s',
      LOG_LEVEL: 'warn',
      UPLOAD_DIR: `${pg.dir}/uploads`,
    };
    const managerKey = cli(env, ['create-manager', '--name', 'Fault Manager', '--email', 'fault@example.com']);
    api = new ServiceProcess('main.js', env);
    api.start();
    worker = new ServiceProcess('worker.js', { ...env, LOG_LEVEL: 'info' });
    worker.start();
    await waitFor(async () => (await ready()) === 200, 'the API', 20_000);
    const m = { authorization: `Bearer ${managerKey}`, 'content-type': 'application/json' };
    const sc = (await (
      await fetch(`${base}/api/v1/service-centers`, {
        method: 'POST',
        headers: m,
        body: JSON.stringify({ name: 'СЦ Сбой', email: 'fault-sc@example.com' }),
      })
    ).json()) as { id: string };
    scKey = (
      (await (await fetch(`${base}/api/v1/service-centers/${sc.id}/api-keys`, { method: 'POST', headers: m, body: '{}' })).json()) as { key: string }
    ).key;
    categoryId = ((await (await fetch(`${base}/api/v1/product-categories`, { headers: m })).json()) as { id: string }[])[0].id;
  }, 60_000);

  afterAll(async () => {
    await api?.kill('SIGTERM');
    await worker?.kill('SIGTERM');
    await mail?.stop();
    await redis?.destroy();
    pg?.destroy();
  });

  async function expectNothingLost(created: string[]): Promise<void> {
    const rows = await sql<{ id: string; status: string }>(pg.url, `SELECT id, status FROM acts WHERE id = ANY($1::uuid[])`, [created]);
    expect(rows).toHaveLength(new Set(created).size);
  }

  // A send job that was running when Redis or the worker went away comes back only once its
  // lock has expired and BullMQ's stalled-job check has run (JOB_LOCK each): allow for both.
  async function expectEveryMailOnce(timeoutMs = 150_000): Promise<void> {
    try {
      await waitFor(
        async () => {
          const [row] = await sql<{ pending: string }>(pg.url, `SELECT count(*) FILTER (WHERE state <> 'sent') AS pending FROM notifications`);
          return Number(row.pending) === 0;
        },
        'every notification to be sent',
        timeoutMs,
      );
    } catch (error) {
      const states = await sql(pg.url, `SELECT state, count(*) FROM notifications GROUP BY state`);
      process.stderr.write(`faults: outbox ${JSON.stringify(states)}\n`);
      throw error;
    }
    const ids = await sql<{ id: string }>(pg.url, `SELECT id FROM notifications`);
    const delivered = new Map<string, number>();
    for (const m of mail.received) delivered.set(m.messageId, (delivered.get(m.messageId) ?? 0) + 1);
    const missing = ids.filter((r) => !delivered.has(`<${r.id}@warranty-acts>`));
    expect(missing).toEqual([]);
    const duplicateIds = [...delivered].filter(([, n]) => n > 1).map(([id]) => id);
    const duplicates = duplicateIds.length;
    if (duplicates) process.stderr.write(`faults: duplicated ${duplicateIds.slice(0, 3).join(' ')}\n`);
    // Delivery is at least once; the Message-ID makes it exactly once for the receiver.
    // Report raw duplicates (a kill between SMTP acceptance and the "sent" mark) for the log.
    if (duplicates) process.stderr.write(`faults: ${duplicates} messages were delivered twice (same Message-ID)\n`);
    expect(new Set(mail.received.map((m) => m.messageId)).size).toBeGreaterThanOrEqual(ids.length);
  }

  it('keeps serving while Redis restarts, reports not-ready meanwhile, and recovers by itself', async () => {
    const load = startLoad(base, scKey, categoryId);
    await new Promise((r) => setTimeout(r, 1000));
    await redis.stop();
    await waitFor(async () => (await ready()) === 503, 'readiness to report Redis down', 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    await waitFor(async () => (await ready()) === 200, 'readiness to recover', 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    expect(result.errors).toEqual([]);
    expect(result.created.length).toBeGreaterThan(10);
    await expectNothingLost(result.created);
    await expectEveryMailOnce();
  }, 240_000);

  it('answers 503 while Postgres restarts, loses no acknowledged act, and recovers by itself', async () => {
    const load = startLoad(base, scKey, categoryId);
    await new Promise((r) => setTimeout(r, 1000));
    pg.stop('fast');
    await waitFor(async () => (await ready()) === 503, 'readiness to report Postgres down', 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    pg.start();
    await waitFor(async () => (await ready()) === 200, 'readiness to recover', 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    if (result.errors.length)
      process.stderr.write(
        api.output
          .split('\n')
          .filter((l) => l.includes('"level":50'))
          .slice(-3)
          .join('\n'),
      );
    expect(result.errors).toEqual([]);
    expect(result.statuses.get(503) ?? 0).toBeGreaterThan(0);
    await expectNothingLost(result.created);
    expect(worker.running).toBe(true);
    await expectEveryMailOnce();
  }, 240_000);

  it('closes every overdue act exactly once and e-mails it once, though the worker is killed mid-sweep again and again', async () => {
    const ACTS = 2000;
    await worker.kill('SIGTERM');
    const [{ id: scId }] = await sql<{ id: string }>(pg.url, `SELECT id FROM service_centers LIMIT 1`);
    const marker = `overdue-${Date.now()}`;
    await sql(
      pg.url,
      `INSERT INTO acts (number, year, seq, service_center_id, status, product, submitted_at, reply_deadline, created_at)
       SELECT 'ACT-1999-' || lpad(g::text, 6, '0'), 1999, g, $1, 'info_requested', jsonb_build_object('model', $3::text),
              now() - interval '6 days', now() - interval '1 hour', now() - interval '6 days'
         FROM generate_series(1, $2) g`,
      [scId, ACTS, marker],
    );
    const closedCount = async () =>
      Number((await sql<{ n: string }>(pg.url, `SELECT count(*) AS n FROM acts WHERE product->>'model' = $1 AND status = 'closed'`, [marker]))[0].n);

    // First, kill it inside a sweep's transaction for sure: a lock on act_comments holds the
    // sweep statement mid-way until the worker is killed.
    const holder = new Client({ connectionString: pg.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE act_comments IN SHARE ROW EXCLUSIVE MODE');
    worker.start();
    await waitFor(
      async () => {
        const [row] = await sql<{ n: string }>(
          pg.url,
          `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%act_comments%'`,
        );
        return Number(row.n) > 0;
      },
      'a sweep to be held mid-statement',
      30_000,
    );
    await worker.kill('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();
    expect(await closedCount()).toBe(0);

    // Then at random moments while it sweeps, five times over.
    const killedAt: number[] = [];
    for (let round = 0; round < 5 && (await closedCount()) < ACTS; round++) {
      worker.start();
      await waitFor(() => worker.output.includes('Worker started'), 'the worker to start', 20_000);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
      await worker.kill('SIGKILL');
      killedAt.push(await closedCount());
    }
    process.stderr.write(`faults: worker killed with ${killedAt.join(', ')} of ${ACTS} acts closed\n`);
    worker.start();
    await waitFor(async () => (await closedCount()) === ACTS, 'every overdue act to be closed', 60_000);

    const [twice] = await sql<{ acts: string; history: string; comments: string; mails: string }>(
      pg.url,
      `SELECT count(DISTINCT a.id) AS acts,
              (SELECT count(*) FROM act_history h JOIN acts x ON x.id = h.act_id WHERE x.product->>'model' = $1 AND h.to_status = 'closed') AS history,
              (SELECT count(*) FROM act_comments c JOIN acts x ON x.id = c.act_id WHERE x.product->>'model' = $1 AND c.author_role = 'system') AS comments,
              (SELECT count(*) FROM notifications n JOIN acts x ON x.id = n.act_id WHERE x.product->>'model' = $1 AND n.kind = 'status_changed') AS mails
         FROM acts a WHERE a.product->>'model' = $1 AND a.status = 'closed' AND a.resolution = 'warranty_refused'`,
      [marker],
    );
    expect({ acts: Number(twice.acts), history: Number(twice.history), comments: Number(twice.comments), mails: Number(twice.mails) }).toEqual({
      acts: ACTS,
      history: ACTS,
      comments: ACTS,
      mails: ACTS,
    });
    await expectEveryMailOnce();
  }, 240_000);
});
