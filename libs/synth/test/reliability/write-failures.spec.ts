/**
 * Errors that are not bugs: a full disk, a read-only output folder, permission denied, or another
 * synth holding the output lock. Each is exit 1 with a clear message, never "a bug in aks-gitops"
 * (exit 3), and clusters/ and flux/ are left exactly as they were.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputLockedError, OutputWriteError, runSynth } from '@aks-gitops/synth';
import { EXAMPLE_APPS, scratchRoot, treeDigest } from '../scratch';

let root: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ root, cleanup } = scratchRoot('write-failures'));
  await runSynth({ root, apps: EXAMPLE_APPS });
  // A hand edit, so the next synth has a folder to write.
  fs.appendFileSync(path.join(root, 'clusters/aks-dev-weu/platform/manifests.yaml'), '# edited\n');
});
afterEach(() => cleanup());

const leftovers = (): string[] =>
  ['.synth-staging', '.synth-journal.json', '.synth-lock'].filter((f) => fs.existsSync(path.join(root, f)));

describe('the output folder cannot be written', () => {
  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'permission denied'],
  ])(
    '%s while staging: OutputWriteError naming the cause, nothing written, nothing left behind',
    async (code, cause) => {
      const before = treeDigest(root);
      const err = await runSynth({ root, apps: EXAMPLE_APPS, failWrites: code }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutputWriteError);
      expect((err as Error).message).toContain(`${cause} (${code})`);
      expect((err as Error).message).toContain('Nothing was written: clusters/ and flux/ are unchanged.');
      expect(treeDigest(root)).toEqual(before);
      expect(leftovers()).toEqual([]);
      // And the next synth, with the disk fixed, writes normally.
      expect((await runSynth({ root, apps: EXAMPLE_APPS })).plan.changedFiles).toEqual([
        'clusters/aks-dev-weu/platform/manifests.yaml',
      ]);
    },
  );
});

describe('another synth holds the output lock', () => {
  // A live process that is not this one: the test runner's parent.
  const holder = process.ppid;
  const since = new Date('2026-11-28T12:00:00Z');
  const holdLock = (): string => {
    const lock = path.join(root, '.synth-lock');
    fs.writeFileSync(lock, String(holder));
    fs.utimesSync(lock, since, since);
    return lock;
  };

  it('with wait: false (--no-wait) fails at once, naming the pid and since when, and writes nothing', async () => {
    holdLock();
    const before = treeDigest(root);
    const err = await runSynth({ root, apps: EXAMPLE_APPS, lock: { wait: false } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputLockedError);
    expect((err as Error).message).toBe(
      `another synth (pid ${holder}) has been writing clusters/ and flux/ since ${since.toISOString()}. Nothing was written. Run again when it has finished (without --no-wait to wait for it).`,
    );
    expect(treeDigest(root)).toEqual(before);
    expect(fs.readFileSync(path.join(root, '.synth-lock'), 'utf8')).toBe(String(holder)); // the holder's lock is untouched
  });

  it('by default says so at once (pid, since when), waits, and writes once the holder is done', async () => {
    const lock = holdLock();
    const seen: Array<{ pid: number; since: Date }> = [];
    const release = new Promise<void>((resolve) =>
      setImmediate(() => {
        // Released by its holder shortly after we started waiting.
        setTimeout(() => {
          fs.rmSync(lock);
          resolve();
        }, 300);
      }),
    );
    const r = await runSynth({
      root,
      apps: EXAMPLE_APPS,
      lock: { onWait: (h) => seen.push({ pid: h.pid, since: h.since }) },
    });
    await release;
    expect(seen[0]).toEqual({ pid: holder, since });
    expect(r.plan.changedFiles).toEqual(['clusters/aks-dev-weu/platform/manifests.yaml']);
    expect(leftovers()).toEqual([]);
  });
});
