import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  /** What the key is for, e.g. "1C integration". */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}
