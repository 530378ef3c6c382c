import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { keyed } from './field-messages';
import { fieldMessage } from './problem';

/** Normalises a phone number to E.164, reading bare numbers as Russian ones (8 916... / 916...). */
export function normalizePhone(value: string): string | undefined {
  const phone = parsePhoneNumberFromString(value, 'RU');
  return phone?.isValid() ? phone.number : undefined;
}

/** Validates a phone number and stores it as E.164 (`+79161234567`). */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (normalizePhone(value) ?? value) : value));
  const validate = ValidateBy(
    {
      name: 'isPhone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\+\d{8,15}$/.test(value),
        defaultMessage: () => keyed(fieldMessage('isPhone')),
      },
    },
    options,
  );
  return (target, key) => {
    transform(target, key);
    validate(target, key);
  };
}
