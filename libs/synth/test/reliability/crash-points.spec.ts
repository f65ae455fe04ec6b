/**
 * Crash safety at exact steps of the write protocol (libs/synth/src/write/), complementing the timed
 * kills of crash-safety.spec.ts, which land wherever the scheduler puts them. A preload script
 * (`node --require`, through NODE_OPTIONS into the process tsx spawns) SIGKILLs the synth process
 * right before the Nth filesystem call of a given kind under the scratch root: while staging,
 * before the journal is published, between the two renames of one folder, in the middle and at
 * the end of the swaps, before the journal is removed, and before staging is cleaned up; plus a
 * crash during recovery itself. The change removes an app, adds one and rewrites the others, so
 * journal entries of both kinds (replace, delete) are exercised.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigAppName, bigFleetApps } from './support/big-fleet';
import type { CrashState, KillPoint } from './support/crash';
import { KILL_PRELOAD, inspectCrash, killPointEnv, treesEqual } from './support/crash';
import type { CliResult, Tree } from './support/scratch';
import {
  controlFilesLeft,
  copyRepo,
  mapLimit,
  readTree,
  removeScratch,
  runSynthCli,
  scratchRepo,
  syncOutput,
  writeApp,
} from './support/scratch';

const OLD_APPS = bigFleetApps(8, 2);
const NEW_APPS = (() => {
  const apps = bigFleetApps(9, 3);
  delete apps[bigAppName(1)];
  return apps;
})();

interface Scenario {
  readonly title: string;
  /** The kill point; `at` may depend on the number of renames a full run makes. */
  readonly point: (renames: number) => KillPoint;
  /** What the tree must look like right after the kill. */
  readonly expectState: (s: CrashState) => void;
  /** Kill the first recovery too, at this point, before the final recovery. */
  readonly recoveryPoint?: KillPoint;
}

/** The Nth rename of the write protocol (the claims cache, saved after it, is not counted). */
const rename = (at: number): KillPoint => ({ op: 'renameSync', match: '^(?!.*/\\.synth-cache/)', at });

const SCENARIOS: readonly Scenario[] = [
  {
    title: 'while writing the staging area',
    point: () => ({ op: 'writeFileSync', match: '/\\.synth-staging/new/', at: 5 }),
    expectState: (s) =>
      expect({ tree: s.tree, journal: s.journal, staging: s.staging }).toEqual({ tree: 'old', staging: true }),
  },
  {
    title: 'with staging complete, before the journal is published',
    point: () => rename(1),
    expectState: (s) =>
      expect({ tree: s.tree, journal: s.journal, staging: s.staging }).toEqual({ tree: 'old', staging: true }),
  },
  {
    title: 'right after the journal is published, before any folder moves',
    point: () => rename(2),
    expectState: (s) => {
      expect(s.tree).toBe('old');
      expect(s.journal?.length).toBeGreaterThan(0);
    },
  },
  {
    title: 'between the two renames of the first folder (documented window)',
    point: () => rename(3),
    expectState: (s) => {
      expect(s.inWindow).toHaveLength(1);
      expect(s.journal).toContain(s.inWindow[0]);
    },
  },
  {
    title: 'in the middle of the swaps',
    point: (n) => rename(Math.floor(n / 2) + 1),
    expectState: (s) => {
      expect(s.tree).toBe('mixed');
      expect(s.journal?.length).toBeGreaterThan(0);
    },
  },
  {
    title: 'before the last rename',
    point: (n) => rename(n),
    expectState: (s) => expect(s.journal?.length).toBeGreaterThan(0),
  },
  {
    title: 'after every swap, before the journal is removed',
    point: () => ({ op: 'rmSync', match: '\\.synth-journal\\.json$', at: 1 }),
    expectState: (s) =>
      expect({ tree: s.tree, journal: s.journal !== undefined }).toEqual({ tree: 'new', journal: true }),
  },
  {
    title: 'after the journal is removed, before staging is cleaned up',
    point: () => ({ op: 'rmSync', match: '\\.synth-staging$', at: 2 }),
    expectState: (s) =>
      expect({ tree: s.tree, journal: s.journal, staging: s.staging }).toEqual({ tree: 'new', staging: true }),
  },
  {
    title: 'after the write, before the claims cache is renamed into place',
    point: () => ({ op: 'renameSync', match: '/\\.synth-cache/', at: 1 }),
    expectState: (s) =>
      expect({ tree: s.tree, journal: s.journal, staging: s.staging }).toEqual({ tree: 'new', staging: false }),
  },
  {
    title: 'between the renames of the fourth folder, then again during recovery',
    point: () => rename(11),
    // renames: 1 journal, then 2 per unit in journal order (.github/CODEOWNERS, rel-dev app-000,
    // app-002, app-003, app-004).
    expectState: (s) => expect(s.inWindow).toEqual([`clusters/rel-dev/${bigAppName(4)}`]),
    // In the recovery run: rename 1 moves the dead process's lock aside (stale-lock takeover),
    // rename 2 completes app-004, rename 3 is the next folder's first rename.
    recoveryPoint: rename(3),
  },
];

interface Outcome {
  readonly killed: CliResult;
  readonly state: CrashState;
  readonly recoveryKilled?: CliResult;
  readonly recoveryState?: CrashState;
  readonly recovery: CliResult;
  readonly tree: Tree;
  readonly leftovers: string[];
}

const roots: string[] = [];
let oldTree: Tree = new Map();
let newTree: Tree = new Map();
let renames = 0;
let countedTreeIsNew = false;
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  const oldRoot = scratchRepo('points-old', OLD_APPS);
  const newRoot = scratchRepo('points-new', NEW_APPS);
  roots.push(oldRoot, newRoot);
  const [o, n] = await Promise.all([
    runSynthCli(oldRoot, [], { direct: true }),
    runSynthCli(newRoot, [], { direct: true }),
  ]);
  if (o.code !== 0 || n.code !== 0) throw new Error(`setup synth failed:\n${o.stderr}\n${n.stderr}`);
  oldTree = readTree(oldRoot);
  newTree = readTree(newRoot);
  const preload = path.join(oldRoot, 'kill-preload.cjs');
  fs.writeFileSync(preload, KILL_PRELOAD);

  const work = [0, 1].map(() => {
    const w = copyRepo(oldRoot, 'points-work');
    for (const [name, body] of Object.entries(NEW_APPS)) writeApp(w, name, body);
    fs.rmSync(path.join(w, 'apps', bigAppName(1)), { recursive: true, force: true });
    roots.push(w);
    return w;
  });

  // Count the renames of one full run (kill point 0 = never).
  const countFile = path.join(oldRoot, 'renames.txt');
  const counted = await runSynthCli(work[0] as string, [], {
    direct: true,
    env: killPointEnv(work[0] as string, preload, rename(0), countFile),
  });
  if (counted.code !== 0) throw new Error(`counting run failed:\n${counted.stderr}`);
  renames = Math.max(
    ...fs
      .readFileSync(countFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[1])),
  );
  countedTreeIsNew = treesEqual(readTree(work[0] as string), newTree);

  const free = [...work];
  await mapLimit(SCENARIOS, 2, async (sc) => {
    const root = free.pop() as string;
    try {
      syncOutput(root, oldTree);
      const killed = await runSynthCli(root, [], { direct: true, env: killPointEnv(root, preload, sc.point(renames)) });
      const state = inspectCrash(root, oldTree, newTree);
      let recoveryKilled: CliResult | undefined;
      let recoveryState: CrashState | undefined;
      if (sc.recoveryPoint) {
        recoveryKilled = await runSynthCli(root, [], {
          direct: true,
          env: killPointEnv(root, preload, sc.recoveryPoint),
        });
        recoveryState = inspectCrash(root, oldTree, newTree);
      }
      const recovery = await runSynthCli(root, [], { direct: true });
      outcomes.set(sc.title, {
        killed,
        state,
        recoveryKilled,
        recoveryState,
        recovery,
        tree: readTree(root),
        leftovers: controlFilesLeft(root),
      });
    } finally {
      free.push(root);
    }
  });
}, 300_000);

afterAll(() => roots.forEach(removeScratch));

describe('crash safety: SIGKILL at each step of the write protocol', () => {
  it('a full run renames the journal and two paths per replaced folder, and produces the new tree', () => {
    expect(countedTreeIsNew).toBe(true);
    // 2 clusters: 7 kept apps + platform + flux replaced, 1 app added (1 rename), 1 removed (1 rename); +1 journal.
    expect(renames).toBeGreaterThanOrEqual(1 + 2 * 2 * 9 + 2 + 2);
  });

  for (const sc of SCENARIOS) {
    it(`killed ${sc.title}: whole folders only, then the next synth exits 0 with exactly the new tree`, () => {
      const o = outcomes.get(sc.title) as Outcome;
      expect(o).toBeDefined();
      expect(o.killed.code).not.toBe(0); // the kill point was reached
      expect(o.state.violations).toEqual([]);
      sc.expectState(o.state);
      if (o.recoveryKilled) {
        expect(o.recoveryKilled.code).not.toBe(0);
        expect(o.recoveryState?.violations).toEqual([]);
        // The interrupted recovery completed that folder and left the journal for the next run.
        expect(o.recoveryState?.inWindow).toEqual([]);
        expect(o.recoveryState?.journal?.length).toBeGreaterThan(0);
      }
      expect({ code: o.recovery.code, stderr: o.recovery.stderr }).toEqual({ code: 0, stderr: '' });
      expect(treesEqual(o.tree, newTree)).toBe(true);
      expect(o.leftovers).toEqual([]);
      const rolledForward = (o.recoveryState ?? o.state).journal !== undefined;
      expect(o.recovery.stdout.includes('completed an interrupted earlier write first')).toBe(rolledForward);
    });
  }
});
