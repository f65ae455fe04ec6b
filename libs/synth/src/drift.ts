import { planWrite, recoverInterruptedWrite } from './output-tree';
import type { SynthCommandOptions } from './synth-command';
import { synthesize } from './synth-command';

export interface DriftResult {
  /** Files that differ between the code's output and the tree (added, changed or removed). */
  readonly files: string[];
}

/**
 * Synthesizes everything in memory and compares it with `clusters/` and `flux/` on disk. Hand
 * edits, stale output and files no app produces all show up; nothing is written.
 */
export function checkDrift(opts: SynthCommandOptions): DriftResult {
  recoverInterruptedWrite(opts.root);
  const output = synthesize({ ...opts, onlyApps: undefined });
  // Per cluster (`drift --cluster c`, one CI job per cluster): that cluster's folders, and folders
  // of clusters no longer in the fleet (every job names them), so the union of the jobs' findings
  // is exactly what one run finds.
  const fleet = new Set(output.fleet.map((c) => c.name));
  const owns = opts.onlyClusters ? (unit: string) => output.owns(unit) || !fleet.has(unit.split('/')[1] ?? '') : output.owns;
  const plan = planWrite(opts.root, output.units, owns);
  return { files: plan.changedFiles };
}
