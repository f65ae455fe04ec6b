import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Unit } from './fleet-synth';

/**
 * Writes synthesized folders ("units") so that a crash or SIGKILL at any moment leaves every
 * folder whole: either its complete old content or its complete new content.
 *
 * 1. Every changed unit is written in full to `.synth-staging/` (same filesystem as the output),
 *    by a writer thread while synth goes on rendering (StagingArea).
 * 2. A journal naming the units to swap is written atomically (write + rename). Before it exists,
 *    a crash leaves the old output untouched and the staging area is discarded next time.
 * 3. Each unit is swapped by two renames: old folder aside, staged folder in. After a crash in
 *    this phase the journal is rolled forward by the next run (`recoverInterruptedWrite`), which
 *    every command performs before anything else. Between the two renames of one unit the folder
 *    is briefly absent (two syscalls); the journal names it and recovery completes it.
 * 4. The journal is removed, then the staging area.
 * Guarantees hold against process death (SIGKILL, OOM); files are not fsync'ed, so power loss
 * is not covered: git is the durable copy of this tree anyway.
 */
export const STAGING_DIR = '.synth-staging';
export const JOURNAL_FILE = '.synth-journal.json';
const LOCK_FILE = '.synth-lock';

interface Journal {
  readonly version: 1;
  readonly units: ReadonlyArray<{ readonly unit: string; readonly action: 'replace' | 'delete' }>;
}

export interface WritePlan {
  readonly replace: string[];
  readonly remove: string[];
  /** Files added, changed or removed, relative to the repo root. */
  readonly changedFiles: string[];
  /** Units on disk before the write. */
  readonly existing: string[];
}

/**
 * A unit that is one file rather than a folder (`.github/CODEOWNERS`, which sits among hand-written
 * files): its Unit holds one entry under this key. Staging, the journal and the two renames work
 * the same for a file as for a folder.
 */
export const FILE_UNIT = '';
const fileOf = (unit: string, f: string): string => (f === FILE_UNIT ? unit : `${unit}/${f}`);

/** Units are the leaf folders `clusters/<c>/<x>` and the per-cluster trees `flux/<c>`. */
export function listExistingUnits(root: string): string[] {
  const out: string[] = [];
  for (const top of ['clusters', 'flux']) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const c of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!c.isDirectory()) continue;
      if (top === 'flux') {
        out.push(`flux/${c.name}`);
        continue;
      }
      for (const f of fs.readdirSync(path.join(dir, c.name), { withFileTypes: true })) {
        if (f.isDirectory()) out.push(`clusters/${c.name}/${f.name}`);
      }
    }
  }
  return out.sort();
}

/** Reads a unit's files recursively (relative paths with `/`). */
export function readUnit(root: string, unit: string): Unit {
  const files: Unit = new Map();
  const base = path.join(root, unit);
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(base, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else files.set(r, fs.readFileSync(path.join(base, r), 'utf8'));
    }
  };
  if (!fs.existsSync(base)) return files;
  if (fs.statSync(base).isFile()) return new Map([[FILE_UNIT, fs.readFileSync(base, 'utf8')]]);
  walk('');
  return files;
}

function sameUnit(a: Unit, b: Unit): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The files of `unit` that differ between the disk and `desired` (added, changed or removed). */
function changedFilesOf(root: string, unit: string, desired: Unit): string[] {
  const current = readUnit(root, unit);
  if (sameUnit(current, desired)) return [];
  const changed: string[] = [];
  for (const f of new Set([...current.keys(), ...desired.keys()])) {
    if (current.get(f) !== desired.get(f)) changed.push(fileOf(unit, f));
  }
  return changed;
}

/** Units on disk that this run owns but did not produce: they are deleted. */
function removals(root: string, units: ReadonlyMap<string, Unit>, owns: (unit: string) => boolean): { existing: string[]; remove: string[]; files: string[] } {
  const existing = listExistingUnits(root);
  const remove = existing.filter((unit) => !units.has(unit) && owns(unit));
  const files = remove.flatMap((unit) => [...readUnit(root, unit).keys()].map((f) => fileOf(unit, f)));
  return { existing, remove, files };
}

/** Compares desired units with the disk, within what this run owns. */
export function planWrite(root: string, units: ReadonlyMap<string, Unit>, owns: (unit: string) => boolean): WritePlan {
  const replace: string[] = [];
  const changedFiles: string[] = [];
  for (const [unit, desired] of [...units].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const changed = changedFilesOf(root, unit, desired);
    if (changed.length === 0) continue;
    replace.push(unit);
    changedFiles.push(...changed);
  }
  const gone = removals(root, units, owns);
  return { replace, remove: gone.remove, changedFiles: [...changedFiles, ...gone.files].sort(), existing: gone.existing };
}

/**
 * Step 1 of the protocol, run while synth is still rendering: each changed unit is handed to a
 * writer thread as soon as it is rendered, so creating thousands of files (on this kind of disk as
 * much CPU, in the kernel, as rendering them) runs on the second core instead of after everything
 * else. Nothing outside `.synth-staging/` is touched until `commit`, which waits for the writer,
 * publishes the journal and swaps the folders in. A run that fails calls `discard`.
 */
export class StagingArea {
  /** Clears a leftover staging area (call `recoverInterruptedWrite` first). */
  static open(root: string): StagingArea {
    fs.rmSync(path.join(root, STAGING_DIR), { recursive: true, force: true });
    return new StagingArea(root);
  }

  private readonly replace: string[] = [];
  private readonly changedFiles: string[] = [];
  private writer?: { readonly thread: Worker; readonly done: Promise<void> };

  private constructor(private readonly root: string) {}

  /** Compares the unit with the disk and, when it differs, stages it in the background. */
  add(unit: string, files: Unit): void {
    const changed = changedFilesOf(this.root, unit, files);
    if (changed.length === 0) return;
    this.replace.push(unit);
    this.changedFiles.push(...changed);
    // Strings are cloned into the writer: encoding and transferring buffers instead measured slower.
    this.writerThread().postMessage({ dir: path.join(this.root, STAGING_DIR, 'new', unit), files: [...files] });
  }

  /** The staged units, and the owned units on disk that this run did not produce (to delete). */
  plan(units: ReadonlyMap<string, Unit>, owns: (unit: string) => boolean): WritePlan {
    const gone = removals(this.root, units, owns);
    return { replace: [...this.replace].sort(), remove: gone.remove, changedFiles: [...this.changedFiles, ...gone.files].sort(), existing: gone.existing };
  }

  /** Waits for the staged files, then publishes the journal and swaps every unit of `plan` in. */
  async commit(plan: WritePlan, hooks: { afterJournal?: () => void } = {}): Promise<void> {
    try {
      await this.finishWriting();
    } catch (e) {
      await this.discard();
      throw e;
    }
    if (plan.replace.length === 0 && plan.remove.length === 0) return;
    const staging = path.join(this.root, STAGING_DIR);
    const journal: Journal = {
      version: 1,
      units: [...plan.replace.map((unit) => ({ unit, action: 'replace' as const })), ...plan.remove.map((unit) => ({ unit, action: 'delete' as const }))],
    };
    fs.mkdirSync(staging, { recursive: true });
    const tmp = path.join(staging, 'journal.tmp');
    fs.writeFileSync(tmp, JSON.stringify(journal, null, 2) + '\n');
    fs.renameSync(tmp, path.join(this.root, JOURNAL_FILE));
    hooks.afterJournal?.();
    rollForward(this.root, journal);
  }

  /** After a failure: stops staging and removes it; the output was never touched. */
  async discard(): Promise<void> {
    await this.finishWriting().catch(() => undefined);
    fs.rmSync(path.join(this.root, STAGING_DIR), { recursive: true, force: true });
  }

  private writerThread(): Worker {
    if (!this.writer) {
      // Plain JavaScript, no loaders (execArgv []): the thread only creates folders and files.
      const thread = new Worker(STAGING_WRITER, { eval: true, execArgv: [] });
      const done = new Promise<void>((resolve, reject) => {
        thread.once('message', (m: { error?: string }) => (m.error ? reject(new Error(`staging ${STAGING_DIR}: ${m.error}`)) : resolve()));
        thread.once('error', reject);
        thread.once('exit', (code) => reject(new Error(`staging writer stopped (exit ${code}) before it finished`)));
      });
      done.catch(() => undefined); // observed by finishWriting
      this.writer = { thread, done };
    }
    return this.writer.thread;
  }

  private async finishWriting(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    this.writer = undefined;
    writer.thread.postMessage('done');
    try {
      await writer.done;
    } finally {
      await writer.thread.terminate();
    }
  }
}

/**
 * The writer thread: units arrive in order; after 'done' it reports the first error, if any.
 * Synchronous calls on purpose: the thread has nothing else to do, and a SIGKILL stops it between
 * two whole calls like the main thread.
 */
const STAGING_WRITER = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
let error;
parentPort.on('message', (m) => {
  if (m === 'done') {
    parentPort.postMessage({ error });
    return;
  }
  if (error) return;
  try {
    const made = new Set();
    for (const [file, content] of m.files) {
      const target = path.join(m.dir, file);
      const parent = path.dirname(target);
      if (!made.has(parent)) {
        fs.mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      fs.writeFileSync(target, content);
    }
  } catch (e) {
    error = e && e.message ? e.message : String(e);
  }
});
`;

/** Completes or discards an interrupted write. Safe to call at any time; a no-op when clean. */
export function recoverInterruptedWrite(root: string): 'clean' | 'rolled-forward' | 'discarded-staging' {
  const journalPath = path.join(root, JOURNAL_FILE);
  if (fs.existsSync(journalPath)) {
    rollForward(root, JSON.parse(fs.readFileSync(journalPath, 'utf8')) as Journal);
    return 'rolled-forward';
  }
  const staging = path.join(root, STAGING_DIR);
  if (fs.existsSync(staging)) {
    fs.rmSync(staging, { recursive: true, force: true });
    return 'discarded-staging';
  }
  return 'clean';
}

function rollForward(root: string, journal: Journal): void {
  const staging = path.join(root, STAGING_DIR);
  // Parent folders made (or found) once per run: thousands of units share a handful of parents,
  // and a failing mkdir costs as much as a successful one on a slow disk.
  const parents = new Set<string>();
  const ensureParent = (p: string): void => {
    const dir = path.dirname(p);
    if (parents.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    parents.add(dir);
  };
  for (const { unit, action } of journal.units) {
    const target = path.join(root, unit);
    const staged = path.join(staging, 'new', unit);
    const aside = path.join(staging, 'old', unit);
    if (action === 'replace' && !fs.existsSync(staged)) continue; // already swapped in
    if (fs.existsSync(target)) {
      ensureParent(aside);
      fs.rmSync(aside, { recursive: true, force: true });
      fs.renameSync(target, aside);
    }
    if (action === 'replace') {
      ensureParent(target);
      fs.renameSync(staged, target);
    }
  }
  fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
  fs.rmSync(staging, { recursive: true, force: true });
  // A deleted unit may leave its cluster folder (or flux/) empty; nothing else can become empty.
  for (const { unit, action } of journal.units) {
    if (action === 'delete') removeEmptyAncestors(root, unit);
  }
}

/** Removes `unit`'s parent folders inside `root` while they are empty. */
function removeEmptyAncestors(root: string, unit: string): void {
  for (let dir = path.dirname(unit); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    if (fs.readdirSync(abs).length > 0) return;
    fs.rmdirSync(abs);
  }
}

/**
 * One writer at a time: `nx affected -t synth` may start several app synths at once, and they
 * share cluster-wide folders. A lock held by a dead process (SIGKILL) is taken over.
 */
export async function withOutputLock<T>(root: string, fn: () => T | Promise<T>, timeoutMs = 120_000): Promise<T> {
  const lock = path.join(root, LOCK_FILE);
  const start = Date.now();
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readPid(lock);
      if (holder === undefined) continue; // released between our create and our read
      if (!holder || !isAlive(holder)) {
        takeOverStaleLock(lock, holder);
        continue;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`another synth (pid ${holder}) holds ${lock} for over ${timeoutMs / 1000}s`, { cause: e });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function readPid(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8') || '0');
  } catch {
    return undefined;
  }
}

/**
 * Removes a dead holder's lock without ever removing a live one: the lock is moved aside
 * atomically (only one process wins the rename), and if what was moved turns out to be a lock
 * created after we looked (a live holder), it is linked back into place.
 */
function takeOverStaleLock(lock: string, stalePid: number): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // another process moved or released it first
  }
  const moved = readPid(aside);
  if (moved !== undefined && moved !== stalePid && moved !== 0 && isAlive(moved)) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // A third process already holds a new lock; the live holder we moved keeps going alone.
    }
  }
  fs.rmSync(aside, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
