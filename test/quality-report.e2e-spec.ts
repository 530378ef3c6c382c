import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response as AgentResponse } from 'superagent';
import type { DataSource } from 'typeorm';
import { sendStreamed, RowStream } from '../src/common/row-stream';
import { bearer, createTestApp, TestApp, uniqueSuffix } from './app';
import { makeAct, makeServiceCenter, TestServiceCenter, validActBody } from './factories';

/**
 * GET /reports/quality grouped every way (JSON and CSV), and the streamed reports under a client
 * that goes away mid-body or a body that fails mid-way. Acts are placed in May 2023 (Moscow),
 * a month no other spec closes acts in.
 */

type Part = { name: string; quantity: number; ownPart?: boolean; unitPrice?: string };
type Item = {
  key: string;
  label: string;
  acts: number;
  approved: number;
  notWarranty: number;
  warrantyRefused: number;
  notRepaired: number;
  refund: number;
  partsShipped: number;
  ownPartCompensation: string;
};

function rawBody(res: AgentResponse, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The counts of an item, zeros unless given. */
const counts = (fields: Partial<Item>) => ({
  acts: 0,
  approved: 0,
  notWarranty: 0,
  warrantyRefused: 0,
  notRepaired: 0,
  refund: 0,
  partsShipped: 0,
  ownPartCompensation: '0.00',
  ...fields,
});

describe('quality report', () => {
  let t: TestApp;
  let sc1: TestServiceCenter;
  let sc2: TestServiceCenter;
  const categories: Record<'a' | 'b', { id: string; name: string }> = {} as never;
  const suffix = uniqueSuffix();
  const model1 = `МК-1 ${suffix}`;
  const model2 = `МК-2 ${suffix}`;
  const key = (model: string) => model.toUpperCase().replace(/[\s./\\-]/g, '');
  const get = (query: string, key = t.managerKey) => t.http.get(`/api/v1/reports/quality?from=2023-05-01&to=2023-05-31&${query}`).set(bearer(key));

  async function place(sc: TestServiceCenter, category: string, model: string, parts: Part[], fields: Record<string, unknown>, shipped = false) {
    const product = { ...validActBody(category).product, model, serialNumber: `Q${uniqueSuffix()}` };
    const act = await makeAct(t, sc, { parts, product });
    const columns = Object.keys(fields);
    await t.db.query(`UPDATE acts SET submitted_at = '2023-04-20T10:00:00Z', ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
      act.id,
      ...Object.values(fields),
    ]);
    if (shipped) {
      const [shipment] = await t.db.query(
        `INSERT INTO shipments (service_center_id, carrier, tracking_number, shipped_at, created_by) VALUES ($1, 'СДЭК', $2, '2023-04-25T10:00:00Z', $3) RETURNING id`,
        [sc.id, `T${uniqueSuffix()}`, t.managerId],
      );
      await t.db.query(`INSERT INTO shipment_acts (shipment_id, act_id) VALUES ($1, $2)`, [shipment.id, act.id]);
      // The parcel carried every part to ship, as POST /shipments marks them.
      await t.db.query(`UPDATE act_parts SET shipment_id = $1 WHERE act_id = $2 AND NOT own_part`, [shipment.id, act.id]);
    }
    return act;
  }
  const closed = (resolution: string, day: number, decided = true, kind = 'warranty') => ({
    status: 'closed',
    resolution,
    kind,
    closed_at: `2023-05-${String(day).padStart(2, '0')}T12:00:00Z`,
    decided_at: decided ? '2023-04-21T10:00:00Z' : null,
  });

  const crank = (name = 'Коленвал') => ({ name, quantity: 1, ownPart: false });

  beforeAll(async () => {
    t = await createTestApp();
    sc1 = await makeServiceCenter(t, { name: `Альфа ${suffix}` });
    sc2 = await makeServiceCenter(t, { name: `Бета ${suffix}` });
    for (const [k, name] of [
      ['a', `Кат А ${suffix}`],
      ['b', `Кат Б ${suffix}`],
    ] as const) {
      categories[k] = (await t.http.post('/api/v1/product-categories').set(bearer(t.managerKey)).send({ name }).expect(201)).body;
    }
    await place(
      sc1,
      categories.a.id,
      model1,
      [crank(), { name: 'Шнур', quantity: 2, ownPart: true, unitPrice: '150.50' }],
      closed('repaired', 3),
      true,
    );
    await place(sc1, categories.a.id, model1.toLowerCase().replace('-', ' '), [crank(' коленвал ')], {
      ...closed('not_warranty', 4),
      reason_code: 'mechanical_damage',
    });
    await place(
      sc2,
      categories.b.id,
      model2,
      [{ name: 'шнур', quantity: 1, ownPart: true, unitPrice: '10.00' }],
      closed('warranty_refused', 5, false),
    );
    await place(sc2, categories.b.id, model2, [], closed('refund_or_exchange', 6));
    await place(sc2, categories.a.id, model2, [crank()], closed('not_repaired', 7), true);
    // Not counted: a withdrawn draft in the period, an act closed the day after it, an open act.
    await place(sc1, categories.a.id, model1, [crank()], closed('withdrawn', 8, false));
    await place(sc1, categories.a.id, model1, [crank()], { ...closed('repaired', 1), closed_at: '2023-05-31T21:00:00Z' });
    await place(sc1, categories.a.id, model1, [crank()], { status: 'approved', decided_at: '2023-05-02T10:00:00Z' });
  });
  afterAll(() => t?.close());

  const items = async (groupBy: string, lang?: string) => {
    const req = get(`groupBy=${groupBy}`);
    if (lang) req.set('Accept-Language', lang);
    const res = await req.expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ from: '2023-05-01', to: '2023-05-31', timeZone: 'Europe/Moscow', groupBy });
    return res.body.items as Item[];
  };

  it('groups by category (the default), most acts first', async () => {
    const expected = [
      {
        key: categories.a.id,
        label: categories.a.name,
        ...counts({ acts: 3, approved: 2, notWarranty: 1, notRepaired: 1, partsShipped: 2, ownPartCompensation: '301.00' }),
      },
      { key: categories.b.id, label: categories.b.name, ...counts({ acts: 2, warrantyRefused: 1, refund: 1 }) },
    ];
    expect(await items('category')).toEqual(expected);
    expect((await get('').expect(200)).body.items).toEqual(expected);
  });

  it('groups by model, written differently', async () => {
    const byModel = await items('model');
    expect(byModel).toEqual([
      { key: key(model2), label: model2, ...counts({ acts: 3, approved: 1, warrantyRefused: 1, notRepaired: 1, refund: 1, partsShipped: 1 }) },
      {
        key: key(model1),
        label: expect.any(String),
        ...counts({ acts: 2, approved: 1, notWarranty: 1, partsShipped: 1, ownPartCompensation: '301.00' }),
      },
    ]);
    expect([model1, model1.toLowerCase().replace('-', ' ')]).toContain(byModel[1].label);
  });

  it('groups by part name: the acts having it, its own lines and its shipped lines', async () => {
    const byPart = await items('part');
    expect(byPart).toEqual([
      {
        key: 'коленвал',
        label: expect.stringMatching(/коленвал/i),
        ...counts({ acts: 3, approved: 2, notWarranty: 1, notRepaired: 1, partsShipped: 2 }),
      },
      {
        key: 'шнур',
        label: expect.stringMatching(/^[шШ]нур$/),
        ...counts({ acts: 2, approved: 1, warrantyRefused: 1, ownPartCompensation: '301.00' }),
      },
    ]);
  });

  it('groups by not-warranty reason, the rest as `none`, labelled in the caller language', async () => {
    const none = counts({ acts: 4, approved: 2, warrantyRefused: 1, notRepaired: 1, refund: 1, partsShipped: 2, ownPartCompensation: '301.00' });
    expect(await items('reason')).toEqual([
      { key: 'none', label: 'Не указано', ...none },
      { key: 'mechanical_damage', label: 'Механическое повреждение', ...counts({ acts: 1, notWarranty: 1 }) },
    ]);
    expect((await items('reason', 'en')).map((i) => i.label)).toEqual(['Not given', 'Mechanical damage']);
  });

  it('groups by service center', async () => {
    expect(await items('serviceCenter')).toEqual([
      { key: sc2.id, label: sc2.name, ...counts({ acts: 3, approved: 1, warrantyRefused: 1, notRepaired: 1, refund: 1, partsShipped: 1 }) },
      { key: sc1.id, label: sc1.name, ...counts({ acts: 2, approved: 1, notWarranty: 1, partsShipped: 1, ownPartCompensation: '301.00' }) },
    ]);
  });

  it('answers every grouping as CSV with the JSON figures', async () => {
    for (const groupBy of ['category', 'model', 'part', 'reason', 'serviceCenter']) {
      const json = await items(groupBy);
      const res = await get(`groupBy=${groupBy}`).set('Accept', 'text/csv').buffer(true).parse(rawBody).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="quality-${groupBy}-2023-05-01-2023-05-31.csv"`);
      const text = (res.body as Buffer).toString('utf8');
      expect(
        text.startsWith('\uFEFFkey;label;acts;approved;not_warranty;warranty_refused;not_repaired;refund;parts_shipped;own_part_compensation\r\n'),
      ).toBe(true);
      const rows = text.slice(1).split('\r\n').slice(1, -1);
      expect(rows).toEqual(
        json.map((i) =>
          [i.key, i.label, i.acts, i.approved, i.notWarranty, i.warrantyRefused, i.notRepaired, i.refund, i.partsShipped, i.ownPartCompensation].join(
            ';',
          ),
        ),
      );
    }
  });

  it('counts the parts a parcel carried, not those still to ship after a partial parcel', async () => {
    const sc = await makeServiceCenter(t, { name: `Гамма ${suffix}` });
    const act = await place(sc, categories.a.id, model1, [crank('Фильтр'), crank('Ремень')], {
      ...closed('repaired', 5),
      closed_at: '2019-03-05T12:00:00Z',
    });
    const [shipment] = await t.db.query(
      `INSERT INTO shipments (service_center_id, carrier, tracking_number, shipped_at, created_by) VALUES ($1, 'СДЭК', $2, '2019-03-01T10:00:00Z', $3) RETURNING id`,
      [sc.id, `T${uniqueSuffix()}`, t.managerId],
    );
    await t.db.query(`INSERT INTO shipment_acts (shipment_id, act_id) VALUES ($1, $2)`, [shipment.id, act.id]);
    await t.db.query(`UPDATE act_parts SET shipment_id = $1 WHERE act_id = $2 AND name = 'Фильтр'`, [shipment.id, act.id]);
    const res = await t.http.get('/api/v1/reports/quality?from=2019-03-01&to=2019-03-31&groupBy=part').set(bearer(t.managerKey)).expect(200);
    expect(res.body.items).toEqual([
      { key: 'ремень', label: 'Ремень', ...counts({ acts: 1, approved: 1 }) },
      { key: 'фильтр', label: 'Фильтр', ...counts({ acts: 1, approved: 1, partsShipped: 1 }) },
    ]);
  });

  it('answers an empty period with no items', async () => {
    const res = await t.http.get('/api/v1/reports/quality?from=2019-01-01&to=2019-01-31&groupBy=part').set(bearer(t.managerKey)).expect(200);
    expect(res.body).toEqual({ from: '2019-01-01', to: '2019-01-31', timeZone: 'Europe/Moscow', groupBy: 'part', items: [] });
  });

  it('refuses bad parameters (400 naming them) and service centers (403)', async () => {
    const bad = await t.http.get('/api/v1/reports/quality?from=2023-05-01&to=2024-06-01&groupBy=colour').set(bearer(t.managerKey)).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['groupBy']);
    const long = await t.http.get('/api/v1/reports/quality?from=2023-05-01&to=2024-06-01').set(bearer(t.managerKey)).expect(400);
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
    await get('groupBy=model', sc1.key).expect(403);
  });

  describe('streaming', () => {
    let base: string;
    let server: http.Server;
    const LINES = 5_000;

    beforeAll(async () => {
      // A long compensation period for one service center: some MB of body.
      await t.db.query(
        `WITH made AS (
           INSERT INTO acts (number, year, seq, service_center_id, status, resolution, kind, product, submitted_at, decided_at, closed_at)
           SELECT 'ACT-2023-9' || lpad(g::text, 5, '0'), 2023, 900000 + g, $1, 'closed', 'repaired', 'warranty', '{}'::jsonb,
                  '2023-06-01T10:00:00Z', '2023-06-02T10:00:00Z', '2023-06-10T10:00:00Z'::timestamptz + g * interval '1 second'
             FROM generate_series(1, $2::int) g
           RETURNING id)
         INSERT INTO act_parts (act_id, position, name, quantity, own_part, unit_price)
         SELECT id, 0, 'Шнур стартера', 1, true, 12.34 FROM made`,
        [sc1.id, LINES],
      );
      server = t.app.getHttpServer() as http.Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    });

    /** Starts a request and cuts it off once the first bytes of the body arrived; resolves with how many it got. */
    const abortAfterFirstBytes = (path: string, accept: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${base}${path}`, { headers: { Authorization: `Bearer ${t.managerKey}`, Accept: accept } }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve(chunk.length);
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      });

    const pool = () => (t.db as DataSource & { driver: { master: { totalCount: number; idleCount: number; waitingCount: number } } }).driver.master;

    it('sends the whole report when read to the end', async () => {
      const res = await t.http
        .get(`/api/v1/reports/compensation?from=2023-06-01&to=2023-06-30&serviceCenterId=${sc1.id}`)
        .set(bearer(t.managerKey))
        .expect(200);
      expect(res.body).toMatchObject({ actCount: LINES, lineCount: LINES, total: (LINES * 12.34).toFixed(2) });
      expect(res.body.serviceCenters[0].acts).toHaveLength(LINES);
    });

    it('frees the database client of every request a client abandons mid-body, and stays usable', async () => {
      // More abandoned requests than the pool has clients (20): a leak would block the next ones.
      for (let i = 0; i < 25; i++) {
        const path =
          i % 3 === 2
            ? `/reports/quality?from=2023-05-01&to=2023-06-30&groupBy=part`
            : `/reports/compensation?from=2023-06-01&to=2023-06-30&serviceCenterId=${sc1.id}`;
        expect(await abortAfterFirstBytes(path, i % 2 ? 'text/csv' : 'application/json')).toBeGreaterThan(0);
      }
      // The queries are ended and their clients discarded or idle again, promptly.
      for (let tries = 0; ; tries++) {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND query LIKE '%own_part%'`,
        );
        if (n === 0) break;
        if (tries > 50) throw new Error(`${n} report queries still running`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pool().waitingCount).toBe(0);
      expect(pool().totalCount).toBeLessThanOrEqual(20);
      const res = await t.http
        .get(`/api/v1/reports/compensation?from=2023-06-01&to=2023-06-30&serviceCenterId=${sc1.id}`)
        .set(bearer(t.managerKey))
        .expect(200);
      expect(res.body.actCount).toBe(LINES);
      await t.http.get(`/api/v1/acts?limit=1`).set(bearer(t.managerKey)).expect(200);
    }, 120_000);

    it('cuts the connection when the body fails mid-way, logs it, and closes the rows', async () => {
      const errors: Error[] = [];
      let closed: Error | undefined;
      const rows = {
        close: (error?: Error) => void (closed = error),
        [Symbol.asyncIterator]: async function* () {},
      } as unknown as RowStream<unknown>;
      async function* body() {
        yield '{"items":[';
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('the database went away');
      }
      const failing = http.createServer((req, res) => {
        res.setHeader('Content-Type', 'application/json');
        void sendStreamed(res as never, body(), rows, (error) => errors.push(error));
      });
      await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
      try {
        const port = (failing.address() as AddressInfo).port;
        const outcome = await new Promise<string>((resolve) => {
          http
            .get(`http://127.0.0.1:${port}/`, (res) => {
              let text = '';
              res.on('data', (chunk: Buffer) => (text += chunk.toString()));
              res.on('end', () => resolve(`complete: ${text}`));
              res.on('error', () => resolve(`cut: ${text}`));
              res.on('aborted', () => resolve(`cut: ${text}`));
            })
            .on('error', () => resolve('cut'));
        });
        expect(outcome).toMatch(/^cut/);
        expect(errors.map((e) => e.message)).toEqual(['the database went away']);
        expect(closed?.message).toBe('the database went away');
      } finally {
        await new Promise((resolve) => failing.close(resolve));
      }
    });
  });
});
