/**
 * Caches never decide correctness. Both `.synth-cache/` files (compiled TypeScript, app claims)
 * carry an integrity hash per entry: an edited entry is not used. An entry forged with a matching
 * hash can change what a local synth writes, but `npm run drift` (and `npm run policy`), which CI
 * and `npm test` run, compile everything from source and never read either cache: they name every
 * file it changed. `--no-cache` uses neither cache.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claimsIntegrity } from '@aks-gitops/synth';
import type { CachedApp } from '@aks-gitops/synth';
import {
  FLEET_MODULE,
  REPO,
  copyRepo,
  readTree,
  removeScratch,
  runCli,
  runSynthCli,
  scratchRepo,
} from './support/scratch';
import type { Tree } from './support/scratch';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiledIntegrity } = require(path.join(REPO, 'libs/synth/src/cache/compiled-code.cjs')) as {
  compiledIntegrity: (format: number, esbuild: string, node: string, key: string, sha: string, code: string) => string;
};

interface Compiled {
  format: number;
  esbuild: string;
  node: string;
  files: Record<string, { sha256: string; code: string; integrity: string }>;
}
interface Claims {
  toolchain: string;
  fleet: string;
  apps: Record<
    string,
    CachedApp & { clusters: Record<string, { firewallEndpoints: Array<{ firewallPort: number }> }> }
  >;
}
const COMPILED = '.synth-cache/compiled-ts.json';
const CLAIMS = '.synth-cache/claims.json';
const RENDERED = '.synth-cache/rendered.json';
const readJson = <T>(root: string, file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;
const writeJson = (root: string, file: string, body: unknown): void =>
  fs.writeFileSync(path.join(root, file), JSON.stringify(body));
const drift = (root: string) => runCli(root, ['drift', '--clusters-module', FLEET_MODULE], { direct: true });

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));
let base: string;
let reference: Tree;
beforeAll(async () => {
  base = scratchRepo('tamper');
  roots.push(base);
  const r = await runSynthCli(base, [], { direct: true });
  if (r.code !== 0) throw new Error(r.stderr);
  reference = readTree(base);
}, 60_000);
const copy = (label: string): string => {
  const root = copyRepo(base, label);
  roots.push(root);
  return root;
};
const changedFiles = (tree: Tree): string[] =>
  [...new Set([...tree.keys(), ...reference.keys()])].filter((f) => tree.get(f) !== reference.get(f)).sort();

/** The fixture app `orders` with PAGE_SIZE '50' compiled as '51' instead. */
function tamperCompiled(root: string, forge: boolean): void {
  const c = readJson<Compiled>(root, COMPILED);
  const key = 'apps/orders/src/index.ts';
  const entry = c.files[key];
  if (!entry || !entry.code.includes('PAGE_SIZE: "50"')) throw new Error(`no compiled ${key} with PAGE_SIZE "50"`);
  entry.code = entry.code.replace('PAGE_SIZE: "50"', 'PAGE_SIZE: "51"');
  if (forge) entry.integrity = compiledIntegrity(c.format, c.esbuild, c.node, key, entry.sha256, entry.code);
  writeJson(root, COMPILED, c);
}

/** The fixture app `broker`'s firewall port in its cached claims, moved to 9999. */
function tamperClaims(root: string, forge: boolean): void {
  const c = readJson<Claims>(root, CLAIMS);
  const broker = c.apps.broker;
  if (!broker) throw new Error('no cached claims of broker');
  for (const claims of Object.values(broker.clusters)) for (const e of claims.firewallEndpoints) e.firewallPort = 9999;
  if (forge) (broker as { integrity: string }).integrity = claimsIntegrity('broker', broker, c.toolchain, c.fleet);
  writeJson(root, CLAIMS, c);
}

describe('compiled code (.synth-cache/compiled-ts.json)', () => {
  it('an edited entry is compiled again from source: synth writes exactly the reference output', async () => {
    const root = copy('tamper-compiled');
    tamperCompiled(root, false);
    fs.rmSync(path.join(root, 'clusters'), { recursive: true });
    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    expect(changedFiles(readTree(root))).toEqual([]);
    expect(readJson<Compiled>(root, COMPILED).files['apps/orders/src/index.ts']?.code).not.toContain('"51"');
  }, 60_000);

  it('a forged entry changes a local synth, and drift (compiled from source) names every file it changed; --no-cache writes the reference', async () => {
    const root = copy('tamper-compiled-forged');
    tamperCompiled(root, true);
    expect((await runSynthCli(root, ['--app', 'orders'], { direct: true })).code).toBe(0);
    const changed = changedFiles(readTree(root));
    expect(changed.length).toBeGreaterThan(0);
    const d = await drift(root);
    expect(d.code).toBe(1);
    for (const f of changed) expect(d.stderr).toContain(f);
    expect((await runSynthCli(root, ['--no-cache'], { direct: true })).code).toBe(0);
    expect(changedFiles(readTree(root))).toEqual([]);
  }, 60_000);
});

describe('claims (.synth-cache/claims.json)', () => {
  it('an edited entry is not replayed: synth --app declares the app again and writes the reference output', async () => {
    const root = copy('tamper-claims');
    tamperClaims(root, false);
    const r = await runSynthCli(root, ['--app', 'ingest'], { direct: true });
    expect(r.code).toBe(0);
    expect(changedFiles(readTree(root))).toEqual([]);
  }, 60_000);

  it('a forged entry changes synth --app, and drift names the file; --no-cache writes the reference', async () => {
    const root = copy('tamper-claims-forged');
    tamperClaims(root, true);
    // Without the rendered record the cluster-wide folders are rendered from every app's claims,
    // the forged ones too (with it, --app keeps them as written: ingest's own claims are unchanged).
    fs.rmSync(path.join(root, '.synth-cache', 'rendered.json'));
    expect((await runSynthCli(root, ['--app', 'ingest'], { direct: true })).code).toBe(0);
    const changed = changedFiles(readTree(root));
    expect(changed.some((f) => f.endsWith('/azure/firewall-dnat.json'))).toBe(true);
    const d = await drift(root);
    expect(d.code).toBe(1);
    for (const f of changed) expect(d.stderr).toContain(f);
    expect((await runSynthCli(root, ['--no-cache'], { direct: true })).code).toBe(0);
    expect(changedFiles(readTree(root))).toEqual([]);
  }, 60_000);
});

describe('cache files of another shape', () => {
  it('are not used and never crash synth: --changed and --app write the reference output', async () => {
    const root = copy('tamper-shapes');
    // The shapes of format 4 under format 5's header (files keyed by path), forged where hashed.
    const claims = readJson<Claims>(root, CLAIMS);
    const broker = claims.apps.broker as unknown as Record<string, unknown>;
    broker.files = { 'apps/broker/src/index.ts': 'x' };
    broker.integrity = claimsIntegrity('broker', broker as unknown as CachedApp, claims.toolchain, claims.fleet);
    writeJson(root, CLAIMS, claims);
    const record = readJson<{
      apps: Record<string, unknown>;
      outputs: Record<string, unknown>;
      clusterWide?: Record<string, unknown>;
      codeowners?: unknown;
    }>(root, RENDERED);
    record.apps = { ...record.apps, orders: { 'apps/orders/src/index.ts': 'x' }, payments: 7 };
    record.outputs = { ...record.outputs, ingest: { 'rel-dev': { mtime: 'yesterday' } } };
    const wide = record.clusterWide ?? {};
    for (const c of Object.keys(wide)) wide[c] = { bootstrapped: false, folders: 3 };
    record.codeowners = 'CODEOWNERS';
    writeJson(root, RENDERED, record);
    for (const args of [['--changed'], ['--app', 'ingest'], ['--changed']]) {
      const r = await runSynthCli(root, args, { direct: true });
      expect(`${args.join(' ')}: exit ${r.code} ${r.stderr}`).toBe(`${args.join(' ')}: exit 0 `);
      expect(changedFiles(readTree(root))).toEqual([]);
    }
  }, 60_000);
});

describe('the checks never read a cache', () => {
  it('with both caches poisoned and forged, drift and policy pass on the reference tree and leave the caches as they were', async () => {
    const root = copy('tamper-checks');
    const c = readJson<Compiled>(root, COMPILED);
    for (const [key, entry] of Object.entries(c.files)) {
      entry.code = "throw new Error('poisoned compiled cache')";
      entry.integrity = compiledIntegrity(c.format, c.esbuild, c.node, key, entry.sha256, entry.code);
    }
    writeJson(root, COMPILED, c);
    tamperClaims(root, true);
    const before = [
      fs.readFileSync(path.join(root, COMPILED), 'utf8'),
      fs.readFileSync(path.join(root, CLAIMS), 'utf8'),
    ];
    const d = await drift(root);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const p = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE], { direct: true });
    expect(p.code).toBe(0);
    expect([
      fs.readFileSync(path.join(root, COMPILED), 'utf8'),
      fs.readFileSync(path.join(root, CLAIMS), 'utf8'),
    ]).toEqual(before);
  }, 60_000);
});
