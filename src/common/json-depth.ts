/** Deeper JSON than this is refused before parsing: nothing we accept nests beyond 4 levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of objects and arrays in a JSON text, by one pass over its bytes
 * (brackets inside strings do not count). Used to refuse deep bodies before they reach
 * recursive code (validation, transformation) that a deep enough body would overflow.
 */
export function jsonDepth(buffer: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buffer.length; i++) {
    const byte = buffer[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) max = Math.max(max, ++depth);
    else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return max;
}

/** body-parser `verify` hook: a 400 problem for JSON nested deeper than MAX_JSON_DEPTH. */
export function refuseDeepJson(_req: unknown, _res: unknown, buffer: Buffer): void {
  if (jsonDepth(buffer) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`), {
      status: 400,
      type: 'entity.too.deep',
      expose: true,
    });
  }
}
