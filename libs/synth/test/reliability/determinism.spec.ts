/**
 * Determinism: the bytes under clusters/ and flux/ depend on the app and cluster definitions
 * only: not on the order apps are enumerated in, the time zone, the locale, the absolute path of
 * the checkout or the user running it, and not on how many times synth has run.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { loadApps, runSynth, synthesize } from '@aks-gitops/synth';
import type { Unit } from '@aks-gitops/synth';
import type { AppDefinition } from '@aks-gitops/workloads';
import { toApps, validInputArb } from './support/arbitraries';
import type { CliResult, Tree } from './support/scratch';
import { FLEET, copyRepo, makeScratch, readTree, removeScratch, runSynthCli, scratchRepo } from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

/** Seeded Fisher-Yates. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const serializeUnits = (units: ReadonlyMap<string, Unit>): string =>
  JSON.stringify(
    [...units]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([u, files]) => [u, [...files].sort(([a], [b]) => (a < b ? -1 : 1))]),
  );

const treeText = (t: Tree): string => JSON.stringify([...t]);

describe('determinism: app enumeration order', () => {
  it('runSynth writes byte-identical trees for 4 orders of the apps array (fixture apps, 2 clusters)', async () => {
    const src = scratchRepo('order-src');
    roots.push(src);
    const apps: AppDefinition[] = loadApps(path.join(src, 'apps'));
    expect(apps.map((a) => a.name)).toEqual(['broker', 'ingest', 'orders', 'payments']);
    const orders = [apps, [...apps].reverse(), shuffled(apps, 1), shuffled(apps, 2)];
    const trees: string[] = [];
    for (const order of orders) {
      const root = makeScratch('order');
      roots.push(root);
      await runSynth({ root, clusters: FLEET, apps: order });
      trees.push(treeText(readTree(root)));
    }
    expect(trees[0]?.length).toBeGreaterThan(1000);
    for (const t of trees.slice(1)) expect(t).toBe(trees[0]);
  });

  it('property: synthesize gives the same units for a shuffled apps array and shuffled clusters (30 runs)', () => {
    fc.assert(
      fc.property(validInputArb, fc.nat(), ({ clusters, models }, seed) => {
        const a = synthesize({ root: '/nonexistent', clusters, apps: toApps(models) });
        const b = synthesize({
          root: '/nonexistent',
          clusters: shuffled(clusters, seed + 1),
          apps: shuffled(toApps(models), seed),
        });
        expect(serializeUnits(b.units)).toBe(serializeUnits(a.units));
      }),
      { seed: 31337, numRuns: 30 },
    );
  });
});

describe('determinism: environment of the synth process (real CLI, child processes)', () => {
  const results = new Map<string, { run: CliResult; tree: Tree }>();
  const ENVS: Record<string, Record<string, string>> = {
    'UTC, C locale': { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' },
    'Pacific/Chatham, tr_TR.UTF-8': { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    'America/St_Johns, de_DE.UTF-8, other HOME and USER': {
      TZ: 'America/St_Johns',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      HOME: '/tmp',
      USER: 'nobody',
    },
  };
  let base = '';

  beforeAll(async () => {
    base = scratchRepo('env-base');
    roots.push(base);
    await Promise.all(
      Object.entries(ENVS).map(async ([label, env], i) => {
        // Different absolute paths (and path lengths) for each checkout.
        const root = copyRepo(base, `env-${i}-${'x'.repeat(i * 7)}`);
        roots.push(root);
        const run = await runSynthCli(root, [], { env });
        results.set(label, { run, tree: readTree(root) });
      }),
    );
  }, 120_000);

  it.each(Object.keys(ENVS))('synth succeeds under %s', (label) => {
    const r = results.get(label);
    expect(r?.run.code).toBe(0);
    expect(r?.tree.size).toBeGreaterThan(20);
  });

  it('the trees are byte-identical across time zones, locales, paths and users', () => {
    const [first, ...rest] = Object.keys(ENVS).map((l) => treeText((results.get(l) as { tree: Tree }).tree));
    for (const t of rest) expect(t).toBe(first);
  });

  it('a second run changes nothing (0 files) and leaves the same bytes', async () => {
    const root = copyRepo(base, 'env-twice');
    roots.push(root);
    const first = await runSynthCli(root, [], { env: ENVS['Pacific/Chatham, tr_TR.UTF-8'] });
    const before = readTree(root);
    const second = await runSynthCli(root, [], { env: ENVS['UTC, C locale'] });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stdout).toMatch(/ 0 file\(s\) changed in 0 folder\(s\)/);
    expect(treeText(readTree(root))).toBe(treeText(before));
    expect(treeText(before)).toBe(treeText((results.get('UTC, C locale') as { tree: Tree }).tree));
  });
});
