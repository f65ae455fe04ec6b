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
