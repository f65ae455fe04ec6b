/**
 * Module boundaries, enforced by `npm run lint` from the Nx project tags (eslint.config.mjs, rule
 * aks-gitops/module-boundaries in tools/eslint): each case lints one file as if it sat at that path
 * in this repository, with the repository's own ESLint configuration.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

function lint(file: string, code: string): { status: number | null; out: string } {
  const r = spawnSync(
    path.join(REPO, 'node_modules/.bin/eslint'),
    ['--no-warn-ignored', '--rule', '{"@typescript-eslint/no-unused-vars":"off"}', '--stdin', '--stdin-filename', file],
    { cwd: REPO, input: code, encoding: 'utf8' },
  );
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('module boundaries in lint', () => {
  it.each([
    [
      'an app importing the policy library',
      'apps/orders-api/src/index.ts',
      "import { runPolicy } from '@aks-gitops/policy';\nexport const x = runPolicy;\n",
      'orders-api (type:app) may not import policy (type:lib): type:app (src) may only import projects tagged scope:construct',
    ],
    [
      "an app importing another app's source by a relative path",
      'apps/orders-api/src/index.ts',
      "import other from '../../payments-api/src';\nexport const x = other;\n",
      'orders-api (type:app) may not import payments-api (type:app)',
    ],
    [
      'a library importing an app',
      'libs/synth/src/anything.ts',
      "import app from '@aks-gitops/orders-api';\nexport const x = app;\n",
      'synth (type:lib) may not import orders-api (type:app): type:lib may not import projects tagged type:app or type:cli or type:fleet',
    ],
    [
      'a library requiring the CLI',
      'libs/policy/src/anything.ts',
      "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const cli = require('@aks-gitops/cli');\n",
      'policy (type:lib) may not import cli (type:cli)',
    ],
  ])('%s fails lint', (_what, file, code, message) => {
    const r = lint(file, code);
    expect(r.status).toBe(1);
    expect(r.out).toContain(message);
    expect(r.out).toContain('aks-gitops/module-boundaries');
  });

  it.each([
    [
      'an app importing the construct library',
      'apps/orders-api/src/index.ts',
      "import { L7Api } from '@aks-gitops/workloads';\nexport const x = L7Api;\n",
    ],
    [
      'an app importing the cluster model',
      'apps/orders-api/src/index.ts',
      "import type { ClusterSpec } from '@aks-gitops/cluster-model';\nexport type X = ClusterSpec;\n",
    ],
    [
      "an app's test importing synth",
      'apps/orders-api/test/x.spec.ts',
      "import { synthesizeFleet } from '@aks-gitops/synth';\nexport const x = synthesizeFleet;\n",
    ],
    [
      'the CLI importing synth',
      'libs/cli/src/anything.ts',
      "import { runSynth } from '@aks-gitops/synth';\nexport const x = runSynth;\n",
    ],
  ])('%s passes lint', (_what, file, code) => {
    expect(lint(file, code)).toEqual({ status: 0, out: '' });
  });
});
