import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Unit } from '../output-unit';
import { STAGING_DIR, rollForward, stagedUnitDir, writeJournal } from './journal';
import { startStagingWriter } from './staging-writer';
import type { StagingWriter } from './staging-writer';
import { changedFilesOf, removals } from './write-plan';
import type { WritePlan } from './write-plan';

/**
 * Writes rendered units so that a crash or SIGKILL at any moment leaves every folder whole: either
 * its complete old content or its complete new content.
 *
 * 1. `add`, while synth is still rendering: each changed unit is handed to a writer thread as soon
 *    as it is rendered, which writes it in full under `.synth-staging/` (same filesystem as the
 *    output). Creating thousands of files (on this kind of disk as much CPU, in the kernel, as
 *    rendering them) runs on the second core instead of after everything else.
 * 2. `commit`, after every check passed: waits for the writer, publishes the journal and swaps the
 *    folders in (journal.ts). Nothing outside `.synth-staging/` is touched before.
 * 3. `discard`, when the run failed: the staging area is removed; the output was never touched.
 */
export class StagingArea {
  /** Clears a leftover staging area (call `recoverInterruptedWrite` first). */
  static open(root: string, hooks: { failWrites?: string } = {}): StagingArea {
    fs.rmSync(path.join(root, STAGING_DIR), { recursive: true, force: true });
    return new StagingArea(root, hooks.failWrites);
  }

  private readonly replace: string[] = [];
  private readonly changedFiles: string[] = [];
  private writer?: StagingWriter;

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
    this.writer ??= startStagingWriter(`staging ${STAGING_DIR}`, this.failWrites);
    // Strings are cloned into the writer: encoding and transferring buffers instead measured slower.
    this.writer.thread.postMessage({ dir: stagedUnitDir(this.root, unit), files: [...files] });
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
    const journal = writeJournal(this.root, plan.replace, plan.remove);
    hooks.afterJournal?.();
    rollForward(this.root, journal);
  }

  /** After a failure: stops staging and removes it; the output was never touched. */
  async discard(): Promise<void> {
    await this.finishWriting().catch(() => undefined);
    fs.rmSync(path.join(this.root, STAGING_DIR), { recursive: true, force: true });
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
