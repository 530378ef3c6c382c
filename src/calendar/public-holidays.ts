import Holidays from 'date-holidays';
import { addDays, IsoDate } from './calendar-dates';

let russia: Holidays | undefined;

const DAY_MS = 86_400_000;

/**
 * Russia's public holidays of a year by their statutory dates (1–8 January, 23 February, 8 March,
 * 1 and 9 May, 12 June, 4 November), with their Russian names, from date-holidays (public ones
 * only, no observances).
 *
 * date-holidays also moves some of them off a weekend by a rule of its own (8 March on a Sunday
 * gives 9 March too); those moves are dropped here: which weekday becomes a day off is the
 * transfer table's business (transfers.ts), because the government's decrees do not always
 * follow such a rule.
 */
export function publicHolidays(year: number): Map<IsoDate, string> {
  russia ??= new Holidays('RU', { types: ['public'], languages: ['ru'] });
  const days = new Map<IsoDate, string>();
  const rules = new Set<string>();
  // Sorted by date: the first date a rule yields is its statutory one.
  for (const holiday of russia.getHolidays(year, 'ru')) {
    if (holiday.type !== 'public' || holiday.substitute || rules.has(holiday.rule)) continue;
    rules.add(holiday.rule);
    // One entry may span days ("01-02 P5D": 2 to 6 January).
    const first = holiday.date.slice(0, 10);
    const span = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    for (let i = 0; i < span; i++) {
      const date = addDays(first, i);
      if (!days.has(date)) days.set(date, holiday.name);
    }
  }
  return days;
}
