import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDrift, runSynth } from '@aks-gitops/synth';
import { EXAMPLE_APPS, EXAMPLE_APPS_DIR, REPO, scratchRoot, treeDigest } from './scratch';

let root: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ root, cleanup } = scratchRoot('drift'));
  await runSynth({ root, apps: EXAMPLE_APPS });
});
afterEach(() => cleanup());

describe('the drift check', () => {
  it('passes when the tree is exactly what the code produces', () => {
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([]);
  });

  it('names a hand-edited file, an extra file and a deleted file', () => {
    const dep = path.join(root, 'clusters/aks-prod-weu/orders-api/manifests.yaml');
    fs.writeFileSync(dep, fs.readFileSync(dep, 'utf8').replace('maxUnavailable: 0', 'maxUnavailable: 1'));
    fs.writeFileSync(path.join(root, 'clusters/aks-dev-weu/mqtt-broker/extra.yaml'), 'kind: ConfigMap\n');
    fs.rmSync(path.join(root, 'flux/aks-dev-weu/apps.yaml'));
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([
      'clusters/aks-dev-weu/mqtt-broker/extra.yaml',
      'clusters/aks-prod-weu/orders-api/manifests.yaml',
      'flux/aks-dev-weu/apps.yaml',
    ]);
  });

  it('names the folder of an app that no longer exists', () => {
    fs.mkdirSync(path.join(root, 'clusters/aks-dev-weu/retired-api'));
    fs.writeFileSync(path.join(root, 'clusters/aks-dev-weu/retired-api/kustomization.yaml'), 'resources: []\n');
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual(['clusters/aks-dev-weu/retired-api/kustomization.yaml']);
  });
});

describe('the CLI, as a process', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'libs/synth/src/cli.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, AKS_GITOPS_ROOT: root, ...env } });

  beforeEach(() => fs.cpSync(EXAMPLE_APPS_DIR, path.join(root, 'apps'), { recursive: true }));

  it('synth ends with a summary line and exits 0', () => {
    const r = cli(['synth']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^synth: 2 cluster\(s\), 4 app\(s\), \d+ objects; 0 file\(s\) changed in 0 folder\(s\); policy ok/);
  });

  it('a cluster spec with an invalid CIDR exits 1, names cluster and field, prints no stack, writes nothing', () => {
    fs.writeFileSync(
      path.join(root, 'fleet.ts'),
      "import { CLUSTERS } from '@aks-gitops/cluster-model';\nexport const clusters = CLUSTERS.map((c) => c.name === 'aks-prod-weu' ? { ...c, network: { ...c.network, l7SourceCidr: '10.20.5.0/40' } } : c);\n",
    );
    const before = treeDigest(root);
    const r = cli(['synth', '--clusters-module', 'fleet.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: cluster aks-prod-weu, field network.l7SourceCidr: "10.20.5.0/40" is not an IPv4 CIDR');
    expect(r.stderr).toContain('Nothing was written.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(treeDigest(root)).toEqual(before);
  });

  it('an app whose code throws exits 1 and names the app and cluster, without a stack', () => {
    fs.writeFileSync(path.join(root, 'apps/orders-api/src/index.ts'), "import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'orders-api', deploy: () => { throw new TypeError('boom'); } });\n");
    const before = treeDigest(root);
    const r = cli(['synth']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: cluster aks-dev-weu, app orders-api, field deploy: threw: boom. Fix: fix apps/orders-api/src/index.ts');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(treeDigest(root)).toEqual(before);
  });

  it('drift exits 1 and names the file after a hand edit', () => {
    fs.appendFileSync(path.join(root, 'clusters/aks-dev-weu/platform/manifests.yaml'), '# edited\n');
    const r = cli(['drift']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('clusters/aks-dev-weu/platform/manifests.yaml');
  });

  it('--help after a command prints the usage (exit 0)', () => {
    const r = cli(['synth', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--no-cache');
  });

  it('an unknown option is a usage error (exit 2)', () => {
    const r = cli(['synth', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npm run <command>');
  });
});
