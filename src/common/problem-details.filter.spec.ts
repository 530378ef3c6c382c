import { QueryFailedError } from 'typeorm';
import { errorForLog } from './problem-details.filter';

describe('the log line of a 500', () => {
  it('keeps the SQL and the error, never the query parameters or the driver detail', () => {
    const driverError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
      detail: 'Failing row contains (Петров Пётр Петрович, +7 916 123-45-67)',
    });
    const error = new QueryFailedError(
      'INSERT INTO acts (customer_name, customer_phone) VALUES ($1, $2)',
      ['Петров Пётр Петрович', '+7 916 123-45-67'],
      driverError,
    );
    const logged = JSON.stringify(errorForLog(error));
    expect(logged).toContain('INSERT INTO acts');
    expect(logged).toContain('22021');
    expect(logged).not.toContain('Петров');
    expect(logged).not.toContain('916');
    expect(logged.length).toBeLessThan(4000);
  });

  it('bounds a huge query text', () => {
    const error = new QueryFailedError(`SELECT ${'x'.repeat(100_000)}`, ['y'.repeat(80_000)], new Error('boom'));
    expect(JSON.stringify(errorForLog(error)).length).toBeLessThan(6000);
  });
});
