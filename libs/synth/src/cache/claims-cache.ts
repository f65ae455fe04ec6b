import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { AppClaims } from '@aks-gitops/workloads';
import { SourceHashes } from './source-hashes';
import { readCacheFile, writeCacheFile } from './cache-file';
import { CACHE_DIR } from './cache-switch.cjs';

/**
 * Where the claims cache lives, relative to the repository root (git-ignored, machine-local).
 * Deleting it is always safe: the next synth declares every app it needs again.
 */
export const CLAIMS_CACHE_FILE = `${CACHE_DIR}/claims.json`;

/** Bump when the meaning of AppClaims or of the cache file changes. */
const CACHE_FORMAT = 5;

/**
 * Files and their sha256, as [path relative to the repository root, sha256] pairs in load order.
 *
 * Pairs, not an object keyed by path: an object made per app whose first key is the app's own path
 * (by JSON.parse or by code) gives V8's empty-object map one more transition per app, and past
 * 1,536 transitions that shared map takes no more. From then on every object the synth builds
 * from `{}` with a key first seen later (most of a manifest's keys) gets a map of its own: at 2,000
 * apps that was ~900,000 extra maps, megamorphic property access everywhere and a third more CPU
 * (BENCHMARKS.md, growth). Apps, clusters and paths are never the first key of a per-app object.
 */
export type FileHashes = ReadonlyArray<readonly [file: string, sha256: string]>;

/** Whether a value read from a cache file has FileHashes' shape (anything else is not used). */
export function isFileHashes(v: unknown): v is FileHashes {
  return (
    Array.isArray(v) &&
    v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string')
  );
}

/** One app's claims on every cluster of the fleet, and the source files they were declared from. */
export interface CachedApp {
  /**
   * Path relative to the repository root -> sha256, for every file the app's module loaded outside
   * node_modules and libs/. Relative, so a copied checkout checks its own files, not the original's.
   */
  readonly files: FileHashes;
  /** Cluster name -> the app's claims there. */
  readonly clusters: Readonly<Record<string, AppClaims>>;
  /**
   * The app's `defineApp({ owners })` (empty: none), so `synth --app` writes the same CODEOWNERS as a
   * full synth without loading the app: like its claims, a pure function of its files.
   */
  readonly owners: readonly string[];
  /** sha256 over the app's name, files, claims and owners with the toolchain and fleet: an edited entry is not used. */
  readonly integrity: string;
}

interface CacheFile {
  readonly format: number;
  /** Hash of the libraries that declare apps (their sources and the lockfile). */
  readonly toolchain: string;
  /** Hash of the validated fleet (every ClusterSpec). */
  readonly fleet: string;
  readonly apps: Readonly<Record<string, CachedApp>>;
}

/**
 * The claims every app made on every cluster at the last synth that declared it, so `synth --app X`
 * can replay the other apps' claims instead of loading and declaring them (the cross-app checks and
 * the cluster-wide folders need every app's claims; only X and the apps wired to it need
 * constructs). An entry is used only when everything its declaration depended on is byte-identical:
 * the app's own source files, the libraries and lockfile, and the fleet. Declaring is a pure
 * function of those, so a replayed entry equals a fresh declaration; anything else (a changed file,
 * a new library version, an edited cluster, an unreadable cache) falls back to declaring the app.
 */
export class ClaimsCache {
  /**
   * Opens the cache for this fleet and these libraries; an absent or unusable file is an empty
   * cache. A run that declares every app anyway (a full synth) passes `read: false`: it only records.
   */
  static open(
    root: string,
    fleet: readonly ClusterSpec[],
    { read = true, sources = new SourceHashes() }: { read?: boolean; sources?: SourceHashes } = {},
  ): ClaimsCache {
    const toolchain = toolchainHash();
    const fleetHash = sha256(JSON.stringify(fleet));
    const file = path.join(root, CLAIMS_CACHE_FILE);
    const parsed = read ? readCacheFile<CacheFile>(file) : undefined;
    // From another version, library set or fleet: start empty.
    const usable =
      parsed?.format === CACHE_FORMAT && parsed.toolchain === toolchain && parsed.fleet === fleetHash && parsed.apps;
    const entries: Record<string, CachedApp> = usable ? { ...parsed.apps } : {};
    return new ClaimsCache(root, file, toolchain, fleetHash, entries, sources);
  }

  private constructor(
    private readonly root: string,
    private readonly file: string,
    private readonly toolchain: string,
    private readonly fleetHash: string,
    private readonly entries: Record<string, CachedApp>,
    private readonly sources: SourceHashes,
  ) {}

  /** The app's cached claims if every file it was declared from is unchanged, else undefined. */
  valid(app: string): CachedApp | undefined {
    const entry = this.recorded(app);
    if (!entry) return undefined;
    for (const [file, hash] of entry.files) {
      if (this.sources.of(path.resolve(this.root, file)) !== hash) return undefined;
    }
    return entry;
  }

  /**
   * The app's claims and owners as last recorded, whatever its files say now: what the cluster-wide
   * folders were rendered from at the last synth (see RenderedRecord.clusterWideAsWritten).
   */
  recorded(app: string): CachedApp | undefined {
    const entry = this.entries[app];
    if (!entry) return undefined;
    // Checked once per entry: synth asks for the same entries per cluster.
    if (!this.verified.has(entry)) {
      if (!isFileHashes(entry.files)) return undefined;
      if (entry.integrity !== claimsIntegrity(app, entry, this.toolchain, this.fleetHash)) return undefined;
      this.verified.add(entry);
    }
    return entry;
  }

  private readonly verified = new WeakSet<CachedApp>();

  /** The current sha256 of each file, with its path as entries store it (relative to the root). */
  hashFiles(files: readonly string[]): FileHashes {
    return files.map((f) => [path.relative(this.root, f), sha256(fs.readFileSync(f))] as const);
  }

  /**
   * Records a fresh declaration (kept in memory until `save`). `hashes` were taken right after the
   * app was loaded; if a file has changed since (saved while synth ran), the claims may belong to
   * the old content, so nothing is recorded and the next run declares the app again. Returns
   * whether the app was recorded (its files are still as loaded).
   */
  record(
    app: string,
    hashes: FileHashes,
    clusters: Readonly<Record<string, AppClaims>>,
    owners: readonly string[] = [],
  ): boolean {
    let now: FileHashes;
    try {
      now = this.hashFiles(hashes.map(([f]) => path.resolve(this.root, f)));
    } catch {
      return false;
    }
    if (hashes.some(([, h], i) => now[i]?.[1] !== h)) {
      delete this.entries[app];
      return false;
    }
    const entry = { files: hashes, clusters, owners: [...owners] };
    this.entries[app] = { ...entry, integrity: claimsIntegrity(app, entry, this.toolchain, this.fleetHash) };
    return true;
  }

  /** Writes the entries of the apps that still exist (see writeCacheFile). */
  save(existingApps: readonly string[]): void {
    const apps: Record<string, CachedApp> = {};
    for (const name of [...existingApps].sort()) if (this.entries[name]) apps[name] = this.entries[name];
    const body: CacheFile = { format: CACHE_FORMAT, toolchain: this.toolchain, fleet: this.fleetHash, apps };
    writeCacheFile(this.file, body);
  }
}

/**
 * The integrity hash of an entry. It catches a corrupt or hand-edited entry (which is then declared
 * again); an entry forged with a matching hash could change what `synth --app` writes, and the
 * drift check, which never reads this cache, names every file it changed.
 */
export function claimsIntegrity(
  app: string,
  entry: Pick<CachedApp, 'files' | 'clusters' | 'owners'>,
  toolchain: string,
  fleet: string,
): string {
  return sha256(JSON.stringify([CACHE_FORMAT, toolchain, fleet, app, entry.files, entry.clusters, entry.owners]));
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The workspace's libs/ directory (this file is libs/synth/src/cache/claims-cache.ts). */
export const LIBS_DIR = path.resolve(__dirname, '..', '..', '..');

let toolchainMemo: string | undefined;

/**
 * Everything besides an app's own files that its declaration runs: the sources of every workspace
 * library and the lockfile that pins cdk8s, cdk8s-plus and the rest of node_modules.
 */
export function toolchainHash(): string {
  if (toolchainMemo) return toolchainMemo;
  const h = createHash('sha256').update(`format ${CACHE_FORMAT}\n`);
  const files: string[] = [];
  for (const lib of fs.readdirSync(LIBS_DIR).sort()) {
    const src = path.join(LIBS_DIR, lib, 'src');
    if (fs.existsSync(src)) collect(src, files);
  }
  files.push(path.join(LIBS_DIR, '..', 'package-lock.json'));
  for (const f of files) {
    h.update(`${path.relative(LIBS_DIR, f)}\n`);
    h.update(fs.existsSync(f) ? fs.readFileSync(f) : 'absent');
  }
  toolchainMemo = h.digest('hex');
  return toolchainMemo;
}

function collect(dir: string, out: string[]): void {
  for (const d of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) collect(p, out);
    else out.push(p);
  }
}
