import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * sha256 of source files, each read once per synth run: `synth --changed` asks the rendered record
 * whether an app's files changed, then the claims cache asks the same of the same files (about
 * 1,000 reads and hashes each at 1,000 apps). One instance lives for one run only, so a file edited
 * between two runs in the same process (tests) is always read again.
 */
export class SourceHashes {
  private readonly memo = new Map<string, string | undefined>();

  /** The sha256 of a file's bytes, or undefined when it cannot be read. */
  of(file: string): string | undefined {
    if (!this.memo.has(file)) {
      let hash: string | undefined;
      try {
        hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      } catch {
        hash = undefined;
      }
      this.memo.set(file, hash);
    }
    return this.memo.get(file);
  }
}
