import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { Trim } from '../../common/trim';

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
  @ArrayUnique({ message: 'must not name an act twice' })
  actIds: string[];
}

/** POST /shipments/:id/delivered */
export class DeliverShipmentDto {
  /** When the parcel arrived (ISO 8601 timestamp); now when absent. Not in the future, not before shippedAt. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/T\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/i, { message: 'must be a timestamp with a time zone, e.g. 2026-06-01T09:30:00Z' })
  deliveredAt?: string;
}
