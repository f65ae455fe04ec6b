import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The machine-local caches under `.synth-cache/` (claims, compiled apps) are only ever a speed-up:
 * reading one that is absent, half-written or unparsable yields undefined, and writing one is best
 * effort. Writes go to one fixed temporary name, then a rename, so a killed synth leaves the old
 * file or the new one; synths run one at a time (the output lock), and a killed run's leftover is
 * overwritten by the next.
 */
export function readCacheFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeCacheFile(file: string, body: unknown): void {
  const tmp = `${file}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(body));
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
