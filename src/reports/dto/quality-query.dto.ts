import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validators';
import { QUALITY_GROUPS, QualityGroup } from '../reports.repository';

export class QualityQueryDto {
  /** First closing day of the period, YYYY-MM-DD, a calendar day in Moscow time (Europe/Moscow), inclusive. */
  @IsCalendarDate()
  from: string;

  /** Last closing day of the period, YYYY-MM-DD, Moscow time, inclusive; not before `from`, at most 366 days after it counting both ends. */
  @IsCalendarDate()
  to: string;

  /**
   * What a row is: `category` (the act's product category; key its id), `model` (the model,
   * compared in upper case without spaces, dots, slashes or dashes; key that form), `part` (a
   * part name, trimmed, case ignored; key that form), `reason` (the not-warranty reason code of
   * GET /reason-codes; acts closed otherwise are the row `none`), `serviceCenter` (key its id).
   * Default `category`.
   */
  @ApiPropertyOptional({ enum: QUALITY_GROUPS, default: 'category' })
  @IsOptional()
  @IsIn(QUALITY_GROUPS)
  groupBy?: QualityGroup;
}
