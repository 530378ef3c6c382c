/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const DAY_MS = 86_400_000;

/**
 * Moscow's offset from UTC: +3 hours all year, without daylight saving, since 26 October 2014.
 * Deadlines are computed from the present, so the older offsets are not needed.
 */
export const MOSCOW_OFFSET_MS = 3 * 3_600_000;

/** The date `n` days after `date` (before it when negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 for Sunday … 6 for Saturday. */
export function weekdayOf(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWeekend(date: IsoDate): boolean {
  const day = weekdayOf(date);
  return day === 0 || day === 6;
}

/** The Moscow calendar date of an instant. */
export function moscowDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last millisecond of a Moscow day: 23:59:59.999 Moscow time (20:59:59.999 UTC). */
export function endOfMoscowDay(date: IsoDate): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - MOSCOW_OFFSET_MS - 1);
}

/** Every date of a year, 1 January first. */
export function* datesOf(year: number): Generator<IsoDate> {
  for (let date = `${year}-01-01`; date.startsWith(`${year}-`); date = addDays(date, 1)) yield date;
}
