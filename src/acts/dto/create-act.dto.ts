import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsOptional, ValidateNested } from 'class-validator';
import { DiagnosisDto } from './diagnosis.dto';
import { ExtraDto } from './extra.dto';
import { PartDto } from './part.dto';
import { ProductDto } from './product.dto';

/** POST /acts: a new draft. Any subset of the sections; the whole act in one request works too. */
export class CreateActDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => ProductDto)
  product: ProductDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => DiagnosisDto)
  diagnosis?: DiagnosisDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartDto)
  parts?: PartDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => ExtraDto)
  extra?: ExtraDto;
}
