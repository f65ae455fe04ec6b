/**
 * The CLI loads app entry files through AppCompiler: compiled once per content with esbuild and
 * kept in `.synth-cache/compiled-apps.json`. Like the claims cache it may only change speed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPILED_APPS_FILE } from '@aks-gitops/synth';
import { FIXTURE_APPS, STACK_LINE, appSource, copyRepo, readTree, removeScratch, runSynthCli, scratchRepo, writeAppFile } from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

interface Compiled {
  files: Record<string, { sha256: string; code: string }>;
}
const compiled = (root: string): Compiled => JSON.parse(fs.readFileSync(path.join(root, COMPILED_APPS_FILE), 'utf8')) as Compiled;

describe('compiled app entry files', () => {
  it('compiles each entry once, reuses it while the file is unchanged, and recompiles an edited one', async () => {
    const root = scratchRepo('compile');
    roots.push(root);
    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    const first = compiled(root);
    expect(Object.keys(first.files)).toEqual(['apps/broker/src/index.ts', 'apps/ingest/src/index.ts', 'apps/orders/src/index.ts', 'apps/payments/src/index.ts']);
    const mtime = fs.statSync(path.join(root, COMPILED_APPS_FILE)).mtimeMs;

    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    expect(fs.statSync(path.join(root, COMPILED_APPS_FILE)).mtimeMs).toBe(mtime); // nothing compiled, nothing written

    writeAppFile(root, 'broker', appSource('broker', (FIXTURE_APPS.broker as string).replace('replicas: prod ? 3 : 2', 'replicas: prod ? 4 : 2')));
    expect((await runSynthCli(root, ['--app', 'broker'], { direct: true })).code).toBe(0);
    const second = compiled(root);
    expect(second.files['apps/broker/src/index.ts']?.sha256).not.toBe(first.files['apps/broker/src/index.ts']?.sha256);
    expect(second.files['apps/orders/src/index.ts']).toEqual(first.files['apps/orders/src/index.ts']); // kept for the next full synth
    expect(readTree(root).get('clusters/rel-prod/broker/manifests.yaml')).toContain('replicas: 4');
  }, 60_000);

  it('a cache from another esbuild or format version is compiled again, to the same output', async () => {
    const root = scratchRepo('compile-ref');
    roots.push(root);
    expect((await runSynthCli(root, [], { direct: true })).code).toBe(0);
    const copy = copyRepo(root, 'compile-foreign');
    roots.push(copy);
    // A cache from another esbuild or format version: compiled again, same output.
    fs.writeFileSync(path.join(copy, COMPILED_APPS_FILE), JSON.stringify({ format: 0, esbuild: '0.0.0', files: {} }));
    fs.rmSync(path.join(copy, 'clusters'), { recursive: true });
    expect((await runSynthCli(copy, [], { direct: true })).code).toBe(0);
    expect(readTree(copy)).toEqual(readTree(root));
  }, 60_000);

  it('a syntax error names the line and column, without a stack', async () => {
    const root = scratchRepo('compile-syntax');
    roots.push(root);
    writeAppFile(root, 'broken', `import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'broken', deploy: () => {\n`);
    const r = await runSynthCli(root, [], { direct: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('app broken, field apps/broken/src/index.ts: cannot be loaded: line 3, column 1: Unexpected end of file');
    expect(r.stderr).not.toMatch(STACK_LINE);
  }, 60_000);
});
