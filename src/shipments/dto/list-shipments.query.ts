import { IsOptional, IsUUID } from 'class-validator';
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
}
