import ms from 'ms';

/**
 * A deadline's length as configured: clock time (`30s`, `3d`: exactly that many milliseconds) or
 * business days (`5bd`: until the end of the 5th business day after the event, Moscow time; see
 * CalendarService.deadline).
 */
export type Duration = { kind: 'clock'; ms: number } | { kind: 'business'; days: number };

/** The most business days a duration may count: about a year of working days. */
export const MAX_BUSINESS_DAYS = 250;

const BUSINESS_DAYS = /^(\d{1,3})\s*bd$/i;

/**
 * A positive duration written with a unit ("500ms", "36h", "5d") in milliseconds, or undefined.
 * ms() also accepts bare numbers; the contract asks for a unit, so one is required.
 */
export function parseDuration(value: string): number | undefined {
  if (value.length > 30 || !/^\d+(\.\d+)?\s*[a-z]+$/i.test(value)) return undefined;
  const parsed = ms(value as ms.StringValue);
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

/**
 * A deadline's duration: business days (`5bd`, 1 to MAX_BUSINESS_DAYS) or a clock duration as
 * parseDuration reads it; undefined when it is neither.
 */
export function parseDeadlineDuration(value: string): Duration | undefined {
  const business = BUSINESS_DAYS.exec(value);
  if (business) {
    const days = Number(business[1]);
    return days >= 1 && days <= MAX_BUSINESS_DAYS ? { kind: 'business', days } : undefined;
  }
  const clock = parseDuration(value);
  return clock === undefined ? undefined : { kind: 'clock', ms: clock };
}

/**
 * The clock-time stand-in of a duration for code that still adds milliseconds: a business day
 * counts as 24 hours (`5bd` → 5 days, which is what the defaults meant before business days).
 * It is never later than the business-day deadline, which skips weekends and holidays.
 */
export function approximateMs(duration: Duration): number {
  return duration.kind === 'clock' ? duration.ms : duration.days * 86_400_000;
}

/** How a duration is written in configuration: `5bd`, or the clock form (`36h`, `3d`). */
export function formatDuration(duration: Duration): string {
  return duration.kind === 'business' ? `${duration.days}bd` : ms(duration.ms);
}
