import type { Response as AgentResponse } from 'superagent';
import { bearer, createTestApp, TestApp } from './app';
import { makeAct, makeServiceCenter, TestServiceCenter } from './factories';

/**
 * Compensation settlements through HTTP. Other spec files write acts into the same database at
 * the same time, so settlements here are limited to service centers made here, except one whose
 * assertions look only at this file's service centers.
 */

type Part = { name: string; quantity: number; ownPart?: boolean; unitPrice?: string; diagramNumber?: string };
type Settlement = { id: string; actCount: number; amount: string; serviceCenters: { id: string; name: string; actCount: number; amount: string }[] };

/** Kopecks of a money string, exactly ("1535.80" → 153580n). */
const kopecks = (money: string) => {
  expect(money).toMatch(/^\d+\.\d{2}$/);
  return BigInt(money.replace('.', ''));
};
const money = (k: bigint) => `${k / 100n}.${(k % 100n).toString().padStart(2, '0')}`;

function rawBody(res: AgentResponse, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('compensation settlements', () => {
  let t: TestApp;
  let sc1: TestServiceCenter;
  let sc2: TestServiceCenter;
  let outsider: TestServiceCenter;

  const api = (path: string) => `/api/v1/${path}`;
  const settle = (body: Record<string, unknown>, key = t.managerKey) => t.http.post(api('compensation-settlements')).set(bearer(key)).send(body);

  /** An act of `sc` with these parts, put into a state by SQL (closing through the API is tested elsewhere). */
  async function place(sc: TestServiceCenter, parts: Part[], fields: Record<string, unknown>) {
    const act = await makeAct(t, sc, { parts });
    const columns = Object.keys(fields);
    await t.db.query(`UPDATE acts SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [act.id, ...Object.values(fields)]);
    return act;
  }
  const repaired = (closedAt: string, kind = 'warranty') => ({ status: 'closed', resolution: 'repaired', kind, closed_at: closedAt });
  const settlementOf = async (actId: string): Promise<string | null> => {
    const [row] = await t.db.query<{ settlement_id: string | null }[]>(`SELECT settlement_id FROM acts WHERE id = $1`, [actId]);
    return row.settlement_id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    sc1 = await makeServiceCenter(t, { name: `СЦ Восток ${Date.now()}` });
    sc2 = await makeServiceCenter(t, { name: `СЦ Запад ${Date.now()}` });
    outsider = await makeServiceCenter(t);
  });
  afterAll(() => t?.close());

  describe('POST /compensation-settlements', () => {
    const acts: Record<string, { id: string; number: string }> = {};
    let first: Settlement;

    beforeAll(async () => {
      acts.a = await place(
        sc1,
        [
          { name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false },
          { name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' },
          { name: 'Шайба', quantity: 3, ownPart: true, unitPrice: '0.10' },
        ],
        repaired('2026-04-30T20:59:59Z'), // 2026-04-30 23:59:59 in Moscow
      );
      acts.b = await place(sc1, [{ name: 'Пружина', quantity: 1, ownPart: true, unitPrice: '0.20' }], repaired('2026-04-10T10:00:00Z'));
      acts.nextDay = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '99.99' }], repaired('2026-04-30T21:00:00Z'));
      acts.paid = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '55.55' }], repaired('2026-04-10T10:00:00Z', 'paid'));
      acts.notWarranty = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '44.44' }], {
        status: 'closed',
        resolution: 'not_warranty',
        closed_at: '2026-04-10T10:00:00Z',
      });
      acts.open = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '33.33' }], { status: 'parts_delivered' });
      acts.noOwnParts = await place(sc1, [{ name: 'Коленвал', quantity: 1, ownPart: false, unitPrice: '1000.00' }], repaired('2026-04-10T10:00:00Z'));
    });

    it('takes every act closed repaired, warranty, with own parts, by the Moscow day, with exact totals', async () => {
      const res = await settle({ closedTo: '2026-04-30', serviceCenterId: sc1.id }).expect(201);
      first = res.body as Settlement;
      expect(res.body).toEqual({
        id: expect.any(String),
        closedTo: '2026-04-30',
        serviceCenterId: sc1.id,
        createdAt: expect.any(String),
        createdBy: expect.any(String),
        actCount: 2,
        amount: '301.50',
        serviceCenters: [{ id: sc1.id, name: sc1.name, actCount: 2, amount: '301.50' }],
      });
      expect(await settlementOf(acts.a.id)).toBe(first.id);
      expect(await settlementOf(acts.b.id)).toBe(first.id);
      for (const other of ['nextDay', 'paid', 'notWarranty', 'open', 'noOwnParts']) expect(await settlementOf(acts[other].id)).toBeNull();
    });

    it('answers 422 naming closedTo when nothing is left to settle', async () => {
      const res = await settle({ closedTo: '2026-04-30', serviceCenterId: sc1.id }).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'closedTo', message: expect.any(String) }]);
    });

    it('settles an act once, even after a reopen and a new closing', async () => {
      await t.db.query(`UPDATE acts SET status = 'submitted', resolution = NULL, closed_at = NULL WHERE id = $1`, [acts.a.id]);
      await t.db.query(`UPDATE acts SET status = 'closed', resolution = 'repaired', closed_at = '2026-05-02T09:00:00Z' WHERE id = $1`, [acts.a.id]);
      const res = await settle({ closedTo: '2026-05-31', serviceCenterId: sc1.id }).expect(201);
      expect(res.body).toMatchObject({ actCount: 1, amount: '99.99' });
      expect(await settlementOf(acts.nextDay.id)).toBe(res.body.id);
      expect(await settlementOf(acts.a.id)).toBe(first.id);
      // The first settlement still shows what it paid.
      const detail = await t.http
        .get(api(`compensation-settlements/${first.id}`))
        .set(bearer(t.managerKey))
        .expect(200);
      expect(detail.body).toMatchObject({ actCount: 2, lineCount: 3, amount: '301.50' });
    });

    it('refuses what is not a settlement request', async () => {
      const future = await settle({ closedTo: '2999-01-01' }).expect(422);
      expect(future.body.errors).toEqual([{ field: 'closedTo', message: expect.stringContaining('позже сегодняшнего дня') }]);
      const unknown = await settle({ closedTo: '2026-04-30', serviceCenterId: '00000000-0000-4000-8000-000000000000' }).expect(422);
      expect(unknown.body.errors).toEqual([{ field: 'serviceCenterId', message: expect.any(String) }]);
      const bad = await settle({ closedTo: '2026-02-30', extra: 1 }).expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['closedTo', 'extra']);
      await settle({ closedTo: '2026-04-30' }, sc1.key).expect(403);
    });
  });

  describe('what a service center sees', () => {
    let shared: Settlement;
    let sc2Only: Settlement;
    const acts: Record<string, { id: string; number: string }> = {};

    beforeAll(async () => {
      // January 2025: before any other spec file's acts.
      acts.one = await place(sc1, [{ name: '=СУММ(A1)', quantity: 2, ownPart: true, unitPrice: '10.05' }], repaired('2025-01-10T10:00:00Z'));
      acts.two = await place(
        sc2,
        [
          { name: 'Карбюратор', quantity: 1, ownPart: true, unitPrice: '1200.00' },
          { name: 'Прокладка', quantity: 4, ownPart: true, unitPrice: '12.50' },
        ],
        repaired('2025-01-11T10:00:00Z'),
      );
      shared = (await settle({ closedTo: '2025-01-31' }).expect(201)).body as Settlement;
      await place(sc2, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '5.00' }], repaired('2025-02-01T10:00:00Z'));
      sc2Only = (await settle({ closedTo: '2025-02-28', serviceCenterId: sc2.id }).expect(201)).body as Settlement;
    });

    it('a manager sees every service center of the settlement', () => {
      const mine = shared.serviceCenters.filter((s) => s.id === sc1.id || s.id === sc2.id);
      expect(mine).toEqual([
        { id: sc1.id, name: sc1.name, actCount: 1, amount: '20.10' },
        { id: sc2.id, name: sc2.name, actCount: 1, amount: '1250.00' },
      ]);
      const sum = shared.serviceCenters.reduce((k, s) => k + kopecks(s.amount), 0n);
      expect(money(sum)).toBe(shared.amount);
    });

    it('an SC lists only settlements with its acts, with only its own share', async () => {
      const seen: Settlement[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Settlement[]; nextCursor: string | null } } = await t.http
          .get(api('compensation-settlements'))
          .query({ limit: 1, ...(cursor ? { cursor } : {}) })
          .set(bearer(sc1.key))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.map((s) => s.id)).toContain(shared.id);
      expect(seen.map((s) => s.id)).not.toContain(sc2Only.id);
      expect(seen.find((s) => s.id === shared.id)).toMatchObject({
        actCount: 1,
        amount: '20.10',
        serviceCenters: [{ id: sc1.id, name: sc1.name, actCount: 1, amount: '20.10' }],
      });
    });

    it("an SC reads its own lines only, and another SC's settlement is not found", async () => {
      const res = await t.http
        .get(api(`compensation-settlements/${shared.id}`))
        .set(bearer(sc1.key))
        .expect(200);
      expect(res.body).toMatchObject({ id: shared.id, actCount: 1, lineCount: 1, amount: '20.10' });
      expect(res.body.serviceCenters).toEqual([
        {
          id: sc1.id,
          name: sc1.name,
          actCount: 1,
          amount: '20.10',
          acts: [
            {
              actId: acts.one.id,
              number: acts.one.number,
              closedAt: '2025-01-10T10:00:00.000Z',
              closedOn: '2025-01-10',
              total: '20.10',
              lines: [
                { partId: expect.any(String), partName: '=СУММ(A1)', diagramNumber: null, quantity: 2, unitPrice: '10.05', lineTotal: '20.10' },
              ],
            },
          ],
        },
      ]);
      await t.http
        .get(api(`compensation-settlements/${sc2Only.id}`))
        .set(bearer(sc1.key))
        .expect(404);
      await t.http
        .get(api(`compensation-settlements/${shared.id}`))
        .set(bearer(outsider.key))
        .expect(404);
      await t.http.get(api(`compensation-settlements/not-a-uuid`)).set(bearer(sc1.key)).expect(400);
    });

    it('serves the lines as the compensation report CSV, an SC its own only', async () => {
      const res = await t.http
        .get(api(`compensation-settlements/${shared.id}`))
        .set(bearer(sc2.key))
        .set('Accept', 'text/csv')
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="settlement-2025-01-31-${shared.id}.csv"`);
      const text = (res.body as Buffer).toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const rows = text
        .slice(1)
        .split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(';'));
      expect(rows).toEqual([
        [
          'row_type',
          'service_center_id',
          'service_center',
          'act_number',
          'closed_on',
          'part_name',
          'diagram_number',
          'quantity',
          'unit_price',
          'amount',
        ],
        ['line', sc2.id, sc2.name, acts.two.number, '2025-01-11', 'Карбюратор', '', '1', '1200.00', '1200.00'],
        ['line', sc2.id, sc2.name, acts.two.number, '2025-01-11', 'Прокладка', '', '4', '12.50', '50.00'],
        ['act', sc2.id, sc2.name, acts.two.number, '2025-01-11', '', '', '', '', '1250.00'],
        ['service_center', sc2.id, sc2.name, '', '', '', '', '', '', '1250.00'],
        ['total', '', '', '', '', '', '', '', '', '1250.00'],
      ]);
    });
  });

  describe('GET /reports/compensation?settled', () => {
    let sc: TestServiceCenter;

    beforeAll(async () => {
      sc = await makeServiceCenter(t);
      await place(sc, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '100.00' }], repaired('2026-06-05T10:00:00Z'));
      await place(sc, [{ name: 'Свеча', quantity: 3, ownPart: true, unitPrice: '0.35' }], repaired('2026-06-10T10:00:00Z'));
      await settle({ closedTo: '2026-06-07', serviceCenterId: sc.id }).expect(201);
      await place(sc, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '7.00' }], repaired('2026-06-02T10:00:00Z'));
    });

    const report = (settled?: string) =>
      t.http
        .get(api('reports/compensation'))
        .query({ from: '2026-06-01', to: '2026-06-30', serviceCenterId: sc.id, ...(settled === undefined ? {} : { settled }) })
        .set(bearer(t.managerKey));

    it('lists the settled acts, the unsettled ones, or both', async () => {
      const all = (await report().expect(200)).body;
      const settled = (await report('true').expect(200)).body;
      const unsettled = (await report('false').expect(200)).body;
      expect([all.settled, settled.settled, unsettled.settled]).toEqual([null, true, false]);
      expect([all.actCount, settled.actCount, unsettled.actCount]).toEqual([3, 1, 2]);
      expect([all.total, settled.total, unsettled.total]).toEqual(['108.05', '100.00', '8.05']);
    });

    it('refuses another value with 400', async () => {
      const res = await report('yes').expect(400);
      expect(res.body.errors).toEqual([{ field: 'settled', message: expect.any(String) }]);
    });
  });

  it('splits the acts without overlap when ten settlements are requested at once', async () => {
    const sc = await makeServiceCenter(t);
    const prices = ['0.10', '0.20', '150.50', '1234.56', '0.01', '99.99', '10.00', '3.33', '7.77', '12.34', '0.05', '500.00'];
    const acts: { id: string; total: bigint }[] = [];
    for (const [i, price] of prices.entries()) {
      const day = String(1 + i * 2).padStart(2, '0');
      const act = await place(
        sc,
        [
          { name: 'Шнур', quantity: 1 + (i % 3), ownPart: true, unitPrice: price },
          { name: 'Коленвал', quantity: 1, ownPart: false },
        ],
        repaired(`2026-07-${day}T10:00:00Z`),
      );
      acts.push({ id: act.id, total: kopecks(price) * BigInt(1 + (i % 3)) });
    }
    const closedTo = [
      '2026-07-31',
      '2026-07-31',
      '2026-07-31',
      '2026-07-05',
      '2026-07-10',
      '2026-07-15',
      '2026-07-20',
      '2026-07-31',
      '2026-07-03',
      '2026-07-31',
    ];
    const responses = await Promise.all(closedTo.map((day) => settle({ closedTo: day, serviceCenterId: sc.id })));
    const made = responses.filter((r) => r.status === 201).map((r) => r.body as Settlement);
    expect(responses.every((r) => r.status === 201 || r.status === 422)).toBe(true);
    expect(made.length).toBeGreaterThanOrEqual(1);

    // Every act is in exactly one of the settlements made, and each settlement's acts are its own.
    const owners: { id: string; settlement_id: string | null }[] = await t.db.query(
      `SELECT id, settlement_id FROM acts WHERE service_center_id = $1`,
      [sc.id],
    );
    expect(owners.every((o) => made.some((s) => s.id === o.settlement_id))).toBe(true);
    const seen = new Set<string>();
    for (const s of made) {
      const detail = await t.http
        .get(api(`compensation-settlements/${s.id}`))
        .set(bearer(t.managerKey))
        .expect(200);
      const ids: string[] = detail.body.serviceCenters.flatMap((c: { acts: { actId: string }[] }) => c.acts.map((a) => a.actId));
      expect(ids.length).toBe(s.actCount);
      for (const id of ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(acts.length);
    const settledSum = made.reduce((k, s) => k + kopecks(s.amount), 0n);
    expect(settledSum).toBe(acts.reduce((k, a) => k + a.total, 0n));
  });
});
