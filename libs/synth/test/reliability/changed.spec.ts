/**
 * `synth --changed` (what the Nx `fleet:synth` target runs) renders only the apps whose sources
 * changed since their folders were last written (.synth-cache/rendered.json). It may only ever
 * change speed: every scenario ends with the tree a full synth without any cache writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RENDERED_RECORD_FILE } from '@aks-gitops/synth';
import { appCount, synthOk, synthesizedScratch } from './support/synthesized-scratch';
import { readTree, runSynthCli } from './support/scratch';

const { base, copy, referenceTree, edit } = synthesizedScratch('changed');

describe('synth --changed', () => {
  it('with nothing changed renders no app folder and changes no file', async () => {
    const root = copy('changed-none');
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('0 app(s)');
    expect(out).toContain('0 file(s) changed');
  });

  it('after a one-app edit renders that app only, and writes what a full synth writes', async () => {
    const root = copy('changed-edit');
    edit(root, 'broker', 'replicas: prod ? 3 : 2', 'replicas: prod ? 5 : 2');
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it("after a callee's port change renders the callee and its callers", async () => {
    const root = copy('changed-callee');
    edit(root, 'orders', 'port: 8080', 'port: 8081');
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('2 app(s)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('an app changed while another was synthesized with --app is still rendered by the next --changed', async () => {
    const root = copy('changed-after-app');
    edit(root, 'orders', 'port: 8080', 'port: 8082');
    await synthOk(root, ['--app', 'broker']); // declares orders (changed), renders broker only
    await synthOk(root, ['--changed']);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('after --cluster (which writes some clusters only) the record is dropped and the next --changed renders everything', async () => {
    const root = copy('changed-cluster');
    edit(root, 'broker', 'replicas: prod ? 3 : 2', 'replicas: prod ? 4 : 2');
    await synthOk(root, ['--cluster', 'rel-dev']);
    expect(fs.existsSync(path.join(root, RENDERED_RECORD_FILE))).toBe(false);
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('4 app(s)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a removed app makes --changed render everything, which removes its folders', async () => {
    const root = copy('changed-remove');
    fs.rmSync(path.join(root, 'apps', 'ingest'), { recursive: true });
    await synthOk(root, ['--changed']);
    expect([...readTree(root).keys()].some((f) => f.includes('/ingest/'))).toBe(false);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a deleted app folder or a hand-edited generated file is written again (the record notes what synth left)', async () => {
    const root = copy('changed-outputs');
    const folders = fs.readdirSync(path.join(root, 'clusters')).map((c) => path.join(root, 'clusters', c));
    const brokerFolder = folders.map((c) => path.join(c, 'broker')).find((f) => fs.existsSync(f));
    const ordersFile = folders.map((c) => path.join(c, 'orders', 'manifests.yaml')).find((f) => fs.existsSync(f));
    if (!brokerFolder || !ordersFile) throw new Error('fixture: broker or orders is deployed nowhere');
    fs.rmSync(brokerFolder, { recursive: true });
    fs.appendFileSync(ordersFile, '# edited by hand\n');
    const out = await synthOk(root, ['--changed']);
    // broker and orders, and the app that calls orders (as after an edit of orders' sources); not all four.
    expect(appCount(out)).toBe('3 app(s)');
    expect(fs.existsSync(brokerFolder)).toBe(true);
    expect(fs.readFileSync(ordersFile, 'utf8')).not.toContain('# edited by hand');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a file added by hand to an app folder is removed again (the folder is written again)', async () => {
    const root = copy('changed-stray');
    const folder = fs
      .readdirSync(path.join(root, 'clusters'))
      .map((c) => path.join(root, 'clusters', c, 'ingest'))
      .find((f) => fs.existsSync(f));
    if (!folder) throw new Error('fixture: ingest is deployed nowhere');
    fs.writeFileSync(path.join(folder, 'extra.yaml'), 'kind: ConfigMap\n');
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(fs.existsSync(path.join(folder, 'extra.yaml'))).toBe(false);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a fresh clone with .synth-cache restored renders only the changed app (folders compared by content when their mtimes moved)', async () => {
    const root = copy('changed-fresh-clone');
    // A checkout writes every file anew: new mtimes, same contents (cpSync does not keep times).
    fs.rmSync(root, { recursive: true, force: true });
    fs.cpSync(base(), root, { recursive: true, verbatimSymlinks: true });
    edit(root, 'broker', 'replicas: prod ? 3 : 2', 'replicas: prod ? 6 : 2');
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a generated file edited by hand without changing its size is written again', async () => {
    const root = copy('changed-same-size');
    const file = fs
      .readdirSync(path.join(root, 'clusters'))
      .map((c) => path.join(root, 'clusters', c, 'ingest', 'manifests.yaml'))
      .find((f) => fs.existsSync(f));
    if (!file) throw new Error('fixture: ingest is deployed nowhere');
    const text = fs.readFileSync(file, 'utf8');
    const edited = text.replace('kind: Deployment', 'kind: Deploymenx');
    expect(edited.length).toBe(text.length);
    fs.writeFileSync(file, edited);
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('is a usage error together with --app', async () => {
    const r = await runSynthCli(copy('changed-usage'), ['--changed', '--app', 'broker'], { direct: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--changed decides which apps to render itself');
  });
});
