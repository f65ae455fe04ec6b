import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { readCacheFile, writeCacheFile } from './cache-file';
import { CACHE_DIR } from './cache-switch.cjs';
import { toolchainHash } from './claims-cache';
import { SourceHashes } from './source-hashes';

/**
 * Where `synth --changed` remembers what each app folder was last written from (git-ignored,
 * machine-local). Deleting it is always safe: the next `synth --changed` renders everything.
 */
export const RENDERED_RECORD_FILE = `${CACHE_DIR}/rendered.json`;

const RECORD_FORMAT = 2;

type Hashes = Readonly<Record<string, string>>;

interface RecordFile {
  readonly format: number;
  /** The libraries and lockfile (claims-cache's toolchain hash) the folders were rendered with. */
  readonly toolchain: string;
  readonly fleet: string;
  /** App -> its source files (relative path -> sha256) when its folders were last written. */
  readonly apps: Readonly<Record<string, Hashes>>;
  /**
   * App -> the files of its folders (relative path -> "size:mtime") right after they were written:
   * a folder deleted or a file edited since makes the app stale, so `--changed` writes it again as
   * a full synth would (the drift check compares contents; this only decides what to render).
   */
  readonly outputs: Readonly<Record<string, Hashes>>;
}

/**
 * What `synth --changed` (the Nx `fleet:synth` target) needs to render only what changed: for every
 * app, the source files its folders were last written from. An app is stale when its entry is
 * missing or any of those files changed; stale apps are rendered (with their callers, like `--app`),
 * the rest keep their folders. Any change that is not one app's own files (libraries, lockfile,
 * fleet, an app removed, no record at all) renders everything.
 *
 * An app is also stale when its folders are not as this machine's last synth left them (a file
 * added, deleted or edited since: size or modification time differ), so a hand-edited or deleted
 * folder is written again, as a full synth would.
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
    private readonly outputs: Readonly<Record<string, Hashes>> | undefined,
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
    // Every recorded folder and file as it was (size, mtime; a folder's mtime moves when a file is
    // added to or removed from it), and no folder where none was written.
    for (const [file, state] of Object.entries(outputs))
      if (stateOf(path.join(this.root, file)) !== state) return false;
    return this.clusters.every(
      (c) => `clusters/${c}/${app}` in outputs || stateOf(path.join(this.root, 'clusters', c, app)) === undefined,
    );
  }

  /** An app's folders on every cluster and the files in them, each with its state (see stateOf). */
  private outputFiles(app: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const cluster of this.clusters) {
      const dir = `clusters/${cluster}/${app}`;
      const state = stateOf(path.join(this.root, dir));
      if (state === undefined) continue;
      out[dir] = state;
      let names: string[] = [];
      try {
        names = fs.readdirSync(path.join(this.root, dir));
      } catch {
        // not a folder: its state says so
      }
      for (const name of names.sort()) out[`${dir}/${name}`] = stateOf(path.join(this.root, dir, name)) ?? 'gone';
    }
    return out;
  }

  /**
   * After a write: `rendered` maps each app whose folders this synth owned to the hashes its files
   * had when it was loaded. An app whose files changed since (saved while synth ran) loses its
   * entry, so the next run renders it again. Entries of apps not rendered this run are kept.
   */
  save(rendered: ReadonlyMap<string, Hashes>, existingApps: readonly string[]): void {
    const apps: Record<string, Hashes> = {};
    const outputs: Record<string, Hashes> = {};
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
      if (unchanged) {
        apps[name] = hashes;
        outputs[name] = this.outputFiles(name);
      }
    }
    const body: RecordFile = { format: RECORD_FORMAT, toolchain: this.toolchain, fleet: this.fleetHash, apps, outputs };
    writeCacheFile(path.join(this.root, RENDERED_RECORD_FILE), body);
  }
}

/** "size:mtime" of a file or folder, or undefined when there is none. */
function stateOf(file: string): string | undefined {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? `${st.isDirectory() ? 'dir' : st.size}:${st.mtimeMs}` : undefined;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
