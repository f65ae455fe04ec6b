import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS, FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import { checkDrift, recoverInterruptedWrite, runSynth } from '@aks-gitops/synth';
import { kustomizeBuild } from '@aks-gitops/validation';
import { parse } from 'yaml';
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
    fs.rmSync(path.join(root, 'flux/aks-dev-weu/platform.yaml'));
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([
      'clusters/aks-dev-weu/mqtt-broker/extra.yaml',
      'clusters/aks-prod-weu/orders-api/manifests.yaml',
      'flux/aks-dev-weu/platform.yaml',
    ]);
  });

  it('names every file synth did not write, at any depth and at the top of clusters/ and flux/', () => {
    const extra = [
      'clusters/notes.yaml',
      'clusters/aks-dev-weu/extra-rbac.yaml',
      'clusters/aks-dev-weu/orders-api/nested/deeper/cluster-admin.yaml',
      'flux/evil-source.yaml',
      'flux/aks-dev-weu/extra/kustomization.yaml',
    ];
    for (const f of extra) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    }
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([...extra].sort());
  });

  it('names an edited kustomization.yaml (a generator or a remote base added by hand)', () => {
    const k = path.join(root, 'clusters/aks-dev-weu/orders-api/kustomization.yaml');
    fs.appendFileSync(
      k,
      '  - https://github.com/evil/repo//rbac?ref=main\nconfigMapGenerator:\n  - name: x\n    literals: [a=b]\n',
    );
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([
      'clusters/aks-dev-weu/orders-api/kustomization.yaml',
    ]);
  });

  it('names the folder of an app that no longer exists', () => {
    fs.mkdirSync(path.join(root, 'clusters/aks-dev-weu/retired-api'));
    fs.writeFileSync(path.join(root, 'clusters/aks-dev-weu/retired-api/kustomization.yaml'), 'resources: []\n');
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([
      'clusters/aks-dev-weu/retired-api/kustomization.yaml',
    ]);
  });
});

describe('a cluster bootstrapped with `flux bootstrap --path=flux/<cluster>`', () => {
  const cluster = CLUSTERS[0]?.name as string;
  const folder = () => path.join(root, 'flux', cluster, FLUX_BOOTSTRAP_FOLDER);
  /** What `flux bootstrap` commits: the controllers, its own source and Kustomization, and their kustomization.yaml. */
  const bootstrap = (): Record<string, string> => {
    const files: Record<string, string> = {
      'gotk-components.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: kustomize-controller\n  namespace: flux-system\n',
      'gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: main\n  url: ssh://git@github.com/contoso/aks-gitops\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./flux/${cluster}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`,
      'kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\n- gotk-sync.yaml\n',
    };
    fs.mkdirSync(folder(), { recursive: true });
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(folder(), f), text);
    return files;
  };
  const bootstrapFiles = () =>
    Object.fromEntries(
      fs
        .readdirSync(folder())
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(folder(), f), 'utf8')]),
    );

  it('synth lists the bootstrap folder in flux/<cluster>/kustomization.yaml (Flux keeps managing itself), never touches it, and drift passes', async () => {
    const files = bootstrap();
    // Before synth ran again, only the root kustomization.yaml differs: it does not list flux-system yet.
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([`flux/${cluster}/kustomization.yaml`]);
    const r = await runSynth({ root, apps: EXAMPLE_APPS });
    expect(r.plan.changedFiles).toEqual([`flux/${cluster}/kustomization.yaml`]);
    expect(bootstrapFiles()).toEqual(files);
    expect(parse(fs.readFileSync(path.join(root, 'flux', cluster, 'kustomization.yaml'), 'utf8')).resources).toContain(
      FLUX_BOOTSTRAP_FOLDER,
    );
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([]);
    // What Flux's bootstrap Kustomization applies: its own objects and the platform's (and the alerts), nothing else.
    const built = kustomizeBuild(path.join(root, 'flux', cluster))
      .filter((o) => !['Alert', 'Provider'].includes(o.kind))
      .map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)
      .sort();
    expect(built).toEqual([
      'GitRepository flux-system/aks-gitops',
      'GitRepository flux-system/flux-system',
      'Kustomization flux-system/flux-system',
      'Kustomization flux-system/platform',
      'Namespace /flux-system',
      'ServiceAccount flux-system/kustomize-controller',
    ]);
  });

  it('a bootstrap folder survives a rewrite of its flux folder and the removal of its cluster from the fleet', async () => {
    const files = bootstrap();
    await runSynth({ root, apps: EXAMPLE_APPS });
    fs.appendFileSync(path.join(root, 'flux', cluster, 'platform.yaml'), '# edited\n');
    await runSynth({ root, apps: EXAMPLE_APPS });
    expect(bootstrapFiles()).toEqual(files);
    const rest = CLUSTERS.filter((c) => c.name !== cluster);
    await runSynth({ root, apps: EXAMPLE_APPS, clusters: rest });
    expect(fs.readdirSync(path.join(root, 'flux', cluster))).toEqual([FLUX_BOOTSTRAP_FOLDER]);
    expect(bootstrapFiles()).toEqual(files);
    expect(checkDrift({ root, apps: EXAMPLE_APPS, clusters: rest }).files).toEqual([]);
  });

  it('a write killed while the bootstrap folder was moved aside is completed with the folder in place', () => {
    const files = bootstrap();
    const unit = `flux/${cluster}`;
    // Killed during the removal of the cluster's flux folder, after the new empty folder was made
    // and before the bootstrap folder was moved back into it.
    fs.mkdirSync(path.join(root, '.synth-staging/old/flux'), { recursive: true });
    fs.renameSync(path.join(root, unit), path.join(root, '.synth-staging/old', unit));
    fs.mkdirSync(path.join(root, unit));
    fs.writeFileSync(
      path.join(root, '.synth-journal.json'),
      JSON.stringify({ version: 1, units: [{ unit, action: 'delete' }] }),
    );
    expect(recoverInterruptedWrite(root)).toBe('rolled-forward');
    expect(fs.readdirSync(path.join(root, unit))).toEqual([FLUX_BOOTSTRAP_FOLDER]);
    expect(bootstrapFiles()).toEqual(files);
  });

  it('a replace killed after the bootstrap folder moved into the staged folder is completed with it', () => {
    const files = bootstrap();
    const unit = `flux/${cluster}`;
    const staged = path.join(root, '.synth-staging/new', unit);
    fs.mkdirSync(staged, { recursive: true });
    for (const f of fs.readdirSync(path.join(root, unit)))
      if (f !== FLUX_BOOTSTRAP_FOLDER) fs.copyFileSync(path.join(root, unit, f), path.join(staged, f));
    fs.renameSync(folder(), path.join(staged, FLUX_BOOTSTRAP_FOLDER));
    fs.writeFileSync(
      path.join(root, '.synth-journal.json'),
      JSON.stringify({ version: 1, units: [{ unit, action: 'replace' }] }),
    );
    expect(recoverInterruptedWrite(root)).toBe('rolled-forward');
    expect(bootstrapFiles()).toEqual(files);
    expect(fs.existsSync(path.join(root, unit, 'platform.yaml'))).toBe(true);
  });
});

describe('the CLI, as a process', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'libs/cli/src/main.ts'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, AKS_GITOPS_ROOT: root, ...env },
    });

  beforeEach(() => fs.cpSync(EXAMPLE_APPS_DIR, path.join(root, 'apps'), { recursive: true }));

  it('synth ends with a summary line and exits 0', () => {
    const r = cli(['synth']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^synth: 2 cluster\(s\), 4 app\(s\), \d+ objects; 0 file\(s\) changed in 0 folder\(s\); policy ok/,
    );
  });

  it('a cluster spec with an invalid CIDR exits 1, names cluster and field, prints no stack, writes nothing', () => {
    fs.writeFileSync(
      path.join(root, 'fleet.ts'),
      "import { CLUSTERS } from '@aks-gitops/cluster-model';\nexport const clusters = CLUSTERS.map((c) => c.name === 'aks-prod-weu' ? { ...c, network: { ...c.network, l7SourceCidr: '10.20.5.0/40' } } : c);\n",
    );
    const before = treeDigest(root);
    const r = cli(['synth', '--clusters-module', 'fleet.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'error: cluster aks-prod-weu, field network.l7SourceCidr: "10.20.5.0/40" is not an IPv4 CIDR',
    );
    expect(r.stderr).toContain('Nothing was written.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(treeDigest(root)).toEqual(before);
  });

  it('an app whose code throws exits 1 and names the app and cluster, without a stack', () => {
    fs.writeFileSync(
      path.join(root, 'apps/orders-api/src/index.ts'),
      "import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'orders-api', deploy: () => { throw new TypeError('boom'); } });\n",
    );
    const before = treeDigest(root);
    const r = cli(['synth']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'error: cluster aks-dev-weu, app orders-api, field deploy: threw: boom. Fix: fix apps/orders-api/src/index.ts',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(treeDigest(root)).toEqual(before);
  });

  it('an app whose code emits a cluster-scoped object exits 1, names app, cluster, object and fix, and writes nothing', () => {
    fs.mkdirSync(path.join(root, 'apps/sneaky-api/src'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'apps/sneaky-api/src/index.ts'),
      "import { ApiObject } from 'cdk8s';\nimport { defineApp } from '@aks-gitops/workloads';\n" +
        "export default defineApp({ name: 'sneaky-api', deploy: ({ scope }) => { new ApiObject(scope, 'crb', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sneaky-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [] } as never); } });\n",
    );
    const before = treeDigest(root);
    const r = cli(['synth']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `error: cluster ${CLUSTERS[0]?.name}, app sneaky-api, field object ClusterRoleBinding sneaky-api/sneaky-admin: rbac.authorization.k8s.io/v1/ClusterRoleBinding is not a kind an app may emit`,
    );
    expect(r.stderr).toContain('Fix: cluster-scoped objects belong in the cluster baseline');
    expect(r.stderr).toContain('Nothing was written.');
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
    expect(r.stderr).toContain("error: Unknown option '--bogus'");
    expect(r.stderr).toContain('usage: aks-gitops synth [options]');
  });
});
