import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/trim';

export class CreateProductCategoryDto {
  /** E.g. "Газонокосилка бензиновая". Unique, ignoring case. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}
