import { bearer, TestApp, uniqueSuffix } from './app';

export interface TestServiceCenter {
  id: string;
  name: string;
  email: string;
  key: string;
  keyId: string;
}

/** A service center with one API key, made through the API as a manager would. */
export async function makeServiceCenter(t: TestApp, overrides: Record<string, unknown> = {}): Promise<TestServiceCenter> {
  const suffix = uniqueSuffix();
  const created = await t.http
    .post('/api/v1/service-centers')
    .set(bearer(t.managerKey))
    .send({ name: `СЦ ${suffix}`, email: `sc-${suffix}@example.com`, city: 'Москва', ...overrides })
    .expect(201);
  const key = await t.http.post(`/api/v1/service-centers/${created.body.id}/api-keys`).set(bearer(t.managerKey)).send({ label: 'test' }).expect(201);
  return { id: created.body.id, name: created.body.name, email: created.body.email, key: key.body.key, keyId: key.body.id };
}

/**
 * A complete, valid act body (all four steps); override any section. The serial number is new on
 * every call, so that acts made for other purposes are not duplicates of each other (integrity flags).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function validActBody(categoryId: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    product: {
      categoryId,
      model: 'ЭГК-1500 Энергопром',
      serialNumber: `01.234.${uniqueSuffix()}`,
      complaint: 'Не запускается',
      condition: 'used',
      saleDate: '2026-06-01',
      acceptedDate: '2026-06-15',
      completeness: 'incomplete',
      hasWarrantyCard: true,
    },
    diagnosis: {
      internalNumber: '12833-во-31',
      mechanic: 'Иванов Иван',
      result: 'Коленвал вышел из строя из-за попадания воды в цилиндр, вызвавшей гидроудар',
      conclusion: 'Гарантийный случай, нужна замена коленвала',
      warrantyCase: true,
    },
    parts: [
      { name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false },
      { name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' },
    ],
    extra: {
      customerName: 'Петров Пётр Петрович',
      customerPhone: '+7 916 123-45-67',
      sellerOrganization: 'ООО «Садовод»',
      complexity: 2,
      productState: 'left_at_service_center',
      repairEndDate: null,
    },
    ...overrides,
  };
}

let categoryId: string | undefined;
export async function anyCategoryId(t: TestApp): Promise<string> {
  if (!categoryId) {
    const res = await t.http.get('/api/v1/product-categories').set(bearer(t.managerKey)).expect(200);
    categoryId = res.body[0].id as string;
  }
  return categoryId;
}

/** A draft act of `sc` made through the API; `overrides` replace whole sections. */
export async function makeAct(t: TestApp, sc: TestServiceCenter, overrides: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/api/v1/acts')
    .set(bearer(sc.key))
    .send(validActBody(await anyCategoryId(t), overrides))
    .expect(201);
  return res.body as { id: string; number: string; version: number; status: string; [key: string]: unknown };
}

/** Attaches photo rows directly (for tests that are not about uploads). */
export async function attachPhotoRows(t: TestApp, actId: string, kinds: string[]): Promise<void> {
  for (const kind of kinds) {
    await t.db.query(
      `INSERT INTO act_photos (act_id, kind, file_name, content_type, size, sha256, storage_key)
       VALUES ($1, $2, 'x.jpg', 'image/jpeg', 1, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), 'test/' || gen_random_uuid())`,
      [actId, kind],
    );
  }
}

export const REQUIRED_PHOTOS = ['nameplate', 'warranty_card', 'breakage', 'part'];

/** A submitted act (required photos attached). */
export async function makeSubmittedAct(t: TestApp, sc: TestServiceCenter, overrides: Record<string, unknown> = {}) {
  const act = await makeAct(t, sc, overrides);
  await attachPhotoRows(t, act.id, REQUIRED_PHOTOS);
  const res = await t.http.post(`/api/v1/acts/${act.id}/submit`).set(bearer(sc.key)).expect(200);
  return res.body as typeof act;
}

type ActBody = Awaited<ReturnType<typeof makeAct>>;

/** A submitted act that a manager has approved (`decision` warranty unless told). */
export async function makeApprovedAct(
  t: TestApp,
  sc: TestServiceCenter,
  decision: 'warranty' | 'paid' = 'warranty',
  overrides: Record<string, unknown> = {},
): Promise<ActBody> {
  const act = await makeSubmittedAct(t, sc, overrides);
  const res = await t.http.post(`/api/v1/acts/${act.id}/decision`).set(bearer(t.managerKey)).send({ decision }).expect(200);
  return res.body as ActBody;
}

/** An approved paid order whose invoice (every part to ship at `unitPrice`) is issued and paid, ready to ship. */
export async function makePaidOrder(
  t: TestApp,
  sc: TestServiceCenter,
  unitPrice = '100.00',
  overrides: Record<string, unknown> = {},
): Promise<ActBody> {
  const act = await makeApprovedAct(t, sc, 'paid', overrides);
  const parts = (act.parts as { id: string; ownPart: boolean }[]).filter((p) => !p.ownPart);
  const invoice = await t.http
    .post(`/api/v1/acts/${act.id}/invoice`)
    .set(bearer(t.managerKey))
    .send({ lines: parts.map((p) => ({ partId: p.id, unitPrice })) })
    .expect(201);
  const res = await t.http.post(`/api/v1/acts/${act.id}/payment`).set(bearer(t.managerKey)).send({ amount: invoice.body.amount }).expect(200);
  return res.body as ActBody;
}

export interface TestShipment {
  id: string;
  serviceCenterId: string;
  carrier: string;
  trackingNumber: string;
  urgent: boolean;
  actIds: string[];
  items: { actId: string; partIds: string[] }[];
  shippedAt: string;
  deliveredAt: string | null;
}

/** A shipment of these acts, made by the manager through the API. */
export async function makeShipment(t: TestApp, actIds: string[], overrides: Record<string, unknown> = {}): Promise<TestShipment> {
  const res = await t.http
    .post('/api/v1/shipments')
    .set(bearer(t.managerKey))
    .send({ carrier: 'СДЭК', trackingNumber: `10${Date.now()}${Math.floor(Math.random() * 1000)}`, actIds, ...overrides })
    .expect(201);
  return res.body as TestShipment;
}
