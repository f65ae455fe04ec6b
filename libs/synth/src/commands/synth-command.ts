import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS, loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { evaluate, formatTable, policyClusterOf } from '@aks-gitops/policy';
import type { PolicyReport } from '@aks-gitops/policy';
import type { AppDefinition } from '@aks-gitops/workloads';
import { loadApps } from '../render/app-loader';
import { RenderedRecord, SourceHashes, appSources, changedApps } from '../cache';
import { synthesizeFleet } from '../render/fleet-synth';
import type { SynthOutput } from '../render/fleet-synth';
import { committedAllocations } from '../render/azure/allocation-files';
import {
  JOURNAL_FILE,
  OutputWriteError,
  StagingArea,
  assertWritable,
  bootstrappedClusters,
  recoverInterruptedWrite,
  withOutputLock,
} from '../write';
import type { LockOptions } from '../write';
import type { WritePlan } from '../write';

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
   * instead of loaded and declared. The output is the same either way. false is `--no-cache`;
   * the speed kit's switch (src/cache/cache-switch.cjs, e.g. AKS_GITOPS_NO_CACHE=1) has the last word.
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
  /**
   * With `changed`, where this machine has no usable record: a commit whose committed output is
   * what its code renders (a commit of main: CI's drift check proves it), so git says which apps
   * changed since (see changedSinceBase). Without it, everything is rendered.
   */
  readonly base?: string;
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
  /** With `changed`: what decided which apps were rendered (one line). */
  readonly changedBy?: string;
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
        const sourceHashes = new SourceHashes();
        const changed = opts.changed ? changedApps(opts, clusters, sourceHashes) : undefined;
        if (changed) opts = { ...opts, onlyApps: changed.apps };
        const sources = await appSources(opts, clusters, sourceHashes, changed);
        const bootstrapped = bootstrappedClusters(opts.root);
        const output = synthesizeFleet({
          clusters,
          apps: sources.apps,
          replayed: sources.replayed,
          replayedOwners: sources.replayedOwners,
          onlyClusters: opts.onlyClusters,
          onlyApps: opts.onlyApps,
          onUnit: (unit, files) => staging.add(unit, files),
          fluxBootstrapped: bootstrapped,
          allocations: committedAllocations(opts.root),
          lastWrite: sources.lastWrite,
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
          changedBy: changed?.why,
        };
        const record = sources.recordClaims;
        recordClaims = record && ((out) => record(out, bootstrapped));
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
    allocations: committedAllocations(opts.root),
  });
}

/** The gate sees what the tree will hold after the write, so Flux paths are checked too. */
export function gate(output: SynthOutput, plan: WritePlan): PolicyReport {
  const removed = new Set(plan.remove);
  const existing = new Set([...plan.existing.filter((u) => !removed.has(u)), ...output.units.keys()]);
  const clusters = output.fleet.map(policyClusterOf);
  return evaluate({ documents: output.documents, clusters, existingPaths: existing });
}
