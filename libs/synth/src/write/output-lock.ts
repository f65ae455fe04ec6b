import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputWriteError } from './write-errors';

export const LOCK_FILE = '.synth-lock';

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
