import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS, loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { evaluate, formatTable, policyClusterOf } from '@aks-gitops/policy';
import type { PolicyReport } from '@aks-gitops/policy';
import type { AppDefinition } from '@aks-gitops/workloads';
import type { AppClaims } from '@aks-gitops/workloads';
import { appSourceFiles, listAppFolders, loadApp, loadApps } from './app-loader';
import { ClaimsCache, LIBS_DIR } from './claims-cache';
import { RenderedRecord } from './rendered-record';
import { synthesizeFleet } from './fleet-synth';
import type { SynthOutput } from './fleet-synth';
import {
  JOURNAL_FILE,
  OutputWriteError,
  StagingArea,
  assertWritable,
  bootstrappedClusters,
  recoverInterruptedWrite,
  withOutputLock,
} from './output-tree';
import type { LockOptions } from './output-tree';
import type { WritePlan } from './output-tree';

export interface SynthCommandOptions {
  /** Repository root: holds apps/, clusters/ and flux/. */
  readonly root: string;
  readonly onlyClusters?: readonly string[];
  readonly onlyApps?: readonly string[];
  /** Default: the fleet in @aks-gitops/cluster-model. */
  readonly clusters?: readonly ClusterSpec[];
  /** Default: every app under `<root>/apps`. */
  readonly apps?: readonly AppDefinition[];
  /**
   * Use and update the claims cache (default true; only for apps loaded from `<root>/apps`): with
   * `onlyApps`, apps that need no rendering and whose sources are unchanged are replayed from it
   * instead of loaded and declared. The output is the same either way.
   */
  readonly cache?: boolean;
  /**
   * Render only what changed since the last synth on this machine (`synth --changed`, what the Nx
   * `fleet:synth` target runs): the apps whose sources changed since their folders were last
   * written, their callers and the cluster-wide folders; everything when the libraries, lockfile or
   * fleet changed, an app was removed, or there is no record (see RenderedRecord). The output is
   * the same as a full synth's. Not with `onlyApps` or `apps`.
   */
  readonly changed?: boolean;
  /** Test hook: called after the journal is written, before folders are swapped. */
  readonly afterJournal?: () => void;
  /** Test hook: the staging writer fails its first file with this errno code (ENOSPC, EROFS, EACCES). */
  readonly failWrites?: string;
  /** While another synth holds the output lock: wait (default, with `onWait` progress) or fail at once (`wait: false`). */
  readonly lock?: LockOptions;
}

export interface SynthResult {
  readonly output: SynthOutput;
  readonly plan: WritePlan;
  readonly report: PolicyReport;
  readonly recovered: string;
  /** Apps loaded and declared this run, and apps whose claims were replayed from the claims cache. */
  readonly declared: readonly string[];
  readonly replayed: readonly string[];
}

/** Thrown when the policy gate rejects what synth produced; nothing was written. */
export class PolicyGateError extends Error {
  constructor(readonly report: PolicyReport) {
    // Show what blocks the write; warnings and waived findings are in `npm run policy`.
    const blocking = { ...report, findings: report.findings.filter((f) => f.severity === 'error' && !f.waived) };
    super(`policy gate: ${blocking.findings.length} error(s); nothing was written\n${formatTable(blocking)}`);
    this.name = 'PolicyGateError';
  }
}

/**
 * Synthesizes, checks fleet-wide and against the policy gate, then writes atomically. Changed
 * folders are staged while rendering goes on; only after every check passed are they swapped in.
 */
export async function runSynth(request: SynthCommandOptions): Promise<SynthResult> {
  return withOutputLock(
    request.root,
    async () => {
      const recovered = recoverInterruptedWrite(request.root);
      const staging = StagingArea.open(request.root, { failWrites: request.failWrites });
      let result: Omit<SynthResult, 'recovered'>;
      let recordClaims: ((output: SynthOutput) => void) | undefined;
      let opts = request;
      try {
        const clusters = loadFleet(opts.clusters ?? CLUSTERS);
        if (opts.changed) opts = { ...opts, onlyApps: changedApps(opts, clusters) };
        const sources =
          opts.apps || opts.cache === false
            ? { apps: opts.apps ?? loadApps(path.join(opts.root, 'apps')) }
            : cachedSources(opts, clusters);
        const output = synthesizeFleet({
          clusters,
          apps: sources.apps,
          replayed: sources.replayed,
          replayedOwners: sources.replayedOwners,
          onlyClusters: opts.onlyClusters,
          onlyApps: opts.onlyApps,
          onUnit: (unit, files) => staging.add(unit, files),
          fluxBootstrapped: bootstrappedClusters(opts.root),
        });
        const plan = staging.plan(output.units, output.owns);
        assertWritable(opts.root, plan);
        const report = gate(output, plan);
        if (!report.ok) throw new PolicyGateError(report);
        result = {
          output,
          plan,
          report,
          declared: sources.apps.map((a) => a.name).sort(),
          replayed: [...(sources.replayed?.keys() ?? [])].sort(),
        };
        recordClaims = sources.recordClaims;
      } catch (e) {
        await staging.discard().catch(() => undefined);
        throw OutputWriteError.from(e) ?? e;
      }
      try {
        // From here on the journal decides: a failure leaves it for the next command to roll forward.
        await staging.commit(result.plan, { afterJournal: opts.afterJournal });
      } catch (e) {
        const journal = fs.existsSync(path.join(opts.root, JOURNAL_FILE));
        if (!journal) await staging.discard().catch(() => undefined);
        throw OutputWriteError.from(e, journal ? 'journal' : 'nothing') ?? e;
      }
      if (recordClaims) recordClaims(result.output);
      else RenderedRecord.forget(opts.root);
      return { ...result, recovered };
    },
    request.lock,
  );
}

/** Everything, declared from source: the authority drift compares against. */
export function synthesize(opts: SynthCommandOptions): SynthOutput {
  const clusters = loadFleet(opts.clusters ?? CLUSTERS);
  const apps = opts.apps ?? loadApps(path.join(opts.root, 'apps'));
  return synthesizeFleet({
    clusters,
    apps,
    onlyClusters: opts.onlyClusters,
    onlyApps: opts.onlyApps,
    fluxBootstrapped: bootstrappedClusters(opts.root),
  });
}

/** `synth --changed`: the apps to render, or undefined for all (see RenderedRecord). */
function changedApps(opts: SynthCommandOptions, clusters: readonly ClusterSpec[]): readonly string[] | undefined {
  if (opts.onlyApps || opts.apps || opts.cache === false)
    throw new Error('internal: --changed takes no app list and needs the cache');
  return RenderedRecord.open(opts.root, clusters).stale(listAppFolders(path.join(opts.root, 'apps')));
}

interface AppSources {
  readonly apps: readonly AppDefinition[];
  readonly replayed?: ReadonlyMap<string, Readonly<Record<string, AppClaims>>>;
  /** The owners of the replayed apps, as cached with their claims (see SynthRequest.replayedOwners). */
  readonly replayedOwners?: ReadonlyMap<string, readonly string[]>;
  /**
   * After a successful write: remember the declared apps' claims, and which app folders were
   * written from which sources (RenderedRecord), for the next run.
   */
  readonly recordClaims?: (output: SynthOutput) => void;
}

/**
 * Which apps to load and declare, and which to replay from the claims cache. A full synth declares
 * every app. With `onlyApps`, these are declared: the requested apps (their folders are rendered),
 * every app whose sources changed since its claims were cached (so the cross-app checks see its
 * current claims), and every app that calls one of those (its calls are checked against the
 * callee's current ports, and a requested app's callers hold its ingress). The rest are replayed.
 */
function cachedSources(opts: SynthCommandOptions, clusters: readonly ClusterSpec[]): AppSources {
  const appsDir = path.join(opts.root, 'apps');
  const names = listAppFolders(appsDir);
  const cache = ClaimsCache.open(opts.root, clusters, { read: opts.onlyApps !== undefined });
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
  const sourceHashes = new Map<string, Record<string, string>>();
  const apps = declared.map((n) => {
    const app = loadApp(path.join(appsDir, n), n);
    const files = appSourceFiles(path.join(appsDir, n), LIBS_DIR);
    if (files) sourceHashes.set(n, cache.hashFiles(files));
    return app;
  });
  return {
    apps,
    replayed,
    replayedOwners,
    recordClaims: (output) => {
      // A run limited to some clusters knows the declared apps' claims on those clusters only, and
      // wrote some clusters' folders only.
      if (opts.onlyClusters) {
        RenderedRecord.forget(opts.root);
        return;
      }
      for (const [name, hashes] of sourceHashes) {
        const claims = output.claims.get(name);
        if (claims) cache.record(name, hashes, claims, apps.find((a) => a.name === name)?.owners);
      }
      cache.save(names);
      // The apps whose folders this run owned (wrote or removed) on every cluster.
      const rendered = new Map<string, Record<string, string>>();
      for (const [name, hashes] of sourceHashes) {
        if (clusters.every((c) => output.owns(`clusters/${c.name}/${name}`))) rendered.set(name, hashes);
      }
      RenderedRecord.open(opts.root, clusters).save(rendered, names);
    },
  };
}

/** The gate sees what the tree will hold after the write, so Flux paths are checked too. */
export function gate(output: SynthOutput, plan: WritePlan): PolicyReport {
  const removed = new Set(plan.remove);
  const existing = new Set([...plan.existing.filter((u) => !removed.has(u)), ...output.units.keys()]);
  const clusters = output.fleet.map(policyClusterOf);
  return evaluate({ documents: output.documents, clusters, existingPaths: existing });
}
