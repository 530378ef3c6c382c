import { ActAction, ActFacts, ActorRole, ActStatus, findTransition, Resolution } from '../src/acts/act-status';
import { Role } from '../src/common/auth/principal';
import { bearer, createTestApp, TestApp } from './app';
import { anyCategoryId, attachPhotoRows, makeAct, makeServiceCenter, REQUIRED_PHOTOS, TestServiceCenter, validActBody } from './factories';
import { RouteInfo, routeTable } from './support/routes';

/**
 * Every act action endpoint × every status × {the owning SC, a manager}, checked against the
 * status machine (findTransition in src/acts/act-status.ts):
 * - the route's @Roles excludes the caller → 403, act unchanged;
 * - the machine allows the action → 2xx, and the act's status is the machine's `to` (with its
 *   resolution when it closes);
 * - the machine forbids it → 409 problem+json, act unchanged (status and version). One
 *   exception, from the contract: submitting an act past draft answers it unchanged with 200.
 *
 * Each case gets a fresh act: a complete one made through the API with its required photos,
 * then put into the status under test with SQL, together with the columns that status carries
 * (submitted_at, decided_at, reply/mismatch deadlines, resolution and closed_at). Walking every
 * act there through the API would cost up to ten requests for each of the cases; the
 * walks themselves are tested in manager-workflow.e2e-spec.ts and shipments.e2e-spec.ts. For
 * POST /shipments/:id/delivered the act is put into an undelivered shipment with SQL too.
 */

type Caller = 'sc' | 'manager';

interface Case {
  actId: string;
  /** The act's part to ship. */
  partId: string;
  shipmentId: string;
  /** One of the act's required photos. */
  photoId: string;
}

interface Endpoint {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** The route as the controllers declare it (for its @Roles). */
  route: string;
  path: (c: Case) => string;
  body?: (c: Case) => object;
  action: ActAction;
  /** Resolution the request chooses when the machine's rule leaves it open (a manager's close). */
  resolution?: Resolution;
  /** Target the request chooses when the machine offers choices (a reopen's `to`). */
  to?: ActStatus;
  /** Puts the case's act in the shape the endpoint needs (a 14-day refusal, own parts only), with the facts that gives it. */
  shape?: { sql: string; facts: ActFacts };
  /** Sends a photo as multipart/form-data instead of a JSON body. */
  upload?: boolean;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const STATUSES = Object.values(ActStatus);

/** A 14-day refusal: the refund decision is for these only. */
const REFUSAL = { sql: `UPDATE acts SET product = product || '{"refusedWithin14Days": true}' WHERE id = $1`, facts: {} };
/** Every part from the SC's own stock: nothing to ship. */
const OWN_PARTS_ONLY = { sql: `UPDATE act_parts SET own_part = true, unit_price = 100 WHERE act_id = $1`, facts: { nothingToShip: true } };
/** Every part to ship carried by an earlier parcel: a shipment now carries nothing new (v1's reship). */
const ALL_SHIPPED = {
  sql: `WITH s AS (INSERT INTO shipments (service_center_id, carrier, tracking_number, created_by)
          SELECT service_center_id, 'СДЭК', 'earlier', (SELECT id FROM managers ORDER BY created_at LIMIT 1) FROM acts WHERE id = $1 RETURNING id)
        UPDATE act_parts SET shipment_id = (SELECT id FROM s) WHERE act_id = $1 AND NOT own_part`,
  facts: {},
};
/** Another parcel of the act's round is in transit: a delivery leaves the act waiting for it. */
const ANOTHER_PARCEL = {
  sql: `WITH s AS (INSERT INTO shipments (service_center_id, carrier, tracking_number, created_by)
          SELECT service_center_id, 'СДЭК', 'other', (SELECT id FROM managers ORDER BY created_at LIMIT 1) FROM acts WHERE id = $1 RETURNING id)
        INSERT INTO shipment_acts (shipment_id, act_id) SELECT id, $1 FROM s`,
  facts: { moreToCome: true },
};
/** A paid order (its invoice is the manager's to issue). */
const PAID_ORDER = { sql: `UPDATE acts SET kind = 'paid' WHERE id = $1`, facts: {} };
/** A paid order with an unpaid invoice of 100.00. */
const INVOICED = {
  sql: `WITH k AS (UPDATE acts SET kind = 'paid' WHERE id = $1)
        INSERT INTO act_invoices (act_id, amount, payment_reference, lines, issued_at) VALUES ($1, 100.00, 'ref', '[]', now())`,
  facts: {},
};
const CALLERS: Caller[] = ['sc', 'manager'];

describe('status matrix: every action endpoint in every status for every role', () => {
  let t: TestApp;
  let owner: TestServiceCenter;
  let routes: RouteInfo[];
  let managerId: string;
  const savedLimit = process.env.RATE_LIMIT_PER_MINUTE;

  beforeAll(async () => {
    // About 450 requests a minute from the owner's key: lift the per-key limit for this app only.
    process.env.RATE_LIMIT_PER_MINUTE = '100000';
    try {
      t = await createTestApp();
    } finally {
      if (savedLimit === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
      else process.env.RATE_LIMIT_PER_MINUTE = savedLimit;
    }
    owner = await makeServiceCenter(t);
    routes = routeTable(t.app);
    [{ id: managerId }] = await t.db.query(`SELECT id FROM managers ORDER BY created_at DESC LIMIT 1`);
  });
  afterAll(() => t?.close());

  const act =
    (path = '') =>
    (c: Case) =>
      `/api/v1/acts/${c.actId}${path}`;

  const endpoints = (): Endpoint[] => [
    {
      name: 'request-info',
      method: 'POST',
      route: '/acts/:id/request-info',
      path: act('/request-info'),
      body: () => ({ text: 'Пришлите фото шильдика', replyWithin: '3d' }),
      action: ActAction.RequestInfo,
    },
    {
      name: 'decision warranty',
      method: 'POST',
      route: '/acts/:id/decision',
      path: act('/decision'),
      body: () => ({ decision: 'warranty' }),
      action: ActAction.Approve,
    },
    {
      name: 'decision paid',
      method: 'POST',
      route: '/acts/:id/decision',
      path: act('/decision'),
      body: () => ({ decision: 'paid' }),
      action: ActAction.Approve,
    },
    {
      name: 'decision not_warranty',
      method: 'POST',
      route: '/acts/:id/decision',
      path: act('/decision'),
      body: () => ({ decision: 'not_warranty', reasonCode: 'improper_use', comment: 'Нарушены условия эксплуатации' }),
      action: ActAction.RefuseWarranty,
    },
    {
      name: 'decision refund',
      method: 'POST',
      route: '/acts/:id/decision',
      path: act('/decision'),
      body: () => ({ decision: 'refund' }),
      action: ActAction.Refund,
      shape: REFUSAL,
    },
    {
      name: 'reopen to approved',
      method: 'POST',
      route: '/acts/:id/reopen',
      path: act('/reopen'),
      body: () => ({ reason: 'Закрыт по ошибке', to: 'approved' }),
      action: ActAction.Reopen,
      to: ActStatus.Approved,
    },
    {
      name: 'reopen to part_mismatch',
      method: 'POST',
      route: '/acts/:id/reopen',
      path: act('/reopen'),
      body: () => ({ reason: 'Нужна повторная отправка', to: 'part_mismatch' }),
      action: ActAction.Reopen,
      to: ActStatus.PartMismatch,
    },
    {
      name: 'repaired, own parts only',
      method: 'POST',
      route: '/acts/:id/repaired',
      path: act('/repaired'),
      action: ActAction.MarkRepaired,
      shape: OWN_PARTS_ONLY,
    },
    {
      name: 'close',
      method: 'POST',
      route: '/acts/:id/close',
      path: act('/close'),
      body: () => ({ resolution: 'not_warranty', reason: 'Механическое повреждение' }),
      action: ActAction.Close,
      resolution: Resolution.NotWarranty,
    },
    {
      name: 'reopen',
      method: 'POST',
      route: '/acts/:id/reopen',
      path: act('/reopen'),
      body: () => ({ reason: 'Закрыт по ошибке' }),
      action: ActAction.Reopen,
    },
    { name: 'repaired', method: 'POST', route: '/acts/:id/repaired', path: act('/repaired'), action: ActAction.MarkRepaired },
    {
      name: 'mismatch',
      method: 'POST',
      route: '/acts/:id/mismatch',
      path: act('/mismatch'),
      body: () => ({ text: 'Прислали не тот коленвал' }),
      action: ActAction.ReportMismatch,
    },
    {
      // The act's part has not shipped yet: in parts_shipped or parts_delivered that is a pending part, which a later parcel may carry.
      name: 'ship',
      method: 'POST',
      route: '/shipments',
      path: () => '/api/v1/shipments',
      body: (c) => ({ carrier: 'СДЭК', trackingNumber: '1234567890', actIds: [c.actId] }),
      action: ActAction.Ship,
      shape: { sql: 'SELECT $1::uuid', facts: { partsPending: true } },
    },
    {
      name: 'ship, nothing pending',
      method: 'POST',
      route: '/shipments',
      path: () => '/api/v1/shipments',
      body: (c) => ({ carrier: 'СДЭК', trackingNumber: '1234567891', items: [{ actId: c.actId }] }),
      action: ActAction.Ship,
      shape: ALL_SHIPPED,
    },
    {
      name: 'delivered, another parcel in transit',
      method: 'POST',
      route: '/shipments/:id/delivered',
      path: (c) => `/api/v1/shipments/${c.shipmentId}/delivered`,
      body: () => ({}),
      action: ActAction.Deliver,
      shape: ANOTHER_PARCEL,
    },
    {
      name: 'partial consent',
      method: 'POST',
      route: '/acts/:id/partial-consent',
      path: act('/partial-consent'),
      body: () => ({ consent: true }),
      action: ActAction.ConsentPartial,
    },
    {
      name: 'invoice',
      method: 'POST',
      route: '/acts/:id/invoice',
      path: act('/invoice'),
      body: (c) => ({ lines: [{ partId: c.partId, unitPrice: '100.00' }] }),
      action: ActAction.IssueInvoice,
      shape: PAID_ORDER,
    },
    {
      name: 'payment',
      method: 'POST',
      route: '/acts/:id/payment',
      path: act('/payment'),
      body: () => ({ amount: '100.00' }),
      action: ActAction.RecordPayment,
      shape: INVOICED,
    },
    {
      name: 'delivered',
      method: 'POST',
      route: '/shipments/:id/delivered',
      path: (c) => `/api/v1/shipments/${c.shipmentId}/delivered`,
      body: () => ({}),
      action: ActAction.Deliver,
    },
    { name: 'submit', method: 'POST', route: '/acts/:id/submit', path: act('/submit'), action: ActAction.Submit },
    {
      name: 'section edit',
      method: 'PUT',
      route: '/acts/:id/extra',
      path: act('/extra'),
      body: () => ({ ...extraSection, complexity: 3 }),
      action: ActAction.Edit,
    },
    {
      name: 'comment',
      method: 'POST',
      route: '/acts/:id/comments',
      path: act('/comments'),
      body: () => ({ text: 'Вопрос по акту' }),
      action: ActAction.Comment,
    },
    { name: 'withdraw', method: 'DELETE', route: '/acts/:id', path: act(), action: ActAction.Withdraw },
    { name: 'add photo', method: 'POST', route: '/acts/:id/photos', path: act('/photos'), upload: true, action: ActAction.AddPhoto },
    {
      name: 'delete photo',
      method: 'DELETE',
      route: '/acts/:id/photos/:photoId',
      path: (c) => `/api/v1/acts/${c.actId}/photos/${c.photoId}`,
      action: ActAction.DeletePhoto,
    },
  ];
  let extraSection: object;

  /** Puts an act into `status` with the columns that status carries. */
  async function putInStatus(actId: string, status: ActStatus): Promise<void> {
    const past = status !== ActStatus.Draft;
    const decided = [ActStatus.Approved, ActStatus.PartsShipped, ActStatus.PartsDelivered, ActStatus.PartMismatch].includes(status);
    const now = t.clock.now();
    const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
    await t.db.query(
      `UPDATE acts SET status = $2, submitted_at = $3, decided_at = $4, reply_deadline = $5, mismatch_deadline = $6,
              resolution = $7, closed_at = $8
        WHERE id = $1`,
      [
        actId,
        status,
        past ? now : null,
        decided ? now : null,
        status === ActStatus.InfoRequested ? inDays(5) : null,
        status === ActStatus.PartsDelivered ? inDays(3) : null,
        status === ActStatus.Closed ? Resolution.WarrantyRefused : null,
        status === ActStatus.Closed ? now : null,
      ],
    );
  }

  async function newCase(status: ActStatus, withShipment: boolean): Promise<Case> {
    const { id } = await makeAct(t, owner);
    await attachPhotoRows(t, id, REQUIRED_PHOTOS);
    await putInStatus(id, status);
    let shipmentId = '00000000-0000-4000-8000-000000000000';
    if (withShipment) {
      [{ id: shipmentId }] = await t.db.query(
        `INSERT INTO shipments (service_center_id, carrier, tracking_number, shipped_at, created_by)
         VALUES ($1, 'СДЭК', '1234567890', $2, $3) RETURNING id`,
        [owner.id, new Date(t.clock.now().getTime() - 60_000), managerId],
      );
      await t.db.query(`INSERT INTO shipment_acts (shipment_id, act_id) VALUES ($1, $2)`, [shipmentId, id]);
      await t.db.query(`UPDATE act_parts SET shipment_id = $1 WHERE act_id = $2 AND NOT own_part`, [shipmentId, id]);
    }
    const [{ id: photoId }] = await t.db.query(`SELECT id FROM act_photos WHERE act_id = $1 LIMIT 1`, [id]);
    const [{ id: partId }] = await t.db.query(`SELECT id FROM act_parts WHERE act_id = $1 AND NOT own_part LIMIT 1`, [id]);
    return { actId: id, partId, shipmentId, photoId };
  }

  async function stateOf(actId: string): Promise<{ status: ActStatus; resolution: Resolution | null; version: number }> {
    const [row] = await t.db.query(`SELECT status, resolution, version FROM acts WHERE id = $1`, [actId]);
    return row;
  }

  it('answers as the machine says', async () => {
    extraSection = validActBody(await anyCategoryId(t)).extra as object;
    const failures: string[] = [];
    let cases = 0;
    for (const endpoint of endpoints()) {
      const route = routes.find((r) => r.method === endpoint.method && r.path === endpoint.route);
      if (!route) throw new Error(`No route ${endpoint.method} ${endpoint.route}`);
      await Promise.all(
        STATUSES.flatMap((status) =>
          CALLERS.map(async (caller) => {
            cases += 1;
            const c = await newCase(status, endpoint.action === ActAction.Deliver);
            if (endpoint.shape) await t.db.query(endpoint.shape.sql, [c.actId]);
            const before = await stateOf(c.actId);
            const key = caller === 'manager' ? t.managerKey : owner.key;
            const method = endpoint.method.toLowerCase() as 'post' | 'put' | 'delete';
            let req = t.http[method](endpoint.path(c)).set(bearer(key));
            if (endpoint.body) req = req.send(endpoint.body(c));
            if (endpoint.upload) req = req.field('kind', 'other').attach('file', PNG, { filename: 'matrix.png', contentType: 'image/png' });
            const res = await req;
            const after = await stateOf(c.actId);

            const label = `${endpoint.name} in ${status} by ${caller}`;
            const fail = (what: string) => failures.push(`${label}: ${what} (HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 160)})`);
            const unchanged = () => {
              if (after.status !== before.status || after.version !== before.version) {
                fail(`act changed: ${before.status} v${before.version} → ${after.status} v${after.version}`);
              }
            };

            const role = caller === 'manager' ? Role.Manager : Role.ServiceCenter;
            const actorRole = caller === 'manager' ? ActorRole.Manager : ActorRole.ServiceCenter;
            if (!route.roles.includes(role)) {
              if (res.status !== 403) fail('want 403');
              unchanged();
              return;
            }
            const transition = findTransition({ ...before, ...endpoint.shape?.facts }, endpoint.action, actorRole);
            if (!transition) {
              if (res.status !== 409) fail('want 409');
              else if (!/application\/problem\+json/.test(res.headers['content-type'])) fail('want problem+json');
              unchanged();
              return;
            }
            if (transition.noop) {
              if (res.status < 200 || res.status > 299) fail('want 2xx, unchanged');
              unchanged();
              return;
            }
            const to = transition.choices && endpoint.to ? endpoint.to : transition.to;
            const resolution =
              transition.from === transition.to
                ? (before.resolution ?? undefined)
                : (transition.resolution ?? (to === ActStatus.Closed ? endpoint.resolution : undefined));
            if (res.status < 200 || res.status > 299) fail(`want 2xx and ${to}`);
            else if (after.status !== to) fail(`status ${after.status}, want ${to}`);
            else if ((after.resolution ?? undefined) !== resolution) fail(`resolution ${after.resolution}, want ${resolution}`);
          }),
        ),
      );
    }
    expect(cases).toBe(endpoints().length * STATUSES.length * CALLERS.length);
    expect(failures).toEqual([]);
    // 27 endpoints × 8 statuses × 2 callers, each with its own act: longer than the default timeout on a busy machine.
  }, 180_000);
});
