import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { BASELINE_FOLDER } from '@aks-gitops/workloads';
import { readCacheFile, writeCacheFile } from './cache-file';
import { CACHE_DIR } from './cache-switch.cjs';
import { isFileHashes, toolchainHash } from './claims-cache';
import type { FileHashes } from './claims-cache';
import { SourceHashes } from './source-hashes';
import {
  fileIsAsWritten,
  folderIsAsWritten,
  isFileState,
  isFolderState,
  sha256,
  statedFolder,
  writtenFile,
  writtenFolder,
} from './folder-state';
import type { FileState, FolderState } from './folder-state';
import { FILE_UNIT } from '../output-unit';
import type { Unit } from '../output-unit';
import { AZURE_FOLDER } from '../render/azure/azure-edge-files';
import { CODEOWNERS_FILE } from '../render/codeowners';

/**
 * Where `synth --changed` remembers what each app folder was last written from (git-ignored,
 * machine-local). Deleting it is always safe: the next `synth --changed` renders everything.
 */
export const RENDERED_RECORD_FILE = `${CACHE_DIR}/rendered.json`;

const RECORD_FORMAT = 5;

/** Cluster name -> an app's folder there (`clusters/<cluster>/<app>`); keyed by cluster, not by path (see FileHashes). */
export type AppFolders = Readonly<Record<string, FolderState>>;

interface RecordFile {
  readonly format: number;
  /** The libraries and lockfile (claims-cache's toolchain hash) the folders were rendered with. */
  readonly toolchain: string;
  readonly fleet: string;
  /** App -> its source files and their sha256 when its folders were last written. */
  readonly apps: Readonly<Record<string, FileHashes>>;
  /**
   * App -> its folders as this synth left them: a folder deleted, added or edited since makes the
   * app stale, so `--changed` writes it again as a full synth would. Checked by `stat` first; a
   * file whose mtime moved (a fresh clone, a checkout) is compared by content, so a restored
   * `.synth-cache/` still saves a fresh clone from rendering everything.
   */
  readonly outputs: Readonly<Record<string, AppFolders>>;
  /**
   * Cluster name -> its cluster-wide units (`clusters/<c>/platform`, `clusters/<c>/azure`,
   * `flux/<c>`) as the synth that last wrote them left them, and whether flux/<c> was bootstrapped
   * then (it changes flux/<c>/kustomization.yaml). With the claims they were rendered from (the
   * claims cache), `--changed` keeps them when no declared app's claims changed.
   */
  readonly clusterWide: Readonly<Record<string, ClusterWideState>>;
  /** `.github/CODEOWNERS` as last written: [size, mtime, sha256]. */
  readonly codeowners?: FileState;
}

interface ClusterWideState {
  readonly bootstrapped: boolean;
  readonly folders: Readonly<Record<string, FolderState>>;
}

/** The units of one cluster that every app's claims feed (see SynthRequest.lastWrite). */
export function clusterWideUnits(cluster: string): string[] {
  return [`clusters/${cluster}/${BASELINE_FOLDER}`, `clusters/${cluster}/${AZURE_FOLDER}`, `flux/${cluster}`];
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
      parsed.outputs &&
      parsed.clusterWide
        ? parsed
        : undefined;
    const clusters = fleet.map((c) => c.name);
    return new RenderedRecord(root, toolchain, fleetHash, clusters, usable, sources);
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
    private readonly last: RecordFile | undefined,
    private readonly sources: SourceHashes,
  ) {}

  /** Whether there is a record for these libraries and this fleet at all. */
  get usable(): boolean {
    return this.last !== undefined;
  }

  private get apps(): RecordFile['apps'] | undefined {
    return this.last?.apps;
  }

  private get outputs(): RecordFile['outputs'] | undefined {
    return this.last?.outputs;
  }

  /**
   * Whether a cluster's cluster-wide units are on disk exactly as the synth that last wrote them
   * left them, with flux/<c> bootstrapped as it was then. False without a record.
   */
  clusterWideAsWritten(cluster: string, bootstrapped: boolean): boolean {
    const state = this.last?.clusterWide[cluster];
    if (!state || state.bootstrapped !== bootstrapped || typeof state.folders !== 'object' || !state.folders)
      return false;
    return clusterWideUnits(cluster).every((unit) => {
      const folder: unknown = state.folders[unit];
      return isFolderState(folder) && folderIsAsWritten(path.join(this.root, unit), folder, this.sources);
    });
  }

  /** Whether `.github/CODEOWNERS` is as the last synth wrote it. False without a record. */
  codeownersAsWritten(): boolean {
    const state: unknown = this.last?.codeowners;
    return isFileState(state) && fileIsAsWritten(path.join(this.root, CODEOWNERS_FILE), state, this.sources);
  }

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
    // A record of another shape (hand-edited, another version) makes the app stale, never a crash.
    if (!isFileHashes(files) || typeof outputs !== 'object' || outputs === null) return false;
    for (const [file, hash] of files) {
      if (this.sources.of(path.resolve(this.root, file)) !== hash) return false;
    }
    // Each recorded folder as written, and no folder where none was written.
    return this.clusters.every((c) => {
      const state: unknown = outputs[c];
      const dir = path.join(this.root, 'clusters', c, app);
      return state !== undefined
        ? isFolderState(state) && folderIsAsWritten(dir, state, this.sources)
        : fs.statSync(dir, { throwIfNoEntry: false }) === undefined;
    });
  }

  /**
   * An app's folders as they are now, by `stat` alone (for apps git vouched for): their contents
   * are not hashed, so a folder whose mtimes move later (a fresh clone) counts as changed.
   */
  foldersNow(app: string): AppFolders | undefined {
    const out: Record<string, FolderState> = {};
    for (const cluster of this.clusters) {
      const dir = path.join(this.root, 'clusters', cluster, app);
      if (!fs.existsSync(dir)) continue;
      const state = statedFolder(dir);
      if (!state) return undefined;
      out[cluster] = state;
    }
    return out;
  }

  /** An app's folders as just written: their files' texts from the units, sizes and mtimes from disk. */
  private writtenFolders(app: string, units: ReadonlyMap<string, Unit>): AppFolders | undefined {
    const out: Record<string, FolderState> = {};
    for (const cluster of this.clusters) {
      const folder = `clusters/${cluster}/${app}`;
      if (!fs.existsSync(path.join(this.root, folder))) continue;
      const unit = units.get(folder);
      const state = unit && writtenFolder(path.join(this.root, folder), unit);
      if (!state) return undefined;
      out[cluster] = state;
    }
    return out;
  }

  /**
   * The cluster-wide units as this run left them: written this run (all of a cluster's, or the
   * cluster is not recorded), or kept from the record when this run did not render them.
   */
  private clusterWideAfter(
    units: ReadonlyMap<string, Unit>,
    bootstrapped: ReadonlySet<string>,
  ): RecordFile['clusterWide'] {
    const out: Record<string, ClusterWideState> = {};
    for (const cluster of this.clusters) {
      const wide = clusterWideUnits(cluster);
      if (wide.every((unit) => !units.has(unit))) {
        const kept = this.last?.clusterWide[cluster];
        if (kept) out[cluster] = kept;
        continue;
      }
      const folders: Record<string, FolderState> = {};
      for (const unit of wide) {
        const text = units.get(unit);
        const state = text && writtenFolder(path.join(this.root, unit), text);
        if (!state) break;
        folders[unit] = state;
      }
      if (Object.keys(folders).length === wide.length)
        out[cluster] = { bootstrapped: bootstrapped.has(cluster), folders };
    }
    return out;
  }

  /**
   * After a write: `rendered` maps each app whose folders this synth owned to the hashes its files
   * had when it was loaded, for apps whose files are still as loaded (the caller checks that once
   * for both caches: an app saved while synth ran is left out, and the next run renders it again).
   * Entries of apps not rendered this run are kept.
   */
  save(
    rendered: ReadonlyMap<string, FileHashes>,
    existingApps: readonly string[],
    units: ReadonlyMap<string, Unit>,
    bootstrapped: ReadonlySet<string>,
    vouched: ReadonlyMap<string, { hashes: FileHashes; folders: AppFolders }> = new Map(),
  ): void {
    const apps: Record<string, FileHashes> = {};
    const outputs: Record<string, RecordFile['outputs'][string]> = {};
    for (const name of [...existingApps].sort()) {
      const hashes = rendered.get(name);
      const vouchedFor = vouched.get(name);
      if (!hashes && vouchedFor) {
        apps[name] = vouchedFor.hashes;
        outputs[name] = vouchedFor.folders;
        continue;
      }
      if (!hashes) {
        const kept = this.apps?.[name];
        const keptOutputs = this.outputs?.[name];
        if (kept && keptOutputs) {
          apps[name] = kept;
          outputs[name] = keptOutputs;
        }
        continue;
      }
      const folders = this.writtenFolders(name, units);
      if (folders) {
        apps[name] = hashes;
        outputs[name] = folders;
      }
    }
    const codeownersText = units.get(CODEOWNERS_FILE)?.get(FILE_UNIT);
    const codeowners =
      codeownersText === undefined
        ? this.last?.codeowners
        : writtenFile(path.join(this.root, CODEOWNERS_FILE), codeownersText);
    const body: RecordFile = {
      format: RECORD_FORMAT,
      toolchain: this.toolchain,
      fleet: this.fleetHash,
      apps,
      outputs,
      clusterWide: this.clusterWideAfter(units, bootstrapped),
      ...(codeowners ? { codeowners } : {}),
    };
    writeCacheFile(path.join(this.root, RENDERED_RECORD_FILE), body);
  }
}
