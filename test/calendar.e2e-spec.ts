import { CalendarService } from '../src/calendar/calendar.service';
import { bearer, createTestApp, TestApp } from './app';
import { makeServiceCenter, TestServiceCenter } from './factories';

/** An instant given in Moscow time (UTC+3). */
const msk = (local: string) => new Date(`${local}+03:00`);

// The calendar as users meet it. Overrides are global rows in the run's shared database, so this
// suite edits days of 2031 only, which no other suite computes with, and drops them afterwards.
describe('calendar API', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  const M = () => bearer(t.managerKey);

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
  });
  afterAll(async () => {
    await t?.db.query(`DELETE FROM calendar_days WHERE date >= '2031-01-01' AND date < '2032-01-01'`);
    await t?.close();
  });

  it('shows any role the days of a year that differ from an ordinary week', async () => {
    const res = await t.http.get('/api/v1/calendar?year=2026').set(bearer(sc.key)).expect(200);
    expect(res.body.year).toBe(2026);
    expect(res.body.days).toContainEqual({ date: '2026-01-09', working: false, note: 'Перенос выходного с 3 января', source: 'built_in' });
    expect(res.body.days).toContainEqual({ date: '2026-02-23', working: false, note: 'День защитника Отечества', source: 'built_in' });
    expect(res.body.days).toHaveLength(14);
  });

  it('lets a manager mark days, which moves the next deadline at once; a service center may not (403)', async () => {
    const calendar = t.app.get(CalendarService);
    const monday = msk('2031-06-02T15:00:00');
    const due = async () => (await calendar.deadline(monday, { kind: 'business', days: 1 })).toISOString();
    expect(await due()).toBe('2031-06-03T20:59:59.999Z');

    const sent = await t.http.put('/api/v1/calendar/days/2031-06-03').set(bearer(sc.key)).send({ working: false }).expect(403);
    expect(sent.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await due()).toBe('2031-06-03T20:59:59.999Z');

    const off = await t.http.put('/api/v1/calendar/days/2031-06-03').set(M()).send({ working: false, note: '  Санитарный день ' }).expect(200);
    expect(off.body).toEqual({ date: '2031-06-03', working: false, note: 'Санитарный день', source: 'override' });
    expect(await due()).toBe('2031-06-04T20:59:59.999Z');

    // Friday 6 June → Saturday 7 June made working.
    await t.http.put('/api/v1/calendar/days/2031-06-07').set(M()).send({ working: true }).expect(200);
    expect((await calendar.deadline(msk('2031-06-06T10:00:00'), { kind: 'business', days: 1 })).toISOString()).toBe('2031-06-07T20:59:59.999Z');

    const year = await t.http.get('/api/v1/calendar?year=2031').set(bearer(sc.key)).expect(200);
    expect(year.body.days.filter((d: { source: string }) => d.source === 'override')).toEqual([
      { date: '2031-06-03', working: false, note: 'Санитарный день', source: 'override' },
      { date: '2031-06-07', working: true, source: 'override' },
    ]);

    await t.http.delete('/api/v1/calendar/days/2031-06-03').set(bearer(sc.key)).expect(403);
    await t.http.delete('/api/v1/calendar/days/2031-06-03').set(M()).expect(204);
    await t.http.delete('/api/v1/calendar/days/2031-06-03').set(M()).expect(204);
    expect(await due()).toBe('2031-06-03T20:59:59.999Z');
  });

  it.each([
    ['', 'year'],
    ['?year=abc', 'year'],
    ['?year=1999', 'year'],
    ['?year=2101', 'year'],
    ['?year=2027.5', 'year'],
    ['?year=2026&year=2027', 'year'],
    ['?year=2027&month=1', 'month'],
  ])('refuses GET /calendar%s with a 400 naming %s', async (query, field) => {
    const res = await t.http.get(`/api/v1/calendar${query}`).set(bearer(sc.key)).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each(['2031-02-30', '31-06-2031', '1999-12-31', '2101-01-01', 'today'])(
    'refuses a day that is not a date in range (%s) with a 400 naming date',
    async (date) => {
      const res = await t.http.put(`/api/v1/calendar/days/${date}`).set(M()).send({ working: true }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    },
  );

  it('refuses a bad body with a 422 listing every field, and stores nothing', async () => {
    const res = await t.http
      .put('/api/v1/calendar/days/2031-07-01')
      .set(M())
      .send({ working: 'yes', note: 'x'.repeat(201), source: 'built_in' })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['note', 'source', 'working']);
    await t.http.put('/api/v1/calendar/days/2031-07-01').set(M()).send({ note: 'без working' }).expect(422);
    await t.http.put('/api/v1/calendar/days/2031-07-01').set(M()).send({ working: true, note: 'a\u0000b' }).expect(422);
    const rows: unknown[] = await t.db.query(`SELECT 1 FROM calendar_days WHERE date = '2031-07-01'`);
    expect(rows).toHaveLength(0);
  });
});
