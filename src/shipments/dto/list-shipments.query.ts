import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class ListShipmentsQuery {
  /** Managers: one service center's shipments. A service center always sees only its own. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;

  /** The shipments that carried this act. */
  @IsOptional()
  @IsUUID()
  actId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** The nextCursor of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
