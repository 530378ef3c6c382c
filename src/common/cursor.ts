import { detailMessage, fieldMessage, Problems } from './problem';

/**
 * The position after the last item of a page: its timestamp and id, plus the pre-sale flag
 * for the review queue's order.
 */
export interface TimeCursor {
  t: string;
  i: string;
  p?: boolean;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of the position. */
export function encodeTimeCursor(at: Date, id: string, preSale?: boolean): string {
  const cursor: TimeCursor = { t: at.toISOString(), i: id, ...(preSale === undefined ? {} : { p: preSale }) };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** 400 for anything that is not a cursor this API made (for this order, when `withPreSale`). */
export function decodeTimeCursor(value: string, withPreSale = false): TimeCursor {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as TimeCursor | null;
    if (cursor === null || typeof cursor !== 'object') throw new Error('not a cursor');
    // Only what encodeTimeCursor writes: Date.parse also takes "1" or year 275760, which Postgres refuses.
    const validTime = typeof cursor.t === 'string' && ISO_INSTANT.test(cursor.t) && new Date(cursor.t).toISOString() === cursor.t;
    const validId = typeof cursor.i === 'string' && UUID.test(cursor.i);
    if (validTime && validId && (!withPreSale || typeof cursor.p === 'boolean')) return cursor;
  } catch {
    // fall through
  }
  throw Problems.badRequest(detailMessage('cursor'), [{ field: 'cursor', message: fieldMessage('cursor') }]);
}
