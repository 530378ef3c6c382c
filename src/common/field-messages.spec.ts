import { constraintMessage, keyed } from './field-messages';
import { fieldMessage } from './problem';
import { fieldLabel, renderField } from '../messages/problems';

/** class-validator's constraints with their arguments, as catalogue messages, in both languages. */
describe('constraint messages', () => {
  const both = (name: string, constraints?: unknown[], message?: string) => {
    const m = constraintMessage(name, constraints, message);
    return [renderField(m, 'ru'), renderField(m, 'en')];
  };

  it.each([
    ['isString', undefined, 'должно быть строкой', 'must be a string'],
    ['isNotEmpty', undefined, 'обязательное поле', 'should not be empty'],
    ['isDefined', undefined, 'обязательное поле', 'is required'],
    ['maxLength', [300], 'должно быть не длиннее 300 символов', 'must be shorter than or equal to 300 characters'],
    ['maxLength', [1], 'должно быть не длиннее 1 символа', 'must be shorter than or equal to 1 characters'],
    ['isIn', [['new', 'used']], 'должно быть одним из значений: new, used', 'must be one of the following values: new, used'],
    ['isEnum', [{ A: 'a', B: 'b' }, ['a', 'b']], 'должно быть одним из значений: a, b', 'must be one of the following values: a, b'],
    ['isUUID', ['4'], 'должно быть идентификатором (UUID)', 'must be a UUID'],
    ['isInt', undefined, 'должно быть целым числом', 'must be an integer number'],
    ['min', [1], 'должно быть не меньше 1', 'must not be less than 1'],
    ['max', [3], 'должно быть не больше 3', 'must not be greater than 3'],
    ['isBoolean', undefined, 'должно быть true или false', 'must be a boolean value'],
    [
      'isDate',
      undefined,
      'должно быть моментом времени с часовым поясом, например 2026-06-01T09:30:00Z',
      'must be a timestamp with a time zone, e.g. 2026-06-01T09:30:00Z',
    ],
    ['arrayMaxSize', [50], 'должно содержать не больше 50 элементов', 'must contain no more than 50 elements'],
    ['whitelistValidation', undefined, 'неизвестное поле', 'is not a known field'],
    ['isMoney', undefined, expect.stringContaining('суммой в рублях'), expect.stringContaining('roubles')],
    ['isCalendarDate', undefined, 'должно быть датой в формате ГГГГ-ММ-ДД', 'must be a date written YYYY-MM-DD'],
    ['isPhone', undefined, expect.stringContaining('номером телефона'), expect.stringContaining('phone number')],
    ['somethingNew', undefined, 'недопустимое значение', 'is not a valid value'],
  ])('%s %j', (name, constraints, ru, en) => {
    expect(both(name, constraints)).toEqual([ru, en]);
  });

  it('takes a keyed message (a custom decorator message) as given, with its arguments', () => {
    const message = keyed(fieldMessage('deadlineDuration', { minHours: 1, maxDays: 30, maxBusinessDays: 20 }));
    expect(constraintMessage('isDeadlineDuration', [], message)).toEqual({
      key: 'deadlineDuration',
      args: { minHours: 1, maxDays: 30, maxBusinessDays: 20 },
    });
    expect(both('isDeadlineDuration', [], message)).toEqual([
      'должно быть сроком от 1 ч до 30 дн. или от 1 до 20 рабочих дней, например 36h, 3d или 5bd',
      'must be a duration from 1h to 30d, or 1 to 20 business days, such as 36h, 3d or 5bd',
    ]);
    expect(both('isQuantityOfUnit', [], keyed(fieldMessage('wholePieces')))[0]).toContain('целым числом штук');
  });

  it('falls back to the constraint name when a keyed message is broken', () => {
    expect(constraintMessage('isString', [], 'msg:{not json')).toEqual({ key: 'invalid' });
  });
});

describe('field labels', () => {
  it('names the fields of an act in both languages, and nothing for other fields', () => {
    expect([fieldLabel('product.saleDate', 'ru'), fieldLabel('product.saleDate', 'en')]).toEqual(['дата продажи', 'sale date']);
    expect([fieldLabel('parts[1].unitPrice', 'ru'), fieldLabel('parts[1].unitPrice', 'en')]).toEqual(['запчасть 2: цена', 'part 2: price']);
    expect([fieldLabel('closedTo', 'ru'), fieldLabel('closedTo', 'en')]).toEqual([undefined, undefined]);
  });
});
