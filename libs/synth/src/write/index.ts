/**
 * Writing: rendered units (output-unit.ts) become files in `clusters/`, `flux/` and
 * `.github/CODEOWNERS`, crash-safely, one writer at a time. What a command does with it:
 *
 *   withOutputLock(root, async () => {
 *     recoverInterruptedWrite(root);                 // finish a write a killed run left behind
 *     const staging = StagingArea.open(root);
 *     ...render, calling staging.add(unit, files) for each unit...
 *     const plan = staging.plan(units, owns);        // what changes; assertWritable(root, plan)
 *     await staging.commit(plan);                    // or staging.discard() when a check failed
 *   });
 *
 * `planWrite` compares units with the disk without writing anything (drift). The protocol:
 * staging-area.ts (stage while rendering), journal.ts (the commit point and the swap),
 * output-lock.ts (one writer at a time), existing-tree.ts (the tree as it is on disk).
 */
export { STAGING_DIR, JOURNAL_FILE, recoverInterruptedWrite } from './journal';
export { StagingArea } from './staging-area';
export { planWrite, assertWritable } from './write-plan';
export type { WritePlan } from './write-plan';
export { bootstrappedClusters, listExistingUnits, readUnit, strayFiles } from './existing-tree';
export { withOutputLock, OutputLockedError } from './output-lock';
export type { LockOptions } from './output-lock';
export { OutputWriteError } from './write-errors';
