/**
 * Recognises errors that mean a dependency (Postgres, Redis, the photo store) is unreachable rather than a bug:
 * they are answered 503 with Retry-After, not 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
// Postgres SQLSTATEs: class 08 (connection exception), shutdowns and overload.
const PG_UNAVAILABLE = /^(08...|57P01|57P02|57P03|53300)$/;
// TypeORM releases a transaction's connection when Postgres drops it; later queries of that
// transaction then fail with these.
// StorageUnavailable: the photo store (S3) did not answer or answered with a server error.
const NAMES = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
  'ConnectionIsNotSetError',
  'StorageUnavailable',
]);
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request limit/i,
  /the database system is (starting up|shutting down)/i,
];

export function isDependencyDown(error: unknown): boolean {
  for (
    let e = error as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.name === 'string' && NAMES.has(e.name)) return true;
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || PG_UNAVAILABLE.test(e.code))) return true;
    if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e!.message as string))) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
