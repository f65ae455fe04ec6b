// Shared Jest settings for every Nx project: SWC strips types (tsc typechecks separately in the
// typecheck target), and the @aks-gitops/* aliases resolve to library sources, as tsconfig paths do.
const path = require('node:path');

const root = __dirname;
// Every test target writes its results to dist/test-results/<project>.json (--outputFile), which
// npm test sums up; Jest does not create the folder, and a fresh clone has none, so `npx nx test
// <project>` would fail after its tests passed.
require('node:fs').mkdirSync(path.join(root, 'dist', 'test-results'), { recursive: true });
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@aks-gitops/(cluster-model|workloads|azure-edge|policy|validation|synth|diff|cli)$': path.join(
      root,
      'libs/$1/src/index.ts',
    ),
    '^@aks-gitops/([a-z0-9-]+)$': path.join(root, 'apps/$1/src/index.ts'),
  },
  testMatch: ['**/test/**/*.spec.ts'],
  testTimeout: 60000,
};
