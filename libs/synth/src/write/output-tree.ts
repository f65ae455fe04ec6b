import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import type { Unit } from '../render/fleet-synth';

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

/** errno codes that mean the output folder cannot be written: the machine's state, not a bug. */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * The output tree could not be written (disk full, read-only, permission denied). Exit 1 with
 * this message; `clusters/` and `flux/` are as they were (see `written`).
 */
export class OutputWriteError extends Error {
  constructor(
    readonly code: string,
    readonly where: string,
    readonly written: 'nothing' | 'journal',
  ) {
    super(
      `cannot write ${where}: ${WRITE_FAILURES[code] ?? code} (${code}). ` +
        (written === 'nothing'
          ? 'Nothing was written: clusters/ and flux/ are unchanged. Free space or fix the permissions, then run synth again.'
          : 'Some folders were swapped; the journal (.synth-journal.json) names the rest, and the next command completes them once the folder is writable.'),
    );
    this.name = 'OutputWriteError';
  }

  /** The OutputWriteError for a filesystem error `e`, or undefined when `e` is something else. */
  static from(e: unknown, written: 'nothing' | 'journal' = 'nothing'): OutputWriteError | undefined {
    if (e instanceof OutputWriteError) return e;
    const err = e as NodeJS.ErrnoException | undefined;
    const code = typeof err?.code === 'string' ? err.code : undefined;
    if (!code || !(code in WRITE_FAILURES)) return undefined;
    return new OutputWriteError(code, err?.path ?? 'the output folder', written);
  }
}

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

/**
 * `flux bootstrap --path=flux/<cluster>` writes `flux/<cluster>/flux-system/` (Flux's own install):
 * synth never writes it, never compares it and keeps it when it replaces or removes the folder.
 */
function isBootstrapFolder(unit: string, rel: string): boolean {
  return rel === FLUX_BOOTSTRAP_FOLDER && unit.startsWith('flux/') && unit.split('/').length === 2;
}

/** The clusters whose `flux/<cluster>/` holds a `flux bootstrap` folder (its kustomization.yaml). */
export function bootstrappedClusters(root: string): Set<string> {
  const out = new Set<string>();
  const flux = path.join(root, 'flux');
  if (!fs.existsSync(flux)) return out;
  for (const c of fs.readdirSync(flux, { withFileTypes: true })) {
    if (c.isDirectory() && fs.existsSync(path.join(flux, c.name, FLUX_BOOTSTRAP_FOLDER, 'kustomization.yaml')))
      out.add(c.name);
  }
  return out;
}

/**
 * Files under `clusters/` and `flux/` outside every folder synth writes (`clusters/<file>`,
 * `clusters/<cluster>/<file>`, `flux/<file>`): nothing synth writes lives there, so each is drift.
 * Files at any depth inside a folder are compared with the folder's content instead.
 */
export function strayFiles(root: string): string[] {
  const out: string[] = [];
  const filesIn = (rel: string, descend: boolean): void => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (!e.isDirectory()) out.push(`${rel}/${e.name}`);
      else if (descend) filesIn(`${rel}/${e.name}`, false);
    }
  };
  filesIn('clusters', true);
  filesIn('flux', false);
  return out.sort();
}

/** Reads a unit's files recursively (relative paths with `/`), leaving out a flux bootstrap folder. */
export function readUnit(root: string, unit: string): Unit {
  const files: Unit = new Map();
  const base = path.join(root, unit);
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(base, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && isBootstrapFolder(unit, r)) continue;
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
function removals(
  root: string,
  units: ReadonlyMap<string, Unit>,
  owns: (unit: string) => boolean,
): { existing: string[]; remove: string[]; files: string[] } {
  const existing = listExistingUnits(root);
  // A flux folder that holds only a bootstrap folder is nothing of synth's any more.
  const remove = existing.filter(
    (unit) =>
      !units.has(unit) &&
      owns(unit) &&
      !(
        unit.startsWith('flux/') &&
        readUnit(root, unit).size === 0 &&
        fs.existsSync(path.join(root, unit, FLUX_BOOTSTRAP_FOLDER))
      ),
  );
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
  return {
    replace,
    remove: gone.remove,
    changedFiles: [...changedFiles, ...gone.files].sort(),
    existing: gone.existing,
  };
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
  static open(root: string, hooks: { failWrites?: string } = {}): StagingArea {
    fs.rmSync(path.join(root, STAGING_DIR), { recursive: true, force: true });
    return new StagingArea(root, hooks.failWrites);
  }

  private readonly replace: string[] = [];
  private readonly changedFiles: string[] = [];
  private writer?: { readonly thread: Worker; readonly done: Promise<void> };

  /** @param failWrites test hook: the writer fails its first file with this errno code (e.g. ENOSPC) */
  private constructor(
    private readonly root: string,
    private readonly failWrites?: string,
  ) {}

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
    return {
      replace: [...this.replace].sort(),
      remove: gone.remove,
      changedFiles: [...this.changedFiles, ...gone.files].sort(),
      existing: gone.existing,
    };
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
      units: [
        ...plan.replace.map((unit) => ({ unit, action: 'replace' as const })),
        ...plan.remove.map((unit) => ({ unit, action: 'delete' as const })),
      ],
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
      const thread = new Worker(STAGING_WRITER, {
        eval: true,
        execArgv: [],
        workerData: { failWrites: this.failWrites },
      });
      const done = new Promise<void>((resolve, reject) => {
        thread.once('message', (m: { error?: string; code?: string; path?: string }) =>
          m.error
            ? reject(Object.assign(new Error(`staging ${STAGING_DIR}: ${m.error}`), { code: m.code, path: m.path }))
            : resolve(),
        );
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
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
let error;
let code;
let where;
let inject = workerData && workerData.failWrites;
parentPort.on('message', (m) => {
  if (m === 'done') {
    parentPort.postMessage({ error, code, path: where });
    return;
  }
  if (error) return;
  try {
    if (inject) {
      const e = new Error(inject + ': injected write failure, ' + m.dir);
      e.code = inject;
      e.path = m.dir;
      inject = undefined;
      throw e;
    }
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
    code = e && e.code;
    where = e && e.path;
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
    // A flux bootstrap folder moves with the swap: into the staged folder before it replaces the
    // old one (a rename each, so a crash leaves it in one of the two, and recovery goes on).
    const bootstrap =
      unit.startsWith('flux/') && unit.split('/').length === 2 ? path.join(target, FLUX_BOOTSTRAP_FOLDER) : undefined;
    if (bootstrap && action === 'replace' && fs.existsSync(bootstrap)) {
      fs.rmSync(path.join(staged, FLUX_BOOTSTRAP_FOLDER), { recursive: true, force: true });
      fs.renameSync(bootstrap, path.join(staged, FLUX_BOOTSTRAP_FOLDER));
    }
    if (fs.existsSync(target)) {
      ensureParent(aside);
      // A run killed while it moved a bootstrap folder back out of `aside`: finish that first.
      if (bootstrap && fs.existsSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER)) && !fs.existsSync(bootstrap))
        fs.renameSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER), bootstrap);
      fs.rmSync(aside, { recursive: true, force: true });
      fs.renameSync(target, aside);
    }
    if (action === 'replace') {
      ensureParent(target);
      fs.renameSync(staged, target);
    } else if (bootstrap && fs.existsSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER))) {
      fs.mkdirSync(target, { recursive: true });
      fs.renameSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER), bootstrap);
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

/** How `withOutputLock` behaves while another live process holds the lock. */
export interface LockOptions {
  /** Wait for the holder (default) or fail at once with OutputLockedError (`--no-wait`). */
  readonly wait?: boolean;
  /** Give up after this long. @default 120000 */
  readonly timeoutMs?: number;
  /** Called at once when the lock is held by another live process, then about every 2 s while waiting. */
  readonly onWait?: (holder: { readonly pid: number; readonly since: Date; readonly waitedMs: number }) => void;
}

/** Another live synth holds the output lock, and this one did not wait (or waited too long): exit 1. */
export class OutputLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly since: Date,
    waitedMs: number,
  ) {
    super(
      `another synth (pid ${pid}) has been writing clusters/ and flux/ since ${since.toISOString()}` +
        (waitedMs > 0 ? `; gave up after waiting ${Math.round(waitedMs / 1000)} s` : '') +
        '. Nothing was written. Run again when it has finished (without --no-wait to wait for it).',
    );
    this.name = 'OutputLockedError';
  }
}

const LOCK_PROGRESS_MS = 2000;

/**
 * One writer at a time: `nx affected -t synth` may start several app synths at once, and they
 * share cluster-wide folders. A lock held by a dead process (SIGKILL) is taken over; one held by a
 * live process is reported at once (pid, since when), then waited for with progress, or refused
 * with `wait: false`.
 */
export async function withOutputLock<T>(root: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = path.join(root, LOCK_FILE);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const start = Date.now();
  let lastReport = -Infinity;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw OutputWriteError.from(e) ?? e;
      const holder = readPid(lock);
      if (holder === undefined) continue; // released between our create and our read
      if (!holder || !isAlive(holder)) {
        takeOverStaleLock(lock, holder);
        continue;
      }
      const since = lockSince(lock);
      const waitedMs = Date.now() - start;
      if (opts.wait === false || waitedMs > timeoutMs)
        throw new OutputLockedError(holder, since, opts.wait === false ? 0 : waitedMs);
      if (Date.now() - lastReport >= LOCK_PROGRESS_MS) {
        opts.onWait?.({ pid: holder, since, waitedMs });
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** When the lock was taken (its file's modification time; now if it just disappeared). */
function lockSince(file: string): Date {
  try {
    return fs.statSync(file).mtime;
  } catch {
    return new Date();
  }
}

/**
 * Fails before anything is staged when a folder the plan swaps cannot be written (read-only file
 * system, permissions): renames need write access to the folder and to its parent.
 */
export function assertWritable(root: string, plan: WritePlan): void {
  const dirs = new Set<string>([root]);
  for (const unit of [...plan.replace, ...plan.remove]) {
    let dir = path.join(root, unit);
    if (fs.existsSync(dir)) dirs.add(dir);
    dir = path.dirname(dir);
    while (!fs.existsSync(dir) && dir !== root) dir = path.dirname(dir);
    dirs.add(dir);
  }
  for (const dir of dirs) fs.accessSync(dir, fs.constants.W_OK);
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
