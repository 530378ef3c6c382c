import type { Response as AgentResponse } from 'superagent';
import { appWith, bearer, TestApp } from './app';
import { makeAct, makeServiceCenter, TestServiceCenter } from './factories';

/**
 * The managers' reports through HTTP. Other spec files write acts into the same database at the
 * same time, so every exact assertion is scoped to service centers made here.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Part = { name: string; quantity: number; ownPart?: boolean; unitPrice?: string; diagramNumber?: string };

/** The raw bytes of a response (supertest would otherwise decode text and could hide the BOM). */
function rawBody(res: AgentResponse, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream; // in Node, the parser gets the IncomingMessage
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** RFC 4180 with `;`: quoted fields may hold `;`, `""` and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      if (c === '\n' || c === '\r') throw new Error(`bare line break outside quotes at ${i}`);
      field += c;
    }
  }
  if (field !== '' || row.length) throw new Error('the last record does not end with CRLF');
  return rows;
}

/** Kopecks of a money string, exactly ("1535.80" → 153580n). */
const kopecks = (money: string) => {
  expect(money).toMatch(/^\d+\.\d{2}$/);
  return BigInt(money.replace('.', ''));
};

describe('reports', () => {
  let t: TestApp;
  let sc1: TestServiceCenter;
  let sc2: TestServiceCenter;
  const acts: Record<string, { id: string; number: string }> = {};

  const get = (path: string, key = t.managerKey) => t.http.get(`/api/v1/reports/${path}`).set(bearer(key));

  async function place(sc: TestServiceCenter, parts: Part[], fields: Record<string, unknown>) {
    const act = await makeAct(t, sc, { parts });
    const columns = Object.keys(fields);
    await t.db.query(`UPDATE acts SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [act.id, ...Object.values(fields)]);
    return act;
  }
  const repaired = (closedAt: string, kind = 'warranty') => ({ status: 'closed', resolution: 'repaired', kind, closed_at: closedAt });

  beforeAll(async () => {
    // Clock-time SLA: the summary's overdue figures are checked at fixed hours here; the
    // business-day cut-off is tested in test/integration/calendar.int-spec.ts.
    t = await appWith({ REVIEW_SLA: '3d' });
    sc1 = await makeServiceCenter(t, { name: `СЦ "Восток; Запад" ${Date.now()}` });
    sc2 = await makeServiceCenter(t);
    // The period is 2026-03-01 … 2026-03-31 in Moscow time (UTC+3).
    acts.first = await place(
      sc1,
      [
        { name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false },
        { name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' },
        { name: 'Шайба "М6; оцинк."', diagramNumber: '7', quantity: 3, ownPart: true, unitPrice: '0.10' },
      ],
      repaired('2026-02-28T21:00:00Z'), // 2026-03-01 00:00 in Moscow: the first moment of the period
    );
    acts.last = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '1234.50' }], repaired('2026-03-31T20:59:59.999Z'));
    acts.dayAfter = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '99.99' }], repaired('2026-03-31T21:00:00Z'));
    acts.dayBefore = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '77.77' }], repaired('2026-02-28T20:59:59Z'));
    acts.paid = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '55.55' }], repaired('2026-03-10T10:00:00Z', 'paid'));
    acts.notWarranty = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '44.44' }], {
      status: 'closed',
      resolution: 'not_warranty',
      closed_at: '2026-03-10T10:00:00Z',
    });
    acts.open = await place(sc1, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '33.33' }], { status: 'parts_delivered' });
    acts.noOwnParts = await place(sc1, [{ name: 'Коленвал', quantity: 5, ownPart: false, unitPrice: '1000.00' }], repaired('2026-03-15T12:00:00Z'));
    acts.other = await place(
      sc2,
      [
        { name: 'Пружина', quantity: 1, ownPart: true, unitPrice: '0.10' },
        { name: 'Пружина', quantity: 1, ownPart: true, unitPrice: '0.20' },
      ],
      repaired('2026-03-20T09:00:00Z'),
    );
  });
  afterAll(() => t?.close());

  describe('GET /reports/compensation', () => {
    it('lists own parts of warranty acts closed as repaired in the period, with exact totals', async () => {
      const res = await get(`compensation?from=2026-03-01&to=2026-03-31&serviceCenterId=${sc1.id}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        from: '2026-03-01',
        to: '2026-03-31',
        timeZone: 'Europe/Moscow',
        serviceCenterId: sc1.id,
        settled: null,
        actCount: 2,
        lineCount: 3,
        total: '1535.80',
        serviceCenters: [
          {
            serviceCenterId: sc1.id,
            serviceCenterName: sc1.name,
            actCount: 2,
            total: '1535.80',
            acts: [
              {
                actId: acts.first.id,
                number: acts.first.number,
                closedAt: '2026-02-28T21:00:00.000Z',
                closedOn: '2026-03-01',
                total: '301.30',
                lines: [
                  {
                    partId: expect.any(String),
                    partName: 'Шнур стартера',
                    diagramNumber: null,
                    quantity: 2,
                    unitPrice: '150.50',
                    lineTotal: '301.00',
                  },
                  {
                    partId: expect.any(String),
                    partName: 'Шайба "М6; оцинк."',
                    diagramNumber: '7',
                    quantity: 3,
                    unitPrice: '0.10',
                    lineTotal: '0.30',
                  },
                ],
              },
              {
                actId: acts.last.id,
                number: acts.last.number,
                closedAt: '2026-03-31T20:59:59.999Z',
                closedOn: '2026-03-31',
                total: '1234.50',
                lines: [
                  { partId: expect.any(String), partName: 'Свеча', diagramNumber: null, quantity: 1, unitPrice: '1234.50', lineTotal: '1234.50' },
                ],
              },
            ],
          },
        ],
      });
    });

    it('sums in decimal, not in floating point', async () => {
      const res = await get(`compensation?from=2026-03-01&to=2026-03-31&serviceCenterId=${sc2.id}`).expect(200);
      const [act] = res.body.serviceCenters[0].acts;
      expect(act.lines.map((l: { lineTotal: string }) => l.lineTotal)).toEqual(['0.10', '0.20']);
      expect(act.total).toBe('0.30'); // 0.1 + 0.2 in JavaScript is 0.30000000000000004
      expect(res.body.total).toBe('0.30');
    });

    it('moves the boundaries with the period: the day after `to` and the day before `from` count in theirs', async () => {
      const april = await get(`compensation?from=2026-04-01&to=2026-04-01&serviceCenterId=${sc1.id}`).expect(200);
      expect(april.body.serviceCenters[0].acts.map((a: { number: string }) => a.number)).toEqual([acts.dayAfter.number]);
      expect(april.body.total).toBe('99.99');
      const february = await get(`compensation?from=2026-02-28&to=2026-02-28&serviceCenterId=${sc1.id}`).expect(200);
      expect(february.body.serviceCenters[0].acts.map((a: { number: string }) => a.number)).toEqual([acts.dayBefore.number]);
      expect(february.body.serviceCenters[0].acts[0].closedOn).toBe('2026-02-28');
    });

    it('answers an empty period with zero totals', async () => {
      const res = await get(`compensation?from=2025-01-01&to=2025-01-31&serviceCenterId=${sc1.id}`).expect(200);
      expect(res.body).toMatchObject({ serviceCenters: [], actCount: 0, lineCount: 0, total: '0.00' });
    });

    it('covers every service center without the filter, with consistent totals', async () => {
      const res = await get('compensation?from=2026-03-01&to=2026-03-31').expect(200);
      expect(res.body.serviceCenterId).toBeNull();
      const byId = new Map(res.body.serviceCenters.map((s: { serviceCenterId: string }) => [s.serviceCenterId, s]));
      expect(byId.get(sc1.id)).toMatchObject({ total: '1535.80', actCount: 2 });
      expect(byId.get(sc2.id)).toMatchObject({ total: '0.30', actCount: 1 });
      const numbers = res.body.serviceCenters.flatMap((s: { acts: { number: string }[] }) => s.acts.map((a) => a.number));
      for (const excluded of ['dayAfter', 'dayBefore', 'paid', 'notWarranty', 'open', 'noOwnParts'])
        expect(numbers).not.toContain(acts[excluded].number);
      type Sc = { total: string; acts: { total: string; lines: { lineTotal: string }[] }[] };
      const scs = res.body.serviceCenters as Sc[];
      expect(scs.reduce((sum, s) => sum + kopecks(s.total), 0n)).toBe(kopecks(res.body.total));
      for (const s of scs) {
        expect(s.acts.reduce((sum, a) => sum + kopecks(a.total), 0n)).toBe(kopecks(s.total));
        for (const a of s.acts) expect(a.lines.reduce((sum, l) => sum + kopecks(l.lineTotal), 0n)).toBe(kopecks(a.total));
      }
      expect(scs.reduce((n, s) => n + s.acts.reduce((m, a) => m + a.lines.length, 0), 0)).toBe(res.body.lineCount);
    });

    it('answers CSV for Accept: text/csv, with the same figures as the JSON', async () => {
      const query = `compensation?from=2026-03-01&to=2026-03-31&serviceCenterId=${sc1.id}`;
      const json = (await get(query).expect(200)).body;
      const res = await get(query).set('Accept', 'text/csv').buffer(true).parse(rawBody).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="compensation-2026-03-01-2026-03-31.csv"');
      expect(res.headers.vary).toMatch(/Accept/);
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([
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
      ]);
      for (const row of rows) expect(row).toHaveLength(header.length);
      const sc = json.serviceCenters[0];
      const [first, last] = sc.acts;
      expect(rows).toEqual([
        ['line', sc1.id, sc1.name, first.number, '2026-03-01', 'Шнур стартера', '', '2', '150.50', '301.00'],
        ['line', sc1.id, sc1.name, first.number, '2026-03-01', 'Шайба "М6; оцинк."', '7', '3', '0.10', '0.30'],
        ['act', sc1.id, sc1.name, first.number, '2026-03-01', '', '', '', '', first.total],
        ['line', sc1.id, sc1.name, last.number, '2026-03-31', 'Свеча', '', '1', '1234.50', '1234.50'],
        ['act', sc1.id, sc1.name, last.number, '2026-03-31', '', '', '', '', last.total],
        ['service_center', sc1.id, sc1.name, '', '', '', '', '', '', sc.total],
        ['total', '', '', '', '', '', '', '', '', json.total],
      ]);
      // The name with `;` and `"` is quoted on the wire, not split.
      expect(text).toContain(`;"${sc1.name.replace(/"/g, '""')}";`);
    });

    it('prefers JSON when the client accepts anything', async () => {
      const res = await get('compensation?from=2026-03-01&to=2026-03-31').set('Accept', '*/*').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
    });

    it('takes a period of up to 366 days', async () => {
      await get(`compensation?from=2024-01-01&to=2024-12-31&serviceCenterId=${sc1.id}`).expect(200);
    });

    it.each([
      ['', ['from', 'to']],
      ['from=2026-03-01', ['to']],
      ['from=2026-02-30&to=2026-03-31', ['from']],
      ['from=2026-03-01&to=31.03.2026', ['to']],
      ['from=2026-03-01T00:00:00Z&to=2026-03-31', ['from']],
      ['from=2026-03-02&to=2026-03-01', ['to']],
      ['from=2025-01-01&to=2026-01-02', ['to']],
      ['from=2026-03-01&to=2026-03-31&serviceCenterId=42', ['serviceCenterId']],
      ['from=2026-03-01&to=2026-03-31&format=xlsx', ['format']],
      ['from=2026-03-01&from=2026-03-02&to=2026-03-31', ['from']],
    ])('refuses %p with 400 naming %p', async (query, fields) => {
      const res = await get(`compensation?${query}`).set('Accept', 'text/csv').expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([...fields].sort());
    });

    it('is for managers only', async () => {
      const res = await get('compensation?from=2026-03-01&to=2026-03-31', sc1.key).set('Accept', 'text/csv').expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      await t.http.get('/api/v1/reports/compensation?from=2026-03-01&to=2026-03-31').expect(401);
    });
  });

  describe('GET /reports/summary', () => {
    let sc: TestServiceCenter;
    let now: Date;
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

    beforeAll(async () => {
      sc = await makeServiceCenter(t);
      now = t.clock.now();
      await makeAct(t, sc); // draft
      // Review queue: two past the 3-day SLA, one within it; an older info_requested one is not waiting for a manager.
      acts.overdue5d = await place(sc, [], { status: 'submitted', submitted_at: ago(5 * DAY) });
      acts.overdue4d = await place(sc, [], { status: 'submitted', submitted_at: ago(4 * DAY) });
      acts.fresh2d = await place(sc, [], { status: 'submitted', submitted_at: ago(2 * DAY) });
      await place(sc, [], { status: 'info_requested', submitted_at: ago(10 * DAY) });
      // Decisions in the last 30 days took 1.5, 10, 20, 30 and 47 hours; one 31 days ago does not count.
      for (const hours of [30, 1.5, 47, 10, 20]) {
        await place(sc, [], { status: 'approved', decided_at: ago(DAY), submitted_at: ago(DAY + hours * HOUR) });
      }
      await place(sc, [], { status: 'approved', decided_at: ago(31 * DAY), submitted_at: ago(31 * DAY + 1000 * HOUR) });
      // Closed by the system for want of an answer: twice the same act (reopened in between), and another act.
      const refusedTwice = await place(sc, [], { status: 'closed', resolution: 'warranty_refused', closed_at: ago(HOUR) });
      const refusedOnce = await place(sc, [], { status: 'closed', resolution: 'warranty_refused', closed_at: ago(2 * DAY) });
      const byManager = await place(sc, [], { status: 'closed', resolution: 'warranty_refused', closed_at: ago(DAY) });
      const longAgo = await place(sc, [], { status: 'closed', resolution: 'repaired', closed_at: ago(40 * DAY) });
      const history: [string, string, number][] = [
        [refusedTwice.id, 'system', 20 * DAY],
        [refusedTwice.id, 'system', HOUR],
        [refusedOnce.id, 'system', 2 * DAY],
        [byManager.id, 'manager', DAY],
        [longAgo.id, 'system', 31 * DAY],
      ];
      for (const [actId, role, age] of history) {
        await t.db.query(
          `INSERT INTO act_history (act_id, from_status, to_status, resolution, actor_role, actor_name, at)
           VALUES ($1, 'info_requested', 'closed', 'warranty_refused', $2, 'test', $3)`,
          [actId, role, ago(age)],
        );
      }
    });

    it('counts one service center exactly', async () => {
      const res = await get(`summary?serviceCenterId=${sc.id}`).expect(200);
      expect(res.body.serviceCenterId).toBe(sc.id);
      expect(res.body.byStatus).toEqual({
        draft: 1,
        submitted: 3,
        info_requested: 1,
        approved: 6,
        parts_shipped: 0,
        parts_delivered: 0,
        part_mismatch: 0,
        closed: 4,
      });
      expect(res.body.overdueReview).toMatchObject({ slaHours: 72, count: 2 });
      expect(res.body.overdueReview.oldest.map((a: { number: string }) => a.number)).toEqual([acts.overdue5d.number, acts.overdue4d.number]);
      expect(res.body.overdueReview.oldest[0]).toMatchObject({ actId: acts.overdue5d.id, serviceCenterId: sc.id, serviceCenterName: sc.name });
      expect(res.body.overdueReview.oldest[0].ageHours).toBeCloseTo(120, 0);
      expect(res.body.overdueReview.oldest[1].ageHours).toBeCloseTo(96, 0);
      // Sorted: 1.5, 10, 20, 30, 47. Median = 20; p90 at rank 0.9 × 4 = 3.6: 30 + 0.6 × (47 − 30) = 40.2.
      expect(res.body.decisionTime).toEqual({ windowDays: 30, decidedCount: 5, medianHours: 20, p90Hours: 40.2 });
      expect(res.body.autoRefused).toEqual({
        windowDays: 30,
        count: 2,
        byServiceCenter: [{ serviceCenterId: sc.id, serviceCenterName: sc.name, count: 2 }],
      });
    });

    it('takes now from the clock', async () => {
      t.clock.advance(2 * DAY + HOUR); // the 2-day-old submission is now past the 3-day SLA
      try {
        const res = await get(`summary?serviceCenterId=${sc.id}`).expect(200);
        expect(res.body.overdueReview.count).toBe(3);
        expect(res.body.overdueReview.oldest.map((a: { number: string }) => a.number)).toEqual([
          acts.overdue5d.number,
          acts.overdue4d.number,
          acts.fresh2d.number,
        ]);
        expect(new Date(res.body.generatedAt).getTime()).toBeGreaterThan(Date.now() + 2 * DAY);
        // The refusal 20 days ago is one of the two acts' rows; the one 2 days ago is still in the window.
        expect(res.body.autoRefused.count).toBe(2);
        t.clock.advance(29 * DAY); // now 31 days on: every decision and refusal is out of the window
        const later = await get(`summary?serviceCenterId=${sc.id}`).expect(200);
        expect(later.body.decisionTime).toEqual({ windowDays: 30, decidedCount: 0, medianHours: null, p90Hours: null });
        expect(later.body.autoRefused).toEqual({ windowDays: 30, count: 0, byServiceCenter: [] });
      } finally {
        t.clock.advance(-(31 * DAY + HOUR));
      }
    });

    it('covers every service center without the filter', async () => {
      const res = await get('summary').expect(200);
      expect(res.body.serviceCenterId).toBeNull();
      expect(Object.keys(res.body.byStatus).sort()).toEqual([
        'approved',
        'closed',
        'draft',
        'info_requested',
        'part_mismatch',
        'parts_delivered',
        'parts_shipped',
        'submitted',
      ]);
      expect(res.body.byStatus.approved).toBeGreaterThanOrEqual(6);
      expect(res.body.overdueReview.count).toBeGreaterThanOrEqual(2);
      expect(res.body.overdueReview.oldest.length).toBeLessThanOrEqual(10);
      const mine = res.body.autoRefused.byServiceCenter.find((r: { serviceCenterId: string }) => r.serviceCenterId === sc.id);
      expect(mine).toEqual({ serviceCenterId: sc.id, serviceCenterName: sc.name, count: 2 });
      expect(res.body.decisionTime.decidedCount).toBeGreaterThanOrEqual(5);
    });

    it('counts a new act in the overall figures', async () => {
      const before = (await get(`summary?serviceCenterId=${sc.id}`).expect(200)).body.byStatus;
      await place(sc, [], { status: 'part_mismatch' });
      const after = (await get(`summary?serviceCenterId=${sc.id}`).expect(200)).body.byStatus;
      expect(after).toEqual({ ...before, part_mismatch: before.part_mismatch + 1 });
    });

    it('answers CSV as section;key;label;value rows matching the JSON', async () => {
      const json = (await get(`summary?serviceCenterId=${sc.id}`).expect(200)).body;
      const res = await get(`summary?serviceCenterId=${sc.id}`).set('Accept', 'text/csv').buffer(true).parse(rawBody).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="summary-\d{4}-\d{2}-\d{2}\.csv"$/);
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parseCsv(bytes.toString('utf8').slice(1));
      expect(header).toEqual(['section', 'key', 'label', 'value']);
      const value = (section: string, key: string) => rows.find((r) => r[0] === section && r[1] === key)?.[3];
      for (const [status, count] of Object.entries(json.byStatus)) expect(value('status', status)).toBe(String(count));
      expect(rows.find((r) => r[1] === 'submitted')?.[2]).toBe('На рассмотрении');
      expect(value('overdue_review', 'count')).toBe('2');
      expect(value('overdue_review', 'sla_hours')).toBe('72');
      expect(rows.filter((r) => r[0] === 'overdue_review_oldest').map((r) => r[1])).toEqual([acts.overdue5d.number, acts.overdue4d.number]);
      expect(value('decision_time', 'median_hours')).toBe('20');
      expect(value('decision_time', 'p90_hours')).toBe('40.2');
      expect(value('decision_time', 'decided_count')).toBe('5');
      expect(value('auto_refused', 'count')).toBe('2');
      expect(rows.find((r) => r[0] === 'auto_refused_by_service_center')).toEqual(['auto_refused_by_service_center', sc.id, sc.name, '2']);
    });

    it('writes empty values for missing percentiles and English labels on request', async () => {
      const empty = await makeServiceCenter(t);
      const res = await get(`summary?serviceCenterId=${empty.id}`)
        .set('Accept', 'text/csv')
        .set('Accept-Language', 'en')
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      const rows = parseCsv((res.body as Buffer).toString('utf8').slice(1));
      expect(rows).toContainEqual(['decision_time', 'median_hours', '', '']);
      expect(rows).toContainEqual(['status', 'submitted', 'Under review', '0']);
      expect(rows.filter((r) => r[0] === 'status')).toHaveLength(8);
    });

    it('refuses bad parameters and other roles', async () => {
      const bad = await get('summary?serviceCenterId=nope').expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['serviceCenterId']);
      await get('summary?period=week').expect(400);
      const sc403 = await get('summary', sc.key).set('Accept', 'text/csv').expect(403);
      expect(sc403.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  it('documents both reports with JSON and CSV', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    for (const path of ['/api/v1/reports/compensation', '/api/v1/reports/summary']) {
      const op = doc.paths[path].get;
      expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/json', 'text/csv']);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
      expect(op.responses['403'].content['application/problem+json']).toBeDefined();
    }
    // Query parameters and view properties come from the swagger CLI plugin: checked on the build in processes.e2e-spec.
  });
});
