/**
 * CI that fans out (README "CI and Flux"): one job per cluster runs `synth --cluster <c>`, `drift
 * --cluster <c>` and `policy --cluster <c>`. Together the jobs must give exactly what one run gives:
 * the union of their trees is the whole tree, and the union of their findings the whole findings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from './support/scratch';
import {
  CLUSTER_NAMES,
  FLEET_MODULE,
  copyRepo,
  readTree,
  removeScratch,
  runCli,
  runSynthCli,
  scratchRepo,
} from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

let base = '';
let whole: Tree;
beforeAll(async () => {
  base = scratchRepo('per-cluster-base');
  roots.push(base);
  const r = await runSynthCli(base, [], { direct: true });
  if (r.code !== 0) throw new Error(r.stderr);
  whole = readTree(base);
}, 60_000);

function copy(label: string, { output = true } = {}): string {
  const root = copyRepo(base, label);
  roots.push(root);
  if (!output)
    for (const d of ['clusters', 'flux', '.synth-cache'])
      fs.rmSync(path.join(root, d), { recursive: true, force: true });
  return root;
}

/** The files `drift` names (its stderr lists them indented). */
const driftFiles = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim());

describe('one CI job per cluster', () => {
  it('synth --cluster <c> in separate checkouts: each writes only its cluster, and the union is the whole tree', async () => {
    const union: Tree = new Map();
    for (const cluster of CLUSTER_NAMES) {
      const root = copy(`per-cluster-${cluster}`, { output: false });
      const r = await runSynthCli(root, ['--cluster', cluster], { direct: true });
      expect(r.code).toBe(0);
      const tree = readTree(root);
      // Its cluster's folders, and the fleet-wide .github/CODEOWNERS (the same in every job).
      expect(
        [...tree.keys()].filter(
          (f) =>
            !f.startsWith(`clusters/${cluster}/`) && !f.startsWith(`flux/${cluster}/`) && f !== '.github/CODEOWNERS',
        ),
      ).toEqual([]);
      for (const [f, text] of tree) union.set(f, text);
    }
    expect(new Map([...union].sort())).toEqual(new Map([...whole].sort()));
  });

  it('drift --cluster <c>: the union of the jobs is what one drift check names (edits and files synth did not write in each cluster, and a cluster no longer in the fleet)', async () => {
    const root = copy('per-cluster-drift');
    const [dev, prod] = CLUSTER_NAMES;
    fs.appendFileSync(path.join(root, `clusters/${dev}/orders/manifests.yaml`), '# hand edit\n');
    fs.rmSync(path.join(root, `flux/${prod}/source.yaml`));
    fs.writeFileSync(path.join(root, `clusters/${prod}/stray.yaml`), 'kind: ConfigMap\n'); // a file synth did not write
    fs.mkdirSync(path.join(root, 'clusters/retired-cluster/orders'), { recursive: true });
    fs.writeFileSync(path.join(root, 'clusters/retired-cluster/orders/kustomization.yaml'), 'resources: []\n');

    const one = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE], { direct: true });
    expect(one.code).toBe(1);
    expect(driftFiles(one.stderr)).toEqual(
      [
        `clusters/${dev}/orders/manifests.yaml`,
        `clusters/${prod}/stray.yaml`,
        'clusters/retired-cluster/orders/kustomization.yaml',
        `flux/${prod}/source.yaml`,
      ].sort(),
    );

    const union = new Set<string>();
    for (const cluster of CLUSTER_NAMES) {
      const job = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE, '--cluster', cluster], {
        direct: true,
      });
      expect(job.code).toBe(1);
      for (const f of driftFiles(job.stderr)) union.add(f);
    }
    expect([...union].sort()).toEqual(driftFiles(one.stderr));
  });

  it('drift --cluster <c> passes on a clean tree, and names only its own cluster', async () => {
    const root = copy('per-cluster-clean');
    const [dev, prod] = CLUSTER_NAMES;
    fs.appendFileSync(path.join(root, `clusters/${dev}/orders/manifests.yaml`), '# hand edit\n');
    expect(
      (await runCli(root, ['drift', '--clusters-module', FLEET_MODULE, '--cluster', prod], { direct: true })).code,
    ).toBe(0);
    expect(
      driftFiles(
        (await runCli(root, ['drift', '--clusters-module', FLEET_MODULE, '--cluster', dev], { direct: true })).stderr,
      ),
    ).toEqual([`clusters/${dev}/orders/manifests.yaml`]);
  });

  it('policy --cluster <c>: the union of the jobs is the findings of one run', async () => {
    type Finding = { ruleId: string; file: string; object: string; waived?: boolean };
    const findings = async (extra: string[]) => {
      const r = await runCli(base, ['policy', '--clusters-module', FLEET_MODULE, '--json', ...extra], { direct: true });
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.map(
        (f) => `${f.ruleId} ${f.file} ${f.object} ${f.waived ? 'waived' : ''}`,
      );
    };
    const one = await findings([]);
    expect(one.length).toBeGreaterThan(0); // the fixture fleet carries waivers
    const union: string[] = [];
    for (const cluster of CLUSTER_NAMES) union.push(...(await findings(['--cluster', cluster])));
    expect(union.sort()).toEqual([...one].sort());
  });
});
