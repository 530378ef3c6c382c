import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim';

/** The longest warranty term a category may have, in months (10 years). */
export const MAX_WARRANTY_MONTHS = 120;

/** PATCH /product-categories/:id: only the fields given change. */
export class UpdateProductCategoryDto {
  /** A new name, unique ignoring case. */
  @ValidateIf((_, value) => value !== undefined) // null is a value, and refused
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /**
   * The warranty term in months (1 to 120), from the sale date: an act whose accepted date falls
   * after the sale date plus this term is flagged `out_of_warranty` when it is next computed
   * (at submit or a later edit of the act; existing flags are not recomputed by this change).
   */
  @ValidateIf((_, value) => value !== undefined) // null is a value, and refused
  @IsInt()
  @Min(1)
  @Max(MAX_WARRANTY_MONTHS)
  warrantyMonths?: number;
}
