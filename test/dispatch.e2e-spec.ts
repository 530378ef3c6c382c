import { bearer, createTestApp, TestApp } from './app';
import { anyCategoryId, makeApprovedAct, makeServiceCenter, makeShipment, makeSubmittedAct, TestServiceCenter, validActBody } from './factories';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An instant given in Moscow time (UTC+3). */
const msk = (local: string) => new Date(`${local}+03:00`);

type Part = { id: string; name: string; ownPart: boolean };
type Act = { id: string; number: string; parts: Part[]; [key: string]: unknown };

/** Two parts to ship and one of the SC's own. */
const THREE_PARTS = [
  { name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false },
  { name: 'Масло моторное', quantity: 1.5, unit: 'l', ownPart: false },
  { name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' },
];

describe('dispatch days, partial parcels and paid orders', () => {
  let t: TestApp;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
  });
  afterAll(() => t?.close());

  const manager = () => bearer(t.managerKey);
  const setNow = (at: Date) => t.clock.advance(at.getTime() - t.clock.now().getTime());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const getAct = async (id: string) => (await t.http.get(`/api/v1/acts/${id}`).set(bearer(sc.key)).expect(200)).body as Record<string, any>;
  /** An approved warranty act with THREE_PARTS. */
  const approve = async () => (await makeApprovedAct(t, sc, 'warranty', { parts: THREE_PARTS })) as unknown as Act;
  const decide = async (body: Record<string, unknown>, parts: unknown[] = THREE_PARTS, product: Record<string, unknown> = {}) => {
    const base = validActBody(await anyCategoryId(t));
    const act = await makeSubmittedAct(t, sc, { parts, product: { ...base.product, ...product } });
    return (await t.http.post(`/api/v1/acts/${act.id}/decision`).set(manager()).send(body).expect(200)).body as Act;
  };
  const scMailOf = async (actId: string) =>
    (await t.db.query(`SELECT subject, body FROM notifications WHERE act_id = $1 AND manager_id IS NULL ORDER BY seq DESC LIMIT 1`, [actId]))[0] as {
      subject: string;
      body: string;
    };

  describe('expected dispatch date', () => {
    it('is the weekly dispatch day (thu, cutoff 12:00 Moscow), the next business day when urgent or pre-sale, null with nothing to ship; the e-mail says it', async () => {
      setNow(msk('2026-12-03T11:59'));
      const beforeCutoff = await decide({ decision: 'warranty' });
      expect(beforeCutoff).toMatchObject({ status: 'approved', expectedDispatchDate: '2026-12-03', urgent: false });
      expect((await scMailOf(beforeCutoff.id)).body).toContain('Ожидаемая дата отправки запчастей: 03.12.2026.');

      setNow(msk('2026-12-03T12:00'));
      const afterCutoff = await decide({ decision: 'warranty' });
      expect(afterCutoff.expectedDispatchDate).toBe('2026-12-10');
      expect((await scMailOf(afterCutoff.id)).body).toContain('Ожидаемая дата отправки запчастей: 10.12.2026.');
      const urgent = await decide({ decision: 'paid', urgent: true });
      expect(urgent).toMatchObject({ kind: 'paid', urgent: true, expectedDispatchDate: '2026-12-04' });
      const preSale = await decide({ decision: 'warranty' }, THREE_PARTS, { condition: 'pre_sale' });
      expect(preSale).toMatchObject({ preSale: true, expectedDispatchDate: '2026-12-04' });

      // Friday afternoon: urgent goes on Monday, the rest on Thursday.
      setNow(msk('2026-12-04T15:00'));
      expect((await decide({ decision: 'warranty', urgent: true })).expectedDispatchDate).toBe('2026-12-07');
      expect((await decide({ decision: 'warranty' })).expectedDispatchDate).toBe('2026-12-10');

      // Own parts only: nothing ships, no date, and the e-mail names none.
      const ownOnly = await decide({ decision: 'warranty' }, [THREE_PARTS[2]]);
      expect(ownOnly.expectedDispatchDate).toBeNull();
      expect((await scMailOf(ownOnly.id)).body).not.toContain('Ожидаемая дата отправки');

      // A refusal has no date.
      const refused = await decide({ decision: 'not_warranty', reasonCode: 'improper_use' });
      expect(refused.expectedDispatchDate).toBeNull();
    });

    it('skips a dispatch day that is not a business day (a manager marks Thursday off)', async () => {
      setNow(msk('2026-12-14T10:00'));
      await t.http.put('/api/v1/calendar/days/2026-12-17').set(manager()).send({ working: false, note: 'Инвентаризация' }).expect(200);
      try {
        expect((await decide({ decision: 'warranty' })).expectedDispatchDate).toBe('2026-12-24');
      } finally {
        await t.http.delete('/api/v1/calendar/days/2026-12-17').set(manager());
      }
    });
  });

  describe('partial parcels', () => {
    it('lives a partial parcel through: consent, first parcel, pending parts, second parcel, deliveries in any order, the window from the last', async () => {
      setNow(msk('2026-12-21T10:00'));
      const act = await approve();
      const [crankshaft, oil, own] = act.parts;
      expect(own.ownPart).toBe(true);
      expect(act).toMatchObject({ pendingParts: [], partialConsent: null });

      // Leaving the oil for later needs the SC's consent.
      const first = { carrier: 'СДЭК', trackingNumber: 'P-1', items: [{ actId: act.id, partIds: [crankshaft.id] }] };
      const refused = await t.http.post('/api/v1/shipments').set(manager()).send(first).expect(409);
      expect(refused.body).toMatchObject({ type: expect.stringContaining('partial-consent-required') });
      await t.http.post(`/api/v1/acts/${act.id}/partial-consent`).set(manager()).send({ consent: true }).expect(403);
      const no = await t.http.post(`/api/v1/acts/${act.id}/partial-consent`).set(bearer(sc.key)).send({ consent: false }).expect(200);
      expect(no.body.partialConsent).toBe(false);
      await t.http.post('/api/v1/shipments').set(manager()).send(first).expect(409);
      await t.http.post(`/api/v1/acts/${act.id}/partial-consent`).set(bearer(sc.key)).send({ consent: 'yes' }).expect(422);
      const yes = await t.http.post(`/api/v1/acts/${act.id}/partial-consent`).set(bearer(sc.key)).send({ consent: true }).expect(200);
      expect(yes.body.partialConsent).toBe(true);

      // Own parts never ship; unknown parts are named.
      const own422 = await t.http
        .post('/api/v1/shipments')
        .set(manager())
        .set('Accept-Language', 'en')
        .send({ ...first, items: [{ actId: act.id, partIds: [crankshaft.id, own.id, '00000000-0000-4000-8000-000000000000'] }] })
        .expect(422);
      expect(own422.body.errors.map((e: { field: string }) => e.field)).toEqual(['items[0].partIds[1]', 'items[0].partIds[2]']);

      const parcel1 = (await t.http.post('/api/v1/shipments').set(manager()).send(first).expect(201)).body;
      expect(parcel1.items).toEqual([{ actId: act.id, partIds: [crankshaft.id] }]);
      let view = await getAct(act.id);
      expect(view).toMatchObject({ status: 'parts_shipped', pendingParts: [oil.id] });
      const comments = (await t.http.get(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).expect(200)).body;
      expect(comments.at(-1).text).toBe(
        'Запчасти отправлены: СДЭК, трек-номер P-1\nВ посылке: Коленвал (№ 14) — 1 шт.\n' +
          'Остальные запчасти будут отправлены следующей посылкой бесплатно: Масло моторное — 1.5 л.',
      );
      expect((await scMailOf(act.id)).body).toContain('В посылке: Коленвал (№ 14) — 1 шт.');

      // The oil waits on the dispatch board, as a pending part of a shipped act.
      const board = (await t.http.get('/api/v1/dispatch').set(manager()).expect(200)).body;
      const entry = board.serviceCenters
        .find((g: { serviceCenter: { id: string } }) => g.serviceCenter.id === sc.id)
        ?.acts.find((a: { id: string }) => a.id === act.id);
      expect(entry).toMatchObject({ status: 'parts_shipped', parts: [{ id: oil.id, name: 'Масло моторное', quantity: 1.5, unit: 'l' }] });

      // The crankshaft cannot ship twice; the second parcel takes what is pending.
      const twice = await t.http
        .post('/api/v1/shipments')
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: 'P-x', items: [{ actId: act.id, partIds: [crankshaft.id] }] })
        .expect(409);
      expect(twice.body.type).toContain('parts-already-shipped');
      const parcel2 = (
        await t.http
          .post('/api/v1/shipments')
          .set(manager())
          .send({ carrier: 'Почта России', trackingNumber: 'P-2', items: [{ actId: act.id }] })
          .expect(201)
      ).body;
      expect(parcel2.items).toEqual([{ actId: act.id, partIds: [oil.id] }]);
      view = await getAct(act.id);
      expect(view).toMatchObject({ status: 'parts_shipped', pendingParts: [] });
      // Nothing is left: a third parcel is refused.
      await t.http
        .post('/api/v1/shipments')
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: 'P-3', actIds: [act.id] })
        .expect(409);

      // The second parcel arrives first: the act waits for the first.
      setNow(msk('2026-12-23T10:00'));
      await t.http
        .post(`/api/v1/shipments/${parcel2.id}/delivered`)
        .set(bearer(sc.key))
        .send({ deliveredAt: msk('2026-12-23T10:00').toISOString() })
        .expect(200);
      view = await getAct(act.id);
      expect(view).toMatchObject({ status: 'parts_shipped', mismatchDeadline: null });
      // The first is recorded as delivered earlier: the window still counts from the last delivery.
      const earlier = new Date(msk('2026-12-22T18:00').getTime());
      await t.http.post(`/api/v1/shipments/${parcel1.id}/delivered`).set(manager()).send({ deliveredAt: earlier.toISOString() }).expect(200);
      view = await getAct(act.id);
      expect(view.status).toBe('parts_delivered');
      expect(new Date(view.mismatchDeadline as string).getTime()).toBe(msk('2026-12-23T10:00').getTime() + 3 * DAY);
      const history = (await t.http.get(`/api/v1/acts/${act.id}/history`).set(manager()).expect(200)).body;
      expect(history.filter((h: { to: string }) => h.to === 'parts_delivered')).toHaveLength(1);

      // The SC can still report a problem and the manager reship as in v1.
      await t.http.post(`/api/v1/acts/${act.id}/mismatch`).set(bearer(sc.key)).send({ text: 'Не тот коленвал' }).expect(200);
      const reship = await makeShipment(t, [act.id]);
      expect(reship.items).toEqual([{ actId: act.id, partIds: [] }]);
      expect((await getAct(act.id)).status).toBe('parts_shipped');
      // The old parcels do not hold the reship: its own delivery is the last.
      await t.http.post(`/api/v1/shipments/${reship.id}/delivered`).set(manager()).send({}).expect(200);
      expect((await getAct(act.id)).status).toBe('parts_delivered');
    });

    it('ships every part once when two parcels race for the same act’s parts', async () => {
      setNow(msk('2026-12-21T11:00'));
      for (let round = 0; round < 3; round++) {
        const act = await approve();
        await t.http.post(`/api/v1/acts/${act.id}/partial-consent`).set(bearer(sc.key)).send({ consent: true }).expect(200);
        const [a, b] = act.parts;
        const bodies = [[a.id], [b.id], [a.id, b.id], undefined, [a.id], [b.id]].map((partIds, i) => ({
          carrier: 'СДЭК',
          trackingNumber: `race-${round}-${i}`,
          items: [{ actId: act.id, ...(partIds ? { partIds } : {}) }],
        }));
        const results = await Promise.all(bodies.map((body) => t.http.post('/api/v1/shipments').set(manager()).send(body)));
        expect(results.map((r) => r.status).every((s) => s === 201 || s === 409)).toBe(true);
        const carried = results.filter((r) => r.status === 201).flatMap((r) => r.body.items[0].partIds as string[]);
        expect(carried.sort()).toEqual([a.id, b.id].sort());
        const rows = await t.db.query(`SELECT id, shipment_id FROM act_parts WHERE act_id = $1 AND NOT own_part`, [act.id]);
        expect(rows.every((r: { shipment_id: string | null }) => r.shipment_id !== null)).toBe(true);
        expect((await getAct(act.id)).pendingParts).toEqual([]);
      }
    });

    it('refuses actIds with items, neither of them, and an act twice, with 422 naming the field', async () => {
      const act = await approve();
      const send = (body: object) =>
        t.http
          .post('/api/v1/shipments')
          .set(manager())
          .send({ carrier: 'СДЭК', trackingNumber: 'v', ...body });
      expect((await send({ actIds: [act.id], items: [{ actId: act.id }] }).expect(422)).body.errors).toEqual([
        { field: 'items', message: expect.any(String) },
      ]);
      expect((await send({}).expect(422)).body.errors[0].field).toBe('actIds');
      expect((await send({ items: [{ actId: act.id }, { actId: act.id }] }).expect(422)).body.errors).toEqual([
        { field: 'items[1].actId', message: expect.any(String) },
      ]);
      expect((await send({ items: [{ actId: act.id, partIds: [] }] }).expect(422)).body.errors[0].field).toBe('items[0].partIds');
      expect((await send({ items: [{ actId: 'nope' }] }).expect(422)).body.errors[0].field).toBe('items[0].actId');
    });
  });

  describe('the dispatch board', () => {
    it('lists acts with parts to ship by SC, pre-sale and urgent first, sums the pick list, and gives it as CSV', async () => {
      const center = await makeServiceCenter(t, { name: 'СЦ Доска' });
      setNow(msk('2026-12-22T09:00'));
      const base = validActBody(await anyCategoryId(t));
      const make = async (decision: Record<string, unknown>, parts: unknown[], product: Record<string, unknown> = {}) => {
        const act = await makeSubmittedAct(t, center, { parts, product: { ...base.product, ...product } });
        return (await t.http.post(`/api/v1/acts/${act.id}/decision`).set(manager()).send(decision).expect(200)).body as Act;
      };
      const ordinary = await make({ decision: 'warranty' }, [
        { name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false },
        { name: '=HYPERLINK("x")', quantity: 2, ownPart: false },
      ]);
      const urgent = await make({ decision: 'warranty', urgent: true }, [{ name: 'Коленвал', diagramNumber: '14', quantity: 2, ownPart: false }]);
      const preSale = await make({ decision: 'warranty' }, [{ name: 'Шланг', quantity: 1.25, unit: 'm', ownPart: false }], { condition: 'pre_sale' });
      const ownOnly = await make({ decision: 'warranty' }, [{ name: 'Свеча', quantity: 1, ownPart: true, unitPrice: '55.55' }]);
      const unpaid = await make({ decision: 'paid' }, [{ name: 'Коленвал', diagramNumber: '14', quantity: 1, ownPart: false }]);

      const res = await t.http.get('/api/v1/dispatch').set(manager()).expect(200);
      expect(res.body.dispatchDate).toBe('2026-12-24');
      const group = res.body.serviceCenters.find((g: { serviceCenter: { id: string } }) => g.serviceCenter.id === center.id);
      expect(group.serviceCenter).toEqual({ id: center.id, name: 'СЦ Доска' });
      // Pre-sale and urgent first (both leave today, before the cutoff), then the rest (Thursday); each by expected date and number.
      expect(group.acts.map((a: { id: string }) => a.id)).toEqual([urgent.id, preSale.id, ordinary.id, unpaid.id]);
      expect(group.acts.map((a: { expectedDispatchDate: string }) => a.expectedDispatchDate)).toEqual([
        '2026-12-22',
        '2026-12-22',
        '2026-12-24',
        '2026-12-24',
      ]);
      expect(group.acts.find((a: { id: string }) => a.id === ownOnly.id)).toBeUndefined();
      expect(group.acts.find((a: { id: string }) => a.id === preSale.id)).toEqual({
        id: preSale.id,
        number: preSale.number,
        preSale: true,
        urgent: false,
        expectedDispatchDate: '2026-12-22',
        status: 'approved',
        awaitingPayment: false,
        parts: [{ id: preSale.parts[0].id, name: 'Шланг', diagramNumber: null, quantity: 1.25, unit: 'm' }],
      });
      expect(group.acts.find((a: { id: string }) => a.id === unpaid.id).awaitingPayment).toBe(true);
      const crankshafts = res.body.pickList.find(
        (l: { name: string; diagramNumber: string | null }) => l.name === 'Коленвал' && l.diagramNumber === '14',
      );
      expect(crankshafts.quantity).toBeGreaterThanOrEqual(4);
      expect(crankshafts.actCount).toBeGreaterThanOrEqual(3);
      expect(res.body.pickList.find((l: { name: string }) => l.name === 'Шланг')).toEqual({
        name: 'Шланг',
        diagramNumber: null,
        unit: 'm',
        quantity: 1.25,
        actCount: 1,
      });

      // The pick list spans every service center, and the specs running alongside change theirs:
      // the JSON and the CSV are read back to back until both saw the same crankshaft total.
      let csv = await t.http.get('/api/v1/dispatch').set(manager()).set('Accept', 'text/csv').expect(200);
      let crankshaftLine = `Коленвал;14;pcs;${crankshafts.quantity};${crankshafts.actCount}`;
      for (let attempt = 0; attempt < 5 && !csv.text.includes(crankshaftLine); attempt++) {
        const again = await t.http.get('/api/v1/dispatch').set(manager()).expect(200);
        const line = again.body.pickList.find(
          (l: { name: string; diagramNumber: string | null }) => l.name === 'Коленвал' && l.diagramNumber === '14',
        );
        crankshaftLine = `Коленвал;14;pcs;${line.quantity};${line.actCount}`;
        csv = await t.http.get('/api/v1/dispatch').set(manager()).set('Accept', 'text/csv').expect(200);
      }
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="pick-list-2026-12-24.csv"');
      const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('name;diagram_number;unit;quantity;act_count');
      expect(lines).toContain('Шланг;;m;1.25;1');
      expect(lines).toContain(`"'=HYPERLINK(""x"")";;pcs;2;1`);
      expect(lines).toContain(crankshaftLine);

      await t.http.get('/api/v1/dispatch').set(bearer(sc.key)).expect(403);
    });
  });

  describe('paid orders', () => {
    it('lives a paid order through: invoice, reissue, refused shipment, payment (wrong amount first), ship, deliver, repaired', async () => {
      const other = await t.http
        .post('/api/v1/managers')
        .set(manager())
        .send({ name: 'Второй Менеджер', email: `m2-${Date.now()}@example.com` })
        .expect(201);
      setNow(msk('2026-12-22T10:00'));
      const act = await decide({ decision: 'paid' });
      expect(act).toMatchObject({ status: 'approved', kind: 'paid', invoice: null });
      const [crankshaft, oil, own] = act.parts;
      const invoiceUrl = `/api/v1/acts/${act.id}/invoice`;

      // Not yet: no payment without an invoice, no parcel without a payment.
      await t.http.post(`/api/v1/acts/${act.id}/payment`).set(manager()).send({ amount: '1.00' }).expect(409);
      const unpaid = await t.http
        .post('/api/v1/shipments')
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: 'PAY-0', actIds: [act.id] })
        .expect(409);
      expect(unpaid.body.type).toContain('payment-required');

      // Lines cover every part that ships, each once, priced as money.
      const bad = await t.http
        .post(invoiceUrl)
        .set(manager())
        .set('Accept-Language', 'en')
        .send({
          lines: [
            { partId: own.id, unitPrice: '1.00' },
            { partId: crankshaft.id, unitPrice: '1.005' },
          ],
        })
        .expect(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines[1].unitPrice']);
      const notCovered = await t.http
        .post(invoiceUrl)
        .set(manager())
        .set('Accept-Language', 'en')
        .send({
          lines: [
            { partId: own.id, unitPrice: '1.00' },
            { partId: crankshaft.id, unitPrice: '1.00' },
            { partId: crankshaft.id, unitPrice: '2.00' },
          ],
        })
        .expect(422);
      expect(notCovered.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines[0].partId', 'lines[2].partId', 'lines']);
      await t.http.post(invoiceUrl).set(bearer(sc.key)).send({ lines: [] }).expect(403);

      const issued = await t.http
        .post(invoiceUrl)
        .set(manager())
        .send({
          lines: [
            { partId: oil.id, unitPrice: '333.33' },
            { partId: crankshaft.id, unitPrice: '4999.99' },
          ],
        })
        .expect(201);
      expect(issued.body).toEqual({
        amount: '5499.99',
        currency: 'RUB',
        paymentReference: act.number,
        issuedAt: expect.any(String),
        paidAt: null,
        lines: [
          { partId: crankshaft.id, name: 'Коленвал', diagramNumber: '14', quantity: 1, unit: 'pcs', unitPrice: '4999.99', amount: '4999.99' },
          { partId: oil.id, name: 'Масло моторное', diagramNumber: null, quantity: 1.5, unit: 'l', unitPrice: '333.33', amount: '500.00' },
        ],
      });
      const mail = await scMailOf(act.id);
      expect(mail.body).toContain('Выставлен счёт на запчасти: 5499.99 руб.');
      expect(mail.body).toContain(`Назначение платежа: ${act.number}`);

      // Reissued while unpaid: replaced.
      const reissued = await t.http
        .post(invoiceUrl)
        .set(manager())
        .send({
          lines: [
            { partId: crankshaft.id, unitPrice: '4000' },
            { partId: oil.id, unitPrice: '100.5' },
          ],
        })
        .expect(201);
      expect(reissued.body.amount).toBe('4150.75');
      expect((await getAct(act.id)).invoice).toMatchObject({ amount: '4150.75', paidAt: null, paymentReference: act.number });
      expect((await scMailOf(act.id)).body).toContain('Счёт заменён новым на запчасти: 4150.75 руб.');
      await t.http
        .post('/api/v1/shipments')
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: 'PAY-1', actIds: [act.id] })
        .expect(409);

      // The payment must match the invoice.
      const wrong = await t.http
        .post(`/api/v1/acts/${act.id}/payment`)
        .set(manager())
        .set('Accept-Language', 'en')
        .send({ amount: '4150.00' })
        .expect(422);
      expect(wrong.body.errors).toEqual([{ field: 'amount', message: 'must equal the invoice amount 4150.75' }]);
      await t.http.post(`/api/v1/acts/${act.id}/payment`).set(manager()).send({ amount: 4150.75 }).expect(422);
      const paid = await t.http.post(`/api/v1/acts/${act.id}/payment`).set(manager()).send({ amount: '4150.75' }).expect(200);
      expect(paid.body.invoice).toMatchObject({ amount: '4150.75', paidAt: expect.any(String) });
      const notices = await t.db.query(`SELECT manager_id, subject FROM notifications WHERE act_id = $1 AND manager_id IS NOT NULL`, [act.id]);
      const paidNotices = notices.filter((n: { subject: string }) => n.subject === `Акт ${act.number}: счёт оплачен`);
      expect(paidNotices.map((n: { manager_id: string }) => n.manager_id)).toContain(other.body.id);
      expect(paidNotices.map((n: { manager_id: string }) => n.manager_id)).not.toContain(t.managerId);
      await t.http.post(`/api/v1/acts/${act.id}/payment`).set(manager()).send({ amount: '4150.75' }).expect(409);
      await t.http
        .post(invoiceUrl)
        .set(manager())
        .send({
          lines: [
            { partId: crankshaft.id, unitPrice: '1' },
            { partId: oil.id, unitPrice: '1' },
          ],
        })
        .expect(409);
      const comments = (await t.http.get(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).expect(200)).body.map(
        (c: { text: string }) => c.text,
      );
      expect(comments.filter((c: string) => c.startsWith('Оплата получена: 4150.75 руб.'))).toHaveLength(1);

      const parcel = await makeShipment(t, [act.id]);
      expect(parcel.items).toEqual([{ actId: act.id, partIds: [crankshaft.id, oil.id] }]);
      await t.http.post(`/api/v1/shipments/${parcel.id}/delivered`).set(bearer(sc.key)).send({}).expect(200);
      const repaired = await t.http.post(`/api/v1/acts/${act.id}/repaired`).set(bearer(sc.key)).expect(200);
      expect(repaired.body).toMatchObject({ status: 'closed', resolution: 'repaired', kind: 'paid', invoice: { amount: '4150.75' } });
    });

    it('issues invoices for approved paid orders only', async () => {
      const warranty = await approve();
      const res = await t.http
        .post(`/api/v1/acts/${warranty.id}/invoice`)
        .set(manager())
        .send({ lines: [{ partId: warranty.parts[0].id, unitPrice: '1.00' }] })
        .expect(409);
      expect(res.body.type).toContain('not-a-paid-order');
    });
  });
});
