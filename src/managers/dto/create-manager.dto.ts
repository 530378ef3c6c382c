import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPhone } from '../../common/phone';
import { Trim } from '../../common/trim';

/** E-mails of managers are kept in lower case (as create-manager does), so uniqueness ignores case. */
export const LowerCaseEmail = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

export class CreateManagerDto {
  /** Full name, e.g. "Ольга Петрова". */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** Unique among managers, ignoring case; stored in lower case. */
  @LowerCaseEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** Any common notation; stored as E.164. */
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  /** Free text, e.g. "Москва" or "Владивосток". */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  office?: string | null;
}
