import { FieldMessage, fieldMessage } from '../messages/problems.catalogue';

/** Marks a class-validator message that carries a catalogue key and its arguments. */
const KEYED = 'msg:';

/**
 * A catalogue message as a class-validator `message` (or `defaultMessage`): class-validator
 * keeps only strings, so the key and its arguments travel as JSON and the validation pipe turns
 * them back into a FieldMessage. E.g. `@IsDate({ message: keyed(fieldMessage('isTimestamp')) })`.
 */
export function keyed(message: FieldMessage): string {
  return KEYED + JSON.stringify(message);
}

const number = (value: unknown): number => (typeof value === 'number' ? value : Number(value));

const values = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value && typeof value === 'object' ? Object.values(value).map(String) : [];

/**
 * The catalogue message of one failing constraint: a keyed message as it was given, else the
 * constraint's name with its arguments (`maxLength` with `[300]` → maxLength { max: 300 }).
 */
export function constraintMessage(name: string, constraints: readonly unknown[] = [], message = ''): FieldMessage {
  if (message.startsWith(KEYED)) {
    try {
      return JSON.parse(message.slice(KEYED.length)) as FieldMessage;
    } catch {
      return fieldMessage('invalid');
    }
  }
  switch (name) {
    case 'isDefined':
      return fieldMessage('required');
    case 'isNotEmpty':
      return fieldMessage('notEmpty');
    case 'isString':
    case 'isBoolean':
    case 'isInt':
    case 'isNumber':
    case 'isUUID':
    case 'isEmail':
    case 'isArray':
    case 'isObject':
    case 'arrayNotEmpty':
    case 'arrayUnique':
    case 'isMoney':
    case 'isCalendarDate':
    case 'isPhone':
      return fieldMessage(name);
    case 'isUrl':
    case 'isURL':
      return fieldMessage('isUrl');
    case 'nestedValidation':
      return fieldMessage('isObject');
    case 'isDate':
      return fieldMessage('isTimestamp');
    case 'maxLength':
      return fieldMessage('maxLength', { max: number(constraints[0]) });
    case 'minLength':
      return fieldMessage('minLength', { min: number(constraints[0]) });
    case 'min':
      return fieldMessage('min', { min: number(constraints[0]) });
    case 'max':
      return fieldMessage('max', { max: number(constraints[0]) });
    case 'arrayMaxSize':
      return fieldMessage('arrayMaxSize', { max: number(constraints[0]) });
    case 'arrayMinSize':
      return fieldMessage('arrayMinSize', { min: number(constraints[0]) });
    case 'isIn':
      return fieldMessage('oneOf', { values: values(constraints[0]) });
    case 'isEnum':
      return fieldMessage('oneOf', { values: constraints[1] !== undefined ? values(constraints[1]) : values(constraints[0]) });
    case 'whitelistValidation':
      return fieldMessage('unknownProperty');
    default:
      return fieldMessage('invalid');
  }
}
