// dependency-cruiser rules for warranty-acts: `npm run lint:deps` (part of `npm run lint`).
//
// Layout of src/:
// - shared folders: src/common (auth, errors, validation, idempotency, rate limits, …) and
//   src/config (environment). They are used by every feature and import none.
// - feature folders: one Nest feature each (listed in FEATURES below).
// - src/*.ts: the composition roots (app.module, main, worker, cli, bootstrap, start-up), which may
//   import anything and which nothing in a folder imports.
// test/ may import anything: no rule below starts from test/.
//
// A feature's public surface, which other features may import:
//   *.module.ts, *.service.ts, *.repository.ts, *.entity.ts, *.view.ts and its dto/ folder; for
//   acts also its domain vocabulary (act-status.ts, actor.ts, photo-kind.ts, act-vocabulary.ts).
// Its internals are everything else, and another feature importing them is an error: controllers
// and processors (Nest entry points: import the feature's module instead), helpers, mappers,
// guards, gates.
// src/messages is the catalogue of texts: any folder may import it, and it imports only types of
// the domain's vocabulary (type-only imports), never code.

const FEATURES = [
  'access',
  'acts',
  'api-keys',
  'calendar',
  'comments',
  'database',
  'health',
  'jobs',
  'managers',
  'metrics',
  'notifications',
  'photos',
  'product-categories',
  'redis',
  'reports',
  'service-centers',
  'settlements',
  'shipments',
  'webhooks',
];
const FEATURE = `^src/(${FEATURES.join('|')})/`;
// The acts' domain vocabulary is public too: the status machine, who acts, the kinds of photo.
const PUBLIC_SURFACE = ['[.](module|service|repository|entity|view)[.]ts$', '/dto/', '^src/acts/(act-status|actor|photo-kind|act-vocabulary)[.]ts$'];
const SPECS = '[.](spec|e2e-spec|fault-spec)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import is part of a cycle. Nest resolves providers and modules at load time, and a cycle ' +
        'leaves one side undefined (or needs forwardRef). Break it: move the shared piece down (to ' +
        'src/common or to the feature that owns it) or depend on an interface/token instead.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-imports-no-feature',
      severity: 'error',
      comment:
        'src/common and src/config are used by every feature, so they may not import a feature folder ' +
        '(that would tie every feature to it and invite cycles). Move the needed piece into src/common, ' +
        'or pass it in (injection token, parameter).',
      from: { path: '^src/(common|config)/' },
      to: { path: FEATURE },
    },
    {
      name: 'no-entry-points-of-other-features',
      severity: 'error',
      comment:
        "A feature imports another feature's controllers, processors or specs. Import that feature's " +
        '*.module.ts (or a service it exports) instead; controllers and processors are registered by ' +
        'their own module.',
      from: { path: FEATURE, pathNot: SPECS },
      to: {
        path: `${FEATURE}.*[.](controller|processor)[.]ts$|${FEATURE}.*${SPECS}`,
        pathNot: '^src/$1/',
      },
    },
    {
      name: 'messages-import-only-types',
      severity: 'error',
      comment: "The text catalogue may name the domain's enum types, never import code from a feature.",
      from: { path: '^src/messages/' },
      to: { path: FEATURE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-internals-of-other-features',
      severity: 'error',
      comment:
        'A feature imports a file of another feature outside its public surface (*.module, *.service, ' +
        '*.repository, *.entity, *.view, dto/). Export it from the owner (a service, a view, a dto), move ' +
        'it to src/common if it is shared, or keep it private.',
      from: { path: FEATURE, pathNot: SPECS },
      to: {
        path: FEATURE,
        pathNot: ['^src/$1/', ...PUBLIC_SURFACE, '[.](controller|processor)[.]ts$', SPECS],
      },
    },
    {
      name: 'no-composition-root-from-folders',
      severity: 'error',
      comment:
        'src/*.ts (app.module, main, worker, cli, bootstrap, start-up) assemble the application; code in ' +
        'a folder importing them creates a cycle through the whole app.',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+[.]ts$' },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'Code under src/ may not import test helpers from test/.',
      from: { path: '^src/', pathNot: SPECS },
      to: { path: '^test/' },
    },
    {
      name: 'src-not-to-spec',
      severity: 'error',
      comment: 'Specs are not libraries: import the code they test, not the spec.',
      from: { path: '^src/' },
      to: { path: SPECS },
    },
    {
      name: 'src-not-to-dev-dep',
      severity: 'error',
      comment:
        'Code shipped in the image imports a devDependency; the Dockerfile prunes those (npm prune ' +
        '--omit=dev), so this would fail at start in production. Move the package to dependencies.',
      from: { path: '^src/', pathNot: SPECS },
      to: { dependencyTypes: ['npm-dev'], preCompilationOnly: false },
    },
    {
      name: 'not-to-undeclared-package',
      severity: 'error',
      comment:
        'A package that package.json does not list: it is only there because another package brings it ' +
        'in, and can disappear or change major version with that package. Add it to dependencies.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], preCompilationOnly: false },
    },
    {
      name: 'not-to-undeclared-package-types',
      severity: 'warn',
      comment:
        'Only types imported from a package that package.json does not list. Erased at compile ' +
        'time, so nothing breaks at run time, but the types come and go with whatever brings the package in.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], preCompilationOnly: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved on disk.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^dist/', '^coverage/', '^uploads/'] },
    // Resolve like tsc does for this project (tsconfig.json: CommonJS, node10 resolution).
    tsConfig: { fileName: 'tsconfig.json' },
    // Count imports that TypeScript erases too (types used only in signatures): they still couple
    // the files, and cycles through them become real as soon as a value is imported.
    tsPreCompilationDeps: 'specify',
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.json'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
