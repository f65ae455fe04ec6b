import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { ScratchRepo } from './support/scratch-repo';

// The repository's own clusters, whatever they are named (the fixture orders-api has fixed
// replicas on non-prod clusters and autoscales on prod ones).
const NON_PROD = CLUSTERS.filter((c) => c.environment !== 'prod').map((c) => c.name);
const ANY = CLUSTERS[0].name;

/**
 * `nx affected -t synth` runs one target, `fleet:synth` (tools/fleet/project.json): one process for
 * the whole affected set. Nx never caches it (`cache: false`): storing all of clusters/ and flux/
 * on every run cost more than a hit saved (BENCHMARKS.md), and synth's own record
 * (.synth-cache/rendered.json, checked against the sources) already renders only what changed. So
 * no Nx cache can restore a stale file: edit, synth through Nx, revert, synth again, and the tree
 * is the original and the drift check passes, also when the edit changed another app's folder (a
 * callee's port is in its caller's egress policy).
 */
let repo: ScratchRepo;
beforeAll(() => {
  repo = ScratchRepo.create('nx-cache');
}, 120_000);
afterAll(() => repo?.remove());

const digest = (): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(repo.root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else
        out[r] = createHash('sha256')
          .update(fs.readFileSync(path.join(repo.root, r)))
          .digest('hex');
    }
  };
  walk('clusters');
  walk('flux');
  return out;
};
const changedFiles = (a: Record<string, string>, b: Record<string, string>): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f]).sort();
const synthThroughNx = () => {
  const r = repo.ok(repo.nx('run', 'fleet:synth', '--output-style=static'));
  // Every run is synth's own, never a copy from Nx's cache.
  expect(r.stdout).not.toMatch(/local cache|existing outputs match the cache|remote cache/);
  expect(r.stdout).toMatch(/^synth: \d+ cluster\(s\)/m);
  return r;
};

// Every scenario starts from the committed sources, whatever the one before left behind.
beforeEach(() => repo.git('checkout', '--', 'apps'));

describe('fleet:synth through Nx is never restored from a cache', () => {
  it('edit an app, synth through Nx, revert, synth again: the tree is the original and drift passes', () => {
    synthThroughNx();
    const original = digest();

    repo.edit('apps/orders-api/src/index.ts', '{ replicas: 2 }', '{ replicas: 4 }');
    // What CI runs: one task renders the whole affected set.
    const affected = repo.ok(repo.nx('affected', '-t', 'synth', '--base=HEAD', '--output-style=static'));
    expect(affected.stdout).toContain('Successfully ran target synth for project fleet');
    expect(changedFiles(original, digest())).toEqual(
      NON_PROD.map((c) => `clusters/${c}/orders-api/manifests.yaml`).sort(),
    );

    repo.git('checkout', '--', 'apps/orders-api/src/index.ts');
    synthThroughNx();
    expect(changedFiles(original, digest())).toEqual([]);
    expect(repo.npm('drift').status).toBe(0);
  });

  it("the same when a callee's port changes its caller's folder", () => {
    synthThroughNx();
    const original = digest();
    repo.edit('apps/orders-api/src/index.ts', 'port: 8080', 'port: 8081');
    synthThroughNx();
    const changed = changedFiles(original, digest());
    expect(changed).toContain(`clusters/${ANY}/orders-api/manifests.yaml`);
    expect(changed).toContain(`clusters/${ANY}/payments-api/manifests.yaml`);

    repo.git('checkout', '--', 'apps/orders-api/src/index.ts');
    synthThroughNx();
    expect(changedFiles(original, digest())).toEqual([]);
    expect(repo.npm('drift').status).toBe(0);
  });

  it('adding an app and removing it again leaves none of its folders behind', () => {
    synthThroughNx();
    const original = digest();
    repo.newApp('scratch-api');
    synthThroughNx();
    expect(Object.keys(digest())).toContain(`clusters/${NON_PROD[0]}/scratch-api/manifests.yaml`);

    fs.rmSync(path.join(repo.root, 'apps/scratch-api'), { recursive: true });
    synthThroughNx();
    expect(changedFiles(original, digest())).toEqual([]);
    expect(repo.npm('drift').status).toBe(0);
  });

  it("an L4 app with address: 'auto' added and removed: its address stays released in the allocation record", () => {
    synthThroughNx();
    repo.newApp('scratch-db', '--l4');
    synthThroughNx();
    const file = `clusters/${NON_PROD[0]}/azure/allocations.json`;
    const address = (
      JSON.parse(repo.read(file)) as { addresses: Array<{ address: string; app: string }> }
    ).addresses.find((a) => a.app === 'scratch-db')?.address;
    expect(address).toBeDefined();

    fs.rmSync(path.join(repo.root, 'apps/scratch-db'), { recursive: true });
    synthThroughNx();
    expect((JSON.parse(repo.read(file)) as { released: unknown[] }).released).toContainEqual({
      address,
      app: 'scratch-db',
      workload: 'scratch-db',
    });
    expect(repo.npm('drift').status).toBe(0);
  });

  it('fleet:synth is not cacheable in Nx (its outputs still name everything it writes)', () => {
    const project = JSON.parse(repo.read('tools/fleet/project.json')) as {
      targets: { synth: { cache?: boolean; outputs: string[] } };
    };
    expect(project.targets.synth.cache).toBe(false);
    expect(project.targets.synth.outputs).toEqual([
      '{workspaceRoot}/clusters',
      '{workspaceRoot}/flux',
      '{workspaceRoot}/.github/CODEOWNERS',
    ]);
  });

  it('a library change re-renders everything in one fleet:synth task', () => {
    const r = repo.nx('show', 'projects', '--affected', '--files=libs/workloads/src/index.ts', '-t', 'synth');
    expect(r.stdout.split('\n').filter((l) => l !== '')).toEqual(['fleet']);
  });
});
