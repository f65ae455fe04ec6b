import { spawnSync } from 'node:child_process';
import { BASELINE_FOLDER } from '@aks-gitops/workloads';
import { AZURE_FOLDER } from '../render/azure/azure-edge-files';
import { JOURNAL_FILE, STAGING_DIR } from '../write/journal';
import { LOCK_FILE } from '../write/output-lock';
import { CACHE_DIR } from './cache-switch.cjs';

/** Which apps must be rendered, or why everything must be (one line naming the path or ref). */
export type GitBaseAnswer =
  | { readonly kind: 'apps'; readonly apps: readonly string[] }
  | { readonly kind: 'everything'; readonly reason: string };

/**
 * Cluster-wide units a synth on this path always renders (platform baseline, Azure edge files,
 * Flux wiring, CODEOWNERS), so a change there never makes an app stale.
 */
const ALWAYS_RENDERED_CLUSTER_FOLDERS = new Set([BASELINE_FOLDER, AZURE_FOLDER]);
const ALWAYS_RENDERED_PATHS = ['flux/', '.github/CODEOWNERS'];
/** Synth's own lock, journal, staging area and caches: there while it runs, never an input. */
const SYNTH_CONTROL_PATHS = [LOCK_FILE, JOURNAL_FILE, `${STAGING_DIR}/`, `${CACHE_DIR}/`];

/**
 * The apps whose sources or output folders differ between the working tree of `root` and the base
 * commit `base` (CI's `NX_BASE`, the base `nx affected` uses): what `synth --changed` must render on
 * a fresh clone, where there is no `.synth-cache/rendered.json` yet.
 *
 * What it trusts: that B's committed `clusters/` and `flux/` are exactly what B's code renders. CI's
 * drift check proves that on every commit of main, so git is the record there. An app is fresh when
 * its own folder under apps/ and its folders under clusters/ are byte-identical to B and nothing else
 * that can change output changed; everything else is conservative on purpose:
 * - a file in `apps/<name>/` (any file: cheap and safe) or in `clusters/<cluster>/<name>/` (someone
 *   regenerated or hand-edited the committed folder) makes that app stale;
 * - an app folder gone from apps/ (removed or renamed) renders everything: its output must go;
 * - a cluster folder of no current app renders everything (it is not ours to keep or delete here);
 * - platform/, azure/, flux/ and CODEOWNERS are ignored: synth renders them whole on this path;
 * - any other path (libs/, the lockfile, the clusters module, tools/, docs) may change every app's
 *   output, so it renders everything, naming the path.
 * Any git failure (not a repository, no git, `base` not a commit) renders everything, saying why.
 * Paths are relative to `root`, which may be a subfolder of the git toplevel.
 */
export function changedSinceBase(root: string, base: string, appNames: readonly string[]): GitBaseAnswer {
  // A ref that starts with '-' would be read as an option by git.
  if (base.startsWith('-')) return everything(`${base} is not a commit (it looks like an option)`);
  // One call: the root's path inside the repository ('' at the toplevel), then B's commit.
  const commit = git(root, ['rev-parse', '--show-prefix', '--verify', '--quiet', `${base}^{commit}`]);
  // --quiet: an unknown ref fails silently; anything git says is a bigger problem (not a repository).
  if (!commit.ok && commit.why) return everything(`git cannot read ${root}: ${commit.why}`);
  if (!commit.ok) return everything(`${base} is not a commit in ${root} (git rev-parse --verify)`);
  const [prefix, sha] = commit.out.split('\n');
  // What changed from B to the working tree, in two read-only steps whose union is a superset:
  // B..HEAD compares two trees; `git status` compares HEAD with the index and the working tree
  // (staged, unstaged, untracked not ignored). Not `git diff B`: when a file's stat data is stale it
  // compares content (right) and then rewrites the index (a write, which ignores GIT_OPTIONAL_LOCKS).
  // --no-renames everywhere, so a moved app shows its deletion.
  const committed = git(root, ['diff', '--name-only', '--no-renames', '-z', '--relative', sha, 'HEAD', '--']);
  if (!committed.ok) return everything(`git diff ${base} HEAD failed in ${root}: ${committed.why}`);
  const status = git(root, ['status', '--porcelain', '-z', '--no-renames', '--untracked-files=all', '--', '.']);
  if (!status.ok) return everything(`git status failed in ${root}: ${status.why}`);
  // Each status entry is "XY <path>", the path relative to the toplevel: make it relative to root.
  const working = split(status.out).map((entry) => entry.slice(3 + prefix.length));

  const apps = new Set(appNames);
  const stale = new Set<string>();
  for (const p of [...new Set([...split(committed.out), ...working])].sort()) {
    const verdict = classify(p, apps, base);
    if (typeof verdict === 'string') stale.add(verdict);
    else if (verdict) return verdict;
  }
  return { kind: 'apps', apps: [...stale].sort() };
}

/** The app a changed path makes stale, null if it makes none, or why it makes everything stale. */
function classify(p: string, apps: ReadonlySet<string>, base: string): string | null | GitBaseAnswer {
  const parts = p.split('/');
  if (parts[0] === 'apps' && parts.length > 2) {
    return apps.has(parts[1]) ? parts[1] : everything(`apps/${parts[1]} was removed since ${base}`);
  }
  if (parts[0] === 'clusters' && parts.length > 3) {
    if (apps.has(parts[2])) return parts[2];
    if (ALWAYS_RENDERED_CLUSTER_FOLDERS.has(parts[2])) return null;
    return everything(`clusters/${parts[1]}/${parts[2]} changed since ${base} and is no current app's folder`);
  }
  if ([...ALWAYS_RENDERED_PATHS, ...SYNTH_CONTROL_PATHS].some((q) => (q.endsWith('/') ? p.startsWith(q) : p === q)))
    return null;
  return everything(`${p} changed since ${base}: it may change every app's output`);
}

function everything(reason: string): GitBaseAnswer {
  return { kind: 'everything', reason };
}

function split(z: string): string[] {
  return z.split('\0').filter((p) => p !== '');
}

function git(root: string, args: string[]): { ok: true; out: string } | { ok: false; why: string } {
  const r = spawnSync('git', ['-C', root, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // A read-only question: `git status` must not take the index lock to save refreshed stat data
    // (a git command the user runs meanwhile would fail on index.lock).
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0) return { ok: false, why: r.stderr.trim().split('\n')[0] };
  return { ok: true, out: r.stdout };
}
