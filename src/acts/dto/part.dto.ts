import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  ValidateIf,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { Trim } from '../../common/trim';
import { IsMoney } from '../../common/validators';
import { PART_UNITS, PartUnit } from '../act-sections';

/** A part's quantity as its unit allows: whole pieces from 1; other units more than 0. */
function IsQuantityOf(unitField: 'unit'): PropertyDecorator {
  return ValidateBy({
    name: 'isQuantityOfUnit',
    validator: {
      validate: (value: unknown, args) => {
        if (typeof value !== 'number') return true; // IsNumber reports it
        const unit = (args?.object as Record<string, unknown>)[unitField] ?? 'pcs';
        return unit === 'pcs' ? Number.isInteger(value) && value >= 1 : value > 0;
      },
      defaultMessage: (args) =>
        ((args?.object as Record<string, unknown>)[unitField] ?? 'pcs') === 'pcs'
          ? keyed(fieldMessage('wholePieces'))
          : keyed(fieldMessage('moreThanZero')),
    },
  });
}

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

  /** Pieces: a whole number from 1; metres, litres, kilograms: more than 0, up to 3 decimals. */
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Max(10000)
  @IsQuantityOf('unit')
  quantity: number;

  /** `pcs` (default), `m`, `l` or `kg`. */
  @IsOptional()
  @IsIn(PART_UNITS)
  unit?: PartUnit;

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
