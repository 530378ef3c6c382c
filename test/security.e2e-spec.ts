import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeysRepository } from '../src/api-keys/api-keys.repository';
import { appWith, bearer, createTestApp, TestApp } from './app';
import { makeAct, makeServiceCenter, TestServiceCenter, validActBody, anyCategoryId } from './factories';

/** Regression tests of the second security review (issue 18). */
describe('security review', () => {
  let t: TestApp;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
  });
  afterAll(() => t.close());

  describe('client input never makes a 500', () => {
    it('refuses a NUL character in any string of a body with 422 naming the field', async () => {
      const act = await makeAct(t, sc);
      const cases: [string, string, object, string][] = [
        ['post', `/api/v1/acts/${act.id}/comments`, { text: 'a\u0000b' }, 'text'],
        ['post', '/api/v1/acts', validActBody(await anyCategoryId(t), { product: { model: '\u0000' } }), 'product.model'],
        ['post', `/api/v1/service-centers/${sc.id}/api-keys`, { label: '\u0000' }, 'label'],
        ['put', `/api/v1/acts/${act.id}/parts`, [{ name: 'Коленвал\u0000', quantity: 1 }], 'parts[0].name'],
      ];
      for (const [method, path, body, field] of cases) {
        const key = path.includes('service-centers') ? t.managerKey : sc.key;
        const res = await t.http[method as 'post'](path).set(bearer(key)).send(body);
        expect([res.status, res.body.errors]).toEqual([422, expect.arrayContaining([expect.objectContaining({ field })])]);
      }
    });

    it('refuses a NUL character in a query with 400 naming the parameter', async () => {
      for (const query of ['/api/v1/acts?q=%00', '/api/v1/acts/lookup?number=%00', '/api/v1/acts/lookup?number=1%002']) {
        const res = await t.http.get(query).set(bearer(sc.key));
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toMatch(/^(q|number)$/);
      }
    });

    it('refuses malformed dates and forged cursors with 400', async () => {
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const id = '00000000-0000-4000-8000-000000000000';
      for (const query of [
        'createdFrom=2026-W01',
        'createdFrom=20260101',
        'createdFrom=2026-01-01T10',
        `cursor=${forged({ t: '1', i: id })}`,
        `cursor=${forged({ t: '+275760-09-13T00:00:00.000Z', i: id })}`,
      ]) {
        for (const list of ['/api/v1/acts', '/api/v1/shipments']) {
          if (list.endsWith('shipments') && query.startsWith('created')) continue;
          const res = await t.http.get(`${list}?${query}`).set(bearer(t.managerKey));
          expect([list, query, res.status]).toEqual([list, query, 400]);
        }
      }
    });

    it('refuses a parts list of the wrong shape with 422', async () => {
      const act = await makeAct(t, sc);
      for (const body of [[[]], { parts: [[]] }, [[1]], { parts: [null] }, [['a']]]) {
        const res = await t.http.put(`/api/v1/acts/${act.id}/parts`).set(bearer(sc.key)).send(body);
        expect([JSON.stringify(body), res.status, res.body.errors?.[0]?.field]).toEqual([
          JSON.stringify(body),
          422,
          expect.stringMatching(/^parts\[0\]/),
        ]);
      }
      const created = await t.http
        .post('/api/v1/acts')
        .set(bearer(sc.key))
        .send({ ...validActBody(await anyCategoryId(t)), product: [] });
      expect([created.status, created.body.errors]).toEqual([422, expect.arrayContaining([expect.objectContaining({ field: 'product' })])]);
    });
  });

  describe('reserved keys', () => {
    it('refuses __proto__, constructor and prototype keys with 422 naming the field', async () => {
      const act = await makeAct(t, sc);
      for (const [json, field] of [
        ['{"text":"x","__proto__":{"status":"closed"}}', '__proto__'],
        ['{"text":"x","constructor":{"prototype":{"a":1}}}', 'constructor'],
        ['{"text":"x","nested":{"prototype":1}}', 'nested.prototype'],
      ]) {
        const res = await t.http.post(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).set('Content-Type', 'application/json').send(json);
        expect([res.status, res.body.errors]).toEqual([422, expect.arrayContaining([expect.objectContaining({ field })])]);
      }
      const { body } = await t.http.get(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).expect(200);
      expect(body).toEqual([]);
    });
  });

  describe('headers', () => {
    it('answers JSON with nosniff and no-store, and refuses to be framed', async () => {
      const res = await t.http.get('/api/v1/product-categories').set(bearer(sc.key)).expect(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      const problem = await t.http.get('/api/v1/acts/00000000-0000-4000-8000-000000000000').set(bearer(sc.key)).expect(404);
      expect(problem.headers['x-content-type-options']).toBe('nosniff');
      expect(problem.headers['cache-control']).toBe('no-store');
    });

    it('serves Swagger UI with a CSP and frame protection, without persistAuthorization', async () => {
      const page = await t.http.get('/api/docs/').redirects(1).expect(200);
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      const init = await t.http.get('/api/docs/swagger-ui-init.js').expect(200);
      expect(init.text).not.toContain('persistAuthorization');
    });
  });

  describe('idempotency', () => {
    it('never stores an issued API key: a replay answers the same id without the key', async () => {
      const idempotencyKey = `key-${sc.id}`;
      const issue = () =>
        t.http
          .post(`/api/v1/service-centers/${sc.id}/api-keys`)
          .set(bearer(t.managerKey))
          .set('Idempotency-Key', idempotencyKey)
          .send({ label: 'replayed' });
      const first = await issue().expect(201);
      expect(first.body.key).toMatch(/^wa_/);
      const again = await issue().expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual({ id: first.body.id, label: 'replayed', createdAt: first.body.createdAt });
      const stored: { body: string }[] = await t.db.query(`SELECT response_body::text AS body FROM idempotency_keys WHERE key = $1`, [
        idempotencyKey,
      ]);
      expect(stored).toHaveLength(1);
      expect(stored[0].body).not.toContain(first.body.key);
    });

    it('takes the same JSON body with its keys in another order as the same body', async () => {
      const act = await makeAct(t, sc);
      const send = (json: string) =>
        t.http
          .post(`/api/v1/acts/${act.id}/comments`)
          .set(bearer(sc.key))
          .set('Idempotency-Key', `order-${act.id}`)
          .set('Content-Type', 'application/json')
          .send(json);
      const first = await send('{"text":"Когда будет деталь?"}').expect(201);
      const spaced = await send('{ "text" : "Когда будет деталь?" }').expect(201);
      expect(spaced.body).toEqual(first.body);
      const scBody = { name: `СЦ ${act.id}`, email: `order-${act.id}@example.com`, city: 'Тула' };
      const reordered = { city: 'Тула', email: scBody.email, name: scBody.name };
      const created = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Idempotency-Key', `sc-${act.id}`)
        .send(scBody)
        .expect(201);
      const replayed = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Idempotency-Key', `sc-${act.id}`)
        .send(reordered)
        .expect(201);
      expect(replayed.body.id).toBe(created.body.id);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('comments', () => {
    const comments = (actId: string) => `/api/v1/acts/${actId}/comments`;

    it('takes comments of at most 4000 characters', async () => {
      const act = await makeAct(t, sc);
      await t.http
        .post(comments(act.id))
        .set(bearer(sc.key))
        .send({ text: 'я'.repeat(4000) })
        .expect(201);
      const res = await t.http
        .post(comments(act.id))
        .set(bearer(sc.key))
        .send({ text: 'я'.repeat(4001) });
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([422, 'text']);
    });

    it('pages the conversation oldest first with a Link rel="next" header, 100 at most', async () => {
      const act = await makeAct(t, sc);
      for (let i = 1; i <= 102; i++)
        await t.http
          .post(comments(act.id))
          .set(bearer(sc.key))
          .send({ text: `№${i}` })
          .expect(201);
      const all = await t.http.get(comments(act.id)).set(bearer(sc.key)).expect(200);
      expect(all.body).toHaveLength(100);
      expect(all.body[0].text).toBe('№1');
      expect(all.headers.link).toMatch(new RegExp(`^<${comments(act.id)}\\?limit=100&cursor=[\\w%-]+>; rel="next"$`));
      const seen: string[] = [];
      let next: string | undefined = `${comments(act.id)}?limit=40`;
      while (next) {
        const page: { body: { text: string }[]; headers: Record<string, string | undefined> } = await t.http
          .get(next)
          .set(bearer(sc.key))
          .expect(200);
        expect(page.body.length).toBeLessThanOrEqual(40);
        seen.push(...page.body.map((c) => c.text));
        next = /^<([^>]+)>; rel="next"$/.exec(page.headers.link ?? '')?.[1];
      }
      expect(seen).toEqual(Array.from({ length: 102 }, (_, i) => `№${i + 1}`));
      await t.http
        .get(`${comments(act.id)}?limit=101`)
        .set(bearer(sc.key))
        .expect(400);
      await t.http
        .get(`${comments(act.id)}?cursor=bm9wZQ`)
        .set(bearer(sc.key))
        .expect(400);
    });
  });

  describe('requests without a valid key', () => {
    it('are rate limited per address before any key lookup in Postgres', async () => {
      const limited = await appWith({
        RATE_LIMIT_ANON_PER_MINUTE: '3',
        RATE_LIMIT_WINDOW: '1m',
        REDIS_PREFIX: `${process.env.REDIS_PREFIX}:anonymous`,
      });
      try {
        const lookups = jest.spyOn(limited.app.get(ApiKeysRepository), 'findPrincipal');
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await limited.http.get('/api/v1/acts').set(bearer(`wa_unknown${i}`))).status);
        statuses.push((await limited.http.get('/api/v1/acts')).status);
        expect(statuses).toEqual([401, 401, 401, 429]);
        expect(lookups).toHaveBeenCalledTimes(3);
        const refused = await limited.http.get('/api/v1/acts').set(bearer('wa_unknown-again'));
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(lookups).toHaveBeenCalledTimes(3);
        // Health checks need no key and are not limited.
        await limited.http.get('/api/v1/health/live').expect(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('slow uploads', () => {
    it('close an upload not received within UPLOAD_TIMEOUT and leave no .part file', async () => {
      const uploadDir = await mkdtemp(join(tmpdir(), 'wa-slow-'));
      const slow = await appWith({ UPLOAD_TIMEOUT: '1s', UPLOAD_DIR: uploadDir });
      try {
        const owner = await makeServiceCenter(slow);
        const act = await makeAct(slow, owner);
        await slow.app.listen(0, '127.0.0.1');
        const { port } = slow.app.getHttpServer().address() as AddressInfo;
        const boundary = 'slowboundary';
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npart\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
        const socket = connect(port, '127.0.0.1');
        const started = Date.now();
        const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
        socket.on('error', () => undefined);
        socket.write(
          `POST /api/v1/acts/${act.id}/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${owner.key}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 5000000\r\n\r\n`,
        );
        socket.write(head);
        socket.write(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(70_000, 1)]));
        // The file has begun: its .part file exists while the client goes quiet.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const elapsed = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 8000))]);
        socket.destroy();
        expect(elapsed).toBeGreaterThan(0);
        expect(elapsed).toBeLessThan(4000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const folders = await readdir(uploadDir);
        const files = (await Promise.all(folders.map((folder) => readdir(join(uploadDir, folder))))).flat();
        expect(files).toEqual([]);
      } finally {
        await slow.close();
      }
    });
  });
});
