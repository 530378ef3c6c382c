import { ApiProperty } from '@nestjs/swagger';
import type { DaySource } from './business-calendar';

/** A day that differs from an ordinary Monday–Friday week. */
export class CalendarDayView {
  /** YYYY-MM-DD, a Moscow calendar date. */
  date: string;

  /** Whether deadlines count it as a business day. */
  working: boolean;

  /** The holiday's name, the transfer, or the manager's note; absent when there is none. */
  note?: string;

  /** `built_in`: the Russian calendar (public holidays and the government's transfers); `override`: set by a manager. */
  @ApiProperty({ enum: ['built_in', 'override'] })
  source: DaySource;
}

export class CalendarYearView {
  @ApiProperty({ type: 'integer', example: 2027 })
  year: number;

  /** By date: weekdays off (holidays, transfers), working Saturdays or Sundays, and every manager's override of the year. */
  days: CalendarDayView[];
}
