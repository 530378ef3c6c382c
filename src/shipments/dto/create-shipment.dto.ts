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
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { Trim } from '../../common/trim';
import { toTimestamp } from '../../common/validators';

/** POST /shipments */
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

  /** Acts of one service center, each approved or part_mismatch; each id once. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  @ArrayUnique({ message: keyed(fieldMessage('noActTwice')) })
  actIds: string[];
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
