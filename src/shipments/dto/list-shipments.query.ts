import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/page.query';

export class ListShipmentsQuery extends PageQuery {
  /** Managers: one service center's shipments. A service center always sees only its own. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;

  /** The shipments that carried this act. */
  @IsOptional()
  @IsUUID()
  actId?: string;

  /** Managers: `true` for parcels shipped more than DELIVERY_FOLLOW_UP ago and still not delivered (to follow up). */
  @IsOptional()
  @IsIn(['true', 'false'])
  undelivered?: 'true' | 'false';
}
