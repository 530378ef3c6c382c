import { ActSweeps } from '../src/acts/act-sweeps.service';
import { appWith, bearer, TestApp } from './app';
import { makeApprovedAct, makeServiceCenter, makeShipment, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Parcels nobody confirms (API.md, "Dispatch and partial shipments"): managers list those shipped
 * more than DELIVERY_FOLLOW_UP ago, and the sweep asks the SC once per parcel to confirm receipt.
 * The sweep looks at every parcel of its database and the clock moves by days: this suite has a
 * database of its own.
 */
describe('follow-up of undelivered parcels', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let sweeps: ActSweeps;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const suite = await createSuiteDatabase();
    dropDatabase = suite.drop;
    t = await appWith({
      DATABASE_URL: suite.databaseUrl,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'wa-test'}:follow-up`,
      DELIVERY_FOLLOW_UP: '10d',
    });
    sc = await makeServiceCenter(t);
    sweeps = t.app.get(ActSweeps, { strict: false });
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase?.();
  });

  type FollowUpMail = { dedupe_key: string; recipient: string; kind: string; subject: string; body: string };
  const followUps = (): Promise<FollowUpMail[]> =>
    t.db.query(`SELECT dedupe_key, recipient, kind, subject, body FROM notifications WHERE dedupe_key LIKE 'delivery-follow-up:%' ORDER BY seq`);
  const undelivered = async () =>
    ((await t.http.get('/api/v1/shipments?undelivered=true').set(bearer(t.managerKey)).expect(200)).body.items as { id: string }[]).map((s) => s.id);

  it('lists parcels in transit past DELIVERY_FOLLOW_UP and e-mails the SC once per parcel, even from two sweeps at once', async () => {
    const acts = await Promise.all([1, 2, 3, 4].map(() => makeApprovedAct(t, sc)));
    const old = await makeShipment(t, [acts[0].id, acts[1].id], { trackingNumber: 'OLD-1' });
    const oldToo = await makeShipment(t, [acts[2].id], { trackingNumber: 'OLD-2' });
    const delivered = await makeShipment(t, [acts[3].id], { trackingNumber: 'DONE-1' });
    await t.http.post(`/api/v1/shipments/${delivered.id}/delivered`).set(bearer(sc.key)).send({}).expect(200);

    t.clock.advance(6 * DAY);
    const fresh = await makeShipment(t, [(await makeApprovedAct(t, sc)).id], { trackingNumber: 'NEW-1' });
    expect(await undelivered()).toEqual([]);
    expect(await sweeps.followUpUndeliveredParcels()).toBe(0);

    t.clock.advance(4 * DAY + HOUR);
    expect((await undelivered()).sort()).toEqual([old.id, oldToo.id].sort());
    const all = (await t.http.get('/api/v1/shipments?undelivered=false').set(bearer(t.managerKey)).expect(200)).body.items as { id: string }[];
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([old.id, oldToo.id, delivered.id, fresh.id]));
    const scAsks = await t.http.get('/api/v1/shipments?undelivered=true').set(bearer(sc.key)).set('Accept-Language', 'en').expect(400);
    expect(scAsks.body.errors).toEqual([{ field: 'undelivered', message: expect.any(String) }]);
    await t.http.get('/api/v1/shipments?undelivered=yes').set(bearer(t.managerKey)).expect(400);

    // Two sweeps at once, one parcel per statement: each parcel is asked about once.
    const sent = await Promise.all([sweeps.followUpUndeliveredParcels(1), sweeps.followUpUndeliveredParcels(1)]);
    expect(sent[0] + sent[1]).toBe(2);
    let mails = await followUps();
    expect(mails.map((m) => m.dedupe_key).sort()).toEqual([`delivery-follow-up:${old.id}`, `delivery-follow-up:${oldToo.id}`].sort());
    const first = mails.find((m) => m.dedupe_key.endsWith(old.id))!;
    expect(first).toMatchObject({ recipient: sc.email, kind: 'delivery_follow_up', subject: 'Посылка OLD-1: подтвердите получение' });
    const numbers = [acts[0].number, acts[1].number].sort();
    expect(first.body).toContain(`Акты: ${numbers.join(', ')}.`);
    expect(first.body).toContain('СДЭК, трек-номер OLD-1');
    expect(first.body).not.toMatch(/parts_shipped|approved|\{\{/);

    // Once: later sweeps send nothing more for them; the fresh parcel is asked about when its time comes.
    expect(await sweeps.followUpUndeliveredParcels()).toBe(0);
    t.clock.advance(4 * DAY);
    expect(await sweeps.followUpUndeliveredParcels()).toBe(0);
    t.clock.advance(2 * DAY);
    expect(await sweeps.followUpUndeliveredParcels()).toBe(1);
    mails = await followUps();
    expect(mails).toHaveLength(3);
    expect(mails.at(-1)?.dedupe_key).toBe(`delivery-follow-up:${fresh.id}`);
    // A parcel followed up and then delivered leaves the list.
    await t.http.post(`/api/v1/shipments/${old.id}/delivered`).set(bearer(sc.key)).send({}).expect(200);
    expect((await undelivered()).sort()).toEqual([oldToo.id, fresh.id].sort());
  });
});
