// Three tiers, one jest project each; TEST_TIER=unit|integration|e2e keeps one (the npm scripts
// test:unit, test:integration, test:e2e), so file patterns and flags still follow the command:
//   unit         src/**/*.spec.ts beside the code: no database, no Redis, no network, no build;
//   integration  test/integration/**/*.int-spec.ts: services against real Postgres (and Redis
//                where needed) without HTTP, the clock moved by hand;
//   e2e          test/**/*.e2e-spec.ts: the API through HTTP, the worker, the built processes.
// The global setup (a migrated template database, this run's copy of it, a Redis prefix) is
// declared by the two tiers that need it; jest runs it once when either is selected and not at
// all for the unit tier alone. NestJS 12 and file-type ship as ES modules, so SWC transpiles
// them to CommonJS along with our TypeScript.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [],
  // file-type offers only "import" and "module-sync" conditions, which jest's CommonJS resolver
  // does not match; point it at the ES module, which SWC then transpiles.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
};

const withDatabase = {
  ...shared,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

const tiers = [
  {
    ...shared,
    displayName: 'unit',
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    // A unit spec that opens a connection fails at once instead of needing a server.
    setupFilesAfterEnv: ['<rootDir>/test/setup/no-network.ts'],
  },
  { ...withDatabase, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'] },
  { ...withDatabase, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
];

const only = process.env.TEST_TIER;
if (only && !tiers.some((tier) => tier.displayName === only)) throw new Error(`TEST_TIER=${only}: no such tier`);

module.exports = {
  projects: only ? tiers.filter((tier) => tier.displayName === only) : tiers,
  // Unit specs first, then integration, then e2e (see the sequencer).
  testSequencer: '<rootDir>/test/setup/tier-sequencer.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
