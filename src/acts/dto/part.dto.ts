import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Trim } from '../../common/trim';
import { IsMoney } from '../../common/validators';

/** Step 3, a row of "Запрос запасных частей". */
export class PartDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name: string;

  /** Number on the exploded-view diagram. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  diagramNumber?: string | null;

  @IsInt()
  @Min(1)
  @Max(10000)
  quantity: number;

  /** The SC used a part of its own stock; on a warranty act its price is then required. */
  @IsOptional()
  @IsBoolean()
  ownPart?: boolean;

  /** Price per unit in roubles, e.g. "780.00". */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsMoney()
  unitPrice?: string | null;
}

/** PUT /acts/:id/parts: the whole list, sent as a JSON array or as `{ parts: [...] }`. */
export class PartsDto {
  /** A JSON array body is read as this property (see AppValidationPipe). */
  static readonly arrayBodyProperty = 'parts';

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartDto)
  parts: PartDto[];
}
