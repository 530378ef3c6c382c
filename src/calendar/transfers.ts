import { IsoDate } from './calendar-dates';

export interface TransferredDay {
  date: IsoDate;
  /** Shown as the day's note in `GET /calendar`. */
  note: string;
}

/** The government's moves of days off for one year, as its decree publishes them. */
export interface YearTransfers {
  /** Where the dates come from. */
  source: string;
  /** Weekdays made days off: a holiday that fell on a weekend, moved. */
  daysOff: TransferredDay[];
  /** Saturdays or Sundays made working days. */
  workingDays: TransferredDay[];
}

/**
 * Transfers of days off, per year, as published. The public holidays themselves come from
 * date-holidays (public-holidays.ts); this table holds only what a decree moves.
 *
 * A year listed here is complete: its moves are exactly these (the decree may move a weekend
 * holiday elsewhere than the Labour Code's next working day, as 2025 moved 23 February to 8 May,
 * so no rule is applied on top). For a year not listed, only article 112 of the Labour Code is
 * applied: a holiday other than 1–8 January that falls on a Saturday or Sunday moves the day off
 * to the next working day. The January days that fall on a weekend are moved by each year's
 * decree and cannot be guessed; until the year is added here a manager marks them with
 * `PUT /calendar/days/:date`.
 *
 * 2027: the decree was not verified when this table was written (only statements about a draft
 * were found), so 2027 runs on article 112 alone: 3 May, 10 May and 14 June are days off; the
 * moves of 2 and 3 January 2027 are missing. Add 2027 here once the decree is checked.
 */
export const PUBLISHED_TRANSFERS: Readonly<Record<number, YearTransfers>> = {
  2024: {
    source: 'Постановление Правительства РФ от 10.08.2023 № 1314',
    daysOff: [
      { date: '2024-04-29', note: 'Перенос выходного с субботы 27 апреля' },
      { date: '2024-04-30', note: 'Перенос выходного с субботы 2 ноября' },
      { date: '2024-05-10', note: 'Перенос выходного с 6 января' },
      { date: '2024-12-30', note: 'Перенос выходного с субботы 28 декабря' },
      { date: '2024-12-31', note: 'Перенос выходного с 7 января' },
    ],
    workingDays: [
      { date: '2024-04-27', note: 'Рабочая суббота (выходной перенесён на 29 апреля)' },
      { date: '2024-11-02', note: 'Рабочая суббота (выходной перенесён на 30 апреля)' },
      { date: '2024-12-28', note: 'Рабочая суббота (выходной перенесён на 30 декабря)' },
    ],
  },
  2025: {
    source: 'Постановление Правительства РФ от 04.10.2024 № 1335',
    daysOff: [
      { date: '2025-05-02', note: 'Перенос выходного с 4 января' },
      { date: '2025-05-08', note: 'Перенос выходного с 23 февраля' },
      { date: '2025-06-13', note: 'Перенос выходного с 8 марта' },
      { date: '2025-11-03', note: 'Перенос выходного с субботы 1 ноября' },
      { date: '2025-12-31', note: 'Перенос выходного с 5 января' },
    ],
    workingDays: [{ date: '2025-11-01', note: 'Рабочая суббота (выходной перенесён на 3 ноября)' }],
  },
  2026: {
    // The decree moves 3 and 4 January; 9 March and 11 May follow article 112 of the Labour
    // Code (8 March is a Sunday, 9 May a Saturday). No working Saturdays.
    source: 'Постановление Правительства РФ от 24.09.2025; ст. 112 ТК РФ',
    daysOff: [
      { date: '2026-01-09', note: 'Перенос выходного с 3 января' },
      { date: '2026-03-09', note: 'Перенос выходного с 8 марта' },
      { date: '2026-05-11', note: 'Перенос выходного с 9 мая' },
      { date: '2026-12-31', note: 'Перенос выходного с 4 января' },
    ],
    workingDays: [],
  },
};
