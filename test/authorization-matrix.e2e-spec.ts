import { Role } from '../src/common/auth/principal';
import { bearer, createTestApp, TestApp } from './app';
import { anyCategoryId, makeAct, makeApprovedAct, makeServiceCenter, makeShipment, TestServiceCenter, validActBody } from './factories';
import { RouteInfo, routeTable } from './support/routes';

/**
 * Every endpoint × {no key, revoked key, other SC's key, SC key, manager key}, generated from
 * the controllers' own metadata: a new endpoint is in this test without anyone adding it, and
 * the test fails until its path parameters have a fixture below.
 */

type Caller = 'none' | 'revoked' | 'otherSc' | 'sc' | 'manager';
const CALLERS: Caller[] = ['none', 'revoked', 'otherSc', 'sc', 'manager'];

interface Fixture {
  params: Record<string, string>;
  /** True when the route's resource belongs to one SC: another SC must get 404. */
  tenantScoped: boolean;
  /** True when only its owner sees it (a webhook endpoint): managers get 404 too. */
  ownerOnly?: boolean;
}

describe('authorization matrix', () => {
  let t: TestApp;
  let owner: TestServiceCenter;
  let other: TestServiceCenter;
  let revokedKey: string;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await createTestApp();
    owner = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
    const revoked = await makeServiceCenter(t);
    await t.http.delete(`/api/v1/api-keys/${revoked.keyId}`).set(bearer(t.managerKey)).expect(204);
    revokedKey = revoked.key;
    routes = routeTable(t.app).filter((r) => !r.isPublic);
  });
  afterAll(() => t?.close());

  /** Fresh resources owned by `owner` for one request (some requests change or delete them). */
  async function fixtureFor(route: RouteInfo): Promise<Fixture> {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const params: Record<string, string> = {};
    let tenantScoped = false;
    if (route.path.startsWith('/acts/:id')) {
      params.id = (await makeAct(t, owner)).id;
      tenantScoped = true;
      if (names.includes('photoId')) {
        const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
        const photo = await t.http
          .post(`/api/v1/acts/${params.id}/photos`)
          .set(bearer(owner.key))
          .field('kind', 'nameplate')
          .attach('file', png, { filename: 'matrix.png', contentType: 'image/png' })
          .expect(201);
        params.photoId = photo.body.id;
      }
    } else if (route.path.startsWith('/shipments/:id')) {
      params.id = (await makeShipment(t, [(await makeApprovedAct(t, owner)).id])).id;
      tenantScoped = true;
    } else if (route.path.startsWith('/compensation-settlements/:id')) {
      // A settlement of one act of `owner`, closed repaired with its own part (validActBody has one).
      const act = await makeAct(t, owner);
      await t.db.query(`UPDATE acts SET status = 'closed', resolution = 'repaired', closed_at = now() - interval '1 day' WHERE id = $1`, [act.id]);
      const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
      const settlement = await t.http
        .post('/api/v1/compensation-settlements')
        .set(bearer(t.managerKey))
        .send({ closedTo: yesterday, serviceCenterId: owner.id })
        .expect(201);
      params.id = settlement.body.id;
      tenantScoped = true;
    } else if (route.path.startsWith('/service-centers/:id')) {
      params.id = owner.id;
    } else if (route.path.startsWith('/managers/:id')) {
      // The manager's own record: a manager issues keys only for itself.
      params.id = t.managerId;
    } else if (route.path.startsWith('/calendar/days/:date')) {
      // A day of 2032, which no other suite computes deadlines with.
      params.date = '2032-03-01';
    } else if (route.path.startsWith('/webhooks/:id')) {
      // Made disabled, in SQL: nothing is ever sent to it, whatever worker runs on this database.
      const [hook]: { id: string }[] = await t.db.query(
        `INSERT INTO webhook_endpoints (service_center_id, url, secret, enabled) VALUES ($1, 'https://hooks.example.com/matrix', 'whsec_bWF0cml4', false) RETURNING id`,
        [owner.id],
      );
      params.id = hook.id;
      if (names.includes('deliveryId')) {
        const [event]: { id: string }[] = await t.db.query(
          `INSERT INTO webhook_events (id, type, payload) VALUES ('msg_' || md5(random()::text), 'act.submitted', '{}') RETURNING id`,
        );
        const [delivery]: { id: string }[] = await t.db.query(
          `INSERT INTO webhook_deliveries (endpoint_id, event_id, status) VALUES ($1, $2, 'failed') RETURNING id`,
          [hook.id, event.id],
        );
        params.deliveryId = delivery.id;
      }
      return { params, tenantScoped: true, ownerOnly: true };
    } else if (route.path.startsWith('/product-categories/:id')) {
      // A category of its own, so that a change touches no other act.
      const category = await t.http
        .post('/api/v1/product-categories')
        .set(bearer(t.managerKey))
        .send({ name: `Категория ${Date.now()}-${Math.random()}` })
        .expect(201);
      params.id = category.body.id;
    } else if (route.path.startsWith('/api-keys/:id')) {
      const key = await t.http.post(`/api/v1/service-centers/${owner.id}/api-keys`).set(bearer(t.managerKey)).send({}).expect(201);
      params.id = key.body.id;
    }
    const missing = names.filter((name) => !(name in params));
    if (missing.length) throw new Error(`No fixture for ${route.method} ${route.path} (${missing.join(', ')}): add one to this test`);
    return { params, tenantScoped };
  }

  async function bodyFor(route: RouteInfo): Promise<object | undefined> {
    if (route.method === 'GET' || route.method === 'DELETE') return undefined;
    const act = validActBody(await anyCategoryId(t));
    const bodies: Record<string, object> = {
      'POST /acts': act,
      'PUT /acts/:id/product': act.product,
      'PUT /acts/:id/diagnosis': act.diagnosis,
      'PUT /acts/:id/parts': act.parts,
      'PUT /acts/:id/extra': act.extra,
      'POST /acts/:id/comments': { text: 'Проверка доступа' },
      'POST /acts/:id/request-info': { text: 'Проверка доступа' },
      'POST /acts/:id/decision': { decision: 'warranty' },
      'POST /acts/:id/close': { resolution: 'not_warranty', reason: 'Проверка доступа' },
      'POST /acts/:id/reopen': { reason: 'Проверка доступа' },
      'POST /acts/:id/mismatch': { text: 'Проверка доступа' },
      'POST /acts/:id/partial-consent': { consent: true },
      'POST /acts/:id/payment': { amount: '1.00' },
      'POST /service-centers': { name: 'СЦ Матрица', email: 'matrix@example.com' },
      'POST /service-centers/:id/api-keys': { label: 'matrix' },
      'POST /product-categories': { name: `Категория ${Date.now()}-${Math.random()}` },
      'POST /managers': { name: 'Менеджер Матрица', email: `matrix-${Date.now()}-${Math.random()}@example.com` },
      'PATCH /managers/:id': { office: 'Москва' },
      'POST /managers/:id/api-keys': { label: 'matrix' },
      'PATCH /service-centers/:id': { city: 'Москва' },
      'PATCH /product-categories/:id': { warrantyMonths: 18 },
      'PUT /calendar/days/:date': { working: true, note: 'Проверка доступа' },
    };
    return bodies[`${route.method} ${route.path}`] ?? {};
  }

  function keyOf(caller: Caller): string | undefined {
    return { none: undefined, revoked: revokedKey, otherSc: other.key, sc: owner.key, manager: t.managerKey }[caller];
  }

  it('covers every non-public route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it('answers every route and caller as the access rules say', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      for (const caller of CALLERS) {
        const { params, tenantScoped, ownerOnly } = await fixtureFor(route);
        const path = `/api/v1${route.path.replace(/:(\w+)/g, (_, name: string) => params[name])}`;
        let req = t.http[route.method.toLowerCase() as 'get'](path);
        const key = keyOf(caller);
        if (key) req = req.set(bearer(key));
        const body = await bodyFor(route);
        const res = await (body === undefined ? req : req.send(body));

        const role = caller === 'manager' ? Role.Manager : Role.ServiceCenter;
        let expected: (status: number) => boolean;
        let want: string;
        if (caller === 'none' || caller === 'revoked') {
          expected = (s) => s === 401;
          want = '401';
        } else if (!route.roles.includes(role)) {
          expected = (s) => s === 403;
          want = '403';
        } else if ((caller === 'otherSc' && tenantScoped) || (caller === 'manager' && ownerOnly)) {
          expected = (s) => s === 404;
          want = '404';
        } else {
          expected = (s) => s < 500 && ![401, 403, 404].includes(s);
          want = 'allowed (not 401/403/404/5xx)';
        }
        if (!expected(res.status)) failures.push(`${route.method} ${route.path} as ${caller}: ${res.status}, want ${want}`);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
    // About 270 requests, one after another: more than the default timeout on a busy machine.
  }, 120_000);
});
