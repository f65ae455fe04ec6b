/**
 * `synth --changed` on a fresh clone (no `.synth-cache/`): with a base commit (`--base`, or Nx's
 * `NX_BASE` as CI sets it) git says which apps changed since, and the committed output of the rest
 * is kept, as CI's drift check proves it on main. Every scenario ends with the tree a full synth
 * without any cache writes.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from './support/scratch';
import { gitIn } from '../git';
import { appCount, synthOk } from './support/synthesized-scratch';
import {
  FIXTURE_APPS,
  FLEET_MODULE,
  appSource,
  copyRepo,
  makeScratch,
  readTree,
  removeScratch,
  scratchRepo,
  writeAppFile,
} from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

const git = (root: string, ...args: string[]): string => gitIn(root)(...args);

/** The repository as committed on main: sources and the output a full synth wrote, in one commit. */
let origin = '';
let mainCommit = '';
beforeAll(async () => {
  origin = scratchRepo('git-base-origin');
  roots.push(origin);
  await synthOk(origin);
  fs.writeFileSync(path.join(origin, '.gitignore'), 'node_modules\n.synth-cache/\n');
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'main: sources and their output');
  mainCommit = git(origin, 'rev-parse', 'HEAD');
}, 60_000);

/** `git clone` of main: no .synth-cache/, every file with a new mtime. */
function freshClone(label: string): string {
  const root = makeScratch(label);
  roots.push(root);
  fs.rmSync(path.join(root, 'node_modules'));
  fs.rmdirSync(root);
  execFileSync('git', ['clone', '-q', origin, root]);
  fs.symlinkSync(fs.readlinkSync(path.join(origin, 'node_modules')), path.join(root, 'node_modules'), 'dir');
  return root;
}

async function referenceTree(root: string): Promise<Tree> {
  const ref = copyRepo(root, 'git-base-ref');
  roots.push(ref);
  fs.rmSync(path.join(ref, '.synth-cache'), { recursive: true, force: true });
  await synthOk(ref, ['--no-cache']);
  return readTree(ref);
}

/** A one-app commit on top of main: broker's replicas. */
function commitBrokerChange(root: string): void {
  const body = (FIXTURE_APPS.broker as string).replace('replicas: prod ? 3 : 2', 'replicas: prod ? 4 : 2');
  writeAppFile(root, 'broker', appSource('broker', body));
  git(root, 'commit', '-q', '-am', 'broker: 4 replicas on prod');
}

describe('synth --changed on a fresh clone', () => {
  it('with --base main renders only the app committed since, and writes what a full synth writes', async () => {
    const root = freshClone('git-base-flag');
    commitBrokerChange(root);
    const out = await synthOk(root, ['--changed', '--base', 'origin/main']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(out).toContain('--changed: the others as committed at origin/main (git)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('takes the base from NX_BASE, as CI sets it for nx affected', async () => {
    const root = freshClone('git-base-env');
    commitBrokerChange(root);
    const out = await synthOk(root, ['--changed'], { NX_BASE: mainCommit });
    expect(appCount(out)).toBe('1 app(s)');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('without a base renders everything, and says why', async () => {
    const root = freshClone('git-base-none');
    commitBrokerChange(root);
    const out = await synthOk(root, ['--changed']);
    expect(appCount(out)).toBe(`${Object.keys(FIXTURE_APPS).length} app(s)`);
    expect(out).toContain('no .synth-cache/rendered.json and no --base/NX_BASE: everything rendered');
  });

  it('a change outside apps/ (the fleet module) renders everything, naming the file', async () => {
    const root = freshClone('git-base-fleet');
    fs.appendFileSync(path.join(root, FLEET_MODULE), '\n// reviewed\n');
    const out = await synthOk(root, ['--changed', '--base', 'origin/main']);
    expect(appCount(out)).toBe(`${Object.keys(FIXTURE_APPS).length} app(s)`);
    expect(out).toContain(`${FLEET_MODULE} changed since origin/main`);
  });

  it("a hand edit of an app's committed folder is written again", async () => {
    const root = freshClone('git-base-hand-edit');
    const cluster = fs.readdirSync(path.join(root, 'clusters')).sort()[0];
    const file = path.join(root, 'clusters', cluster, 'ingest', 'manifests.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.appendFileSync(file, '# edited by hand\n');
    const out = await synthOk(root, ['--changed', '--base', 'origin/main']);
    expect(appCount(out)).toBe('1 app(s)');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('a base that is not a commit here renders everything, naming it', async () => {
    const root = freshClone('git-base-bad');
    const out = await synthOk(root, ['--changed', '--base', 'no-such-ref']);
    expect(appCount(out)).toBe(`${Object.keys(FIXTURE_APPS).length} app(s)`);
    expect(out).toContain('no-such-ref');
  });

  it('after the first run the machine-local record decides, not git', async () => {
    const root = freshClone('git-base-then-record');
    commitBrokerChange(root);
    await synthOk(root, ['--changed', '--base', 'origin/main']);
    const again = await synthOk(root, ['--changed', '--base', 'origin/main']);
    expect(appCount(again)).toBe('0 app(s)');
    expect(again).toContain('--changed: the others as .synth-cache/rendered.json recorded them');
  });
});
