import * as path from 'node:path';
import { CLUSTERS, loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { evaluate, formatTable } from '@aks-gitops/policy';
import type { PolicyReport } from '@aks-gitops/policy';
import type { AppDefinition } from '@aks-gitops/workloads';
import { loadApps } from './app-loader';
import { synthesizeFleet } from './fleet-synth';
import type { SynthOutput } from './fleet-synth';
import { applyWrite, planWrite, recoverInterruptedWrite, withOutputLock } from './output-tree';
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
  /** Test hook: called after the journal is written, before folders are swapped. */
  readonly afterJournal?: () => void;
}

export interface SynthResult {
  readonly output: SynthOutput;
  readonly plan: WritePlan;
  readonly report: PolicyReport;
  readonly recovered: string;
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

/** Synthesizes in memory, checks fleet-wide and against the policy gate, then writes atomically. */
export async function runSynth(opts: SynthCommandOptions): Promise<SynthResult> {
  return withOutputLock(opts.root, () => {
    const recovered = recoverInterruptedWrite(opts.root);
    const output = synthesize(opts);
    const plan = planWrite(opts.root, output.units, output.owns);
    const report = gate(output, plan);
    if (!report.ok) throw new PolicyGateError(report);
    applyWrite(opts.root, output.units, plan, { afterJournal: opts.afterJournal });
    return { output, plan, report, recovered };
  });
}

export function synthesize(opts: SynthCommandOptions): SynthOutput {
  const clusters = loadFleet(opts.clusters ?? CLUSTERS);
  const apps = opts.apps ?? loadApps(path.join(opts.root, 'apps'));
  return synthesizeFleet({ clusters, apps, onlyClusters: opts.onlyClusters, onlyApps: opts.onlyApps });
}

/** The gate sees what the tree will hold after the write, so Flux paths are checked too. */
export function gate(output: SynthOutput, plan: WritePlan): PolicyReport {
  const removed = new Set(plan.remove);
  const existing = new Set([...plan.existing.filter((u) => !removed.has(u)), ...output.units.keys()]);
  const clusters = output.fleet.map((c) => ({ name: c.name, environment: c.environment }));
  return evaluate({ documents: output.documents, clusters, existingPaths: existing });
}
