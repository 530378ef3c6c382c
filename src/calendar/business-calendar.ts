import { Duration } from '../config/duration';
import { texts } from '../messages/messages';
import { addDays, datesOf, endOfMoscowDay, IsoDate, isWeekend, moscowDateOf } from './calendar-dates';
import { publicHolidays } from './public-holidays';
import { PUBLISHED_TRANSFERS } from './transfers';

/** Where a day's status comes from: the built-in Russian calendar or a manager's override. */
export type DaySource = 'built_in' | 'override';

/** A day that differs from an ordinary Monday–Friday week. */
export interface CalendarDay {
  date: IsoDate;
  working: boolean;
  note?: string;
  source: DaySource;
}

/** A manager's decision about one day; it wins over the built-in calendar. */
export interface DayOverride {
  date: IsoDate;
  working: boolean;
  note: string | null;
}

/** 1–8 January: their weekend days are moved by each year's decree, not by article 112. */
function isNewYearHoliday(date: IsoDate): boolean {
  return date.slice(5, 7) === '01' && Number(date.slice(8, 10)) <= 8;
}

const builtInCache = new Map<number, ReadonlyMap<IsoDate, CalendarDay>>();

/**
 * The built-in days of a year that differ from an ordinary week: public holidays on weekdays,
 * the published transfers (transfers.ts), or for a year without them article 112's moves of
 * weekend holidays. Holidays on a Saturday or Sunday are days off anyway and are not listed.
 */
export function builtInDays(year: number): ReadonlyMap<IsoDate, CalendarDay> {
  const cached = builtInCache.get(year);
  if (cached) return cached;
  const holidays = publicHolidays(year);
  const days = new Map<IsoDate, CalendarDay>();
  for (const [date, name] of holidays) {
    if (!isWeekend(date)) days.set(date, { date, working: false, note: name, source: 'built_in' });
  }
  const published = PUBLISHED_TRANSFERS[year];
  if (published) {
    for (const { date, note } of published.daysOff) days.set(date, { date, working: false, note, source: 'built_in' });
    for (const { date, note } of published.workingDays) days.set(date, { date, working: true, note, source: 'built_in' });
  } else {
    // Labour Code, article 112: the day off moves to the next working day after the holiday.
    for (const date of holidays.keys()) {
      if (!isWeekend(date) || isNewYearHoliday(date)) continue;
      let target = addDays(date, 1);
      while (isWeekend(target) || holidays.has(target) || days.has(target)) target = addDays(target, 1);
      days.set(target, {
        date: target,
        working: false,
        note: texts.calendar.movedHoliday(Number(date.slice(8, 10)), Number(date.slice(5, 7))),
        source: 'built_in',
      });
    }
  }
  const sorted = new Map([...days.entries()].sort(([a], [b]) => a.localeCompare(b)));
  builtInCache.set(year, sorted);
  return sorted;
}

/** Days a deadline may walk before the calendar is taken to be broken (every day marked off). */
const MAX_WALK_DAYS = 3_660;

/**
 * The Moscow business calendar: Monday–Friday, less Russian public holidays, with the
 * government's transfers and managers' overrides. Pure: the overrides are given to it.
 */
export class BusinessCalendar {
  constructor(private readonly overrides: ReadonlyMap<IsoDate, DayOverride> = new Map()) {}

  static of(overrides: Iterable<DayOverride>): BusinessCalendar {
    return new BusinessCalendar(new Map([...overrides].map((o) => [o.date, o])));
  }

  isWorkingDay(date: IsoDate): boolean {
    const override = this.overrides.get(date);
    if (override) return override.working;
    return builtInDays(Number(date.slice(0, 4))).get(date)?.working ?? !isWeekend(date);
  }

  /** The days of a year that differ from an ordinary week, built-in or overridden, by date. */
  daysOf(year: number): CalendarDay[] {
    const days = new Map(builtInDays(year));
    for (const override of this.overrides.values()) {
      if (!override.date.startsWith(`${year}-`)) continue;
      days.set(override.date, { date: override.date, working: override.working, note: override.note ?? undefined, source: 'override' });
    }
    return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  }

  /**
   * When a deadline of `duration` from `from` falls. Clock time: `from` + the milliseconds.
   * Business days: the end (23:59:59.999 Moscow time) of the Nth business day after the Moscow
   * date of `from`; that date itself never counts, whether or not it is a business day.
   */
  deadline(from: Date, duration: Duration): Date {
    if (duration.kind === 'clock') return new Date(from.getTime() + duration.ms);
    return endOfMoscowDay(this.nthBusinessDayAfter(moscowDateOf(from), duration.days));
  }

  /** The `n`th business day after `date` (n >= 1). */
  nthBusinessDayAfter(date: IsoDate, n: number): IsoDate {
    let day = date;
    for (let counted = 0, walked = 0; counted < n;) {
      day = addDays(day, 1);
      if (++walked > MAX_WALK_DAYS) throw new Error(`No ${n} business days within ${MAX_WALK_DAYS} days after ${date}`);
      if (this.isWorkingDay(day)) counted++;
    }
    return day;
  }

  /** Business days of a year (for checking the table against the official production calendar). */
  workingDayCount(year: number): number {
    let count = 0;
    for (const date of datesOf(year)) if (this.isWorkingDay(date)) count++;
    return count;
  }
}
