import { IsEmail, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsPhone } from '../../common/phone';
import { Trim } from '../../common/trim';

const present = (_: object, value: unknown) => value !== undefined;
const set = (_: object, value: unknown) => value !== undefined && value !== null;

/** The fields to change; a field left out keeps its value, `null` clears city, phone or managerId. */
export class UpdateServiceCenterDto {
  @ValidateIf(present)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /** Status changes and manager comments are e-mailed here. */
  @ValidateIf(present)
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ValidateIf(set)
  @Trim()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  /** Any common notation; stored as E.164. `null` removes it. */
  @ValidateIf(set)
  @IsPhone()
  phone?: string | null;

  /**
   * The responsible manager: e-mailed about this service center's acts, named in the e-mails the
   * service center gets. `null`: no one in particular, every manager is.
   */
  @ValidateIf(set)
  @IsUUID()
  managerId?: string | null;
}
