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

/**
 * Every file under clusters/ and flux/ as committed at `commit`, read straight from git's object
 * store (ls-tree, then one cat-file --batch): no checkout, so the work tree is never touched and
 * two refs can be read side by side.
 */
export function readCommittedOutput(root: string, commit: string): Map<string, string> {
  const listing = git(root, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...DIFFED_FOLDERS]).toString('utf8');
  const entries: { path: string; blob: string }[] = [];
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [, type, blob] = line.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ path: line.slice(tab + 1), blob });
  }
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const out = git(root, ['cat-file', '--batch'], entries.map((e) => e.blob).join('\n') + '\n');
  let offset = 0;
  for (const entry of entries) {
    const headerEnd = out.indexOf(0x0a, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    files.set(entry.path, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}
