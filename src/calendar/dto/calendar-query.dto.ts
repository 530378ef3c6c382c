import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { FIRST_YEAR, LAST_YEAR } from './calendar-years';

const YEAR_MESSAGE = keyed(fieldMessage('year', { first: FIRST_YEAR, last: LAST_YEAR }));

export class CalendarQueryDto {
  /** The year, e.g. 2027 (2000 to 2100). Required. */
  @ApiProperty({ type: 'integer', minimum: FIRST_YEAR, maximum: LAST_YEAR, example: 2027 })
  // Only plain digits become a number: "2027.5", "0x7eb" or a repeated parameter stay as sent and fail.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsInt({ message: YEAR_MESSAGE })
  @Min(FIRST_YEAR, { message: YEAR_MESSAGE })
  @Max(LAST_YEAR, { message: YEAR_MESSAGE })
  year: number;
}
