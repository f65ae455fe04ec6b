import * as fs from 'node:fs';
import * as path from 'node:path';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import { isFluxClusterUnit } from './existing-tree';

/**
 * The commit point of a write, and the swap after it. Once every changed unit is staged under
 * `.synth-staging/new/`, a journal naming the units to swap is written atomically (write + rename):
 * before it exists a crash leaves the old output untouched (the staging area is discarded next
 * time); after it, each unit is swapped by two renames (old folder aside, staged folder in), and a
 * run killed in that phase is rolled forward by the next command (`recoverInterruptedWrite`, which
 * every command calls first). Between the two renames of one unit the folder is briefly absent
 * (two syscalls); the journal names it and recovery completes it. Then the journal is removed, and
 * the staging area. Files are not fsync'ed: process death is covered, power loss is not (git is
 * the durable copy of this tree anyway).
 */
export const STAGING_DIR = '.synth-staging';
export const JOURNAL_FILE = '.synth-journal.json';

export interface Journal {
  readonly version: 1;
  readonly units: ReadonlyArray<{ readonly unit: string; readonly action: 'replace' | 'delete' }>;
}

/** Where a unit is staged before the swap. */
export function stagedUnitDir(root: string, unit: string): string {
  return path.join(root, STAGING_DIR, 'new', unit);
}

/** Publishes the journal (the commit point): from here on the write completes, now or at the next command. */
export function writeJournal(root: string, replace: readonly string[], remove: readonly string[]): Journal {
  const journal: Journal = {
    version: 1,
    units: [
      ...replace.map((unit) => ({ unit, action: 'replace' as const })),
      ...remove.map((unit) => ({ unit, action: 'delete' as const })),
    ],
  };
  const staging = path.join(root, STAGING_DIR);
  fs.mkdirSync(staging, { recursive: true });
  const tmp = path.join(staging, 'journal.tmp');
  fs.writeFileSync(tmp, JSON.stringify(journal, null, 2) + '\n');
  fs.renameSync(tmp, path.join(root, JOURNAL_FILE));
  return journal;
}

/** Completes or discards an interrupted write. Safe to call at any time; a no-op when clean. */
export function recoverInterruptedWrite(root: string): 'clean' | 'rolled-forward' | 'discarded-staging' {
  const journalPath = path.join(root, JOURNAL_FILE);
  if (fs.existsSync(journalPath)) {
    rollForward(root, JSON.parse(fs.readFileSync(journalPath, 'utf8')) as Journal);
    return 'rolled-forward';
  }
  const staging = path.join(root, STAGING_DIR);
  if (fs.existsSync(staging)) {
    fs.rmSync(staging, { recursive: true, force: true });
    return 'discarded-staging';
  }
  return 'clean';
}

/** Swaps every unit of the journal in (or deletes it), then removes the journal and the staging area. */
export function rollForward(root: string, journal: Journal): void {
  const staging = path.join(root, STAGING_DIR);
  // Parent folders made (or found) once per run: thousands of units share a handful of parents,
  // and a failing mkdir costs as much as a successful one on a slow disk.
  const parents = new Set<string>();
  const ensureParent = (p: string): void => {
    const dir = path.dirname(p);
    if (parents.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    parents.add(dir);
  };
  for (const { unit, action } of journal.units) {
    const target = path.join(root, unit);
    const staged = path.join(staging, 'new', unit);
    const aside = path.join(staging, 'old', unit);
    if (action === 'replace' && !fs.existsSync(staged)) continue; // already swapped in
    // A flux bootstrap folder moves with the swap: into the staged folder before it replaces the
    // old one (a rename each, so a crash leaves it in one of the two, and recovery goes on).
    const bootstrap = isFluxClusterUnit(unit) ? path.join(target, FLUX_BOOTSTRAP_FOLDER) : undefined;
    if (bootstrap && action === 'replace' && fs.existsSync(bootstrap)) {
      fs.rmSync(path.join(staged, FLUX_BOOTSTRAP_FOLDER), { recursive: true, force: true });
      fs.renameSync(bootstrap, path.join(staged, FLUX_BOOTSTRAP_FOLDER));
    }
    if (fs.existsSync(target)) {
      ensureParent(aside);
      // A run killed while it moved a bootstrap folder back out of `aside`: finish that first.
      if (bootstrap && fs.existsSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER)) && !fs.existsSync(bootstrap))
        fs.renameSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER), bootstrap);
      fs.rmSync(aside, { recursive: true, force: true });
      fs.renameSync(target, aside);
    }
    if (action === 'replace') {
      ensureParent(target);
      fs.renameSync(staged, target);
    } else if (bootstrap && fs.existsSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER))) {
      fs.mkdirSync(target, { recursive: true });
      fs.renameSync(path.join(aside, FLUX_BOOTSTRAP_FOLDER), bootstrap);
    }
  }
  fs.rmSync(path.join(root, JOURNAL_FILE), { force: true });
  fs.rmSync(staging, { recursive: true, force: true });
  // A deleted unit may leave its cluster folder (or flux/) empty; nothing else can become empty.
  for (const { unit, action } of journal.units) {
    if (action === 'delete') removeEmptyAncestors(root, unit);
  }
}

/** Removes `unit`'s parent folders inside `root` while they are empty. */
function removeEmptyAncestors(root: string, unit: string): void {
  for (let dir = path.dirname(unit); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    if (fs.readdirSync(abs).length > 0) return;
    fs.rmdirSync(abs);
  }
}
