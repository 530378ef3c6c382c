import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim';

/** Step 2, "Диагностика". */
export class DiagnosisDto {
  /** The SC's own work-order number, if any; acts can be looked up by it. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  internalNumber?: string | null;

  /** Full name of the mechanic who diagnosed or repaired. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  mechanic?: string;

  /** The cause of the failure, not the fact: "water in the cylinder caused a hydraulic lock". */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  result?: string;

  /** Warranty or not, what the repair needs; for non-warranty, why. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  conclusion?: string;

  /** The SC claims warranty. When false, parts ship at the SC's cost (a paid order). */
  @IsOptional()
  @IsBoolean()
  warrantyCase?: boolean;
}
