import { BusinessCalendar } from './business-calendar';
import { weekdayOf } from './calendar-dates';
import { dispatchDateFor, DispatchSchedule } from './dispatch-date';

/** An instant given in Moscow time (UTC+3). */
const msk = (local: string) => new Date(`${local}+03:00`);
const calendar = new BusinessCalendar();
const working = (date: string) => calendar.isWorkingDay(date);
const THU: DispatchSchedule = { days: [4], cutoff: { hour: 12, minute: 0 } };
const TUE_THU: DispatchSchedule = { days: [2, 4], cutoff: { hour: 12, minute: 0 } };
const ordinary = (at: string, schedule = THU) => dispatchDateFor(msk(at), schedule, false, working);
const soon = (at: string, schedule = THU) => dispatchDateFor(msk(at), schedule, true, working);

describe('expected dispatch date', () => {
  it.each([
    // Thursday 3 December 2026: the cutoff is 12:00 Moscow time, to the minute.
    ['2026-12-03T00:00', '2026-12-03'],
    ['2026-12-03T11:59:59', '2026-12-03'],
    ['2026-12-03T12:00', '2026-12-10'],
    ['2026-12-03T23:59', '2026-12-10'],
    // Earlier in the week: that week's Thursday, whatever the hour.
    ['2026-11-30T18:00', '2026-12-03'],
    ['2026-12-02T23:59', '2026-12-03'],
    // After Thursday, the weekend included: the next Thursday.
    ['2026-12-04T09:00', '2026-12-10'],
    ['2026-12-05T10:00', '2026-12-10'],
    ['2026-12-06T23:00', '2026-12-10'],
    // 31 December 2026 (a Thursday) is a day off moved from 4 January, and 7 January 2027 is Christmas: 14 January.
    ['2026-12-28T10:00', '2027-01-14'],
    ['2026-12-31T10:00', '2027-01-14'],
  ])('approved %s (Moscow) on the weekly dispatch day thu: %s', (at, expected) => {
    expect(ordinary(at)).toBe(expected);
    expect(weekdayOf(expected)).toBe(4);
  });

  it('takes the Moscow date, not the UTC one: 01:30 Moscow is still the evening before in UTC', () => {
    // Thursday 3 December 2026, 01:30 Moscow = Wednesday 22:30 UTC.
    expect(dispatchDateFor(new Date('2026-12-02T22:30:00Z'), THU, false, working)).toBe('2026-12-03');
    // Thursday 12:00 Moscow = 09:00 UTC: past the cutoff.
    expect(dispatchDateFor(new Date('2026-12-03T09:00:00Z'), THU, false, working)).toBe('2026-12-10');
    expect(dispatchDateFor(new Date('2026-12-03T08:59:59Z'), THU, false, working)).toBe('2026-12-03');
  });

  it.each([
    // Several dispatch days: tue,thu.
    ['2026-11-30T10:00', '2026-12-01'],
    ['2026-12-01T11:00', '2026-12-01'],
    ['2026-12-01T12:30', '2026-12-03'],
    ['2026-12-02T08:00', '2026-12-03'],
    ['2026-12-03T12:00', '2026-12-08'],
    ['2026-12-05T12:00', '2026-12-08'],
    // Tuesday 29 December, then 31 December off, 5 January 2027 a holiday: Tuesday 12 January.
    ['2026-12-29T12:00', '2027-01-12'],
  ])('approved %s (Moscow) with dispatch days tue,thu: %s', (at, expected) => {
    expect(ordinary(at, TUE_THU)).toBe(expected);
  });

  it('skips a dispatch day that is a public holiday (Wednesday 4 November 2026) to the next one', () => {
    const wed: DispatchSchedule = { days: [3], cutoff: { hour: 12, minute: 0 } };
    expect(ordinary('2026-11-03T15:00', wed)).toBe('2026-11-11');
    expect(ordinary('2026-11-04T09:00', wed)).toBe('2026-11-11');
    expect(ordinary('2026-10-28T11:00', wed)).toBe('2026-10-28');
  });

  it('follows a manager’s override: a dispatch day marked off, a Saturday marked working', () => {
    const overridden = BusinessCalendar.of([
      { date: '2026-12-10', working: false, note: 'Инвентаризация' },
      { date: '2026-12-12', working: true, note: 'Рабочая суббота' },
    ]);
    const isWorking = (date: string) => overridden.isWorkingDay(date);
    expect(dispatchDateFor(msk('2026-12-04T10:00'), THU, false, isWorking)).toBe('2026-12-17');
    const sat: DispatchSchedule = { days: [6], cutoff: { hour: 12, minute: 0 } };
    expect(dispatchDateFor(msk('2026-12-07T10:00'), sat, false, isWorking)).toBe('2026-12-12');
    expect(dispatchDateFor(msk('2026-12-11T16:00'), THU, true, isWorking)).toBe('2026-12-12');
  });

  it.each([
    // Pre-sale or urgent: the next business day, the same day before the cutoff.
    ['2026-12-02T11:59', '2026-12-02'],
    ['2026-12-02T12:00', '2026-12-03'],
    ['2026-12-04T13:00', '2026-12-07'],
    ['2026-12-04T10:00', '2026-12-04'],
    ['2026-12-05T10:00', '2026-12-07'],
    ['2026-12-06T23:59', '2026-12-07'],
    // 31 December off and the New Year holidays to 8 January; 9-10 January 2027 a weekend.
    ['2026-12-30T12:00', '2027-01-11'],
    // 12 June 2026 (Friday) is Russia Day.
    ['2026-06-11T14:00', '2026-06-15'],
    // 1 November 2025 was a working Saturday, 3 November a day off moved from it, 4 November a holiday.
    ['2025-10-31T13:00', '2025-11-01'],
    ['2025-11-01T13:00', '2025-11-05'],
  ])('pre-sale or urgent, approved %s (Moscow): %s', (at, expected) => {
    expect(soon(at)).toBe(expected);
    expect(working(expected)).toBe(true);
  });

  it('is never later for an urgent act than for an ordinary one approved at the same moment', () => {
    for (let hour = 0; hour < 24 * 21; hour += 5) {
      const at = new Date(msk('2026-12-21T00:00').getTime() + hour * 3_600_000);
      for (const schedule of [THU, TUE_THU]) {
        expect(dispatchDateFor(at, schedule, true, working) <= dispatchDateFor(at, schedule, false, working)).toBe(true);
      }
    }
  });

  it('gives up on a calendar without a single business dispatch day instead of looping', () => {
    expect(() => dispatchDateFor(msk('2026-12-01T10:00'), THU, false, () => false)).toThrow(/No dispatch day/);
  });
});
