import { decodeTimeCursor, encodeTimeCursor } from './cursor';

const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '00000000-0000-4000-8000-000000000000';

describe('time cursors', () => {
  it('reads back what it wrote', () => {
    const at = new Date('2026-06-01T09:30:00.123Z');
    expect(decodeTimeCursor(encodeTimeCursor(at, ID))).toEqual({ t: at.toISOString(), i: ID });
    expect(decodeTimeCursor(encodeTimeCursor(at, ID, true), true)).toEqual({ t: at.toISOString(), i: ID, p: true });
  });

  it('refuses forged cursors with a 400, never passing a time Postgres cannot read', () => {
    for (const forged of [
      forge({ t: '1', i: ID }),
      forge({ t: '+275760-09-13T00:00:00.000Z', i: ID }),
      forge({ t: '2026-01-01', i: ID }),
      forge({ t: '2026-02-30T00:00:00.000Z', i: ID }),
      forge({ t: '2026-01-01T00:00:00.000Z', i: 'x' }),
      forge(null),
      forge(1),
      '%00',
      'not base64 at all',
    ]) {
      expect(() => decodeTimeCursor(forged)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    }
  });
});
