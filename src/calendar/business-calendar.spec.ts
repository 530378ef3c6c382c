import { BusinessCalendar, builtInDays } from './business-calendar';
import { endOfMoscowDay, moscowDateOf } from './calendar-dates';
import { publicHolidays } from './public-holidays';

const calendar = new BusinessCalendar();
const offDays = (year: number, from: string, to: string) =>
  [...builtInDays(year).values()].filter((d) => !d.working && d.date >= from && d.date <= to).map((d) => d.date);
/** An instant given in Moscow time (UTC+3). */
const msk = (local: string) => new Date(`${local}+03:00`);
const bd = (days: number) => ({ kind: 'business' as const, days });

describe('public holidays (date-holidays, statutory dates only)', () => {
  it('has the fourteen days of the Labour Code, without date-holidays’ own weekend moves', () => {
    const days = publicHolidays(2026);
    expect([...days.keys()]).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-02-23',
      '2026-03-08',
      '2026-05-01',
      '2026-05-09',
      '2026-06-12',
      '2026-11-04',
    ]);
    expect(days.get('2026-01-07')).toBe('Рождество Христово');
    expect(days.get('2026-05-09')).toBe('День Победы');
  });
});

describe('built-in Russian business calendar', () => {
  it.each([
    [2024, 248],
    [2025, 247],
    [2026, 247],
  ])('gives %i the working days of the official production calendar (%i)', (year, count) => {
    expect(calendar.workingDayCount(year)).toBe(count);
  });

  it('New Year: 1–8 January are off, and in 2026 also 9 January (moved from Saturday 3 January)', () => {
    expect(offDays(2026, '2026-01-01', '2026-01-31')).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
    ]);
    for (const date of ['2026-01-03', '2026-01-04', '2026-01-10', '2026-01-11']) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2026-01-12')).toBe(true);
    expect(builtInDays(2026).get('2026-01-09')).toMatchObject({ working: false, note: 'Перенос выходного с 3 января' });
    expect(builtInDays(2026).get('2026-01-07')).toMatchObject({ working: false, note: 'Рождество Христово' });
  });

  it('2026 ends with 31 December off (moved from Sunday 4 January)', () => {
    expect(calendar.isWorkingDay('2026-12-30')).toBe(true);
    expect(builtInDays(2026).get('2026-12-31')).toMatchObject({ working: false, note: 'Перенос выходного с 4 января' });
  });

  it('23 February: a Monday off in 2026; in 2025 (a Sunday) the decree moved it to 8 May, not to 24 February', () => {
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-24')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-08')).toBe(false);
  });

  it('8 March: on a Sunday in 2026 the Monday after is off; on a Monday in 2027 the day itself', () => {
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true);
    expect(calendar.isWorkingDay('2026-03-09')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-10')).toBe(true);
    expect(calendar.isWorkingDay('2027-03-08')).toBe(false);
    expect(calendar.isWorkingDay('2027-03-09')).toBe(true);
    // 2025: Saturday 8 March moved to Friday 13 June.
    expect(calendar.isWorkingDay('2025-03-10')).toBe(true);
    expect(calendar.isWorkingDay('2025-06-13')).toBe(false);
  });

  it('May: 1 May and 11 May (for Saturday 9 May) off in 2026, the week between working', () => {
    expect(offDays(2026, '2026-04-27', '2026-05-15')).toEqual(['2026-05-01', '2026-05-11']);
    for (const date of ['2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08']) expect(calendar.isWorkingDay(date)).toBe(true);
    // 2025: 1–4 and 8–11 May.
    expect(offDays(2025, '2025-04-28', '2025-05-16')).toEqual(['2025-05-01', '2025-05-02', '2025-05-08', '2025-05-09']);
  });

  it('12 June and 4 November fall on weekdays in 2026: those days only', () => {
    expect(offDays(2026, '2026-06-01', '2026-06-30')).toEqual(['2026-06-12']);
    expect(offDays(2026, '2026-11-01', '2026-11-30')).toEqual(['2026-11-04']);
    expect(calendar.isWorkingDay('2026-11-03')).toBe(true);
    expect(calendar.isWorkingDay('2026-11-05')).toBe(true);
  });

  it('a working Saturday: 1 November 2025, its day off moved to Monday 3 November', () => {
    expect(calendar.isWorkingDay('2025-11-01')).toBe(true);
    expect(calendar.isWorkingDay('2025-11-03')).toBe(false);
    expect(calendar.isWorkingDay('2025-11-04')).toBe(false);
    expect(builtInDays(2025).get('2025-11-01')).toMatchObject({ working: true });
  });

  it('a year without a published decree (2027) moves weekend holidays by article 112, except January', () => {
    // 1 May and 12 June 2027 are Saturdays, 9 May a Sunday.
    expect(builtInDays(2027).get('2027-05-03')).toMatchObject({ working: false, note: 'Перенос выходного с 1 мая (ст. 112 ТК РФ)' });
    expect(builtInDays(2027).get('2027-05-10')).toMatchObject({ working: false, note: 'Перенос выходного с 9 мая (ст. 112 ТК РФ)' });
    expect(builtInDays(2027).get('2027-06-14')).toMatchObject({ working: false, note: 'Перенос выходного с 12 июня (ст. 112 ТК РФ)' });
    // 2 and 3 January 2027 (a weekend) are moved by a decree that is not in the table yet.
    expect(calendar.isWorkingDay('2027-01-11')).toBe(true);
  });

  it('lists the days of 2026 that differ from an ordinary week, and nothing else', () => {
    expect(calendar.daysOf(2026).map((d) => `${d.date} ${d.working ? 'working' : 'off'}`)).toEqual([
      '2026-01-01 off',
      '2026-01-02 off',
      '2026-01-05 off',
      '2026-01-06 off',
      '2026-01-07 off',
      '2026-01-08 off',
      '2026-01-09 off',
      '2026-02-23 off',
      '2026-03-09 off',
      '2026-05-01 off',
      '2026-05-11 off',
      '2026-06-12 off',
      '2026-11-04 off',
      '2026-12-31 off',
    ]);
    expect(calendar.daysOf(2026).every((d) => d.source === 'built_in' && d.note)).toBe(true);
  });
});

describe('deadlines', () => {
  it('a question asked on 30 December 2026 with 5bd: the holidays to 10 January skipped, due 15 January 2027 23:59:59.999 Moscow', () => {
    const due = calendar.deadline(msk('2026-12-30T10:00:00'), bd(5));
    expect(due.toISOString()).toBe('2027-01-15T20:59:59.999Z');
  });

  it('the event’s own day never counts, even on a holiday or weekend', () => {
    expect(calendar.deadline(msk('2026-01-03T12:00:00'), bd(1)).toISOString()).toBe('2026-01-12T20:59:59.999Z');
    expect(calendar.deadline(msk('2026-06-05T18:00:00'), bd(1)).toISOString()).toBe('2026-06-08T20:59:59.999Z');
  });

  it('counts by the Moscow date: 23:30 Moscow is still Monday, 00:30 Moscow is already Tuesday', () => {
    const late = msk('2026-06-01T23:30:00'); // 20:30 UTC, Monday in Moscow
    const early = msk('2026-06-02T00:30:00'); // 21:30 UTC Monday, Tuesday in Moscow
    expect(moscowDateOf(late)).toBe('2026-06-01');
    expect(moscowDateOf(early)).toBe('2026-06-02');
    expect(calendar.deadline(late, bd(1)).toISOString()).toBe('2026-06-02T20:59:59.999Z');
    expect(calendar.deadline(early, bd(1)).toISOString()).toBe('2026-06-03T20:59:59.999Z');
  });

  it('crosses the May holidays and 12 June of 2026', () => {
    // Thursday 30 April + 3bd: 1 May (Fri) off, weekend, 4, 5, 6 May.
    expect(calendar.deadline(msk('2026-04-30T09:00:00'), bd(3)).toISOString()).toBe('2026-05-06T20:59:59.999Z');
    // Friday 8 May + 1bd: weekend, 11 May off → Tuesday 12 May.
    expect(calendar.deadline(msk('2026-05-08T09:00:00'), bd(1)).toISOString()).toBe('2026-05-12T20:59:59.999Z');
    // Thursday 11 June + 1bd: 12 June off, weekend → 15 June.
    expect(calendar.deadline(msk('2026-06-11T09:00:00'), bd(1)).toISOString()).toBe('2026-06-15T20:59:59.999Z');
  });

  it('crosses 23 February, 8 March and 4 November of 2026', () => {
    expect(calendar.deadline(msk('2026-02-20T09:00:00'), bd(3)).toISOString()).toBe('2026-02-26T20:59:59.999Z');
    expect(calendar.deadline(msk('2026-03-06T09:00:00'), bd(1)).toISOString()).toBe('2026-03-10T20:59:59.999Z');
    expect(calendar.deadline(msk('2026-11-03T09:00:00'), bd(1)).toISOString()).toBe('2026-11-05T20:59:59.999Z');
  });

  it('counts a working Saturday (1 November 2025)', () => {
    expect(calendar.deadline(msk('2025-10-31T15:00:00'), bd(1)).toISOString()).toBe('2025-11-01T20:59:59.999Z');
    expect(calendar.deadline(msk('2025-10-31T15:00:00'), bd(2)).toISOString()).toBe('2025-11-05T20:59:59.999Z');
  });

  it('keeps clock durations as clock time, holidays or not', () => {
    const from = msk('2026-12-30T10:00:00');
    expect(calendar.deadline(from, { kind: 'clock', ms: 3 * 86_400_000 }).toISOString()).toBe('2027-01-02T07:00:00.000Z');
  });

  it('ends the day at 23:59:59.999 Moscow time', () => {
    expect(endOfMoscowDay('2026-07-01').toISOString()).toBe('2026-07-01T20:59:59.999Z');
  });
});

describe('managers’ overrides', () => {
  it('win over the built-in calendar in both directions and move deadlines', () => {
    const edited = BusinessCalendar.of([
      { date: '2026-06-06', working: true, note: 'Рабочая суббота склада' },
      { date: '2026-06-08', working: false, note: null },
      { date: '2026-06-12', working: true, note: 'Работаем' },
    ]);
    expect(edited.isWorkingDay('2026-06-06')).toBe(true);
    expect(edited.isWorkingDay('2026-06-08')).toBe(false);
    expect(edited.isWorkingDay('2026-06-12')).toBe(true);
    // Friday 5 June + 1bd: Saturday 6 June now counts.
    expect(edited.deadline(msk('2026-06-05T12:00:00'), bd(1)).toISOString()).toBe('2026-06-06T20:59:59.999Z');
    // Saturday 6 June + 1bd: Monday 8 June is off now → Tuesday.
    expect(edited.deadline(msk('2026-06-06T12:00:00'), bd(1)).toISOString()).toBe('2026-06-09T20:59:59.999Z');
  });

  it('are listed with the year’s days, marked as overrides', () => {
    const edited = BusinessCalendar.of([
      { date: '2026-06-06', working: true, note: 'Рабочая суббота склада' },
      { date: '2026-06-12', working: true, note: null },
      { date: '2027-01-11', working: false, note: null },
    ]);
    const june = edited.daysOf(2026).filter((d) => d.date.startsWith('2026-06'));
    expect(june).toEqual([
      { date: '2026-06-06', working: true, note: 'Рабочая суббота склада', source: 'override' },
      { date: '2026-06-12', working: true, note: undefined, source: 'override' },
    ]);
    expect(edited.daysOf(2026).some((d) => d.date === '2027-01-11')).toBe(false);
  });

  it('refuses to walk forever when every day is marked off', () => {
    const never = new BusinessCalendar(new Map());
    jest.spyOn(never, 'isWorkingDay').mockReturnValue(false);
    expect(() => never.deadline(msk('2026-06-01T12:00:00'), bd(1))).toThrow(/business days/);
  });
});
