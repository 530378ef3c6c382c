import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsDate, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { IsMoney, toTimestamp } from '../../common/validators';

/** POST /acts/:id/partial-consent */
export class PartialConsentDto {
  /** true: the available parts may ship first and the rest follow free of charge; false: one parcel with everything. */
  @IsBoolean()
  consent: boolean;
}

export class InvoiceLineDto {
  /** A part of the act that will ship (not an own part). */
  @IsUUID()
  partId: string;

  /** Roubles per unit, a decimal string with at most 2 fraction digits, e.g. "780.00". */
  @IsMoney()
  unitPrice: string;
}

/** POST /acts/:id/invoice */
export class IssueInvoiceDto {
  /** One line for every part that will ship, each once. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  lines: InvoiceLineDto[];
}

/** POST /acts/:id/payment */
export class RecordPaymentDto {
  /** What the SC paid: must equal the invoice amount. */
  @IsMoney()
  amount: string;

  /** When the money came (ISO 8601 timestamp with a zone); now when absent. Not in the future. */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-12-01T09:30:00Z' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? toTimestamp(value) : value))
  @IsDate({ message: keyed(fieldMessage('isTimestamp')) })
  paidAt?: Date;
}
