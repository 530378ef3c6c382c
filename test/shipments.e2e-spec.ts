import { bearer, createTestApp, TestApp } from './app';
import { makeAct, makeApprovedAct, makePaidOrder, makeServiceCenter, makeShipment, makeSubmittedAct, TestServiceCenter } from './factories';

const DAY = 86_400_000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('shipments', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let other: TestServiceCenter;

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
  });
  afterAll(() => t?.close());

  const api = (path = '') => `/api/v1/shipments${path}`;
  const manager = () => bearer(t.managerKey);
  const statusOf = async (actId: string) => (await t.http.get(`/api/v1/acts/${actId}`).set(manager()).expect(200)).body.status as string;
  /** Parcels to this spec's service centers (other specs ship to theirs in the same database at the same time). */
  const shipmentCount = async () =>
    (await t.db.query(`SELECT count(*)::int AS n FROM shipments WHERE service_center_id = ANY($1::uuid[])`, [[sc.id, other.id]]))[0].n as number;

  it('ships several acts of one SC in one parcel, each with the tracking-number comment', async () => {
    const a = await makeApprovedAct(t, sc);
    const b = await makePaidOrder(t, sc);
    const res = await t.http
      .post(api())
      .set(manager())
      .send({ carrier: '  Почта России ', trackingNumber: 'RA123456789RU', actIds: [b.id, a.id] })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      serviceCenterId: sc.id,
      carrier: 'Почта России',
      trackingNumber: 'RA123456789RU',
      urgent: false,
      actIds: [a.id, b.id],
      items: [
        { actId: a.id, partIds: [(a.parts as { id: string }[])[0].id] },
        { actId: b.id, partIds: [(b.parts as { id: string }[])[0].id] },
      ],
      shippedAt: expect.any(String),
      deliveredAt: null,
    });
    for (const act of [a, b]) {
      expect(await statusOf(act.id)).toBe('parts_shipped');
      const comments = await t.http.get(`/api/v1/acts/${act.id}/comments`).set(bearer(sc.key)).expect(200);
      expect(comments.body.at(-1)).toMatchObject({
        author: { role: 'system' },
        text: 'Запчасти отправлены: Почта России, трек-номер RA123456789RU\nВ посылке: Коленвал (№ 14) — 1 шт.',
      });
      const history = await t.http.get(`/api/v1/acts/${act.id}/history`).set(bearer(sc.key)).expect(200);
      expect(history.body.at(-1)).toMatchObject({ from: 'approved', to: 'parts_shipped', actor: { role: 'manager' } });
    }
    const got = await t.http
      .get(api(`/${res.body.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(got.body).toEqual(res.body);
  });

  describe('validation', () => {
    it('refuses acts of two service centers with 422 on actIds, and changes nothing', async () => {
      const mine = await makeApprovedAct(t, sc);
      const theirs = await makeApprovedAct(t, other);
      const before = await shipmentCount();
      const res = await t.http
        .post(api())
        .set(manager())
        .set('Accept-Language', 'en')
        .send({ carrier: 'СДЭК', trackingNumber: '1', actIds: [mine.id, theirs.id] })
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'actIds', message: 'must all be acts of one service center' }]);
      expect(await shipmentCount()).toBe(before);
      expect(await statusOf(mine.id)).toBe('approved');
      expect(await statusOf(theirs.id)).toBe('approved');
    });

    it('refuses an act in the wrong status with 409 naming the act and its status', async () => {
      const ready = await makeApprovedAct(t, sc);
      const waiting = await makeSubmittedAct(t, sc);
      const res = await t.http
        .post(api())
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: '2', actIds: [ready.id, waiting.id] })
        .expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toContain(waiting.number);
      expect(res.body.detail).toContain('submitted');
      expect(res.body.detail).not.toContain(ready.number);
      expect(res.body.acts).toEqual([{ id: waiting.id, number: waiting.number, status: 'submitted' }]);
      expect(res.body.allowedFrom).toEqual(['approved', 'part_mismatch']);
      expect(await statusOf(ready.id)).toBe('approved');
    });

    it('refuses unknown act ids with 422 naming them', async () => {
      const ready = await makeApprovedAct(t, sc);
      const res = await t.http
        .post(api())
        .set(manager())
        .send({ carrier: 'СДЭК', trackingNumber: '3', actIds: [ready.id, UNKNOWN] })
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'actIds[1]', message: expect.stringContaining(UNKNOWN) }]);
      expect(res.body.detail).toContain(UNKNOWN);
      expect(await statusOf(ready.id)).toBe('approved');
    });

    it('refuses repeated ids, empty lists, bad ids and missing fields with 422', async () => {
      const ready = await makeApprovedAct(t, sc);
      const fields = async (body: object) =>
        (await t.http.post(api()).set(manager()).send(body).expect(422)).body.errors.map((e: { field: string }) => e.field);
      expect(await fields({ carrier: 'СДЭК', trackingNumber: '4', actIds: [ready.id, ready.id] })).toEqual(['actIds']);
      expect(await fields({ carrier: 'СДЭК', trackingNumber: '4', actIds: [] })).toEqual(['actIds']);
      expect(await fields({ carrier: 'СДЭК', trackingNumber: '4', actIds: ['nope'] })).toEqual(['actIds']);
      expect(await fields({ carrier: ' ', actIds: [ready.id], urgent: 'yes', status: 'x' }).then((f) => [...new Set(f)].sort())).toEqual([
        'carrier',
        'status',
        'trackingNumber',
        'urgent',
      ]);
      expect(await statusOf(ready.id)).toBe('approved');
    });

    it('is for managers: an SC gets 403', async () => {
      const ready = await makeApprovedAct(t, sc);
      await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({ carrier: 'СДЭК', trackingNumber: '5', actIds: [ready.id] })
        .expect(403);
    });
  });

  describe('delivery', () => {
    it('delivers once: the acts get the mismatch deadline from deliveredAt; twice is 409', async () => {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      // Recorded a day late: the window runs from the arrival, not from the record.
      t.clock.advance(DAY);
      const deliveredAt = new Date(Date.parse(shipment.shippedAt) + 3_600_000).toISOString();
      const res = await t.http
        .post(api(`/${shipment.id}/delivered`))
        .set(manager())
        .send({ deliveredAt })
        .expect(200);
      expect(res.body).toMatchObject({ id: shipment.id, deliveredAt, actIds: [act.id] });
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.status).toBe('parts_delivered');
      expect(view.body.mismatchDeadline).toBe(new Date(Date.parse(deliveredAt) + 3 * DAY).toISOString());

      const again = await t.http
        .post(api(`/${shipment.id}/delivered`))
        .set(manager())
        .set('Accept-Language', 'en')
        .send({})
        .expect(409);
      expect(again.body.detail).toContain(deliveredAt);
      const still = await t.http
        .get(api(`/${shipment.id}`))
        .set(manager())
        .expect(200);
      expect(still.body.deliveredAt).toBe(deliveredAt);
    });

    it('refuses a delivery time in the future or before shipping, and another SC (404)', async () => {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      const future = new Date(t.clock.now().getTime() + DAY).toISOString();
      const early = new Date(Date.parse(shipment.shippedAt) - DAY).toISOString();
      for (const deliveredAt of [future, early, 'yesterday', '2026-06-01', 42]) {
        const res = await t.http
          .post(api(`/${shipment.id}/delivered`))
          .set(manager())
          .send({ deliveredAt })
          .expect(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('deliveredAt');
      }
      await t.http
        .post(api(`/${shipment.id}/delivered`))
        .set(bearer(other.key))
        .send({})
        .expect(404);
      await t.http
        .post(api(`/${UNKNOWN}/delivered`))
        .set(manager())
        .send({})
        .expect(404);
      expect(await statusOf(act.id)).toBe('parts_shipped');
    });

    it('lets the SC the parcel is for confirm its delivery, recorded as its own', async () => {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      const res = await t.http
        .post(api(`/${shipment.id}/delivered`))
        .set(bearer(sc.key))
        .send({})
        .expect(200);
      expect(res.body.deliveredAt).toEqual(expect.any(String));
      expect(await statusOf(act.id)).toBe('parts_delivered');
      const [row] = await t.db.query(`SELECT delivered_by, delivered_by_role FROM shipments WHERE id = $1`, [shipment.id]);
      expect(row).toEqual({ delivered_by: sc.id, delivered_by_role: 'service_center' });
      const history = await t.http.get(`/api/v1/acts/${act.id}/history`).set(bearer(sc.key)).expect(200);
      expect(history.body.at(-1)).toMatchObject({ from: 'parts_shipped', to: 'parts_delivered', actor: { role: 'service_center' } });
    });

    it('leaves acts that moved on; with none awaiting delivery it is 409 and nothing is recorded', async () => {
      const a = await makeApprovedAct(t, sc);
      const b = await makeApprovedAct(t, sc);
      const both = await makeShipment(t, [a.id, b.id]);
      await t.http.post(`/api/v1/acts/${a.id}/repaired`).set(bearer(sc.key)).expect(200);
      await t.http
        .post(api(`/${both.id}/delivered`))
        .set(manager())
        .send({})
        .expect(200);
      expect(await statusOf(a.id)).toBe('closed');
      expect(await statusOf(b.id)).toBe('parts_delivered');

      const c = await makeApprovedAct(t, sc);
      const lone = await makeShipment(t, [c.id]);
      await t.http.post(`/api/v1/acts/${c.id}/repaired`).set(bearer(sc.key)).expect(200);
      const res = await t.http
        .post(api(`/${lone.id}/delivered`))
        .set(manager())
        .send({})
        .expect(409);
      expect(res.body.detail).toContain(c.number);
      const got = await t.http
        .get(api(`/${lone.id}`))
        .set(manager())
        .expect(200);
      expect(got.body.deliveredAt).toBeNull();
    });
  });

  describe('visibility', () => {
    let mine: string;
    let theirs: string;
    let lister: TestServiceCenter;
    const listed: string[] = [];

    beforeAll(async () => {
      lister = await makeServiceCenter(t);
      for (let i = 0; i < 3; i++) listed.push((await makeShipment(t, [(await makeApprovedAct(t, lister)).id])).id);
      mine = listed[2];
      theirs = (await makeShipment(t, [(await makeApprovedAct(t, other)).id])).id;
    });

    it('shows an SC only its own shipments: others are 404 and never listed', async () => {
      await t.http
        .get(api(`/${theirs}`))
        .set(bearer(lister.key))
        .expect(404);
      await t.http
        .get(api(`/${mine}`))
        .set(bearer(lister.key))
        .expect(200);
      const list = await t.http.get(api('?limit=100')).set(bearer(lister.key)).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([...listed].reverse());
      const sneaky = await t.http
        .get(api(`?serviceCenterId=${other.id}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(sneaky.body.items).toEqual([]);
    });

    it('lets managers list all or one SC, newest first, with a cursor', async () => {
      const all = await t.http.get(api('?limit=100')).set(manager()).expect(200);
      expect(all.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([...listed, theirs]));
      const first = await t.http
        .get(api(`?serviceCenterId=${lister.id}&limit=2`))
        .set(manager())
        .expect(200);
      expect(first.body.items.map((s: { id: string }) => s.id)).toEqual([listed[2], listed[1]]);
      const second = await t.http
        .get(api(`?serviceCenterId=${lister.id}&limit=2&cursor=${first.body.nextCursor}`))
        .set(manager())
        .expect(200);
      expect(second.body.items.map((s: { id: string }) => s.id)).toEqual([listed[0]]);
      expect(second.body.nextCursor).toBeNull();
      await t.http.get(api('?cursor=garbage')).set(manager()).expect(400);
      await t.http.get(api('?limit=0')).set(manager()).expect(400);
      await t.http.get(api('?serviceCenterId=nope')).set(manager()).expect(400);
    });
  });

  it('ships overlapping acts from concurrent requests exactly once, without deadlocks', async () => {
    const acts = await Promise.all([1, 2, 3, 4].map(() => makeApprovedAct(t, sc)));
    const ids = acts.map((a) => a.id);
    const results = await Promise.all(
      [ids, [...ids].reverse(), [ids[1], ids[3]], [ids[2], ids[0]]].map((actIds, i) =>
        t.http
          .post(api())
          .set(manager())
          .send({ carrier: 'СДЭК', trackingNumber: `race-${i}`, actIds }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const shippedIds = created.flatMap((r) => r.body.actIds as string[]).sort();
    expect(shippedIds).toEqual([...ids].sort());
    const rows = await t.db.query(`SELECT act_id, count(*)::int AS n FROM shipment_acts WHERE act_id = ANY($1) GROUP BY act_id`, [ids]);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
  });

  it('does not ship a draft', async () => {
    const draft = await makeAct(t, sc);
    await t.http
      .post(api())
      .set(manager())
      .send({ carrier: 'СДЭК', trackingNumber: '6', actIds: [draft.id] })
      .expect(409);
  });
});
