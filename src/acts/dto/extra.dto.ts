import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsPhone } from '../../common/phone';
import { Trim } from '../../common/trim';
import { IsCalendarDate } from '../../common/validators';
import { PRODUCT_STATES, ProductState } from '../act-sections';

/** Step 4, "Дополнительная информация". Customer data is seen only by the owning SC and managers. */
export class ExtraDto {
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerName?: string;

  /** Any common notation; stored as E.164 (+79161234567). */
  @IsOptional()
  @IsPhone()
  customerPhone?: string;

  /** The retailer that sold the product. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  sellerOrganization?: string;

  /** Repair complexity, 1 to 3. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  complexity?: number;

  @IsOptional()
  @IsIn(PRODUCT_STATES)
  productState?: ProductState;

  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsCalendarDate()
  repairEndDate?: string | null;
}
