import { IsEmail, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsPhone } from '../../common/phone';
import { Trim } from '../../common/trim';
import { LowerCaseEmail } from './create-manager.dto';

const present = (_: object, value: unknown) => value !== undefined;
const set = (_: object, value: unknown) => value !== undefined && value !== null;

/** The fields to change; a field left out keeps its value, `null` clears phone or office. */
export class UpdateManagerDto {
  @ValidateIf(present)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /** Unique among managers, ignoring case; stored in lower case. */
  @ValidateIf(present)
  @LowerCaseEmail()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  /** Any common notation; stored as E.164. `null` removes it. */
  @ValidateIf(set)
  @IsPhone()
  phone?: string | null;

  /** Free text, e.g. "Москва". `null` removes it. */
  @ValidateIf(set)
  @Trim()
  @IsString()
  @MaxLength(100)
  office?: string | null;
}
