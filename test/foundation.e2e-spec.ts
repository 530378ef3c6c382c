import { bearer, createTestApp, TestApp } from './app';
import { makeServiceCenter } from './factories';

const PROBLEM = /application\/problem\+json/;

describe('foundation: auth, errors, catalogue, docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  describe('authentication and roles', () => {
    it('refuses a request without a key with 401 problem+json and a Bearer challenge', async () => {
      const res = await t.http.get('/api/v1/product-categories').set('Accept-Language', 'en').expect(401);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.stringContaining('unauthorized') });
    });

    it('refuses an unknown key and a malformed header with 401', async () => {
      await t.http.get('/api/v1/product-categories').set(bearer('wa_not-a-real-key')).expect(401);
      await t.http.get('/api/v1/product-categories').set('Authorization', 'Basic abc').expect(401);
    });

    it('refuses a service center on manager routes with 403', async () => {
      const sc = await makeServiceCenter(t);
      const res = await t.http.get('/api/v1/service-centers').set(bearer(sc.key)).set('Accept-Language', 'en').expect(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toContain('service_center');
    });

    it('stops a revoked key at once, and revoking twice is harmless', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.get('/api/v1/product-categories').set(bearer(sc.key)).expect(200);
      await t.http.delete(`/api/v1/api-keys/${sc.keyId}`).set(bearer(t.managerKey)).expect(204);
      await t.http.get('/api/v1/product-categories').set(bearer(sc.key)).expect(401);
      await t.http.delete(`/api/v1/api-keys/${sc.keyId}`).set(bearer(t.managerKey)).expect(204);
      const keys = await t.http.get(`/api/v1/service-centers/${sc.id}/api-keys`).set(bearer(t.managerKey)).expect(200);
      expect(keys.body).toEqual([expect.objectContaining({ id: sc.keyId, revokedAt: expect.any(String) })]);
      expect(JSON.stringify(keys.body)).not.toContain(sc.key);
    });

    it('stores keys only as hashes', async () => {
      const sc = await makeServiceCenter(t);
      const rows = await t.db.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [sc.keyId]);
      expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].key_hash).not.toContain(sc.key);
    });

    it('answers 404 for a key of an unknown id', async () => {
      await t.http.delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000').set(bearer(t.managerKey)).expect(404);
    });
  });

  describe('service centers', () => {
    it('creates, lists and reads a service center, normalising its phone', async () => {
      const created = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .send({ name: '  СЦ Восток ', email: 'vostok@example.com', city: 'Владивосток', phone: '8 (423) 230-08-11' })
        .expect(201);
      expect(created.body).toMatchObject({ name: 'СЦ Восток', phone: '+74232300811', city: 'Владивосток' });
      const one = await t.http.get(`/api/v1/service-centers/${created.body.id}`).set(bearer(t.managerKey)).expect(200);
      expect(one.body.id).toBe(created.body.id);
      const all = await t.http.get('/api/v1/service-centers').set(bearer(t.managerKey)).expect(200);
      expect(all.body.map((s: { id: string }) => s.id)).toContain(created.body.id);
    });

    it('reports every failing field at once with 422', async () => {
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .send({ name: '', email: 'not-an-email', phone: '12' })
        .expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'phone']));
    });

    it('refuses unknown properties with 422 naming them', async () => {
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Accept-Language', 'en')
        .send({ name: 'X', email: 'x@example.com', id: '00000000-0000-4000-8000-000000000000', role: 'manager' })
        .expect(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'id', message: 'is not a known field' },
          { field: 'role', message: 'is not a known field' },
        ]),
      );
    });

    it('refuses a body that is not an object with 422', async () => {
      await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).send([1, 2]).expect(422);
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      await t.http.get('/api/v1/service-centers/not-a-uuid').set(bearer(t.managerKey)).expect(400);
      await t.http.get('/api/v1/service-centers/00000000-0000-4000-8000-000000000000').set(bearer(t.managerKey)).expect(404);
    });
  });

  describe('error shapes', () => {
    it('answers an unknown route with 404 problem+json', async () => {
      const res = await t.http.get('/api/v1/nothing-here').set(bearer(t.managerKey)).set('Accept-Language', 'en').expect(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ status: 404, detail: 'No route GET /api/v1/nothing-here.' });
    });

    it('answers malformed JSON with 400 problem+json and a request id', async () => {
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Accept-Language', 'en')
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.body.detail).toBe('The request body is not valid JSON.');
    });

    it('refuses JSON nested deeper than 32 levels with 400 before it reaches validation', async () => {
      const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Content-Type', 'application/json')
        .send(deep)
        .expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.detail).toContain('больше 32 уровней');
    });

    it('answers an oversized JSON body with 413 problem+json', async () => {
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .send({ name: 'x'.repeat(2 * 1024 * 1024), email: 'big@example.com' })
        .expect(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('echoes a caller-supplied request id', async () => {
      const res = await t.http.get('/health/live').set('X-Request-Id', 'trace-123').expect(200);
      expect(res.headers['x-request-id']).toBe('trace-123');
    });
  });

  describe('product categories', () => {
    it('has a useful default list, ordered by name, for any role', async () => {
      const sc = await makeServiceCenter(t);
      const res = await t.http.get('/api/v1/product-categories').set(bearer(sc.key)).expect(200);
      const names: string[] = res.body.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['Бензопила', 'Газонокосилка бензиновая', 'Генератор бензиновый']));
      expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'ru')));
      expect(res.body[0]).toEqual({ id: expect.any(String), name: expect.any(String), warrantyMonths: expect.any(Number) });
    });

    it('lets a manager add one, once', async () => {
      const name = `Измельчитель ${Date.now()}`;
      const created = await t.http.post('/api/v1/product-categories').set(bearer(t.managerKey)).send({ name }).expect(201);
      expect(created.body).toEqual({ id: expect.any(String), name, warrantyMonths: 12 });
      await t.http.post('/api/v1/product-categories').set(bearer(t.managerKey)).send({ name: name.toUpperCase() }).expect(409);
    });

    it('does not let a service center add one', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.post('/api/v1/product-categories').set(bearer(sc.key)).send({ name: 'X' }).expect(403);
    });
  });

  describe('idempotency', () => {
    const body = () => ({ name: 'СЦ Идемпотентный', email: 'idem@example.com' });

    it('replays the first response for the same key and body, and does the work once', async () => {
      const key = `idem-${Date.now()}`;
      const first = await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', key).send(body()).expect(201);
      const again = await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', key).send(body()).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('refuses the same key with another body with 422', async () => {
      const key = `idem-other-${Date.now()}`;
      await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', key).send(body()).expect(201);
      const res = await t.http
        .post('/api/v1/service-centers')
        .set(bearer(t.managerKey))
        .set('Idempotency-Key', key)
        .send({ ...body(), city: 'Тула' })
        .expect(422);
      expect(res.body.errors[0].field).toBe('Idempotency-Key');
    });

    it('does the work once when 20 copies arrive at once', async () => {
      const key = `idem-burst-${Date.now()}`;
      const email = `burst-${Date.now()}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', key).send({ name: 'Burst', email }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      const rows = await t.db.query(`SELECT count(*)::int AS n FROM service_centers WHERE email = $1`, [email]);
      expect(rows[0].n).toBe(1);
      const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
      expect(ids.size).toBe(1);
    });

    it('releases the key when the request failed, so a corrected retry runs', async () => {
      const key = `idem-fail-${Date.now()}`;
      await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', key).send({ name: '' }).expect(422);
      const rows = await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key]);
      expect(rows).toHaveLength(0);
    });

    it('refuses an over-long key with 400', async () => {
      await t.http.post('/api/v1/service-centers').set(bearer(t.managerKey)).set('Idempotency-Key', 'k'.repeat(256)).send(body()).expect(400);
    });
  });

  describe('health and docs', () => {
    it('is live and ready while Postgres and Redis answer', async () => {
      await t.http.get('/health/live').expect(200, { status: 'ok' });
      const ready = await t.http.get('/health/ready').expect(200);
      expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
      await t.http.get('/api/v1/health/ready').expect(200);
    });

    it('serves an OpenAPI 3 document with the bearer scheme and problem answers', async () => {
      const res = await t.http.get('/api/v1/openapi.json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.body.paths['/api/v1/service-centers'].post.responses['422']).toBeDefined();
      expect(res.body.components.schemas.ProblemView).toBeDefined();
      await t.http.get('/api/docs').redirects(1).expect(200).expect('Content-Type', /html/);
    });
  });
});

describe('readiness while a dependency is down', () => {
  it('answers 503 when Redis does not answer', async () => {
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    const t = await createTestApp();
    try {
      const res = await t.http.get('/health/ready').expect(503);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      await t.http.get('/health/live').expect(200);
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = previous;
      await t.close();
    }
  });

  it('answers 503 when Postgres does not answer', async () => {
    const t = await createTestApp();
    try {
      await t.db.destroy();
      await t.http.get('/health/ready').expect(503);
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
