// Fault tests: the built API and worker against a Postgres and a Redis of their own, stopped
// and restarted during load. Run by `npm run test:faults` (CI runs it after `npm test`).
const { projects, testSequencer, ...base } = require('./jest.config');
// The e2e tier's transform and resolution, without its run-wide database set-up.
const { displayName, testMatch, globalSetup, globalTeardown, ...e2e } = projects.find((p) => p.displayName === 'e2e');

module.exports = {
  ...base,
  ...e2e,
  testRegex: 'test/faults/.*\\.fault-spec\\.ts$',
  maxWorkers: 1,
  testTimeout: 180000,
};
