import { addDays, IsoDate, MOSCOW_OFFSET_MS, moscowDateOf, weekdayOf } from './calendar-dates';

/** When parcels leave: DISPATCH_DAYS (weekday numbers, 0 Sunday … 6 Saturday) and DISPATCH_CUTOFF (Moscow time). */
export interface DispatchSchedule {
  days: readonly number[];
  cutoff: { hour: number; minute: number };
}

/** Days looked ahead before the calendar is taken to be broken (no dispatch day is a business day). */
const MAX_LOOKAHEAD_DAYS = 3_660;

/**
 * The Moscow date an act approved at `at` is expected to leave on (API.md, "Dispatch and partial
 * shipments"):
 * - ordinarily the next dispatch day that is a business day: `at`'s own Moscow date when it is
 *   one and `at` is before the cutoff, else the first later one (a dispatch day that falls on a
 *   holiday is skipped: the parcel waits for the next dispatch day);
 * - `soon` (pre-sale or urgent acts): the next business day, by the same cutoff rule: the same day
 *   when approved before the cutoff on a business day (an urgent act never leaves later than
 *   an ordinary one approved at the same moment), else the first business day after.
 * Pure: the business calendar comes in as `isWorkingDay`.
 */
export function dispatchDateFor(at: Date, schedule: DispatchSchedule, soon: boolean, isWorkingDay: (date: IsoDate) => boolean): IsoDate {
  const today = moscowDateOf(at);
  const moscow = new Date(at.getTime() + MOSCOW_OFFSET_MS);
  const minutes = moscow.getUTCHours() * 60 + moscow.getUTCMinutes();
  const beforeCutoff = minutes < schedule.cutoff.hour * 60 + schedule.cutoff.minute;
  const fits = (date: IsoDate) => isWorkingDay(date) && (soon || schedule.days.includes(weekdayOf(date)));
  let date = beforeCutoff ? today : addDays(today, 1);
  for (let walked = 0; !fits(date); walked++) {
    if (walked > MAX_LOOKAHEAD_DAYS) throw new Error(`No dispatch day within ${MAX_LOOKAHEAD_DAYS} days after ${today}`);
    date = addDays(date, 1);
  }
  return date;
}
