import { IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate } from '../../common/validators';

/** POST /compensation-settlements */
export class CreateSettlementDto {
  /** Settle acts closed on or before this day, YYYY-MM-DD in Moscow time (Europe/Moscow); not after today. */
  @IsCalendarDate()
  closedTo: string;

  /** Only this service center's acts; every service center's when absent. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;
}
