// @ts-check
// ESLint for warranty-acts: `npm run lint` (with dependency-cruiser and Prettier), `npm run lint:fix`.
// TypeScript is checked with type information (typescript-eslint, recommendedTypeChecked and a few
// stricter rules that catch bugs); layout belongs to Prettier (eslint-config-prettier comes last).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const unusedVars = {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrors: 'all',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'uploads/', 'bench/results/', 'test/support/openapi.d.ts']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // TypeScript: the service, its migrations and its tests, typed through tsconfig.json.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'migrations/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: every one is awaited, returned, or explicitly discarded with `void`. These are in
      // recommendedTypeChecked already; listed so that nobody turns them down by accident.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // `return promise` inside try/catch/finally skips the catch and runs finally too early.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],

      // Unused code; `_name` marks a parameter or binding kept on purpose (interface signatures).
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],

      // A switch over a union or enum (act statuses, roles, actions) must name every member or have
      // a default, so that a new status cannot fall through silently.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      eqeqeq: ['error', 'smart'],

      // Deprecated APIs of Nest, TypeORM, BullMQ: reported so that upgrades are planned, but a new
      // deprecation in a dependency update must not fail the build on its own.
      '@typescript-eslint/no-deprecated': 'warn',

      // Nest lifecycle hooks (onApplicationShutdown) and guard overrides (ThrottlerGuard.getTracker)
      // must return a Promise; `async` without `await` is the plainest way to write them and hides
      // no bug, so this rule only asks for noise.
      '@typescript-eslint/require-await': 'off',

      // NOT enabled on purpose:
      // - consistent-type-imports: with emitDecoratorMetadata, Nest resolves constructor parameters
      //   from their runtime class; an `import type` of an injected class breaks injection.
      // - no-extraneous-class: every Nest module is an empty decorated class.
      // - no-non-null-assertion: `req.principal!` after the auth guard is the intended idiom.
      // - no-unnecessary-condition: DTO types describe validated input, not what arrives at run time.
      // The no-unsafe-* family stays an error in src/: raw TypeORM rows (getRawMany, query) are
      // typed with a row interface (`query<Row[]>(…)`, `getRawMany<Row>()`) rather than left `any`.
    },
  },

  // Logs go through Nest's Logger / pino, which carry the request id; console output would not.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'no-console': 'error' },
  },

  // Tests: supertest's `res.body` and jest's `expect.any()` are `any` by design; typing every
  // response would take hundreds of casts that check nothing the assertions don't already check.
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // Plain JavaScript: benchmarks, scripts and tool configs (CommonJS on Node), no type information.
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVars], eqeqeq: ['error', 'smart'] },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVars], eqeqeq: ['error', 'smart'] },
  },

  // Last: turn off every rule that only concerns layout, which Prettier owns.
  prettier,
);
