import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { validActBody } from './factories';
import { MailReceiver } from './mail-receiver';
import { createSuiteDatabase } from './setup/test-env';
import { startS3Server, TestS3Server } from './support/s3-server';
import { freePort, waitFor } from './support/wait';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Two API and two worker processes from dist/, as two machines would run them, on one Postgres
 * database, one Redis prefix and one S3 bucket, under load, with reply deadlines expiring while
 * it runs. Each act is closed once, each e-mail sent once, a rate limit is counted once across
 * both APIs, a revoked key is refused by both, and a photo uploaded through one API is
 * downloaded through the other. Each webhook event reaches a local receiver once per endpoint
 * (by `webhook-id`), as each e-mail arrives once (by Message-ID).
 */
const DIST = join(__dirname, '..', 'dist', 'src');
const REPLY_WINDOW_S = 8;
const RATE_LIMIT = 150;
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  randomBytes(300_000),
  Buffer.from([0xff, 0xd9]),
]);

class Service {
  private readonly child: ChildProcess;
  output = '';
  constructor(script: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(DIST, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.output += chunk));
    this.child.stderr!.on('data', (chunk) => (this.output += chunk));
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

describe('two APIs and two workers on one database, Redis and bucket', () => {
  const mail = new MailReceiver();
  const hooks = new WebhookReceiver();
  let s3: TestS3Server;
  let databaseUrl: string;
  let dropDatabase: () => Promise<void>;
  let db: Client;
  const services: Service[] = [];
  const dirs: string[] = [];
  let apis: string[];
  let managerKey: string;

  beforeAll(async () => {
    const suite = await createSuiteDatabase();
    ({ databaseUrl, drop: dropDatabase } = suite);
    s3 = await startS3Server();
    await mail.start();
    await hooks.start();
    hooks.answerAlways('/hooks', 200);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const shared = {
      ...s3.env,
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}:multi`,
      SMTP_URL: mail.url,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      INFO_REPLY_WINDOW: `${REPLY_WINDOW_S}s`,
      SWEEP_EVERY: '1s',
      NOTIFY_POLL_EVERY: '500ms',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      RATE_LIMIT_WINDOW: '1m',
      LOG_LEVEL: 'warn',
      // The suite's database is a copy of the migrated template.
      MIGRATIONS_RUN: 'false',
    };
    const ports = [await freePort(), await freePort()];
    // Each machine has its own disk: a photo can only cross between them through the bucket.
    for (const port of ports) {
      const dir = await mkdtemp(join(tmpdir(), 'wa-multi-'));
      dirs.push(dir);
      services.push(new Service('main.js', { ...shared, PORT: String(port), UPLOAD_DIR: dir }));
      services.push(new Service('worker.js', { ...shared, UPLOAD_DIR: dir }));
    }
    apis = ports.map((port) => `http://127.0.0.1:${port}`);
    // The CLI runs while the four processes start.
    const created = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'create-manager', '--name', 'Мария Двоева', '--email', 'maria@example.com'], {
      env: { ...process.env, ...shared },
      encoding: 'utf8',
    });
    expect(created.status).toBe(0);
    managerKey = created.stdout.trim().split('\n').pop()!;

    for (const api of apis) await waitFor(async () => (await request(api).get('/health/ready')).status === 200, `the API at ${api}`, 45_000, 200);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.end();
    await mail.stop();
    await hooks.stop();
    await s3?.stop();
    await dropDatabase?.();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A request to one of the APIs; `n` picks which, so that callers can alternate. */
  const call = (n: number) => request(apis[n % 2]);
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  async function serviceCenter(n: number): Promise<{ id: string; key: string; keyId: string }> {
    const sc = await call(n)
      .post('/api/v1/service-centers')
      .set(bearer(managerKey))
      .send({ name: `СЦ ${n}`, email: `sc-${n}@example.com`, city: 'Москва' })
      .expect(201);
    const key = await call(n + 1)
      .post(`/api/v1/service-centers/${sc.body.id}/api-keys`)
      .set(bearer(managerKey))
      .send({ label: 'multi' })
      .expect(201);
    return { id: sc.body.id, key: key.body.key, keyId: key.body.id };
  }

  it('closes each act once, sends each e-mail once, counts a rate limit once, revokes on both, and serves a photo from either', async () => {
    const categoryId = (await call(0).get('/api/v1/product-categories').set(bearer(managerKey)).expect(200)).body[0].id as string;
    const scs = await Promise.all([0, 1, 2, 3].map((n) => serviceCenter(n)));
    // A manager's endpoint hears every act's events.
    await call(1)
      .post('/api/v1/webhooks')
      .set(bearer(managerKey))
      .send({ url: hooks.url('/hooks') })
      .expect(201);

    // Load: four SCs file acts through both APIs at once; each is submitted without photos, so it
    // goes to info_requested with a reply deadline REPLY_WINDOW_S away, which passes during the test.
    const body = (n: number) => validActBody(categoryId, { diagnosis: { ...validActBody(categoryId).diagnosis, internalNumber: `M-${n}` } });
    const actIds: string[] = [];
    await Promise.all(
      scs.map(async (sc, s) => {
        for (let i = 0; i < 6; i++) {
          const n = s * 6 + i;
          const act = await call(n).post('/api/v1/acts').set(bearer(sc.key)).send(body(n)).expect(201);
          const submitted = await call(n + 1)
            .post(`/api/v1/acts/${act.body.id}/submit`)
            .set(bearer(sc.key))
            .expect(200);
          expect(submitted.body.status).toBe('info_requested');
          actIds.push(act.body.id);
        }
      }),
    );
    expect(actIds).toHaveLength(24);

    // Reads in parallel on both APIs while the deadlines run out.
    let loading = true;
    let reads = 0;
    const load = Promise.all(
      scs.map(async (sc, s) => {
        for (let i = 0; loading && i < 100; i++) {
          await call(i + s)
            .get('/api/v1/acts')
            .set(bearer(sc.key))
            .expect(200);
          reads += 1;
        }
      }),
    );

    // A photo uploaded through one API is downloaded through the other: the bytes live in the bucket.
    const photoAct = await call(0).post('/api/v1/acts').set(bearer(scs[0].key)).send(body(99)).expect(201);
    const photo = await call(0)
      .post(`/api/v1/acts/${photoAct.body.id}/photos`)
      .set(bearer(scs[0].key))
      .field('kind', 'nameplate')
      .attach('file', JPEG, { filename: 'plate.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const downloaded = await call(1)
      .get(`/api/v1/acts/${photoAct.body.id}/photos/${photo.body.id}`)
      .set(bearer(scs[0].key))
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(
      createHash('sha256')
        .update(downloaded.body as Buffer)
        .digest('hex'),
    ).toBe(photo.body.sha256);
    expect((downloaded.body as Buffer).equals(JPEG)).toBe(true);

    // One rate limit across both APIs: a fresh key's requests, split between them, meet 429 at the same total.
    const limited = await serviceCenter(10);
    const statuses: number[] = [];
    for (let batch = 0; batch < (RATE_LIMIT + 10) / 10; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call(batch * 10 + i)
            .get('/api/v1/acts')
            .set(bearer(limited.key)),
        ),
      );
      statuses.push(...answers.map((res) => res.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);

    // A key known to (and cached by) both APIs, revoked through one, is refused by both at once.
    const revoked = await serviceCenter(20);
    await call(0).get('/api/v1/acts').set(bearer(revoked.key)).expect(200);
    await call(1).get('/api/v1/acts').set(bearer(revoked.key)).expect(200);
    await call(0).delete(`/api/v1/api-keys/${revoked.keyId}`).set(bearer(managerKey)).expect(204);
    for (const n of [0, 1]) {
      await waitFor(
        async () => (await call(n).get('/api/v1/acts').set(bearer(revoked.key))).status === 401,
        `API ${n} to refuse the revoked key`,
        2_000,
      );
    }

    // Every act's deadline passes; the sweeps of both workers close each exactly once.
    await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM acts WHERE id = ANY($1) AND status = 'closed'`, [actIds]);
        return rows[0].n === actIds.length;
      },
      'every act to be closed by a sweep',
      REPLY_WINDOW_S * 1000 + 20_000,
      250,
    );
    loading = false;
    await load;
    expect(reads).toBeGreaterThan(0);
    const closings = await db.query(
      `SELECT act_id, count(*)::int AS n FROM act_history WHERE act_id = ANY($1) AND to_status = 'closed' GROUP BY act_id`,
      [actIds],
    );
    expect(closings.rows).toHaveLength(actIds.length);
    expect(closings.rows.filter((row: { n: number }) => row.n !== 1)).toEqual([]);

    // Every e-mail (submissions, missing photos, reminders, closings) sent once: both workers
    // dispatch and send, and no Message-ID arrives twice.
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE state = 'pending'`)).rows[0].n === 0,
      'the outbox to drain',
      20_000,
      250,
    );
    const sent = (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE state = 'sent'`)).rows[0].n as number;
    expect(sent).toBeGreaterThanOrEqual(actIds.length * 2);
    const ids = mail.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(sent);

    // Every webhook event delivered once: both workers dispatch and send, no webhook-id twice.
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'delivered'`)).rows[0].n === 0,
      'the webhook deliveries to drain',
      20_000,
      250,
    );
    const events = (await db.query(`SELECT count(*)::int AS n FROM webhook_events`)).rows[0].n as number;
    expect(events).toBeGreaterThanOrEqual(actIds.length * 2);
    const webhookIds = hooks.at('/hooks').map((r) => r.headers['webhook-id']);
    expect(new Set(webhookIds).size).toBe(webhookIds.length);
    expect(webhookIds).toHaveLength(events);

    // The workers' sweep counts reach GET /metrics of either API through Redis.
    const metrics = await call(1).get('/metrics').expect(200);
    const closed = /^warranty_sweep_items_total\{sweep="close-silent-acts",outcome="closed"\} (\d+)$/m.exec(metrics.text);
    expect(Number(closed?.[1])).toBe(actIds.length);
  }, 90_000);
});
