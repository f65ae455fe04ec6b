/**
 * Crash safety under SIGKILL at arbitrary moments. A scratch fleet of 150 apps is synthesized
 * (the "old" tree); then every app changes (replicas 2 -> 3), one app is removed and one added,
 * and synth runs in a child process that is killed with SIGKILL at 25 different moments: ten
 * spread evenly from spawn to the measured duration of a full run, fifteen spread over the write
 * phase (counted from the moment `.synth-staging/` appears). After each kill every unit folder
 * must hold its complete old or its complete new content (the only exception: a folder absent
 * while `.synth-journal.json` names it, between the two renames of one unit), and the next synth
 * must exit 0 and leave exactly the "new" tree (from a clean synth of the changed fleet in
 * another scratch root) with no staging folder, journal or lock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bigFleetApps, bigAppName } from './support/big-fleet';
import type { CrashState } from './support/crash';
import { inspectCrash, treesEqual } from './support/crash';
import type { CliResult, Tree } from './support/scratch';
import {
  DEV,
  FLEET_MODULE,
  STAGING,
  controlFilesLeft,
  copyRepo,
  killGroup,
  mapLimit,
  readTree,
  removeScratch,
  runSynthCli,
  scratchRepo,
  spawnCli,
  writeApp,
  syncOutput,
} from './support/scratch';

const APPS = 150;
const KILLS_FROM_SPAWN = 10;
const KILLS_IN_WRITE = 15;

/** Old fleet: app-000..app-149 with 2 replicas. New: 3 replicas, app-001 removed, app-150 added. */
const OLD_APPS = bigFleetApps(APPS, 2);
const NEW_APPS = (() => {
  const apps = bigFleetApps(APPS + 1, 3);
  delete apps[bigAppName(1)];
  return apps;
})();

interface KillPlan {
  readonly from: 'spawn' | 'staging';
  readonly delayMs: number;
}

interface KillOutcome {
  readonly plan: KillPlan;
  readonly killed: CliResult;
  readonly state: CrashState;
  readonly recovery: CliResult;
  readonly recoveredTree: Tree;
  readonly leftovers: string[];
}

const roots: string[] = [];
let oldRoot = '';
let oldTree: Tree = new Map();
let newTree: Tree = new Map();
let plans: KillPlan[] = [];
const outcomes: KillOutcome[] = [];
let measured = { durationMs: 0, stagingAtMs: 0 };

/** A full synth, noting when `.synth-staging` first appears. */
async function timedRun(root: string): Promise<{ durationMs: number; stagingAtMs: number; result: CliResult }> {
  const start = Date.now();
  let stagingAtMs = -1;
  const poll = setInterval(() => {
    if (stagingAtMs < 0 && fs.existsSync(path.join(root, STAGING))) stagingAtMs = Date.now() - start;
  }, 1);
  const result = await runSynthCli(root, [], { direct: true });
  clearInterval(poll);
  return { durationMs: Date.now() - start, stagingAtMs, result };
}

async function killOnce(root: string, plan: KillPlan): Promise<KillOutcome> {
  syncOutput(root, oldTree);
  let poll: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  const { child, done } = spawnCli(root, ['synth', '--clusters-module', FLEET_MODULE], { direct: true });
  if (plan.from === 'spawn') {
    timer = setTimeout(() => killGroup(child), plan.delayMs);
  } else {
    poll = setInterval(() => {
      if (!fs.existsSync(path.join(root, STAGING))) return;
      clearInterval(poll);
      timer = setTimeout(() => killGroup(child), plan.delayMs);
    }, 1);
  }
  const killed = await done;
  clearInterval(poll);
  clearTimeout(timer);
  const state = inspectCrash(root, oldTree, newTree);
  const recovery = await runSynthCli(root, [], { direct: true });
  return { plan, killed, state, recovery, recoveredTree: readTree(root), leftovers: controlFilesLeft(root) };
}

beforeAll(async () => {
  oldRoot = scratchRepo('crash-old', OLD_APPS, [DEV]);
  const newRoot = scratchRepo('crash-new', NEW_APPS, [DEV]);
  roots.push(oldRoot, newRoot);
  const [o, n] = await Promise.all([
    runSynthCli(oldRoot, [], { direct: true }),
    runSynthCli(newRoot, [], { direct: true }),
  ]);
  if (o.code !== 0 || n.code !== 0) throw new Error(`setup synth failed:\n${o.stderr}\n${n.stderr}`);
  oldTree = readTree(oldRoot);
  newTree = readTree(newRoot);

  // Two work roots: the old output with the changed apps, so that synth rewrites every app folder.
  const work = [0, 1].map(() => {
    const w = copyRepo(oldRoot, 'crash-work');
    for (const [name, body] of Object.entries(NEW_APPS)) writeApp(w, name, body);
    fs.rmSync(path.join(w, 'apps', bigAppName(1)), { recursive: true, force: true });
    return w;
  });
  roots.push(...work);

  // Measure a full run on both roots at once (the kills below also run two at a time).
  const runs = await Promise.all(work.map((w) => timedRun(w)));
  for (const r of runs) if (r.result.code !== 0) throw new Error(`measuring synth failed:\n${r.result.stderr}`);
  const durationMs = Math.max(...runs.map((r) => r.durationMs));
  const stagingAtMs = Math.min(...runs.map((r) => (r.stagingAtMs < 0 ? r.durationMs : r.stagingAtMs)));
  measured = { durationMs, stagingAtMs };
  const writeMs = Math.max(20, durationMs - stagingAtMs);
  plans = [
    ...Array.from({ length: KILLS_FROM_SPAWN }, (_, i) => ({
      from: 'spawn' as const,
      delayMs: Math.round((durationMs * i) / (KILLS_FROM_SPAWN - 1)),
    })),
    ...Array.from({ length: KILLS_IN_WRITE }, (_, i) => ({
      from: 'staging' as const,
      delayMs: Math.round((writeMs * i) / (KILLS_IN_WRITE - 1)),
    })),
  ];

  const free = [...work];
  await mapLimit(plans, 2, async (plan) => {
    const root = free.pop() as string;
    try {
      outcomes.push(await killOnce(root, plan));
    } finally {
      free.push(root);
    }
  });
}, 600_000);

afterAll(() => roots.forEach(removeScratch));

describe(`crash safety: SIGKILL at ${KILLS_FROM_SPAWN + KILLS_IN_WRITE} moments of a ${APPS}-app synth`, () => {
  it('the old and new trees differ in every app folder, and the fleet is big enough to take time', () => {
    expect(oldTree.size).toBeGreaterThan(2 * APPS); // one manifests.yaml (and its kustomization) per app folder, on two clusters
    const appUnits = [
      ...new Set(
        [...oldTree.keys()]
          .filter((f) => /^clusters\/rel-dev\/app-/.test(f))
          .map((f) => f.split('/').slice(0, 3).join('/')),
      ),
    ];
    expect(appUnits.length).toBe(APPS);
    for (const u of appUnits) {
      const changed = [...oldTree.keys()].some((f) => f.startsWith(`${u}/`) && newTree.get(f) !== oldTree.get(f));
      expect({ unit: u, changed }).toEqual({ unit: u, changed: true });
    }
    expect(measured.durationMs).toBeGreaterThan(0);
  });

  for (let k = 0; k < KILLS_FROM_SPAWN + KILLS_IN_WRITE; k++) {
    it(`kill #${k + 1}: every folder is whole old or whole new; the next synth exits 0 with exactly the new tree`, () => {
      const o = outcomes.find((x) => x.plan === plans[k]);
      expect(o).toBeDefined();
      const { killed, state, recovery, recoveredTree, leftovers } = o as KillOutcome;
      // The kill either hit the run (signal) or came after it ended (exit 0).
      expect(killed.signal === 'SIGKILL' || killed.code === 0 || killed.code === 137).toBe(true);
      expect(state.violations).toEqual([]);
      for (const unit of state.inWindow) expect(state.journal).toContain(unit);
      expect({ code: recovery.code, stderr: recovery.stderr }).toEqual({ code: 0, stderr: '' });
      expect(treesEqual(recoveredTree, newTree)).toBe(true);
      expect(leftovers).toEqual([]);
      if (state.journal) expect(recovery.stdout).toContain('completed an interrupted earlier write first');
    });
  }

  it('the kills landed before, during and after the write phase', () => {
    const during = outcomes.filter((o) => o.state.staging || o.state.journal || o.state.tree === 'mixed');
    const untouched = outcomes.filter((o) => o.state.tree === 'old' && !o.state.staging && !o.state.journal);
    // Kills at t=0 and early in startup leave the old tree; kills after staging appeared catch it.
    expect(untouched.length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    expect(outcomes).toHaveLength(KILLS_FROM_SPAWN + KILLS_IN_WRITE);
  });
});
