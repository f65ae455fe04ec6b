import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { readCacheFile, writeCacheFile } from './cache-file';
import { CACHE_DIR } from './cache-switch.cjs';
import { toolchainHash } from './claims-cache';
import { SourceHashes } from './source-hashes';
import type { Unit } from '../output-unit';

/**
 * Where `synth --changed` remembers what each app folder was last written from (git-ignored,
 * machine-local). Deleting it is always safe: the next `synth --changed` renders everything.
 */
export const RENDERED_RECORD_FILE = `${CACHE_DIR}/rendered.json`;

const RECORD_FORMAT = 3;

type Hashes = Readonly<Record<string, string>>;

interface RecordFile {
  readonly format: number;
  /** The libraries and lockfile (claims-cache's toolchain hash) the folders were rendered with. */
  readonly toolchain: string;
  readonly fleet: string;
  /** App -> its source files (relative path -> sha256) when its folders were last written. */
  readonly apps: Readonly<Record<string, Hashes>>;
  /**
   * App -> its folders as this synth left them: a folder deleted, added or edited since makes the
   * app stale, so `--changed` writes it again as a full synth would. Checked by `stat` first; a
   * file whose mtime moved (a fresh clone, a checkout) is compared by content, so a restored
   * `.synth-cache/` still saves a fresh clone from rendering everything.
   */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, FolderState>>>>;
}

/** A written folder: its mtime and, per file, [size, mtime, sha256 of the content]. */
interface FolderState {
  readonly mtime: number;
  readonly files: Readonly<Record<string, readonly [number, number, string]>>;
}

/**
 * What `synth --changed` (the Nx `fleet:synth` target) needs to render only what changed: for every
 * app, the source files its folders were last written from. An app is stale when its entry is
 * missing or any of those files changed; stale apps are rendered (with their callers, like `--app`),
 * the rest keep their folders. Any change that is not one app's own files (libraries, lockfile,
 * fleet, an app removed, no record at all) renders everything.
 *
 * An app is also stale when its folders are not as the last synth left them (a folder or file
 * added or deleted, or a file whose size or content differ; content is read only where an mtime
 * moved), so a hand-edited or deleted folder is written again, as a full synth would.
 *
 * Only a synth that knows exactly which folders it wrote updates the record, after the write; every
 * other write (`--cluster`, `--no-cache`, a programmatic fleet) deletes it. So an entry never
 * claims a folder is current when it is not: at worst an app is rendered again for nothing.
 */
export class RenderedRecord {
  static open(root: string, fleet: readonly ClusterSpec[], sources = new SourceHashes()): RenderedRecord {
    const parsed = readCacheFile<RecordFile>(path.join(root, RENDERED_RECORD_FILE));
    const toolchain = toolchainHash();
    const fleetHash = sha256(JSON.stringify(fleet));
    const usable =
      parsed?.format === RECORD_FORMAT &&
      parsed.toolchain === toolchain &&
      parsed.fleet === fleetHash &&
      parsed.apps &&
      parsed.outputs
        ? parsed
        : undefined;
    const clusters = fleet.map((c) => c.name);
    return new RenderedRecord(root, toolchain, fleetHash, clusters, usable?.apps, usable?.outputs, sources);
  }

  /** Deletes the record: after a write it cannot describe, everything must be rendered again. */
  static forget(root: string): void {
    fs.rmSync(path.join(root, RENDERED_RECORD_FILE), { force: true });
  }

  private constructor(
    private readonly root: string,
    private readonly toolchain: string,
    private readonly fleetHash: string,
    private readonly clusters: readonly string[],
    private readonly apps: Readonly<Record<string, Hashes>> | undefined,
    private readonly outputs: RecordFile['outputs'] | undefined,
    private readonly sources: SourceHashes,
  ) {}

  /**
   * The apps whose folders may not match their sources, or undefined when everything must be
   * rendered (no usable record, or an app in the record no longer exists: its folders must go).
   */
  stale(names: readonly string[]): string[] | undefined {
    if (!this.apps) return undefined;
    if (Object.keys(this.apps).some((app) => !names.includes(app))) return undefined;
    const stale = names.filter((name) => !this.current(name));
    return stale.length === names.length ? undefined : stale;
  }

  private current(app: string): boolean {
    const files = this.apps?.[app];
    const outputs = this.outputs?.[app];
    if (!files || !outputs) return false;
    for (const [file, hash] of Object.entries(files)) {
      if (this.sources.of(path.resolve(this.root, file)) !== hash) return false;
    }
    for (const [folder, state] of Object.entries(outputs)) if (!this.folderIsAsWritten(folder, state)) return false;
    // And no folder where none was written.
    return this.clusters.every(
      (c) =>
        `clusters/${c}/${app}` in outputs ||
        fs.statSync(path.join(this.root, 'clusters', c, app), { throwIfNoEntry: false }) === undefined,
    );
  }

  private folderIsAsWritten(folder: string, state: FolderState): boolean {
    const dir = path.join(this.root, folder);
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory()) return false;
    const names = Object.keys(state.files);
    // A folder's mtime moves when a file is added or removed (and on a fresh clone): list it then.
    if (st.mtimeMs !== state.mtime) {
      let now: string[];
      try {
        now = fs.readdirSync(dir).sort();
      } catch {
        return false;
      }
      if (now.length !== names.length || now.some((n, i) => n !== names[i])) return false;
    }
    return names.every((name) => {
      const [size, mtime, hash] = state.files[name];
      const file = path.join(dir, name);
      const fst = fs.statSync(file, { throwIfNoEntry: false });
      if (!fst?.isFile() || fst.size !== size) return false;
      return fst.mtimeMs === mtime || this.sources.of(file) === hash;
    });
  }

  /** An app's folders as just written: their files' texts from the units, sizes and mtimes from disk. */
  private writtenFolders(app: string, units: ReadonlyMap<string, Unit>): Record<string, FolderState> | undefined {
    const out: Record<string, FolderState> = {};
    for (const cluster of this.clusters) {
      const folder = `clusters/${cluster}/${app}`;
      const st = fs.statSync(path.join(this.root, folder), { throwIfNoEntry: false });
      if (!st) continue;
      const unit = units.get(folder);
      if (!unit || !st.isDirectory()) return undefined;
      const files: Record<string, readonly [number, number, string]> = {};
      for (const name of [...unit.keys()].sort()) {
        const fst = fs.statSync(path.join(this.root, folder, name), { throwIfNoEntry: false });
        if (!fst) return undefined;
        files[name] = [fst.size, fst.mtimeMs, sha256(unit.get(name) ?? '')];
      }
      out[folder] = { mtime: st.mtimeMs, files };
    }
    return out;
  }

  /**
   * After a write: `rendered` maps each app whose folders this synth owned to the hashes its files
   * had when it was loaded. An app whose files changed since (saved while synth ran) loses its
   * entry, so the next run renders it again. Entries of apps not rendered this run are kept.
   */
  save(rendered: ReadonlyMap<string, Hashes>, existingApps: readonly string[], units: ReadonlyMap<string, Unit>): void {
    const apps: Record<string, Hashes> = {};
    const outputs: Record<string, RecordFile['outputs'][string]> = {};
    for (const name of [...existingApps].sort()) {
      const hashes = rendered.get(name);
      if (!hashes) {
        const kept = this.apps?.[name];
        const keptOutputs = this.outputs?.[name];
        if (kept && keptOutputs) {
          apps[name] = kept;
          outputs[name] = keptOutputs;
        }
        continue;
      }
      const unchanged = Object.entries(hashes).every(([file, hash]) => {
        try {
          return sha256(fs.readFileSync(path.resolve(this.root, file))) === hash;
        } catch {
          return false;
        }
      });
      const folders = unchanged ? this.writtenFolders(name, units) : undefined;
      if (folders) {
        apps[name] = hashes;
        outputs[name] = folders;
      }
    }
    const body: RecordFile = { format: RECORD_FORMAT, toolchain: this.toolchain, fleet: this.fleetHash, apps, outputs };
    writeCacheFile(path.join(this.root, RENDERED_RECORD_FILE), body);
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
