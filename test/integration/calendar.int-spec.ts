import { CalendarModule } from '../../src/calendar/calendar.module';
import { CalendarRepository } from '../../src/calendar/calendar.repository';
import { CalendarService } from '../../src/calendar/calendar.service';
import { createServiceTest, ServiceTest } from '../support/service-test';

/** An instant given in Moscow time (UTC+3). */
const msk = (local: string) => new Date(`${local}+03:00`);
const bd = (days: number) => ({ kind: 'business' as const, days });

// The calendar service on a database of the suite's own: managers' overrides are rows that win
// over the built-in calendar, and this process computes with them as soon as they are written.
describe('CalendarService', () => {
  let t: ServiceTest;
  let calendar: CalendarService;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [CalendarModule] });
    calendar = t.get(CalendarService);
  });

  afterAll(() => t?.close());

  beforeEach(() => t.db.query('DELETE FROM calendar_days'));

  it('computes business-day deadlines over the built-in calendar, and clock ones as clock time', async () => {
    expect((await calendar.deadline(msk('2026-12-30T10:00:00'), bd(5))).toISOString()).toBe('2027-01-15T20:59:59.999Z');
    expect((await calendar.deadline(msk('2026-12-30T10:00:00'), { kind: 'clock', ms: 60_000 })).toISOString()).toBe('2026-12-30T07:01:00.000Z');
  });

  it('selects exactly the overdue submissions with one cut-off: S < overdueBefore(now) ⇔ deadline(S) < now', async () => {
    const nows = ['2026-12-31T10:00:00', '2027-01-11T00:30:00', '2027-01-11T23:59:00', '2026-03-10T09:00:00', '2026-05-12T12:00:00'].map(msk);
    for (const duration of [bd(3), bd(5), { kind: 'clock' as const, ms: 3 * 86_400_000 }]) {
      for (const now of nows) {
        const cutoff = await calendar.overdueBefore(now, duration);
        // Every hour of the 30 days before `now`.
        for (let h = 0; h < 30 * 24; h++) {
          const submitted = new Date(now.getTime() - h * 3_600_000);
          const overdue = (await calendar.deadline(submitted, duration)).getTime() < now.getTime();
          expect([submitted.toISOString(), submitted.getTime() < cutoff.getTime()]).toEqual([submitted.toISOString(), overdue]);
        }
      }
    }
  });

  it('moves the next deadline at once when a manager marks a day off, and back when the override is dropped', async () => {
    const asked = msk('2027-03-01T12:00:00'); // Monday
    // Warm the cache first: the change must not wait for it to expire.
    expect((await calendar.deadline(asked, bd(1))).toISOString()).toBe('2027-03-02T20:59:59.999Z');

    await calendar.setDay('2027-03-02', false, 'Санитарный день', null);
    expect((await calendar.deadline(asked, bd(1))).toISOString()).toBe('2027-03-03T20:59:59.999Z');
    expect(await calendar.isWorkingDay('2027-03-02')).toBe(false);

    await calendar.clearDay('2027-03-02');
    expect((await calendar.deadline(asked, bd(1))).toISOString()).toBe('2027-03-02T20:59:59.999Z');
  });

  it('counts a Saturday a manager marks working, and lists it with the year', async () => {
    const friday = msk('2027-03-05T17:00:00');
    expect((await calendar.deadline(friday, bd(1))).toISOString()).toBe('2027-03-09T20:59:59.999Z'); // 8 March off
    await calendar.setDay('2027-03-06', true, 'Рабочая суббота', null);
    expect((await calendar.deadline(friday, bd(1))).toISOString()).toBe('2027-03-06T20:59:59.999Z');

    const days = await calendar.daysOf(2027);
    expect(days.find((d) => d.date === '2027-03-06')).toEqual({ date: '2027-03-06', working: true, note: 'Рабочая суббота', source: 'override' });
    expect(days.find((d) => d.date === '2027-03-08')).toMatchObject({ working: false, source: 'built_in' });
  });

  it('keeps the override in Postgres: a fresh service (another instance, a restart) computes with it', async () => {
    await calendar.setDay('2027-01-11', false, 'Перенос выходного с 2 января', null);
    const rows: { date: string; working: boolean; note: string }[] = await t.db.query(`SELECT date::text, working, note FROM calendar_days`);
    expect(rows).toEqual([{ date: '2027-01-11', working: false, note: 'Перенос выходного с 2 января' }]);

    const restarted = new CalendarService(t.get(CalendarRepository), t.clock);
    expect(await restarted.businessDayAfter('2027-01-08')).toBe('2027-01-12');
  });
});
