/** What a tree looks like after a crash, unit by unit, against the complete old and new trees. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tree } from './scratch';
import { JOURNAL, STAGING, readTree, subTree, unitsOf } from './scratch';

export interface CrashState {
  /** Units that are neither their complete old nor their complete new content (must be empty). */
  readonly violations: string[];
  /** Units absent while the journal names them: the documented two-rename window. */
  readonly inWindow: string[];
  /** Units named by `.synth-journal.json`, when it exists. */
  readonly journal?: string[];
  readonly staging: boolean;
  /** The tree as a whole. */
  readonly tree: 'old' | 'new' | 'mixed';
}

function sameTree(a: Tree, b: Tree): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function treesEqual(a: Tree, b: Tree): boolean {
  return sameTree(a, b);
}

/**
 * Checks the crash-safety invariant: every unit (`clusters/<c>/<x>`, `flux/<c>`) holds either its
 * complete old or its complete new content. The one tolerated exception is a unit that is absent
 * while the journal exists and names it (between the two renames of one unit).
 */
export function inspectCrash(root: string, oldTree: Tree, newTree: Tree): CrashState {
  const current = readTree(root);
  const journalPath = path.join(root, JOURNAL);
  let journal: string[] | undefined;
  const violations: string[] = [];
  if (fs.existsSync(journalPath)) {
    try {
      const parsed = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { units: Array<{ unit: string }> };
      journal = parsed.units.map((u) => u.unit);
    } catch (e) {
      violations.push(`${JOURNAL} is not readable JSON: ${String(e)}`);
    }
  }
  const inWindow: string[] = [];
  const units = [...new Set([...unitsOf(oldTree), ...unitsOf(newTree), ...unitsOf(current)])].sort();
  for (const unit of units) {
    const cur = subTree(current, unit);
    if (sameTree(cur, subTree(oldTree, unit)) || sameTree(cur, subTree(newTree, unit))) continue;
    if (cur.size === 0 && journal?.includes(unit)) {
      inWindow.push(unit);
      continue;
    }
    const o = subTree(oldTree, unit);
    const n = subTree(newTree, unit);
    const odd = [...cur.keys()].filter((f) => cur.get(f) !== o.get(f) && cur.get(f) !== n.get(f));
    violations.push(
      `${unit}: ${cur.size} file(s), neither the old (${o.size}) nor the new (${n.size}) content${odd.length ? `; e.g. ${odd.slice(0, 3).join(', ')}` : ''}`,
    );
  }
  const tree = sameTree(current, oldTree) ? 'old' : sameTree(current, newTree) ? 'new' : 'mixed';
  return {
    violations,
    inWindow,
    ...(journal ? { journal } : {}),
    staging: fs.existsSync(path.join(root, STAGING)),
    tree,
  };
}

/** `node --require <file>` preload that SIGKILLs the process at an exact filesystem step. */
export const KILL_PRELOAD = `'use strict';
// Written by the reliability suite: SIGKILL this process right before the Nth call of fs[OP]
// whose path is inside ROOT and matches MATCH. Counts are appended to COUNT_FILE (pid count).
const fs = require('node:fs');
const root = process.env.RELIABILITY_KILL_ROOT;
const op = process.env.RELIABILITY_KILL_OP;
const match = new RegExp(process.env.RELIABILITY_KILL_MATCH || '');
const at = Number(process.env.RELIABILITY_KILL_AT || '0');
const countFile = process.env.RELIABILITY_KILL_COUNT_FILE;
const append = fs.appendFileSync;
if (root && op && typeof fs[op] === 'function') {
  let n = 0;
  const original = fs[op];
  fs[op] = function (...args) {
    const p = String(args[0]);
    if (p.startsWith(root) && match.test(p)) {
      n += 1;
      if (n === at) process.kill(process.pid, 'SIGKILL');
    }
    return original.apply(this, args);
  };
  if (countFile) process.on('exit', () => append(countFile, process.pid + ' ' + n + '\\n'));
}
`;

export interface KillPoint {
  /** The fs function to intercept: renameSync, writeFileSync, rmSync, ... */
  readonly op: string;
  /** Regular expression on the path (first argument). */
  readonly match: string;
  /** Kill right before this (1-based) matching call. */
  readonly at: number;
}

export function killPointEnv(
  root: string,
  preload: string,
  point: KillPoint,
  countFile?: string,
): Record<string, string> {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim(),
    RELIABILITY_KILL_ROOT: root,
    RELIABILITY_KILL_OP: point.op,
    RELIABILITY_KILL_MATCH: point.match,
    RELIABILITY_KILL_AT: String(point.at),
    ...(countFile ? { RELIABILITY_KILL_COUNT_FILE: countFile } : {}),
  };
}
