/**
 * The claims cache (.synth-cache/claims.json) lets `synth --app X` replay the other apps' claims
 * instead of loading and declaring them. It may only ever change speed: every scenario here ends
 * with the tree a full synth without the cache writes, or with the same error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  CLAIMS_CACHE_FILE,
  CODEOWNERS_FILE,
  ClaimsCache,
  RENDERED_RECORD_FILE,
  synthesizeFleet,
} from '@aks-gitops/synth';
import type { AppClaims } from '@aks-gitops/workloads';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { toApps, validInputArb } from './support/arbitraries';
import type { AppModel } from './support/arbitraries';
import type { Tree } from './support/scratch';
import {
  CLUSTER_NAMES,
  FIXTURE_APPS,
  FLEET,
  STACK_LINE,
  appSource,
  cloneJson,
  copyRepo,
  makeScratch,
  readTree,
  removeScratch,
  runSynthCli,
  scratchRepo,
  writeAppFile,
  writeFleet,
} from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

/** A synthesized scratch repository (full synth, which fills the cache). */
let base = '';
beforeAll(async () => {
  base = scratchRepo('claims-base');
  roots.push(base);
  await synthOk(base);
}, 60_000);

async function synthOk(root: string, extra: readonly string[] = []): Promise<string> {
  const r = await runSynthCli(root, extra, { direct: true });
  if (r.code !== 0) throw new Error(`synth ${extra.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

function copy(label: string): string {
  const root = copyRepo(base, label);
  roots.push(root);
  return root;
}

/** What a full synth without the cache writes for the same sources: the reference. */
async function referenceTree(root: string): Promise<Tree> {
  const ref = copyRepo(root, 'claims-ref');
  roots.push(ref);
  fs.rmSync(path.join(ref, '.synth-cache'), { recursive: true, force: true });
  await synthOk(ref, ['--no-cache']);
  return readTree(ref);
}

const declaredLine = (stdout: string): string =>
  /(\d+ app\(s\) declared[^;]*);/.exec(stdout)?.[1] ?? `no declared count in: ${stdout}`;

describe('synth --app with the claims cache', () => {
  it('a full synth declares every app and fills the cache', () => {
    const cache = JSON.parse(fs.readFileSync(path.join(base, CLAIMS_CACHE_FILE), 'utf8')) as {
      apps: Record<string, { clusters: Record<string, AppClaims> }>;
    };
    expect(Object.keys(cache.apps)).toEqual(['broker', 'ingest', 'orders', 'payments']);
    expect(Object.keys(cache.apps.broker?.clusters ?? {})).toEqual(CLUSTER_NAMES);
  });

  // A per-app object whose keys are that app's own names or paths costs V8 one transition of its
  // shared empty-object map per app when the file is parsed; past 1,536 apps every object the synth
  // builds afterwards gets a map of its own (FileHashes in claims-cache.ts). Lists and cluster names only.
  it("no app's entry in either cache file is keyed by its own name or paths", async () => {
    const root = copy('cache-keys');
    await synthOk(root, ['--changed']);
    const keysBelow = (v: unknown, out: string[] = []): string[] => {
      if (Array.isArray(v)) v.forEach((x) => keysBelow(x, out));
      else if (typeof v === 'object' && v !== null)
        for (const [k, x] of Object.entries(v)) {
          out.push(k);
          keysBelow(x, out);
        }
      return out;
    };
    const read = (file: string) =>
      JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, Record<string, unknown>>;
    const claims = read(CLAIMS_CACHE_FILE);
    const rendered = read(RENDERED_RECORD_FILE);
    const apps = Object.keys(claims.apps ?? {});
    expect(apps).toEqual(['broker', 'ingest', 'orders', 'payments']);
    expect(Object.keys(rendered.apps ?? {})).toEqual(apps);
    expect(Object.keys(rendered.outputs ?? {})).toEqual(apps);
    for (const app of apps) {
      const keys = [claims.apps?.[app], rendered.apps?.[app], rendered.outputs?.[app]].flatMap((v) => keysBelow(v));
      expect(keys.filter((k) => k.includes(app))).toEqual([]);
    }
    expect(Object.keys(rendered.outputs?.broker ?? {})).toEqual(CLUSTER_NAMES);
  });

  it('after a one-app edit, declares only that app, replays the others, and writes what a full synth writes', async () => {
    const root = copy('claims-edit');
    writeAppFile(
      root,
      'broker',
      appSource('broker', (FIXTURE_APPS.broker as string).replace('replicas: prod ? 3 : 2', 'replicas: prod ? 5 : 2')),
    );
    const out = await synthOk(root, ['--app', 'broker']);
    expect(declaredLine(out)).toBe(`1 app(s) declared, 3 replayed from ${CLAIMS_CACHE_FILE}`);
    expect(readTree(root)).toEqual(await referenceTree(root));
    expect(readTree(root).get('clusters/rel-prod/broker/manifests.yaml')).toContain('replicas: 5');
  }, 60_000);

  it("a callee's port change: its callers are declared again and their folders follow", async () => {
    const root = copy('claims-callee');
    writeAppFile(
      root,
      'orders',
      appSource('orders', (FIXTURE_APPS.orders as string).replace('port: 8080', 'port: 9090')),
    );
    const out = await synthOk(root, ['--app', 'orders']);
    // payments calls orders: its egress and the ingress it holds in orders' namespace name the port.
    expect(declaredLine(out)).toBe(`2 app(s) declared, 2 replayed from ${CLAIMS_CACHE_FILE}`);
    const tree = readTree(root);
    expect(tree).toEqual(await referenceTree(root));
    expect(tree.get('clusters/rel-dev/payments/manifests.yaml')).toContain('port: 9090');
  }, 60_000);

  it('an app changed but not requested is declared anyway, so the cross-app checks see its new claims', async () => {
    // Also a copied checkout: its cache names files relative to the root, so the copy checks its
    // own apps/ingest, not the original's.
    const root = copy('claims-conflict');
    // ingest now wants broker's internal IP and port: a conflict a full synth reports.
    writeAppFile(
      root,
      'ingest',
      appSource(
        'ingest',
        (FIXTURE_APPS.ingest as string)
          .replace('address: { offset: 20 }', 'address: { offset: 10 }')
          .replace(
            "{ name: 'syslog-tls', port: 6514, protocol: 'TCP' }",
            "{ name: 'syslog-tls', port: 8883, protocol: 'TCP' }",
          ),
      ),
    );
    const before = readTree(root);
    const cacheBefore = fs.readFileSync(path.join(root, CLAIMS_CACHE_FILE));
    const r = await runSynthCli(root, ['--app', 'orders'], { direct: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/app ingest.*:8883\/TCP is already claimed by broker\/broker/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(readTree(root)).toEqual(before);
    // A failed synth records nothing.
    expect(fs.readFileSync(path.join(root, CLAIMS_CACHE_FILE))).toEqual(cacheBefore);
  }, 60_000);

  it('an edited file that an app imports makes that app declared again', async () => {
    const root = copy('claims-import');
    const dir = path.join(root, 'apps', 'broker', 'src');
    fs.writeFileSync(path.join(dir, 'settings.ts'), 'export const REPLICAS = 2;\n');
    writeAppFile(
      root,
      'broker',
      `import { REPLICAS } from './settings';\n${appSource('broker', (FIXTURE_APPS.broker as string).replace('replicas: prod ? 3 : 2', 'replicas: prod ? 3 : REPLICAS'))}`,
    );
    await synthOk(root, ['--app', 'broker']);
    fs.writeFileSync(path.join(dir, 'settings.ts'), 'export const REPLICAS = 4;\n');
    const out = await synthOk(root, ['--app', 'orders']);
    // orders (requested), payments (calls orders) and broker (its import changed); ingest replayed.
    expect(declaredLine(out)).toBe(`3 app(s) declared, 1 replayed from ${CLAIMS_CACHE_FILE}`);
    const cache = JSON.parse(fs.readFileSync(path.join(root, CLAIMS_CACHE_FILE), 'utf8')) as {
      apps: Record<string, { files: Array<[string, string]> }>;
    };
    expect((cache.apps.broker?.files ?? []).map(([file]) => file)).toEqual([
      'apps/broker/src/index.ts',
      'apps/broker/src/settings.ts',
    ]);
  }, 60_000);

  it('a change to the fleet makes every app declared again', async () => {
    const root = copy('claims-fleet');
    const fleet = cloneJson(FLEET);
    (fleet[0] as { flux: { branch: string } }).flux.branch = 'release';
    writeFleet(root, fleet);
    const out = await synthOk(root, ['--app', 'orders']);
    expect(declaredLine(out)).toBe('4 app(s) declared');
  }, 60_000);

  it('a corrupt cache is ignored and replaced', async () => {
    const root = copy('claims-corrupt');
    fs.writeFileSync(path.join(root, CLAIMS_CACHE_FILE), '{"format":1,"apps":');
    expect(declaredLine(await synthOk(root, ['--app', 'orders']))).toBe('4 app(s) declared');
    expect(declaredLine(await synthOk(root, ['--app', 'orders']))).toBe(
      `2 app(s) declared, 2 replayed from ${CLAIMS_CACHE_FILE}`,
    );
  }, 60_000);

  it('--no-cache declares every app', async () => {
    const root = copy('claims-off');
    expect(declaredLine(await synthOk(root, ['--app', 'broker', '--no-cache']))).toBe('4 app(s) declared');
  }, 60_000);

  it('AKS_GITOPS_NO_CACHE=1 declares every app, like --no-cache', async () => {
    const root = copy('claims-env-off');
    const r = await runSynthCli(root, ['--app', 'broker'], { direct: true, env: { AKS_GITOPS_NO_CACHE: '1' } });
    expect(r.code).toBe(0);
    expect(declaredLine(r.stdout)).toBe('4 app(s) declared');
  }, 60_000);
});

describe('ClaimsCache.record', () => {
  it('records nothing for an app whose file was saved while synth ran (its claims may be stale)', () => {
    const root = makeScratch('claims-race');
    roots.push(root);
    const file = path.join(root, 'apps', 'a', 'src', 'index.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'export const v = 1;\n');
    const cache = ClaimsCache.open(root, FLEET);
    const hashes = cache.hashFiles([file]); // taken when the app was loaded
    const claims = {
      deployed: false,
      workloads: [],
      calls: [],
      accepts: [],
      routes: [],
      loadBalancers: [],
      firewallEndpoints: [],
      privateLinks: [],
      identities: [],
      egress: [],
    };
    cache.record('a', hashes, { [CLUSTER_NAMES[0] as string]: claims });
    expect(cache.valid('a')).toBeDefined();
    fs.writeFileSync(file, 'export const v = 2;\n'); // saved before the claims are recorded
    cache.record('a', hashes, { [CLUSTER_NAMES[0] as string]: claims });
    expect(cache.valid('a')).toBeUndefined();
  });
});

describe('property: replayed claims stand in exactly for a declaration', () => {
  it('rendering one app (its callers and callees declared) with the others replayed gives the same folders as declaring them all (40 runs)', () => {
    fc.assert(
      fc.property(validInputArb, fc.nat(), ({ clusters, models }, pick) => {
        const apps = toApps(models);
        const target = (apps[pick % apps.length] as { name: string }).name;
        const full = synthesizeFleet({ clusters, apps, onlyApps: [target] });
        // Through JSON, as the cache file holds them.
        const claims = JSON.parse(JSON.stringify(Object.fromEntries(full.claims))) as Record<
          string,
          Record<string, AppClaims>
        >;
        const callers = new Set(
          Object.entries(claims)
            .filter(([, perCluster]) =>
              Object.values(perCluster).some((c) => c.calls.some((call) => call.targetApp === target)),
            )
            .map(([name]) => name),
        );
        // Its callees too (they hold its ingress): every one accepts it, as consent is required.
        const callees = new Set(
          Object.entries(claims)
            .filter(([, perCluster]) => Object.values(perCluster).some((c) => c.accepts.some((a) => a.from === target)))
            .map(([name]) => name),
        );
        const declared = apps.filter((a) => a.name === target || callers.has(a.name) || callees.has(a.name));
        const replayed = new Map(Object.entries(claims).filter(([name]) => !declared.some((a) => a.name === name)));
        // Their owners as the cache keeps them (empty: none).
        const replayedOwners = new Map(
          [...replayed.keys()].map((name) => [name, apps.find((a) => a.name === name)?.owners ?? []] as const),
        );
        const partial = synthesizeFleet({ clusters, apps: declared, replayed, replayedOwners, onlyApps: [target] });
        // Every folder and CODEOWNERS the same as a full declaration writes.
        expect([...partial.units.keys()]).toEqual([...full.units.keys()]);
        expect(partial.units.has(CODEOWNERS_FILE)).toBe(true);
        for (const [unit, files] of partial.units) expect(files).toEqual(full.units.get(unit));
        // Without the replayed apps' owners, CODEOWNERS is not written at all rather than written stale.
        if (replayed.size > 0)
          expect(
            synthesizeFleet({ clusters, apps: declared, replayed, onlyApps: [target] }).units.has(CODEOWNERS_FILE),
          ).toBe(false);
        expect(partial.documents.length).toBe(full.documents.length);
      }),
      { seed: 31337, numRuns: 40 },
    );
  });

  it('the claims of an app are plain JSON and the same on every run', () => {
    const [sample] = fc.sample(validInputArb, { seed: 5, numRuns: 1 });
    const { clusters, models } = sample as { clusters: ClusterSpec[]; models: AppModel[] };
    const a = synthesizeFleet({ clusters, apps: toApps(models) });
    const b = synthesizeFleet({ clusters, apps: toApps(models) });
    const json = JSON.stringify(Object.fromEntries(a.claims));
    expect(JSON.stringify(JSON.parse(json))).toBe(json);
    expect(JSON.stringify(Object.fromEntries(b.claims))).toBe(json);
  });
});
