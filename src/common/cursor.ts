import { Problems } from './problem';

/** The position after the last item of a page, newest first: its timestamp and id. */
export interface TimeCursor {
  t: string;
  i: string;
}

/** Opaque to clients: base64url of the position. */
export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: at.toISOString(), i: id })).toString('base64url');
}

/** 400 for anything that is not a cursor this API made. */
export function decodeTimeCursor(value: string): TimeCursor {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as TimeCursor;
    const validTime = typeof cursor.t === 'string' && !Number.isNaN(Date.parse(cursor.t));
    const validId = typeof cursor.i === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cursor.i);
    if (validTime && validId) return cursor;
  } catch {
    // fall through
  }
  throw Problems.badRequest('The cursor is not valid; pass nextCursor from a previous page of the same query.', [
    { field: 'cursor', message: 'is not a valid cursor' },
  ]);
}
