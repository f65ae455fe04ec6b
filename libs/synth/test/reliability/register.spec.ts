/**
 * The CLI runs its TypeScript through libs/synth/register.cjs: every `.ts` file compiled once per
 * content with esbuild and kept in `.synth-cache/compiled-ts.json`. Like the claims cache it may
 * only change speed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIXTURE_APPS,
  FLEET_MODULE,
  runCli,
  STACK_LINE,
  appSource,
  copyRepo,
  readTree,
  removeScratch,
  runSynthCli,
  scratchRepo,
  writeAppFile,
} from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

interface Compiled {
  format?: number;
  esbuild?: string;
  node?: string;
  files: Record<string, { sha256: string; code: string }>;
}
const COMPILED_TS_FILE = '.synth-cache/compiled-ts.json';
const compiled = (root: string): Compiled =>
  JSON.parse(fs.readFileSync(path.join(root, COMPILED_TS_FILE), 'utf8')) as Compiled;
const appEntries = (c: Compiled): string[] => Object.keys(c.files).filter((k) => k.startsWith('apps/'));

describe("the CLI's TypeScript loader (register.cjs)", () => {
  it('compiles each file once, reuses it while the file is unchanged, and recompiles an edited one', async () => {
    const root = scratchRepo('compile');
    roots.push(root);
    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    const first = compiled(root);
    expect(appEntries(first)).toEqual([
      'apps/broker/src/index.ts',
      'apps/ingest/src/index.ts',
      'apps/orders/src/index.ts',
      'apps/payments/src/index.ts',
    ]);
    // The CLI and the libraries too: nothing of the process is left to another loader.
    expect(Object.keys(first.files).some((k) => k.endsWith(path.join('libs', 'cli', 'src', 'main.ts')))).toBe(true);
    expect(Object.keys(first.files).some((k) => k.endsWith(path.join('libs', 'workloads', 'src', 'l7-api.ts')))).toBe(
      true,
    );
    const mtime = fs.statSync(path.join(root, COMPILED_TS_FILE)).mtimeMs;

    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    expect(fs.statSync(path.join(root, COMPILED_TS_FILE)).mtimeMs).toBe(mtime); // nothing compiled, nothing written

    writeAppFile(
      root,
      'broker',
      appSource('broker', (FIXTURE_APPS.broker as string).replace('replicas: prod ? 3 : 2', 'replicas: prod ? 4 : 2')),
    );
    expect((await runSynthCli(root, ['--app', 'broker'], { direct: true })).code).toBe(0);
    const second = compiled(root);
    expect(second.files['apps/broker/src/index.ts']?.sha256).not.toBe(first.files['apps/broker/src/index.ts']?.sha256);
    expect(second.files['apps/orders/src/index.ts']).toEqual(first.files['apps/orders/src/index.ts']); // kept for the next full synth
    expect(readTree(root).get('clusters/rel-prod/broker/manifests.yaml')).toContain('replicas: 4');
  }, 60_000);

  it('a cache from another esbuild, Node or format version, or a corrupt one, is compiled again, to the same output', async () => {
    const root = scratchRepo('compile-ref');
    roots.push(root);
    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    const copy = copyRepo(root, 'compile-foreign');
    roots.push(copy);
    const POISON = 'poisoned-cache-entry-4f1c';
    const good = fs.readFileSync(path.join(root, COMPILED_TS_FILE), 'utf8');
    const poisoned = (c: Compiled): string =>
      JSON.stringify({
        ...c,
        files: Object.fromEntries(
          Object.entries(c.files).map(([k, v]) => [k, { ...v, code: `throw new Error('${POISON}')` }]),
        ),
      });
    for (const foreign of [
      poisoned({ ...(JSON.parse(good) as Compiled), format: 0 } as Compiled),
      poisoned({ ...(JSON.parse(good) as Compiled), esbuild: '0.0.0' } as Compiled),
      poisoned({ ...(JSON.parse(good) as Compiled), node: '0' } as Compiled),
      good.slice(0, good.length / 2),
    ]) {
      fs.writeFileSync(path.join(copy, COMPILED_TS_FILE), foreign);
      fs.rmSync(path.join(copy, 'clusters'), { recursive: true });
      expect((await runSynthCli(copy, [], { direct: true })).code).toBe(0);
      expect(readTree(copy)).toEqual(readTree(root));
      expect(fs.readFileSync(path.join(copy, COMPILED_TS_FILE), 'utf8').includes(POISON)).toBe(false);
    }
  }, 60_000);

  it('a syntax error names the line and column, without a stack', async () => {
    const root = scratchRepo('compile-syntax');
    roots.push(root);
    writeAppFile(
      root,
      'broken',
      `import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'broken', deploy: () => {\n`,
    );
    const r = await runSynthCli(root, [], { direct: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'app broken, field apps/broken/src/index.ts: cannot be loaded: line 3, column 1: Unexpected end of file',
    );
    expect(r.stderr).not.toMatch(STACK_LINE);
  }, 60_000);

  it('keeps stack traces on the TypeScript lines (source maps), for --debug', async () => {
    const root = scratchRepo('compile-stack');
    roots.push(root);
    const source = [
      `import { defineApp } from '@aks-gitops/workloads';`,
      `interface Settings { readonly replicas: number }`,
      `type Unused = Settings;`,
      `const fail = (): never => {`,
      `  throw new Error('thrower fails while loading');`,
      `};`,
      `fail();`,
      `export default defineApp({ name: 'thrower', deploy: () => undefined });`,
      ``,
    ].join('\n');
    writeAppFile(root, 'thrower', source);
    const r = await runSynthCli(root, ['--debug'], { direct: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'app thrower, field apps/thrower/src/index.ts: cannot be loaded: thrower fails while loading',
    );
    // Line 5 of the TypeScript: the type-only lines above it are not in the compiled JavaScript.
    expect(r.stderr).toMatch(/apps\/thrower\/src\/index\.ts:5:\d+/);
  }, 60_000);

  it('two processes compiling at once leave a whole cache that the next run uses as it is', async () => {
    const root = scratchRepo('compile-race');
    roots.push(root);
    // `synth --app <unknown>` loads and compiles everything, then fails (exit 1): drift and policy never use the cache.
    const unknownApp = ['synth', '--clusters-module', FLEET_MODULE, '--app', 'no-such-app'];
    const [a, b] = await Promise.all([
      runCli(root, unknownApp, { direct: true }),
      runCli(root, unknownApp, { direct: true }),
    ]);
    // Both report the unknown app (exit 1, not a crash), and both compiled everything.
    expect([a.code, b.code]).toEqual([1, 1]);
    const after = compiled(root); // parses: one of the two renames won, whole
    expect(Object.keys(after.files).length).toBeGreaterThan(20);
    const mtime = fs.statSync(path.join(root, COMPILED_TS_FILE)).mtimeMs;
    expect((await runCli(root, unknownApp, { direct: true })).code).toBe(1);
    expect(fs.statSync(path.join(root, COMPILED_TS_FILE)).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(path.join(root, '.synth-cache')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
