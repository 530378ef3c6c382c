// Fault tests: the built API and worker against a Postgres and a Redis of their own, stopped
// and restarted during load. Run by `npm run test:faults` (CI runs it after `npm test`).
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/faults/.*\\.fault-spec\\.ts$',
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 180000,
};
