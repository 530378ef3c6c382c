import { IsBoolean, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { Trim } from '../../common/trim';

/** No control characters (NUL, line breaks, …): the note is one line of text. */
const NoControlCharacters = (): PropertyDecorator =>
  ValidateBy({
    name: 'noControlCharacters',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !/\p{Cc}/u.test(value),
      defaultMessage: () => keyed(fieldMessage('controlCharacters')),
    },
  });

export class SetCalendarDayDto {
  /** true: a business day (e.g. a working Saturday); false: a day off (e.g. a holiday the built-in calendar lacks). */
  @IsBoolean()
  working: boolean;

  /** Why, shown in `GET /calendar`, e.g. «Перенос выходного с 2 января». One line, at most 200 characters. */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  @NoControlCharacters()
  note?: string | null;
}
