import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from '../../common/trim';

export class SetCalendarDayDto {
  /** true: a business day (e.g. a working Saturday); false: a day off (e.g. a holiday the built-in calendar lacks). */
  @IsBoolean()
  working: boolean;

  /** Why, shown in `GET /calendar`, e.g. «Перенос выходного с 2 января». */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  @Matches(/^[^\u0000-\u001f\u007f-\u009f]*$/, { message: 'must not contain control characters' })
  note?: string | null;
}
