import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { Trim } from '../../common/trim';
import { toTimestamp } from '../../common/validators';

/** One act of a parcel, with the parts it carries. */
export class ShipmentItemDto {
  @IsUUID()
  actId: string;

  /** The act's parts this parcel carries; omitted: every part still to ship. Leaving some for later needs the act's partial consent. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  @ArrayUnique({ message: keyed(fieldMessage('partTwice')) })
  partIds?: string[];
}

/** POST /shipments: `actIds` (every part still to ship of each act) or `items` (parts chosen per act), exactly one of them. */
export class CreateShipmentDto {
  /** The delivery service, e.g. "СДЭК", "Деловые Линии", "Почта России". */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber: string;

  /** Shipped out of the weekly schedule. Default false. */
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  /** Acts of one service center, each approved or part_mismatch; each id once. Each ships every part it still has to ship. */
  @ValidateIf((dto: CreateShipmentDto) => dto.actIds !== undefined || dto.items === undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  @ArrayUnique({ message: keyed(fieldMessage('noActTwice')) })
  actIds?: string[];

  /** Instead of actIds: acts with the parts this parcel carries (a later parcel may carry an act's pending parts). */
  @ValidateIf((dto: CreateShipmentDto) => dto.items !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ShipmentItemDto)
  items?: ShipmentItemDto[];
}

/** POST /shipments/:id/delivered */
export class DeliverShipmentDto {
  /** When the parcel arrived (ISO 8601 timestamp with a zone); now when absent. Not in the future, not before shippedAt. */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-06-01T09:30:00Z' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? toTimestamp(value) : value))
  @IsDate({ message: keyed(fieldMessage('isTimestamp')) })
  deliveredAt?: Date;
}
