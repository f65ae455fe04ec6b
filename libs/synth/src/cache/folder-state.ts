import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Unit } from '../output-unit';
import type { SourceHashes } from './source-hashes';

/**
 * How the rendered record remembers a folder (or one file) synth wrote, and checks later that it
 * is still as written: `stat` first, the content only where an mtime moved (a fresh clone, a
 * checkout), so an unchanged tree costs a few stats and a restored `.synth-cache/` still works.
 */

/** A written file: [size, mtime, sha256 of the content]. */
export type FileState = readonly [number, number, string];

/**
 * A written folder: its mtime and its files; `others` are entries synth did not write but found
 * there (flux/<c>/flux-system), so listing it still matches.
 */
export interface FolderState {
  readonly mtime: number;
  readonly files: Readonly<Record<string, FileState>>;
  readonly others?: readonly string[];
}

/** Whether a value read from the rendered record has FileState's shape. */
export function isFileState(v: unknown): v is FileState {
  return (
    Array.isArray(v) &&
    v.length === 3 &&
    typeof v[0] === 'number' &&
    typeof v[1] === 'number' &&
    typeof v[2] === 'string'
  );
}

/** Whether a value read from the rendered record has FolderState's shape (anything else counts as changed). */
export function isFolderState(v: unknown): v is FolderState {
  if (typeof v !== 'object' || v === null) return false;
  const { mtime, files, others } = v as Record<string, unknown>;
  return (
    typeof mtime === 'number' &&
    typeof files === 'object' &&
    files !== null &&
    !Array.isArray(files) &&
    Object.values(files).every(isFileState) &&
    (others === undefined || (Array.isArray(others) && others.every((o) => typeof o === 'string')))
  );
}

export function folderIsAsWritten(dir: string, state: FolderState, sources: SourceHashes): boolean {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return false;
  const names = Object.keys(state.files);
  // A folder's mtime moves when an entry is added or removed (and on a fresh clone): list it then.
  if (st.mtimeMs !== state.mtime) {
    let now: string[];
    try {
      now = fs.readdirSync(dir).sort();
    } catch {
      return false;
    }
    const expected = [...names, ...(state.others ?? [])].sort();
    if (now.length !== expected.length || now.some((n, i) => n !== expected[i])) return false;
  }
  return names.every((name) => fileIsAsWritten(path.join(dir, name), state.files[name], sources));
}

export function fileIsAsWritten(file: string, [size, mtime, hash]: FileState, sources: SourceHashes): boolean {
  const fst = fs.statSync(file, { throwIfNoEntry: false });
  if (!fst?.isFile() || fst.size !== size) return false;
  return fst.mtimeMs === mtime || sources.of(file) === hash;
}

/** A folder as just written from `unit`: texts from the unit, sizes and mtimes from disk. */
export function writtenFolder(dir: string, unit: Unit): FolderState | undefined {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return undefined;
  const files: Record<string, FileState> = {};
  for (const name of [...unit.keys()].sort()) {
    const state = writtenFile(path.join(dir, name), unit.get(name) ?? '');
    if (!state) return undefined;
    files[name] = state;
  }
  const others = fs.readdirSync(dir).filter((name) => !unit.has(name));
  return others.length > 0 ? { mtime: st.mtimeMs, files, others: others.sort() } : { mtime: st.mtimeMs, files };
}

/** A folder as it is now, by `stat` alone: no content hash, so only unmoved mtimes vouch for it later. */
export function statedFolder(dir: string): FolderState | undefined {
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) return undefined;
    const files: Record<string, FileState> = {};
    for (const name of fs.readdirSync(dir).sort()) {
      const fst = fs.statSync(path.join(dir, name));
      if (!fst.isFile()) return undefined;
      files[name] = [fst.size, fst.mtimeMs, UNHASHED];
    }
    return { mtime: st.mtimeMs, files };
  } catch {
    return undefined;
  }
}

/** Never a sha256: a file recorded with it matches only while its mtime stays. */
const UNHASHED = '';

export function writtenFile(file: string, text: string): FileState | undefined {
  const fst = fs.statSync(file, { throwIfNoEntry: false });
  return fst?.isFile() ? [fst.size, fst.mtimeMs, sha256(text)] : undefined;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
