import { planWrite, recoverInterruptedWrite, strayFiles } from './output-tree';
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
  const output = synthesize({ ...opts, onlyApps: undefined, onlyClusters: undefined });
  const plan = planWrite(opts.root, output.units, output.owns);
  return { files: [...new Set([...plan.changedFiles, ...strayFiles(opts.root)])].sort() };
}
