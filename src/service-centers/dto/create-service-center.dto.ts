import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPhone } from '../../common/phone';
import { Trim } from '../../common/trim';

export class CreateServiceCenterDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** Status changes and manager comments are e-mailed here. */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  city?: string;

  /** Any common notation; stored as E.164. */
  @IsOptional()
  @IsPhone()
  phone?: string;
}
