import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock } from '../common/clock';
import { Duration } from '../config/duration';
import { BusinessCalendar, CalendarDay } from './business-calendar';
import { addDays, endOfMoscowDay, IsoDate, moscowDateOf } from './calendar-dates';
import { CalendarRepository } from './calendar.repository';
import { dispatchDateFor, DispatchSchedule } from './dispatch-date';

export type { DispatchSchedule };

/**
 * How long an instance keeps the managers' overrides in memory. A change through this instance
 * is seen at once (it forgets them); another API or worker instance sees it within this time.
 */
export const OVERRIDES_TTL_MS = 10_000;

/**
 * The Moscow business calendar (Russian public holidays, the government's transfers, managers'
 * overrides) and the deadlines counted on it. Other features import CalendarModule and call
 * deadline(); see BusinessCalendar for the arithmetic.
 */
@Injectable()
export class CalendarService {
  private cached: { calendar: BusinessCalendar; loadedAt: number } | undefined;
  /** Bumped on every change, so that a load that raced a change is not kept. */
  private generation = 0;

  constructor(
    private readonly overrides: CalendarRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * When a deadline of `duration` from `from` falls. Clock time: `from` + its milliseconds.
   * Business days (`5bd`): 23:59:59.999 Moscow time of the 5th business day after the Moscow date
   * of `from` (that day itself never counts).
   */
  async deadline(from: Date, duration: Duration): Promise<Date> {
    if (duration.kind === 'clock') return new Date(from.getTime() + duration.ms);
    return (await this.calendar()).deadline(from, duration);
  }

  /**
   * The submission time before which a deadline of `duration` has passed by `now`: an act
   * submitted at S is overdue (deadline(S) < now) exactly when S < the instant returned. Lets SQL
   * select overdue acts with one comparison, agreeing with each act's own due time.
   */
  async overdueBefore(now: Date, duration: Duration): Promise<Date> {
    if (duration.kind === 'clock') return new Date(now.getTime() - duration.ms);
    const calendar = await this.calendar();
    // A business-day deadline depends on the Moscow date of its start only, and never decreases
    // with it: walk back from today to the first date whose deadline has passed.
    let date = moscowDateOf(now);
    for (let i = 0; i < 3 * 366; i++) {
      const previous = addDays(date, -1);
      if (endOfMoscowDay(calendar.nthBusinessDayAfter(previous, duration.days)).getTime() < now.getTime()) break;
      date = previous;
    }
    // The first instant of `date` in Moscow: the end of the day before, plus a millisecond.
    return new Date(endOfMoscowDay(addDays(date, -1)).getTime() + 1);
  }

  async isWorkingDay(date: IsoDate): Promise<boolean> {
    return (await this.calendar()).isWorkingDay(date);
  }

  /** The `n`th business day after `date` (1: the next one), e.g. for a dispatch date. */
  async businessDayAfter(date: IsoDate, n = 1): Promise<IsoDate> {
    return (await this.calendar()).nthBusinessDayAfter(date, n);
  }

  /**
   * The Moscow date parts approved at `at` are expected to leave on: the next dispatch day that is
   * a business day, or for `soon` (pre-sale, urgent) the next business day; see dispatchDateFor.
   */
  async dispatchDate(at: Date, schedule: DispatchSchedule, soon: boolean): Promise<IsoDate> {
    const calendar = await this.calendar();
    return dispatchDateFor(at, schedule, soon, (date) => calendar.isWorkingDay(date));
  }

  /** The days of a year that differ from an ordinary Monday–Friday week. */
  async daysOf(year: number): Promise<CalendarDay[]> {
    return (await this.calendar()).daysOf(year);
  }

  /** A manager marks a day working or not; it wins over the built-in calendar from now on. */
  async setDay(date: IsoDate, working: boolean, note: string | null, managerId: string | null): Promise<CalendarDay> {
    await this.overrides.upsert({ date, working, note }, managerId, this.clock.now());
    this.forget();
    return { date, working, note: note ?? undefined, source: 'override' };
  }

  /** Drops a day's override: the built-in calendar decides again. Nothing to drop is fine. */
  async clearDay(date: IsoDate): Promise<void> {
    await this.overrides.remove(date);
    this.forget();
  }

  private async calendar(): Promise<BusinessCalendar> {
    if (this.cached && performance.now() - this.cached.loadedAt < OVERRIDES_TTL_MS) return this.cached.calendar;
    const generation = this.generation;
    const calendar = BusinessCalendar.of(await this.overrides.all());
    if (generation === this.generation) this.cached = { calendar, loadedAt: performance.now() };
    return calendar;
  }

  private forget(): void {
    this.generation += 1;
    this.cached = undefined;
  }
}
