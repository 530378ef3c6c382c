import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validators';

export class CompensationQueryDto {
  /** First day of the period, YYYY-MM-DD, a calendar day in Moscow time (Europe/Moscow), inclusive. */
  @IsCalendarDate()
  from: string;

  /** Last day of the period, YYYY-MM-DD, a calendar day in Moscow time, inclusive; not before `from`, at most 366 days after it counting both ends. */
  @IsCalendarDate()
  to: string;

  /** Only this service center. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;

  /**
   * `true`: only acts a compensation settlement has taken; `false`: only acts not settled yet;
   * absent: both.
   */
  @IsOptional()
  @IsIn(['true', 'false'])
  settled?: 'true' | 'false';
}
