import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseDeadlineDuration } from '../config/duration';
import { keyed } from './field-messages';
import { fieldMessage } from './problem';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value && Number(m[1]) >= 1990;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: () => keyed(fieldMessage('isCalendarDate')),
      },
    },
    options,
  );
}

/** Money: a decimal string with at most 2 fraction digits (also the OpenAPI pattern of money fields). */
export const MONEY_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;
const MONEY = MONEY_PATTERN;

/** Money as a decimal string with at most 2 fraction digits ("780", "780.5", "780.00"); never a number. */
export function IsMoney(options?: ValidationOptions): PropertyDecorator {
  const validate = ValidateBy(
    {
      name: 'isMoney',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && MONEY.test(value),
        defaultMessage: () => keyed(fieldMessage('isMoney')),
      },
    },
    options,
  );
  const normalise = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && MONEY.test(value) ? toMoney(value) : value));
  return (target, key) => {
    normalise(target, key);
    validate(target, key);
  };
}

/** "780" → "780.00", "780.5" → "780.50": exact, by string, never through a float. */
export function toMoney(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${BigInt(whole).toString()}.${fraction.padEnd(2, '0')}`;
}

/**
 * A deadline's length: clock time within `bounds` (`36h`, `3d`) or business days up to
 * `maxBusinessDays` (`5bd`: to the end of the 5th business day, Moscow time).
 */
export function IsDeadlineDuration(bounds: { min: number; max: number; maxBusinessDays: number }): PropertyDecorator {
  return ValidateBy({
    name: 'isDeadlineDuration',
    validator: {
      validate: (value: unknown) => {
        const parsed = typeof value === 'string' ? parseDeadlineDuration(value.trim()) : undefined;
        if (!parsed) return false;
        return parsed.kind === 'business' ? parsed.days <= bounds.maxBusinessDays : parsed.ms >= bounds.min && parsed.ms <= bounds.max;
      },
      defaultMessage: () =>
        keyed(
          fieldMessage('deadlineDuration', {
            minHours: bounds.min / 3_600_000,
            maxDays: bounds.max / 86_400_000,
            maxBusinessDays: bounds.maxBusinessDays,
          }),
        ),
    },
  });
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A time bound of a query, parsed where the request is read: a calendar date (from its start,
 * or as an upper bound up to the next day's start, UTC) or an ISO 8601 timestamp (UTC when it
 * names no zone; an upper bound includes its millisecond). Anything else is left as sent, for
 * IsDate to refuse.
 */
export function toInstantBound(value: unknown, side: 'from' | 'to'): unknown {
  if (typeof value !== 'string') return value;
  if (isCalendarDate(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    return side === 'from' ? start : new Date(start.getTime() + 86_400_000);
  }
  const at = toTimestamp(value);
  if (!(at instanceof Date)) return value;
  return side === 'from' ? at : new Date(at.getTime() + 1);
}

/** An ISO 8601 timestamp (`2026-06-01T09:30:00Z`, zone optional, UTC then) as a Date; else the value as sent. */
export function toTimestamp(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = TIMESTAMP.exec(value);
  if (!m || !isCalendarDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return value;
  const at = new Date(m[5] ? value : `${value}Z`);
  return Number.isNaN(at.getTime()) ? value : at;
}

export const DATE_OR_TIMESTAMP_MESSAGE = keyed(fieldMessage('dateOrTimestamp'));
