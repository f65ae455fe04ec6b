import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { AppClaims, AppDefinition } from '@aks-gitops/workloads';
import { appSourceFiles, listAppFolders, loadApp, loadApps, precompileAppsAsync } from '../render/app-loader';
import type { LastWrite } from '../render/cluster-wide';
import type { SynthOutput } from '../render/fleet-synth';
import { cachesEnabled } from './cache-switch.cjs';
import { ClaimsCache, LIBS_DIR } from './claims-cache';
import type { FileHashes } from './claims-cache';
import { changedSinceBase } from './git-base';
import { RENDERED_RECORD_FILE, RenderedRecord } from './rendered-record';
import type { AppFolders } from './rendered-record';
import { SourceHashes } from './source-hashes';

/**
 * Which apps a synth loads and declares, and which it replays from the claims cache; and, after
 * the write, what it records for the next run. The one place where a synth meets the caches.
 */

/** What decides the app sources (a subset of SynthCommandOptions). */
export interface AppSourcesRequest {
  readonly root: string;
  /** Apps given by the caller (tests, a programmatic fleet): used as they are, with no cache. */
  readonly apps?: readonly AppDefinition[];
  readonly onlyApps?: readonly string[];
  readonly onlyClusters?: readonly string[];
  /** false: `--no-cache`. The switch (cache-switch.cjs) has the last word. */
  readonly cache?: boolean;
  /** `synth --changed` without a usable record: ask git what changed since this commit (see changedSinceBase). */
  readonly base?: string;
}

/** Whether this synth uses the caches: only for apps loaded from `<root>/apps`, and only when the switch allows. */
export function usesCaches(req: AppSourcesRequest): boolean {
  return !req.apps && cachesEnabled({ command: 'synth', noCache: req.cache === false });
}

/**
 * The apps to declare: the caller's, every app from source (caches off), or what the claims cache
 * leaves to declare. Without `recordClaims` the caller forgets the rendered record after writing.
 */
export async function appSources(
  req: AppSourcesRequest,
  clusters: readonly ClusterSpec[],
  sources = new SourceHashes(),
  changed?: ChangedApps,
): Promise<AppSources> {
  if (req.apps) return { apps: req.apps };
  if (!usesCaches(req)) return { apps: loadApps(path.join(req.root, 'apps')) };
  return cachedSources(req, clusters, sources, changed);
}

/** What `synth --changed` renders: these apps (undefined: all), judged by this record. */
export interface ChangedApps {
  readonly apps: readonly string[] | undefined;
  /** Every app folder under apps/ (listed once per run). */
  readonly names?: readonly string[];
  readonly record?: RenderedRecord;
  /**
   * Apps git vouched for (their sources and folders as committed at the base): their folders as
   * they were when git was asked, recorded after the write like rendered ones, so the next run on
   * this machine goes by the record.
   */
  readonly vouched?: ReadonlyMap<string, AppFolders>;
  /** Why everything is rendered, or what vouched for the apps not rendered (one line, for the summary). */
  readonly why: string;
}

/**
 * `synth --changed`: the apps to render, or undefined for all (see RenderedRecord). Pass the same
 * `sources`, and the answer, to appSources after it: each source file is then read and hashed once,
 * and the record tells the synth which cluster-wide units it may keep.
 */
export function changedApps(
  req: AppSourcesRequest,
  clusters: readonly ClusterSpec[],
  sources = new SourceHashes(),
): ChangedApps {
  if (req.onlyApps || req.apps) throw new Error('internal: --changed takes no app list');
  // Without the record (caches off) everything is rendered, which is what --changed promises then.
  if (!usesCaches(req)) return { apps: undefined, why: 'caches off: everything rendered' };
  const record = RenderedRecord.open(req.root, clusters, sources);
  const names = listAppFolders(path.join(req.root, 'apps'));
  if (record.usable || req.base === undefined) {
    const apps = record.stale(names);
    const why = !record.usable
      ? `no ${RENDERED_RECORD_FILE} and no --base/NX_BASE: everything rendered`
      : apps
        ? `the others as ${RENDERED_RECORD_FILE} recorded them`
        : 'everything rendered (libraries, lockfile, fleet or app list changed)';
    return { apps, names, record, why };
  }
  // A fresh clone or CI runner: git is the record, from a commit whose committed output CI proved.
  const answer = changedSinceBase(req.root, req.base, names);
  if (answer.kind === 'everything')
    return { apps: undefined, names, record, why: `${answer.reason}: everything rendered` };
  const vouched = new Map<string, AppFolders>();
  const stale = new Set(answer.apps);
  for (const name of names) {
    const folders = stale.has(name) ? undefined : record.foldersNow(name);
    if (folders) vouched.set(name, folders);
  }
  return { apps: answer.apps, names, record, vouched, why: `the others as committed at ${req.base} (git)` };
}

export interface AppSources {
  readonly apps: readonly AppDefinition[];
  readonly replayed?: ReadonlyMap<string, Readonly<Record<string, AppClaims>>>;
  /** The owners of the replayed apps, as cached with their claims (see SynthRequest.replayedOwners). */
  readonly replayedOwners?: ReadonlyMap<string, readonly string[]>;
  /**
   * `synth --changed`: what the cluster-wide units on disk were written from, so the synth keeps
   * those that nothing changed (see LastWrite).
   */
  readonly lastWrite?: LastWrite;
  /**
   * After a successful write: remember the declared apps' claims, and which folders were written
   * from which sources (RenderedRecord), for the next run. `bootstrapped`: the clusters whose
   * flux/<c> was rendered as bootstrapped.
   */
  readonly recordClaims?: (output: SynthOutput, bootstrapped: ReadonlySet<string>) => void;
}

/**
 * Which apps to load and declare, and which to replay from the claims cache. A full synth declares
 * every app. With `onlyApps`, these are declared: the requested apps (their folders are rendered),
 * every app whose sources changed since its claims were cached (so the cross-app checks see its
 * current claims), and every app that calls one of those (its calls are checked against the
 * callee's current ports, and a requested app's callers hold its ingress). The rest are replayed.
 */
async function cachedSources(
  opts: AppSourcesRequest,
  clusters: readonly ClusterSpec[],
  sources: SourceHashes,
  changed: ChangedApps | undefined,
): Promise<AppSources> {
  // `--app` keeps the cluster-wide units by the same record as `--changed` (see LastWrite).
  const record = changed?.record ?? (opts.onlyApps ? RenderedRecord.open(opts.root, clusters, sources) : undefined);
  const appsDir = path.join(opts.root, 'apps');
  const names = changed?.names ?? listAppFolders(appsDir);
  const cache = ClaimsCache.open(opts.root, clusters, { read: opts.onlyApps !== undefined, sources });
  const replayed = new Map<string, Readonly<Record<string, AppClaims>>>();
  const replayedOwners = new Map<string, readonly string[]>();
  if (opts.onlyApps) {
    const fresh = new Set<string>();
    for (const name of names) {
      const entry = opts.onlyApps.includes(name) ? undefined : cache.valid(name);
      if (entry) {
        replayed.set(name, entry.clusters);
        if (Array.isArray(entry.owners)) replayedOwners.set(name, entry.owners);
      } else fresh.add(name);
    }
    for (const [name, claims] of replayed) {
      // Callers of a fresh app: their calls are checked against its current ports. Apps that
      // accept a requested app: a requested app's callees are rendered (they hold its ingress), and
      // consent is mandatory, so every callee it may have accepts it.
      const callsFresh = Object.values(claims).some((c) => c.calls.some((call) => fresh.has(call.targetApp)));
      const acceptsRequested = Object.values(claims).some((c) =>
        c.accepts.some((a) => opts.onlyApps?.includes(a.from)),
      );
      if (callsFresh || acceptsRequested) replayed.delete(name);
    }
  }
  const declared = names.filter((n) => !replayed.has(n));
  // Hashed as soon as each app is loaded: the claims recorded later belong to these contents.
  const sourceHashes = new Map<string, FileHashes>();
  await precompileAppsAsync(appsDir, declared);
  const apps = declared.map((n) => {
    const app = loadApp(path.join(appsDir, n), n);
    const files = appSourceFiles(path.join(appsDir, n), LIBS_DIR);
    if (files) sourceHashes.set(n, cache.hashFiles(files));
    return app;
  });
  const lastWrite: LastWrite | undefined = record && {
    clusterWideAsWritten: (cluster, bootstrapped) => record.clusterWideAsWritten(cluster, bootstrapped),
    codeownersAsWritten: () => record.codeownersAsWritten(),
    recorded: (app) => cache.recorded(app),
  };
  return {
    apps,
    replayed,
    replayedOwners,
    lastWrite,
    recordClaims: (output, bootstrapped) => {
      // A run limited to some clusters knows the declared apps' claims on those clusters only, and
      // wrote some clusters' folders only.
      if (opts.onlyClusters) {
        RenderedRecord.forget(opts.root);
        return;
      }
      // Recorded only while their files are as loaded (see ClaimsCache.record); the rendered
      // record takes the same apps, so each file is read again once, not once per cache.
      const owners = new Map(apps.map((a) => [a.name, a.owners]));
      const asLoaded = new Set<string>();
      for (const [name, hashes] of sourceHashes) {
        const claims = output.claims.get(name);
        if (claims && cache.record(name, hashes, claims, owners.get(name))) asLoaded.add(name);
      }
      cache.save(names);
      // The apps whose folders this run owned (wrote or removed) on every cluster.
      const rendered = new Map<string, FileHashes>();
      for (const [name, hashes] of sourceHashes) {
        if (asLoaded.has(name) && clusters.every((c) => output.owns(`clusters/${c.name}/${name}`)))
          rendered.set(name, hashes);
      }
      const vouched = new Map<string, { hashes: FileHashes; folders: AppFolders }>();
      for (const [name, folders] of changed?.vouched ?? []) {
        const hashes = sourceHashes.get(name);
        if (hashes && asLoaded.has(name) && !rendered.has(name)) vouched.set(name, { hashes, folders });
      }
      (record ?? RenderedRecord.open(opts.root, clusters)).save(rendered, names, output.units, bootstrapped, vouched);
    },
  };
}
