import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedSinceBase } from '@aks-gitops/synth';
import { gitIn } from '../git';

/**
 * On a fresh clone there is no `.synth-cache/rendered.json`, so git is the record: CI's drift check
 * proves that every commit of main holds exactly what its code renders, and an app whose sources and
 * output folders are byte-identical to the base commit B needs no rendering. Each test makes a
 * change the way a user would, in a real git repository, and asks what `synth --changed` must render.
 */
describe('which apps changed since the base commit (git as the record on a fresh clone)', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A tiny repository with apps a and b, their output in cluster c1, a library, committed as B. */
  function repo(sub = '') {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'git-base-'));
    made.push(top);
    const root = path.join(top, sub);
    const git = gitIn(root);
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    const files: Record<string, string> = {
      '.gitignore': '.synth-cache/\n',
      'apps/a/src/index.ts': 'export const a = 1;\n',
      'apps/b/src/index.ts': 'export const b = 1;\n',
      'clusters/c1/a/manifests.yaml': 'kind: Deployment\n',
      'clusters/c1/b/manifests.yaml': 'kind: Deployment\n',
      'clusters/c1/platform/namespaces.yaml': 'kind: Namespace\n',
      'clusters/c1/azure/prerequisites.json': '{}\n',
      'flux/c1/apps.yaml': 'kind: Kustomization\n',
      '.github/CODEOWNERS': '* @platform\n',
      'libs/x.ts': 'export const x = 1;\n',
      'package-lock.json': '{}\n',
    };
    for (const [file, text] of Object.entries(files)) write(file, text);
    execFileSync('git', ['init', '-q', top]);
    git('add', '-A');
    git('commit', '-q', '-m', 'B');
    const base = git('rev-parse', 'HEAD');
    const changed = (appNames = ['a', 'b']) => changedSinceBase(root, base, appNames);
    return { root, git, write, base, changed };
  }

  const apps = (...names: string[]) => ({ kind: 'apps', apps: names });

  it('nothing changed since B: no app is rendered', () => {
    expect(repo().changed()).toEqual(apps());
  });

  it('a file saved without changes (only its mtime moved) is no change, and git is only read', () => {
    const { root, changed } = repo();
    const file = path.join(root, 'apps/a/src/index.ts');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    const index = fs.readFileSync(path.join(root, '.git/index'));
    expect(changed()).toEqual(apps());
    // `git diff B` would compare it by content too, then rewrite the index with the new stat data.
    expect(fs.readFileSync(path.join(root, '.git/index'))).toEqual(index);
  });

  it('an edit in apps/a makes a stale', () => {
    const { write, changed } = repo();
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    expect(changed()).toEqual(apps('a'));
  });

  it('a staged but not committed edit makes its app stale', () => {
    const { write, git, changed } = repo();
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    git('add', 'apps/a/src/index.ts');
    expect(changed()).toEqual(apps('a'));
  });

  it('a change committed on top of B still counts: the base is B, not HEAD', () => {
    const { write, git, changed } = repo();
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    git('commit', '-q', '-am', 'a: 2');
    expect(changed()).toEqual(apps('a'));
  });

  it('a change committed on top of B, then undone in the working tree, still renders its app (safe side)', () => {
    const { write, git, changed } = repo();
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    git('commit', '-q', '-am', 'a: 2');
    write('apps/a/src/index.ts', 'export const a = 1;\n');
    expect(changed()).toEqual(apps('a'));
  });

  it('edits in several apps list each once, sorted', () => {
    const { write, changed } = repo();
    write('apps/b/src/index.ts', 'export const b = 2;\n');
    write('apps/b/src/extra.ts', 'export const e = 1;\n');
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    expect(changed()).toEqual(apps('a', 'b'));
  });

  it('a new app apps/n, not yet added to git, is rendered', () => {
    const { write, changed } = repo();
    write('apps/n/src/index.ts', 'export const n = 1;\n');
    expect(changed(['a', 'b', 'n'])).toEqual(apps('n'));
  });

  it("a hand edit of clusters/c1/b/manifests.yaml makes b stale (its committed folder is no longer B's)", () => {
    const { write, changed } = repo();
    write('clusters/c1/b/manifests.yaml', 'kind: Deployment # edited\n');
    expect(changed()).toEqual(apps('b'));
  });

  it('a file dropped into clusters/c1/b makes b stale', () => {
    const { write, changed } = repo();
    write('clusters/c1/b/stray.yaml', 'kind: ConfigMap\n');
    expect(changed()).toEqual(apps('b'));
  });

  it('a deleted output folder clusters/c1/a makes a stale', () => {
    const { root, changed } = repo();
    fs.rmSync(path.join(root, 'clusters/c1/a'), { recursive: true });
    expect(changed()).toEqual(apps('a'));
  });

  it('edits in platform/, azure/, flux/ and CODEOWNERS are ignored: synth renders them whole', () => {
    const { write, changed } = repo();
    write('clusters/c1/platform/namespaces.yaml', 'kind: Namespace # edited\n');
    write('clusters/c1/azure/prerequisites.json', '{"edited":true}\n');
    write('flux/c1/apps.yaml', 'kind: Kustomization # edited\n');
    write('.github/CODEOWNERS', '* @someone-else\n');
    expect(changed()).toEqual(apps());
  });

  it('git-ignored files (the machine-local .synth-cache/) are not changes', () => {
    const { write, changed } = repo();
    write('.synth-cache/rendered.json', '{}\n');
    expect(changed()).toEqual(apps());
  });

  it("synth's own lock, journal and staging area are not changes, even where .gitignore misses them", () => {
    const { write, changed } = repo();
    write('.synth-lock', '{"pid":1}\n');
    write('.synth-journal.json', '{}\n');
    write('.synth-staging/clusters/c1/a/manifests.yaml', 'kind: x\n');
    expect(changed()).toEqual(apps());
  });

  it('apps/a deleted: everything, since its output must go', () => {
    const { root, base, changed } = repo();
    fs.rmSync(path.join(root, 'apps/a'), { recursive: true });
    expect(changed(['b'])).toEqual({ kind: 'everything', reason: `apps/a was removed since ${base}` });
  });

  it('an app renamed with git mv apps/a apps/z: everything (a rename shows as a deletion)', () => {
    const { git, base, changed } = repo();
    git('mv', 'apps/a', 'apps/z');
    expect(changed(['b', 'z'])).toEqual({ kind: 'everything', reason: `apps/a was removed since ${base}` });
  });

  it('a cluster folder of no current app: everything', () => {
    const { write, base, changed } = repo();
    write('clusters/c1/old/manifests.yaml', 'kind: Deployment\n');
    expect(changed()).toEqual({
      kind: 'everything',
      reason: `clusters/c1/old changed since ${base} and is no current app's folder`,
    });
  });

  it('libs/x.ts edited: everything, naming the file', () => {
    const { write, base, changed } = repo();
    write('libs/x.ts', 'export const x = 2;\n');
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    expect(changed()).toEqual({
      kind: 'everything',
      reason: `libs/x.ts changed since ${base}: it may change every app's output`,
    });
  });

  it('package-lock.json changed: everything', () => {
    const { write, base, changed } = repo();
    write('package-lock.json', '{"lockfileVersion":3}\n');
    expect(changed()).toEqual({
      kind: 'everything',
      reason: `package-lock.json changed since ${base}: it may change every app's output`,
    });
  });

  it("a base that is no commit ('nope'): everything, naming it", () => {
    const { root } = repo();
    expect(changedSinceBase(root, 'nope', ['a', 'b'])).toEqual({
      kind: 'everything',
      reason: `nope is not a commit in ${root} (git rev-parse --verify)`,
    });
  });

  it('a base that looks like an option is not passed to git', () => {
    const { root } = repo();
    expect(changedSinceBase(root, '--output=x', ['a'])).toMatchObject({ kind: 'everything' });
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  });

  it('a base given as a branch name works like its commit', () => {
    const { write, git, root } = repo();
    git('branch', 'base-branch');
    write('apps/b/src/index.ts', 'export const b = 2;\n');
    expect(changedSinceBase(root, 'base-branch', ['a', 'b'])).toEqual(apps('b'));
  });

  it('a root that is not a git repository: everything, naming the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'git-base-none-'));
    made.push(dir);
    const answer = changedSinceBase(dir, 'HEAD', ['a']);
    expect(answer.kind).toBe('everything');
    expect(answer.kind === 'everything' && answer.reason).toContain(dir);
  });

  it('a root in a subfolder of the git toplevel (here "the fleet ü"): paths are relative to the root', () => {
    const { write, base, root, changed } = repo('the fleet ü');
    fs.writeFileSync(path.join(root, '..', 'outside.md'), 'not the fleet\n');
    write('apps/a/src/index.ts', 'export const a = 2;\n');
    write('clusters/c1/b/manifests.yaml', 'kind: Deployment # edited\n');
    expect(changed()).toEqual(apps('a', 'b'));
    write('libs/x.ts', 'export const x = 2;\n');
    expect(changed()).toEqual({
      kind: 'everything',
      reason: `libs/x.ts changed since ${base}: it may change every app's output`,
    });
  });

  it('paths with a space or unicode in an app folder are classified (git -z, no quoting)', () => {
    const { write, git, changed } = repo();
    write('apps/a/src/my file.ts', 'export const s = 1;\n');
    git('add', 'apps/a/src/my file.ts'); // staged
    write('clusters/c1/b/zürich ☃.yaml', 'kind: ConfigMap\n'); // untracked
    expect(changed()).toEqual(apps('a', 'b'));
  });
});
