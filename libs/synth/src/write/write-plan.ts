import * as fs from 'node:fs';
import * as path from 'node:path';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import { FILE_UNIT } from '../output-unit';
import type { Unit } from '../output-unit';
import { listExistingUnits, readUnit } from './existing-tree';

/** What a write changes: the units it replaces and removes, and the files that differ. */
export interface WritePlan {
  readonly replace: string[];
  readonly remove: string[];
  /** Files added, changed or removed, relative to the repo root. */
  readonly changedFiles: string[];
  /** Units on disk before the write. */
  readonly existing: string[];
}

const fileOf = (unit: string, f: string): string => (f === FILE_UNIT ? unit : `${unit}/${f}`);

function sameUnit(a: Unit, b: Unit): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The files of `unit` that differ between the disk and `desired` (added, changed or removed). */
export function changedFilesOf(root: string, unit: string, desired: Unit): string[] {
  const current = readUnit(root, unit);
  if (sameUnit(current, desired)) return [];
  const changed: string[] = [];
  for (const f of new Set([...current.keys(), ...desired.keys()])) {
    if (current.get(f) !== desired.get(f)) changed.push(fileOf(unit, f));
  }
  return changed;
}

/** Units on disk that this run owns but did not produce: they are deleted. */
export function removals(
  root: string,
  units: ReadonlyMap<string, Unit>,
  owns: (unit: string) => boolean,
): { existing: string[]; remove: string[]; files: string[] } {
  const existing = listExistingUnits(root);
  // A flux folder that holds only a bootstrap folder is nothing of synth's any more.
  const remove = existing.filter(
    (unit) =>
      !units.has(unit) &&
      owns(unit) &&
      !(
        unit.startsWith('flux/') &&
        readUnit(root, unit).size === 0 &&
        fs.existsSync(path.join(root, unit, FLUX_BOOTSTRAP_FOLDER))
      ),
  );
  const files = remove.flatMap((unit) => [...readUnit(root, unit).keys()].map((f) => fileOf(unit, f)));
  return { existing, remove, files };
}

/** Compares desired units with the disk, within what this run owns. */
export function planWrite(root: string, units: ReadonlyMap<string, Unit>, owns: (unit: string) => boolean): WritePlan {
  const replace: string[] = [];
  const changedFiles: string[] = [];
  for (const [unit, desired] of [...units].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const changed = changedFilesOf(root, unit, desired);
    if (changed.length === 0) continue;
    replace.push(unit);
    changedFiles.push(...changed);
  }
  const gone = removals(root, units, owns);
  return {
    replace,
    remove: gone.remove,
    changedFiles: [...changedFiles, ...gone.files].sort(),
    existing: gone.existing,
  };
}

/**
 * Fails before anything is staged when a folder the plan swaps cannot be written (read-only file
 * system, permissions): renames need write access to the folder and to its parent.
 */
export function assertWritable(root: string, plan: WritePlan): void {
  const dirs = new Set<string>([root]);
  for (const unit of [...plan.replace, ...plan.remove]) {
    let dir = path.join(root, unit);
    if (fs.existsSync(dir)) dirs.add(dir);
    dir = path.dirname(dir);
    while (!fs.existsSync(dir) && dir !== root) dir = path.dirname(dir);
    dirs.add(dir);
  }
  for (const dir of dirs) fs.accessSync(dir, fs.constants.W_OK);
}
