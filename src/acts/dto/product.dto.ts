import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim';
import { IsCalendarDate } from '../../common/validators';
import { COMPLETENESS, Completeness, PRODUCT_CONDITIONS, ProductCondition } from '../act-sections';

/**
 * Step 1, "Изделие". Every field may be left out while the act is a draft; submit checks
 * that the whole act is complete.
 */
export class ProductDto {
  /** One of GET /product-categories. */
  @IsOptional()
  @IsUUID()
  categoryId?: string;

  /** Model and manufacturer ("Артикул"), e.g. "ЭГК-1500 Энергопром". */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  model?: string;

  /** The serial number; null (with noSerialNumber: true) when the product has none. "Б/Н" is read as none. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  serialNumber?: string | null;

  /** True when the product has no serial number ("Б/Н"). */
  @IsOptional()
  @IsBoolean()
  noSerialNumber?: boolean;

  /** Why the customer came ("Причина обращения"), e.g. "не запускается". */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  complaint?: string;

  /** new, used (Б/У) or pre_sale (предторг: never sold, failed in the retailer's stock). */
  @IsOptional()
  @IsIn(PRODUCT_CONDITIONS)
  condition?: ProductCondition;

  /** Date sold to the customer (for pre_sale: arrived at the retailer). Not in the future, not after acceptedDate. */
  @IsOptional()
  @IsCalendarDate()
  saleDate?: string;

  /** The day the SC took the product in. Not in the future. */
  @IsOptional()
  @IsCalendarDate()
  acceptedDate?: string;

  @IsOptional()
  @IsIn(COMPLETENESS)
  completeness?: Completeness;

  @IsOptional()
  @IsBoolean()
  hasWarrantyCard?: boolean;

  /** The customer came within 14 days of the sale and refuses repair; a client_statement photo is then required. */
  @IsOptional()
  @IsBoolean()
  refusedWithin14Days?: boolean;

  /** Not a warranty case; the customer buys the parts (a paid order). */
  @IsOptional()
  @IsBoolean()
  paidOrder?: boolean;
}
