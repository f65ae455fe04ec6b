import { execFileSync } from 'node:child_process';

/** The folders a diff compares: everything synth writes that Flux or Azure acts on. */
export const DIFFED_FOLDERS = ['clusters', 'flux'] as const;

/** Thrown when a ref cannot be read (unknown ref, not a git repository). */
export class GitRefError extends Error {
  override name = 'GitRefError';
}

function git(root: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', ['-C', root, ...args], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    throw new GitRefError(`git ${args[0]} failed: ${stderr || (e as Error).message}`, { cause: e });
  }
}

/** The full commit id of `ref`; fails with a clear message when it does not name a commit. */
export function resolveCommit(root: string, ref: string): string {
  if (ref.startsWith('-')) throw new GitRefError(`"${ref}" is not a git ref`);
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
      .toString('utf8')
      .trim();
  } catch (e) {
    throw new GitRefError(
      `"${ref}" names no commit in ${root} (fetch it first: a shallow CI checkout needs fetch-depth: 0)`,
      { cause: e },
    );
  }
}

/** Path -> blob id of every file under clusters/ and flux/ as committed at `commit` (ls-tree). */
function listBlobs(root: string, commit: string): Map<string, string> {
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...DIFFED_FOLDERS]).toString('utf8');
  const blobs = new Map<string, string>();
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [, type, blob] = line.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(line.slice(tab + 1), blob);
  }
  return blobs;
}

/** The texts of these blobs, by id, from one `cat-file --batch`. */
function readBlobs(root: string, ids: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  if (ids.length === 0) return texts;
  const out = git(root, ['cat-file', '--batch'], ids.join('\n') + '\n');
  let offset = 0;
  for (const id of ids) {
    const headerEnd = out.indexOf(0x0a, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    texts.set(id, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return texts;
}

/** Two commits' output where it differs, with every path of each (see readChangedOutput). */
export interface ChangedOutput {
  /** Every file under clusters/ and flux/ at each commit, changed or not. */
  readonly basePaths: readonly string[];
  readonly headPaths: readonly string[];
  /** The files whose content differs between the commits (or that only one has), as each commit holds them. */
  readonly before: Map<string, string>;
  readonly after: Map<string, string>;
}

/**
 * Read straight from git's object store (ls-tree, then one cat-file --batch): no checkout, so the
 * work tree is never touched and two refs are read side by side. Only the files that differ
 * between the two commits are read: a file with the same blob id on both
 * sides holds the same objects, which a diff would show as unchanged anyway. Reading and parsing
 * every file of both commits made a one-app pull request cost as much as the whole fleet (22 s
 * and 700 MB at 1,000 apps, 47 s and 1.5 GB at 2,000).
 */
export function readChangedOutput(root: string, baseCommit: string, headCommit: string): ChangedOutput {
  const base = listBlobs(root, baseCommit);
  const head = listBlobs(root, headCommit);
  const differs = (file: string): boolean => base.get(file) !== head.get(file);
  const baseChanged = [...base.keys()].filter(differs);
  const headChanged = [...head.keys()].filter(differs);
  const ids = new Set([...baseChanged.map((f) => base.get(f) ?? ''), ...headChanged.map((f) => head.get(f) ?? '')]);
  const texts = readBlobs(root, [...ids]);
  const textsOf = (files: string[], blobs: Map<string, string>) =>
    new Map(files.map((f) => [f, texts.get(blobs.get(f) ?? '') ?? '']));
  return {
    basePaths: [...base.keys()],
    headPaths: [...head.keys()],
    before: textsOf(baseChanged, base),
    after: textsOf(headChanged, head),
  };
}
