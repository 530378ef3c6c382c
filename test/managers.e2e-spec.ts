import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ApiKeyCache } from '../src/access/api-key-cache';
import { ManagersService } from '../src/managers/managers.service';
import { bearer, createTestApp, TestApp, uniqueSuffix } from './app';
import { makeServiceCenter } from './factories';
import { waitFor } from './support/wait';

const API = '/api/v1';
const PROBLEM = /application\/problem\+json/;
const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

/** The built CLI (npm run test:e2e builds first), as an operator runs it, on this run's database and Redis. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: process.env, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('managers and the responsible manager', () => {
  let t: TestApp;
  /** Another manager, with a key of its own. */
  let other: { id: string; key: string; keyId: string };

  async function makeManagerWithKey(): Promise<{ id: string; key: string; keyId: string }> {
    const { manager, key } = await t.app.get(ManagersService).create('Другой Менеджер', `other-${uniqueSuffix()}@example.com`);
    return { id: manager.id, key: key.key, keyId: key.id };
  }

  beforeAll(async () => {
    t = await createTestApp();
    other = await makeManagerWithKey();
  });
  afterAll(() => t?.close());

  describe('GET /managers', () => {
    it('lists managers by name with their contact data', async () => {
      const res = await t.http.get(`${API}/managers`).set(bearer(t.managerKey)).expect(200);
      expect(res.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: t.managerId, name: 'Test Manager', phone: null, office: null })]),
      );
      const names = (res.body as { name: string }[]).map((m) => m.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('is for managers only', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.get(`${API}/managers`).expect(401);
      const res = await t.http.get(`${API}/managers`).set(bearer(sc.key)).expect(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });
  });

  describe('POST /managers', () => {
    it('registers a manager: e-mail in lower case, phone as E.164', async () => {
      const suffix = uniqueSuffix();
      const res = await t.http
        .post(`${API}/managers`)
        .set(bearer(t.managerKey))
        .send({ name: ' Иван Соколов ', email: `Ivan-${suffix}@Example.com`, phone: '8 423 230-08-11', office: 'Владивосток' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Иван Соколов',
        email: `ivan-${suffix}@example.com`,
        phone: '+74232300811',
        office: 'Владивосток',
        createdAt: expect.any(String),
      });
      const list = await t.http.get(`${API}/managers`).set(bearer(t.managerKey)).expect(200);
      expect(list.body).toContainEqual(res.body);
    });

    it('takes only name and email', async () => {
      const email = `min-${uniqueSuffix()}@example.com`;
      const res = await t.http.post(`${API}/managers`).set(bearer(t.managerKey)).send({ name: 'Мария', email }).expect(201);
      expect(res.body).toMatchObject({ email, phone: null, office: null });
    });

    it('refuses an e-mail taken by another manager, in any case (409)', async () => {
      const email = `dup-${uniqueSuffix()}@example.com`;
      await t.http.post(`${API}/managers`).set(bearer(t.managerKey)).send({ name: 'Первый', email }).expect(201);
      const res = await t.http.post(`${API}/managers`).set(bearer(t.managerKey)).send({ name: 'Второй', email: email.toUpperCase() }).expect(409);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ type: 'urn:warranty-acts:problem:duplicate-email', status: 409, errors: [{ field: 'email' }] });
    });

    it('lists every failing field at once (422), unknown ones included', async () => {
      const res = await t.http
        .post(`${API}/managers`)
        .set(bearer(t.managerKey))
        .send({ name: '', email: 'not-an-email', phone: '123', office: 5, role: 'admin' })
        .expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['name', 'email', 'phone', 'office', 'role']));
    });

    it('is for managers only', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.post(`${API}/managers`).send({ name: 'X', email: 'x@example.com' }).expect(401);
      await t.http.post(`${API}/managers`).set(bearer(sc.key)).send({ name: 'X', email: 'x@example.com' }).expect(403);
    });
  });

  describe('PATCH /managers/:id', () => {
    async function newManager(): Promise<{ id: string; email: string }> {
      const email = `patch-${uniqueSuffix()}@example.com`;
      const res = await t.http
        .post(`${API}/managers`)
        .set(bearer(t.managerKey))
        .send({ name: 'Анна', email, phone: '+7 916 123-45-67', office: 'Москва' })
        .expect(201);
      return { id: res.body.id, email };
    }

    it("changes the fields sent and keeps the rest; null clears phone or office (any manager's record)", async () => {
      const m = await newManager();
      const res = await t.http
        .patch(`${API}/managers/${m.id}`)
        .set(bearer(t.managerKey))
        .send({ office: 'Владивосток', phone: '8 (423) 230 08 12' })
        .expect(200);
      expect(res.body).toMatchObject({ id: m.id, name: 'Анна', email: m.email, phone: '+74232300812', office: 'Владивосток' });

      const cleared = await t.http.patch(`${API}/managers/${m.id}`).set(bearer(t.managerKey)).send({ phone: null, office: null }).expect(200);
      expect(cleared.body).toMatchObject({ name: 'Анна', phone: null, office: null });

      const renamed = await t.http
        .patch(`${API}/managers/${m.id}`)
        .set(bearer(t.managerKey))
        .send({ name: 'Анна Смирнова', email: `NEW-${m.email}` })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Анна Смирнова', email: `new-${m.email}` });

      const unchanged = await t.http.patch(`${API}/managers/${m.id}`).set(bearer(t.managerKey)).send({}).expect(200);
      expect(unchanged.body).toEqual(renamed.body);
    });

    it("refuses another manager's e-mail (409) and changes nothing", async () => {
      const a = await newManager();
      const b = await newManager();
      const res = await t.http.patch(`${API}/managers/${a.id}`).set(bearer(t.managerKey)).send({ email: b.email, office: 'Тверь' }).expect(409);
      expect(res.body.type).toBe('urn:warranty-acts:problem:duplicate-email');
      const list = await t.http.get(`${API}/managers`).set(bearer(t.managerKey)).expect(200);
      expect((list.body as { id: string }[]).find((m) => m.id === a.id)).toMatchObject({ email: a.email, office: 'Москва' });
    });

    it('refuses null for name or email, bad values and unknown fields (422)', async () => {
      const m = await newManager();
      const res = await t.http
        .patch(`${API}/managers/${m.id}`)
        .set(bearer(t.managerKey))
        .send({ name: null, email: null, phone: 'звоните', id: 'x' })
        .expect(422);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['name', 'email', 'phone', 'id']));
    });

    it('answers 404 for an unknown manager and 400 for a malformed id', async () => {
      await t.http.patch(`${API}/managers/00000000-0000-4000-8000-000000000000`).set(bearer(t.managerKey)).send({ office: 'X' }).expect(404);
      await t.http.patch(`${API}/managers/nope`).set(bearer(t.managerKey)).send({ office: 'X' }).expect(400);
    });

    it('is for managers only', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.patch(`${API}/managers/${t.managerId}`).send({ office: 'X' }).expect(401);
      await t.http.patch(`${API}/managers/${t.managerId}`).set(bearer(sc.key)).send({ office: 'X' }).expect(403);
    });
  });

  describe('POST /managers/:id/api-keys', () => {
    it('issues a key for oneself, shown once, that works', async () => {
      const res = await t.http.post(`${API}/managers/${other.id}/api-keys`).set(bearer(other.key)).send({ label: 'ноутбук' }).expect(201);
      expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^wa_/), label: 'ноутбук', createdAt: expect.any(String) });
      await t.http
        .get(`${API}/managers`)
        .set(bearer(res.body.key as string))
        .expect(200);
    });

    it("refuses another manager's id, known or not (403)", async () => {
      const res = await t.http.post(`${API}/managers/${other.id}/api-keys`).set(bearer(t.managerKey)).send({}).expect(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      await t.http.post(`${API}/managers/00000000-0000-4000-8000-000000000000/api-keys`).set(bearer(t.managerKey)).send({}).expect(403);
    });

    it('is for managers only and validates the label', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.post(`${API}/managers/${t.managerId}/api-keys`).send({}).expect(401);
      await t.http.post(`${API}/managers/${t.managerId}/api-keys`).set(bearer(sc.key)).send({}).expect(403);
      await t.http.post(`${API}/managers/${t.managerId}/api-keys`).set(bearer(t.managerKey)).send({ label: 42 }).expect(422);
      await t.http.post(`${API}/managers/nope/api-keys`).set(bearer(t.managerKey)).send({}).expect(400);
    });
  });

  describe('DELETE /api-keys/:id', () => {
    it("revokes any service center's key (204)", async () => {
      const sc = await makeServiceCenter(t);
      await t.http.delete(`${API}/api-keys/${sc.keyId}`).set(bearer(other.key)).expect(204);
      await t.http.get(`${API}/product-categories`).set(bearer(sc.key)).expect(401);
    });

    it("revokes the manager's own key (204); it stops working at once", async () => {
      const me = await makeManagerWithKey();
      await t.http.get(`${API}/managers`).set(bearer(me.key)).expect(200);
      await t.http.delete(`${API}/api-keys/${me.keyId}`).set(bearer(me.key)).expect(204);
      await t.http.get(`${API}/managers`).set(bearer(me.key)).expect(401);
    });

    it("refuses another manager's key (403), which keeps working", async () => {
      const victim = await makeManagerWithKey();
      const res = await t.http.delete(`${API}/api-keys/${victim.keyId}`).set(bearer(t.managerKey)).expect(403);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      await t.http.get(`${API}/managers`).set(bearer(victim.key)).expect(200);
    });

    it('answers 404 for an unknown key, 400 for a malformed id, 403 to a service center', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.delete(`${API}/api-keys/00000000-0000-4000-8000-000000000000`).set(bearer(t.managerKey)).expect(404);
      await t.http.delete(`${API}/api-keys/nope`).set(bearer(t.managerKey)).expect(400);
      await t.http.delete(`${API}/api-keys/${sc.keyId}`).set(bearer(sc.key)).expect(403);
      await t.http.delete(`${API}/api-keys/${sc.keyId}`).expect(401);
    });
  });

  describe('cli revoke-key', () => {
    it('revokes any key, and a running API instance that remembered it refuses it at once', async () => {
      const cache = t.app.get(ApiKeyCache);
      await waitFor(() => cache.active, 'the API key cache to subscribe to revocations');
      const victim = await makeManagerWithKey();
      // Remembered by this instance for API_KEY_CACHE_TTL (30 s): only the Redis message makes it forget.
      await t.http.get(`${API}/managers`).set(bearer(victim.key)).expect(200);

      const result = await cli('revoke-key', '--id', victim.keyId);
      expect(result.stderr).toContain(`API key ${victim.keyId} is revoked`);
      expect(result.code).toBe(0);
      await waitFor(async () => (await t.http.get(`${API}/managers`).set(bearer(victim.key))).status === 401, 'the key to be refused', 2000, 10);

      // Revoking again is harmless.
      expect((await cli('revoke-key', '--id', victim.keyId)).code).toBe(0);
    });

    it('exits non-zero with a message for an unknown or malformed id', async () => {
      const unknown = await cli('revoke-key', '--id', '00000000-0000-4000-8000-000000000000');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('There is no API key with the id 00000000-0000-4000-8000-000000000000');

      const malformed = await cli('revoke-key', '--id', 'nope');
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('Usage');
      expect((await cli('revoke-key')).code).toBe(2);
    });
  });

  describe('PATCH /service-centers/:id', () => {
    it('a new service center has no responsible manager', async () => {
      const sc = await makeServiceCenter(t);
      const res = await t.http.get(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).expect(200);
      expect(res.body.managerId).toBeNull();
    });

    it('sets the responsible manager and clears it with null', async () => {
      const sc = await makeServiceCenter(t);
      const set = await t.http.patch(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).send({ managerId: other.id }).expect(200);
      expect(set.body).toMatchObject({ id: sc.id, name: sc.name, email: sc.email, city: 'Москва', managerId: other.id });
      const got = await t.http.get(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).expect(200);
      expect(got.body.managerId).toBe(other.id);
      const list = await t.http.get(`${API}/service-centers`).set(bearer(t.managerKey)).expect(200);
      expect((list.body as { id: string }[]).find((x) => x.id === sc.id)).toMatchObject({ managerId: other.id });

      const cleared = await t.http.patch(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).send({ managerId: null }).expect(200);
      expect(cleared.body.managerId).toBeNull();
    });

    it('changes name, e-mail, city and phone (phone as E.164); null clears city or phone', async () => {
      const sc = await makeServiceCenter(t, { phone: '8 423 230-08-11' });
      const res = await t.http
        .patch(`${API}/service-centers/${sc.id}`)
        .set(bearer(t.managerKey))
        .send({ name: 'СЦ Восток-2', email: 'vostok2@example.com', city: 'Находка', phone: '8 (4236) 62-00-00' })
        .expect(200);
      expect(res.body).toMatchObject({ name: 'СЦ Восток-2', email: 'vostok2@example.com', city: 'Находка', phone: '+74236620000', managerId: null });
      const cleared = await t.http.patch(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).send({ city: null, phone: null }).expect(200);
      expect(cleared.body).toMatchObject({ name: 'СЦ Восток-2', city: null, phone: null });
    });

    it('refuses an unknown manager with 422 naming managerId, and changes nothing', async () => {
      const sc = await makeServiceCenter(t);
      const res = await t.http
        .patch(`${API}/service-centers/${sc.id}`)
        .set(bearer(t.managerKey))
        .send({ name: 'Не сохранится', managerId: '00000000-0000-4000-8000-000000000000' })
        .expect(422);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors).toEqual([{ field: 'managerId', message: expect.any(String) }]);
      const got = await t.http.get(`${API}/service-centers/${sc.id}`).set(bearer(t.managerKey)).expect(200);
      expect(got.body).toMatchObject({ name: sc.name, managerId: null });
    });

    it('lists every failing field (422): not a UUID, null name or e-mail, bad phone, unknown fields', async () => {
      const sc = await makeServiceCenter(t);
      const res = await t.http
        .patch(`${API}/service-centers/${sc.id}`)
        .set(bearer(t.managerKey))
        .send({ managerId: 'olga', name: null, email: null, phone: '1', createdAt: '2020-01-01' })
        .expect(422);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set(['managerId', 'name', 'email', 'phone', 'createdAt']));
    });

    it('answers 404 for an unknown service center, 400 for a malformed id, and is for managers only', async () => {
      const sc = await makeServiceCenter(t);
      await t.http.patch(`${API}/service-centers/00000000-0000-4000-8000-000000000000`).set(bearer(t.managerKey)).send({ city: 'X' }).expect(404);
      await t.http.patch(`${API}/service-centers/nope`).set(bearer(t.managerKey)).send({ city: 'X' }).expect(400);
      await t.http.patch(`${API}/service-centers/${sc.id}`).send({ managerId: null }).expect(401);
      await t.http.patch(`${API}/service-centers/${sc.id}`).set(bearer(sc.key)).send({ managerId: null }).expect(403);
    });
  });
});
