import { IsCalendarDay } from './calendar-years';

export class CalendarDayParamsDto {
  /** The day, YYYY-MM-DD (2000-01-01 to 2100-12-31), a Moscow calendar date. */
  @IsCalendarDay()
  date: string;
}
