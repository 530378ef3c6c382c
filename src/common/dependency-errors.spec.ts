import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDependencyDown } from './dependency-errors';

describe('isDependencyDown', () => {
  it('recognises unreachable Postgres and Redis', () => {
    expect(isDependencyDown(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyDown(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDependencyDown(
        new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
      ),
    ).toBe(true);
    expect(isDependencyDown(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isDependencyDown(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('leaves bugs alone', () => {
    expect(isDependencyDown(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDependencyDown(new QueryFailedError('SELECT', [], Object.assign(new Error('syntax error'), { code: '42601' })))).toBe(false);
    expect(isDependencyDown(undefined)).toBe(false);
  });
});
