import { ValidateBy, ValidationOptions } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { isCalendarDate } from '../../common/validators';

/** The years the calendar answers for and takes overrides in. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** A real date written YYYY-MM-DD within FIRST_YEAR..LAST_YEAR. */
export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDay',
      validator: {
        validate: (value: unknown) => isCalendarDate(value) && Number(value.slice(0, 4)) >= FIRST_YEAR && Number(value.slice(0, 4)) <= LAST_YEAR,
        defaultMessage: () => keyed(fieldMessage('calendarDay', { first: FIRST_YEAR, last: LAST_YEAR })),
      },
    },
    options,
  );
}
