import { planWrite, recoverInterruptedWrite, strayFiles } from '../write';
import type { SynthCommandOptions } from './synth-command';
import { synthesize } from './synth-command';

export interface DriftResult {
  /** Files that differ between the code's output and the tree (added, changed or removed). */
  readonly files: string[];
}

/**
 * Synthesizes everything in memory and compares it with `clusters/` and `flux/` on disk. Hand
 * edits, stale output and files no app produces (at any depth, top level included) all show up;
 * a `flux bootstrap` folder (flux/<cluster>/flux-system/) is Flux's own and left alone. Nothing is written.
 */
export function checkDrift(opts: SynthCommandOptions): DriftResult {
  recoverInterruptedWrite(opts.root);
  const output = synthesize({ ...opts, onlyApps: undefined });
  // Per cluster (`drift --cluster c`, one CI job per cluster): that cluster's folders and files,
  // and those of clusters no longer in the fleet (every job names them), so the union of the
  // jobs' findings is exactly what one run finds.
  const fleet = new Set(output.fleet.map((c) => c.name));
  const ownsPath = (p: string): boolean =>
    !opts.onlyClusters || opts.onlyClusters.includes(p.split('/')[1] ?? '') || !fleet.has(p.split('/')[1] ?? '');
  const owns = opts.onlyClusters
    ? (unit: string) => output.owns(unit) || !fleet.has(unit.split('/')[1] ?? '')
    : output.owns;
  const plan = planWrite(opts.root, output.units, owns);
  return { files: [...new Set([...plan.changedFiles, ...strayFiles(opts.root).filter(ownsPath)])].sort() };
}
