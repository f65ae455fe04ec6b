/**
 * `npm run bench`: synth at fleet scale, as whole processes, beside its floor and its peer.
 *
 *   npm run bench -- [--sizes 50,300,1000,2000] [--clusters 3] [--quick] [--keep] [--pairs 3]
 *                    [--no-helm] [--no-nx] [--no-profile] [--profile-size N] [--no-md] [--md]
 *                    [--scratch DIR] [--seed 7]
 *
 * For each size N: generates a deterministic fleet (tools/bench/generate-fleet.ts) into
 * <scratch>/bench-<N>/ and measures
 *   full synth      `npm run synth`'s command (node flags from package.json) of all apps into an empty tree
 *   floor           the same objects serialized with `yaml` alone and written to the same files
 *   helm template   a chart (tools/bench/helm-chart) rendering the same objects from values
 *                   (these three interleaved: synth, floor, helm, synth, floor, helm, ... --pairs
 *                   times; each comparison is the median of the per-round ratios, see pairs.ts)
 *   what-ifs        floor with one file per folder; loading N apps with a cold and a warm compile cache
 *   one-app change  edit one app's replicas, then `synth --app <it>` (process start included),
 *                   with the claims cache the full synths filled and again with --no-cache
 *   nx affected     a scratch Nx workspace laid out like the repository (one project per app, the
 *                   `fleet` project with `synth --changed`): a one-app change committed, then
 *                   `nx affected -t synth` with a warm .synth-cache and on a fresh clone (no
 *                   .synth-cache, no Nx cache); a library change through `nx affected` paired with
 *                   a full synth on the same complete tree; `nx affected` again with nothing
 *                   changed, and after the app's folders were deleted (fleet:synth is not cached
 *                   by Nx: synth's own record decides what to write again)
 *   policy gate     the synth launcher with `policy`, over the full output
 * and, at the profile size, `node --cpu-prof` of the full synth and of a one-app change, with
 * their hot spots (tools/bench/profile.ts).
 * Results go to stdout and between the markers in BENCHMARKS.md. Scratch folders are removed at
 * the end unless --keep, and old trees only after the results (see deferRemoval).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { changeTarget, writeFleet } from './generate-fleet';
import type { WrittenFleet } from './generate-fleet';
import { BenchSetupError, ensureHelm, helmEnv } from './helm';
import { MeasureError, hasGnuTime, killRunning, run } from './measure';
import type { Measured } from './measure';
import { fmtPair, paired, summarize } from './pairs';
import type { PairStat } from './pairs';
import { formatSummary, summarizeProfiles } from './profile';
import type { ProfileSummary } from './profile';
import { canonical, compareHashes, dumpTree, objectKey, removeDir, treeStats } from './tree';
import type { TreeStats } from './tree';

const REPO = path.resolve(__dirname, '..', '..');
const ESBUILD = path.join(REPO, 'node_modules', 'esbuild', 'package.json');
/** How the aks-gitops command is launched (libs/cli/launch.cjs): the bench starts it the same way, minus the launcher process. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LAUNCH = require(path.join(REPO, 'libs', 'cli', 'launch.cjs')) as {
  NODE_FLAGS: string[];
  REGISTER: string;
  ENTRY: string;
};
const SYNTH_CLI = LAUNCH.ENTRY;
/** Node flags and the TypeScript loader of the CLI. */
const SYNTH_NODE_ARGS: string[] = [...LAUNCH.NODE_FLAGS, '--require', LAUNCH.REGISTER];
const NX_CLI = path.join(REPO, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
const CHART = path.join(__dirname, 'helm-chart');
const MD_FILE = path.join(REPO, 'BENCHMARKS.md');
const MD_START = '<!-- bench:results:start -->';
const MD_END = '<!-- bench:results:end -->';
const GIT_ID = [
  '-c',
  'user.name=aks-gitops-bench',
  '-c',
  'user.email=bench@aks-gitops.invalid',
  '-c',
  'commit.gpgsign=false',
];

class BenchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchError';
  }
}

interface Options {
  sizes: number[];
  clusters: number;
  seed: number;
  pairs: number;
  keep: boolean;
  helm: boolean;
  nx: boolean;
  /** Sizes that run the Nx steps (default: every size). */
  nxSizes?: number[];
  profile: boolean;
  profileSize: number;
  md: boolean;
  scratch: string;
  settle: boolean;
}

interface SizeResult {
  n: number;
  clusters: number;
  generateMs: number;
  synth: Measured;
  stats: TreeStats;
  synthReportedObjects?: number;
  floor: Measured;
  synthVsFloor: PairStat;
  floorIdentical: string;
  /** Output with cdk8s' own ApiObject.toJson() vs renderObject (tools/bench/render-check.ts). */
  renderIdentical: string;
  deterministic: string;
  floorUnit: Measured;
  floorUnitFiles: number;
  loadCold: Measured;
  loadWarm: Measured;
  loadColdApps?: number;
  loadWarmApps?: number;
  oneApp: Measured;
  /** The same change with `--no-cache`: every app loaded and declared, as on a fresh clone. */
  oneAppCold: Measured;
  /** "N app(s) declared, M replayed ..." from the one-app run's summary line. */
  oneAppDeclared: string;
  oneAppTarget: string;
  oneAppChanged: string;
  policy: Measured;
  policySummary: string;
  nx?: NxResult | { skipped: string };
  helm?:
    | { run: Measured; vsSynth: PairStat; objects: number; bytes: number; kindsMatch: string; parity?: string }
    | { skipped: string };
  profile?: { full: ProfileSummary; oneApp: ProfileSummary };
}

interface NxResult {
  /** One-app change, `nx affected -t synth`, warm .synth-cache (the developer loop, a CI that keeps caches). */
  affected: Measured;
  /** The same on a fresh clone: no .synth-cache (compile, claims, rendered record) and no Nx cache. */
  fresh: Measured;
  /** A library change through `nx affected` (median), paired with a full synth on the same complete tree. */
  library: Measured;
  fullOnTree: Measured;
  libraryVsFull: PairStat;
  hit: Measured;
  restore: Measured;
  affectedNote: string;
  restoreOk: boolean;
  /** `npm run diff` of a one-app pull request (its source commit and its output) against the commit before it. */
  prDiff: Measured;
  prDiffNote: string;
}

function usage(): string {
  return `usage: npm run bench -- [options]
  --sizes 50,300,1000,2000   fleet sizes N (apps), default 50,300,1000,2000
  --clusters C          clusters per fleet, default 3
  --quick               sizes 20,60, no profile, BENCHMARKS.md untouched (unless --md)
  --pairs K             rounds of interleaved runs for each comparison (default 3); medians reported
  --keep                keep tmp/bench-<N>/ scratch roots
  --no-helm | --no-nx | --no-profile     skip the Helm peer, the Nx path, the CPU profile
  --nx-sizes 1000       run the Nx steps at these sizes only (default: every size)
  --profile-size N      size to profile (default: the largest)
  --no-md | --md        do not / do write the results into BENCHMARKS.md
  --no-settle           start at once, even while creating files is slow after big deletions
  --seed S              generator seed (default 7)
  --scratch DIR         where the bench-<N> roots go (default <os tmpdir>/aks-gitops-bench; outside
                        the repository node_modules is linked in so '@aks-gitops/*' still resolves)
`;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      clusters: { type: 'string', default: '3' },
      seed: { type: 'string', default: '7' },
      pairs: { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-helm': { type: 'boolean', default: false },
      'no-nx': { type: 'boolean', default: false },
      'nx-sizes': { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
      'profile-size': { type: 'string' },
      'no-md': { type: 'boolean', default: false },
      md: { type: 'boolean', default: false },
      scratch: { type: 'string' },
      'no-settle': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  const sizes = (values.sizes ?? (values.quick ? '20,60' : '50,300,1000,2000'))
    .split(',')
    .map((s) => int('sizes', s.trim(), 2));
  if (new Set(sizes).size !== sizes.length) throw new BenchError('--sizes lists a size twice');
  // The generator gives every L4 app its own address in a /20 ILB subnet (about 4,000 free).
  if (sizes.some((n) => n > 7900))
    throw new BenchError('--sizes: at most 7900 apps (one ILB address per L4 app in a /20)');
  const profileSize = values['profile-size'] ? int('profile-size', values['profile-size'], 2) : Math.max(...sizes);
  if (!sizes.includes(profileSize))
    throw new BenchError(`--profile-size ${profileSize} is not one of --sizes ${sizes.join(',')}`);
  return {
    sizes,
    clusters: (() => {
      const c = int('clusters', values.clusters as string, 1);
      if (c > 8) throw new BenchError(`--clusters must be 1..8, got ${c}`);
      return c;
    })(),
    seed: int('seed', values.seed as string, 0),
    pairs: int('pairs', values.pairs as string, 1),
    keep: values.keep as boolean,
    helm: !values['no-helm'],
    nx: !values['no-nx'],
    nxSizes: values['nx-sizes']?.split(',').map((v) => int('nx-sizes', v.trim(), 2)),
    profile: !values['no-profile'] && !values.quick,
    profileSize,
    md: values.md || (!values['no-md'] && !values.quick),
    // Default: the OS temp dir. File creation inside this workspace's checkout was measured up to
    // 40x slower than in /tmp, which would measure the sandbox rather than synth.
    scratch: path.resolve(values.scratch ?? path.join(os.tmpdir(), 'aks-gitops-bench')),
    settle: !values['no-settle'],
  };
}

// ---------------------------------------------------------------------------------------------

const t0 = Date.now();
function log(line: string): void {
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

function synthEnv(root: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AKS_GITOPS_ROOT: root,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    ...extra,
  };
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

let trashCount = 0;
/**
 * Empties the output tree by moving it into <root>/.bench/trash (removed with the root at the
 * end): deleting 30,000 files right before a measured run would make that run pay for the
 * file system's deferred delete work.
 */
function clearOutputs(root: string): void {
  const trash = path.join(root, '.bench', 'trash', String(trashCount++));
  fs.mkdirSync(trash, { recursive: true });
  for (const d of ['clusters', 'flux', '.synth-staging']) {
    if (fs.existsSync(path.join(root, d))) fs.renameSync(path.join(root, d), path.join(trash, d));
  }
}

/**
 * Deleting thousands of files makes creating files slow for a while afterwards: ext4 skips inodes
 * freed in the last seconds when it allocates new ones (perf showed `find_inode_bit` and
 * `recently_deleted` as the top kernel frames of a synth that followed a big `rm -rf`). So nothing
 * is deleted while measuring: old trees are moved into `<scratch>/bench-trash/` and removed once
 * the results are written.
 */
function deferRemoval(opts: Options, dir: string): void {
  if (!fs.existsSync(dir)) return;
  const trash = path.join(opts.scratch, 'bench-trash', String(trashCount++));
  fs.mkdirSync(trash, { recursive: true });
  fs.renameSync(dir, path.join(trash, path.basename(dir)));
}

/** Moves any folder aside into the root's trash (see clearOutputs). */
function trashDir(root: string, dir: string): void {
  if (!fs.existsSync(dir)) return;
  const trash = path.join(root, '.bench', 'trash', String(trashCount++));
  fs.mkdirSync(trash, { recursive: true });
  fs.renameSync(dir, path.join(trash, path.basename(dir)));
}

function preflight(opts: Options): void {
  for (const [what, file] of [
    ['esbuild', ESBUILD],
    ['the synth CLI', SYNTH_CLI],
  ] as const) {
    if (!fs.existsSync(file))
      throw new BenchError(`${what} not found at ${file}: run \`npm ci\` at the repository root first`);
  }
  if (opts.nx && !fs.existsSync(NX_CLI))
    throw new BenchError(`nx not found at ${NX_CLI}: run \`npm ci\`, or pass --no-nx`);
  if (opts.nx && spawnSync('git', ['--version']).status !== 0)
    throw new BenchError('git is needed for the `nx affected` step: install it, or pass --no-nx');
}

// --- machine ---------------------------------------------------------------------------------

interface Machine {
  cpu: string;
  nproc: number;
  memGb: number;
  node: string;
  kernel: string;
  load: string;
  fsScratchUs: number;
  fsTmpUs: number;
  timeTool: string;
  /** How long the run waited for file creation to be quiet before measuring (settleDisk). */
  settled?: { waitedMs: number; firstUs: number };
}

/** Creating small files is a large part of synth's wall time: price it where the fleet lives. */
function fsProbe(dir: string, dispose: (probeDir: string) => void = removeDir, files = 800): number {
  const base = fs.mkdtempSync(path.join(dir, 'bench-fsprobe-'));
  const body = 'x'.repeat(3000);
  const started = process.hrtime.bigint();
  for (let i = 0; i < files; i++) {
    if (i % 10 === 0) fs.mkdirSync(path.join(base, `d${i / 10}`));
    fs.writeFileSync(path.join(base, `d${Math.floor(i / 10)}`, `f${i}.yaml`), body);
  }
  const us = Number(process.hrtime.bigint() - started) / 1e3 / files;
  dispose(base);
  return Math.round(us);
}

/** Creating a file costs about 20-30 µs on this disk when it is quiet; 100-400 µs shortly after big deletions. */
const QUIET_FILE_US = 60;
const SETTLE_MAX_MS = 120_000;

/**
 * Waits until creating files in `dir` costs what it does on a quiet disk, at most two minutes:
 * ext4 makes it 5-20x slower for a while after thousands of deletions (see "Kernel time and
 * deletions" in BENCHMARKS.md), for instance right after an earlier benchmark removed its trees.
 * Helm writes one file and would not notice, so measuring then would price the disk, not synth.
 */
async function settleDisk(
  opts: Options,
  log: (line: string) => void,
): Promise<{ waitedMs: number; firstUs: number; lastUs: number }> {
  const started = Date.now();
  // The probes' files are kept until the end of the run: deleting them would keep the disk slow.
  const probe = () => fsProbe(opts.scratch, (dir) => deferRemoval(opts, dir));
  const firstUs = probe();
  let us = firstUs;
  while (us > QUIET_FILE_US && Date.now() - started < SETTLE_MAX_MS) {
    log(
      `creating a file costs ${us} µs in ${opts.scratch} (quiet: under ${QUIET_FILE_US} µs); waiting for the disk to settle`,
    );
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    us = probe();
  }
  return { waitedMs: Date.now() - started, firstUs, lastUs: us };
}

/** `scratchUs`: the file-creation cost in the scratch root if just measured (settleDisk's last probe). */
function machine(opts: Options, scratchUs?: number): Machine {
  const scratch = opts.scratch;
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
    memGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    fsScratchUs: scratchUs ?? fsProbe(scratch, (dir) => deferRemoval(opts, dir)),
    fsTmpUs: fsProbe(os.tmpdir(), (dir) => {
      // Kept until the end like the scratch probe, unless /tmp is another file system.
      try {
        deferRemoval(opts, dir);
      } catch {
        removeDir(dir);
      }
    }),
    timeTool: hasGnuTime() ? '/usr/bin/time -f "%e %U %S %M"' : 'process.resourceUsage() probe (no GNU time)',
  };
}

// --- steps -------------------------------------------------------------------------------------

function parseObjects(stdout: string): number | undefined {
  const m = /(\d+) objects/.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** Loads the root's apps through the synth launcher's TypeScript loader; `cold` first drops its compile cache. */
async function loadApps(root: string, cold: boolean): Promise<{ m: Measured; appsMs?: number }> {
  if (cold) fs.rmSync(path.join(root, '.synth-cache', 'compiled-ts.json'), { force: true });
  const m = await run(
    cold ? 'load apps (cold compile cache)' : 'load apps (warm compile cache)',
    process.execPath,
    [...SYNTH_NODE_ARGS, path.join(__dirname, 'load-apps.ts'), root],
    {
      cwd: root,
      env: synthEnv(root),
    },
  );
  const appsMs = /apps (\d+) ms/.exec(m.stdout)?.[1];
  return { m, appsMs: appsMs ? Number(appsMs) : undefined };
}

function fullSynth(root: string, label: string, extraNodeArgs: string[] = []): Promise<Measured> {
  clearOutputs(root);
  return run(
    label,
    process.execPath,
    [...extraNodeArgs, ...SYNTH_NODE_ARGS, SYNTH_CLI, 'synth', '--clusters-module', 'clusters.ts'],
    { cwd: root, env: synthEnv(root) },
  );
}

/** Bumps the replica literal of one app file; returns the new count. */
function bumpReplicas(root: string, app: string): number {
  const file = path.join(root, 'apps', app, 'src', 'index.ts');
  const src = fs.readFileSync(file, 'utf8');
  const m = /replicas: (\d+),/.exec(src);
  if (!m) throw new BenchError(`${file} has no "replicas: N," literal to change`);
  const next = (Number(m[1]) % 9) + 2; // 2..10, always different from the current value
  fs.writeFileSync(file, src.replace(m[0], `replicas: ${next},`));
  return next;
}

function deploymentReplicas(root: string, cluster: string, app: string): number | undefined {
  const file = path.join(root, 'clusters', cluster, app, 'manifests.yaml');
  if (!fs.existsSync(file)) return undefined;
  const m = /^ {2}replicas: (\d+)$/m.exec(fs.readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

function git(root: string, ...args: string[]): void {
  const r = spawnSync('git', [...GIT_ID, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new BenchError(`git ${args.join(' ')} failed in ${root}: ${r.stderr.trim()}`);
}

/** The scratch library every app depends on: editing it is a library change to Nx. */
const BENCH_LIB = 'libs/bench-lib/src/index.ts';
/** The npm scope of the scratch workspace's packages (the repository's is @aks-gitops). */
const SCOPE = '@bench';

/**
 * Turns the scratch root into an Nx workspace laid out like the repository: npm workspaces
 * (`libs/*`, `apps/*`) with a package-lock.json that lists them next to the repository's own
 * external packages; every app is `package.json` (name, tag and the lint/typecheck/test target
 * stubs in its `nx` field, the library and the apps it calls as dependencies, as `new-app` writes
 * them) + `src/`, the targets' commands from the repository's nx.json (targetDefaults); a library
 * every app depends on (its stubs in its package.json); and the `fleet` project whose
 * `synth` target is the repository's (tools/fleet/project.json: command, inputs, outputs, caching),
 * with the scratch fleet module appended to the command.
 */
function setupNxWorkspace(root: string, written: WrittenFleet): void {
  const repoNx = JSON.parse(fs.readFileSync(path.join(REPO, 'nx.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(root, 'nx.json'), JSON.stringify(repoNx, null, 2) + '\n');
  // The repository's Nx settings from the environment file (plugins in-process) and tools/nx (what
  // the targets run): measure what it runs.
  fs.copyFileSync(path.join(REPO, '.env'), path.join(root, '.env'));
  fs.cpSync(path.join(REPO, 'tools/nx'), path.join(root, 'tools/nx'), { recursive: true });
  const rootPackage = {
    name: 'aks-gitops-bench-fleet',
    version: '0.0.0',
    private: true,
    workspaces: ['libs/*', 'apps/*'],
  };
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(rootPackage, null, 2) + '\n');
  // Outputs are committed, as in the repository: Nx hashes them too (fleet:test reads them), and a
  // fresh clone's `synth --changed` asks git which apps changed since the base.
  fs.writeFileSync(
    path.join(root, '.gitignore'),
    [
      '.nx/',
      '.bench/',
      'node_modules',
      '.synth-staging/',
      '.synth-journal.json',
      '.synth-lock',
      '.synth-cache/',
      '',
    ].join('\n'),
  );
  const workspaces: Record<string, { name: string; dependencies: Record<string, string> }> = {};
  const writePackage = (dir: string, nxName: string, tags: string[], dependencies: Record<string, string>) => {
    const name = `${SCOPE}/${nxName}`;
    const pkg = {
      name,
      version: '0.0.0',
      private: true,
      main: 'src/index.ts',
      dependencies,
      nx: { name: nxName, tags, targets: { lint: {}, typecheck: {}, test: {} } },
    };
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    workspaces[dir] = { name, dependencies };
  };
  fs.mkdirSync(path.join(root, path.dirname(BENCH_LIB)), { recursive: true });
  fs.writeFileSync(path.join(root, BENCH_LIB), 'export const version = 0;\n');
  writePackage('libs/bench-lib', 'bench-lib', ['scope:construct'], {});
  for (const app of written.fleet.apps) {
    const calls = app.kind === 'l7' ? app.calls : [];
    const dependencies = Object.fromEntries(
      [`${SCOPE}/bench-lib`, ...calls.map((c) => `${SCOPE}/${c}`)].sort().map((d) => [d, '*']),
    );
    writePackage(`apps/${app.name}`, app.name, ['type:app'], dependencies);
  }
  // npm's lockfile for these workspaces: the repository's external packages, and each workspace
  // with its link, as `npm install` writes them.
  const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Record<string, unknown>>;
  };
  const packages: Record<string, Record<string, unknown>> = {
    '': {
      ...lock.packages[''],
      name: rootPackage.name,
      version: rootPackage.version,
      workspaces: rootPackage.workspaces,
    },
  };
  for (const [key, value] of Object.entries(lock.packages)) {
    const own = key.startsWith('apps/') || key.startsWith('libs/') || key.startsWith('node_modules/@aks-gitops/');
    if (key !== '' && !own) packages[key] = value;
  }
  for (const [dir, w] of Object.entries(workspaces)) {
    packages[dir] = { name: w.name, version: '0.0.0', dependencies: w.dependencies };
    packages[`node_modules/${w.name}`] = { resolved: dir, link: true };
  }
  const sortedPackages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  fs.writeFileSync(
    path.join(root, 'package-lock.json'),
    JSON.stringify(
      { ...lock, name: rootPackage.name, version: rootPackage.version, packages: sortedPackages },
      null,
      2,
    ) + '\n',
  );
  const repoFleet = JSON.parse(fs.readFileSync(path.join(REPO, 'tools/fleet/project.json'), 'utf8')) as {
    targets: { synth: { command: string } & Record<string, unknown> };
  };
  const fleet = {
    name: 'fleet',
    projectType: 'application',
    tags: ['type:fleet'],
    implicitDependencies: ['tag:type:app'],
    targets: {
      synth: {
        ...repoFleet.targets.synth,
        // The repository's command, on the scratch fleet; the CLI is the repository's.
        command: `${repoFleet.targets.synth.command.replace(/^node libs\/cli\/bin\/aks-gitops\.cjs|^aks-gitops/, path.join(REPO, 'libs/cli/bin/aks-gitops.cjs'))} --clusters-module clusters.ts`,
      },
    },
  };
  fs.mkdirSync(path.join(root, 'tools/fleet'), { recursive: true });
  fs.writeFileSync(path.join(root, 'tools/fleet/project.json'), JSON.stringify(fleet, null, 2) + '\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'fleet');
}

/**
 * `nx affected -t synth` for the last commit, the way CI runs it: base and head in Nx's own
 * NX_BASE/NX_HEAD (azure-pipelines.yml sets them), which the fleet:synth task inherits.
 */
function nxAffected(root: string, label: string): Promise<Measured> {
  return run(label, process.execPath, [NX_CLI, 'affected', '-t', 'synth', '--output-style=static'], {
    cwd: root,
    env: synthEnv(root, { NX_BASE: 'HEAD~1', NX_HEAD: 'HEAD' }),
  });
}

function helmTemplate(root: string, helmBin: string, outFile: string): Promise<Measured> {
  return run('helm template', helmBin, ['template', 'bench', CHART, '-f', path.join(root, 'helm-values.yaml')], {
    cwd: root,
    env: helmEnv(path.dirname(helmBin)),
    stdoutFile: outFile,
  });
}

function countHelmKinds(text: string): { objects: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  let objects = 0;
  for (const m of text.matchAll(/^kind: (.+)$/gm)) {
    byKind[m[1]] = (byKind[m[1]] ?? 0) + 1;
    objects++;
  }
  return { objects, byKind };
}

function compareKinds(a: Record<string, number>, b: Record<string, number>): string {
  const kinds = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const diff = kinds
    .filter((k) => (a[k] ?? 0) !== (b[k] ?? 0))
    .map((k) => `${k} synth ${a[k] ?? 0} / helm ${b[k] ?? 0}`);
  return diff.length ? diff.join(', ') : 'same';
}

/** Object-by-object comparison of helm's output with synth's (key order ignored). */
function deepParity(root: string, helmText: string): string {
  const synthObjects = new Map<string, string>();
  for (const f of dumpTree(root)) {
    if ('raw' in f) continue;
    for (const d of f.docs) {
      const o = d as { apiVersion?: string; kind?: string };
      if (o.kind === 'Kustomization' && o.apiVersion?.startsWith('kustomize.config.k8s.io/')) continue;
      synthObjects.set(`${f.path.split('/')[1]}|${objectKey(d)}`, JSON.stringify(canonical(d)));
    }
  }
  // Helm renders all clusters into one stream and its objects do not say which cluster they are
  // for, so match them as a multiset: each synth object must find an identical helm object
  // with the same kind, namespace and name.
  const helmCounts = new Map<string, number>();
  for (const doc of parseAllDocuments(helmText)) {
    const v = doc.toJS() as unknown;
    if (!v) continue;
    const k = `${objectKey(v)}|${JSON.stringify(canonical(v))}`;
    helmCounts.set(k, (helmCounts.get(k) ?? 0) + 1);
  }
  let same = 0;
  const differing: string[] = [];
  for (const [key, json] of synthObjects) {
    const k = `${key.slice(key.indexOf('|') + 1)}|${json}`;
    const left = helmCounts.get(k) ?? 0;
    if (left > 0) {
      same++;
      helmCounts.set(k, left - 1);
    } else differing.push(key);
  }
  return `${same}/${synthObjects.size} objects identical${differing.length ? `; differ: ${differing.slice(0, 4).join(', ')}${differing.length > 4 ? ', ...' : ''}` : ''}`;
}

// --- one size ------------------------------------------------------------------------------------

async function benchSize(
  n: number,
  opts: Options,
  helmBin: string | undefined,
  profileDir: string,
): Promise<SizeResult> {
  const root = path.join(opts.scratch, `bench-${n}`);
  const work = path.join(root, '.bench');
  deferRemoval(opts, root);
  const genStart = Date.now();
  const written = writeFleet(root, { apps: n, clusters: opts.clusters, seed: opts.seed });
  const generateMs = Date.now() - genStart;
  if (!isInside(REPO, root)) fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  fs.mkdirSync(work, { recursive: true });
  log(`N=${n}: generated ${n} apps on ${opts.clusters} clusters in ${root} (${generateMs} ms)`);

  // Module loading: a cold compile cache transforms every TypeScript file; warm it for the steps after.
  const loadCold = await loadApps(root, true);
  await loadApps(root, false);
  const loadWarm = await loadApps(root, false);
  log(`N=${n}: load apps cold ${fmtMs(loadCold.m.wallMs)}, warm ${fmtMs(loadWarm.m.wallMs)}`);

  // Full synth, its floor and its peer (helm template of the same objects), interleaved in
  // rounds (synth, floor, helm, synth, floor, helm, ...): the machine is shared and its disk drifts
  // over minutes, so each round sees about the same conditions; comparisons are medians of the
  // per-round ratios (pairs.ts). Every synth run must produce the same bytes (determinism check).
  const dumpFile = path.join(work, 'objects.json');
  const floorOut = path.join(work, 'floor');
  const helmOut = path.join(work, 'helm-out.yaml');
  const synthRuns: Measured[] = [];
  const floorRuns: Measured[] = [];
  const helmRuns: Measured[] = [];
  let stats: TreeStats | undefined;
  let floorIdentical = '';
  let deterministic = 'one run';
  for (let i = 0; i < opts.pairs; i++) {
    synthRuns.push(await fullSynth(root, 'full synth'));
    const runStats = treeStats(root);
    if (!stats) {
      stats = runStats;
      // The floor's input: synth's objects, parsed back once from its output (untimed).
      fs.writeFileSync(dumpFile, JSON.stringify(dumpTree(root)));
    } else {
      const same = compareHashes(stats.hashes, runStats.hashes);
      deterministic = same.same ? `${i + 1} runs byte-identical` : `runs differ: ${same.summary}`;
    }
    trashDir(root, floorOut);
    floorRuns.push(
      await run('floor', process.execPath, [...SYNTH_NODE_ARGS, path.join(__dirname, 'floor.ts'), dumpFile, floorOut], {
        cwd: root,
        env: synthEnv(root),
      }),
    );
    if (i === 0) floorIdentical = compareHashes(stats.hashes, treeStats(floorOut).hashes).summary;
    if (helmBin) helmRuns.push(await helmTemplate(root, helmBin, helmOut));
    const h = helmRuns[i];
    log(
      `N=${n}: round ${i + 1}: full synth ${fmtMs(synthRuns[i].wallMs)} (user ${fmtMs(synthRuns[i].userMs)}, kernel ${fmtMs(synthRuns[i].sysMs)}, rss ${fmtMb(synthRuns[i].rssMb)}); floor ${fmtMs(floorRuns[i].wallMs)} (user ${fmtMs(floorRuns[i].userMs)})${h ? `; helm ${fmtMs(h.wallMs)} (user ${fmtMs(h.userMs)})` : ''}`,
    );
  }
  trashDir(root, floorOut);
  const synth = summarize(synthRuns);
  const floor = summarize(floorRuns);
  const synthVsFloor = paired(synthRuns, floorRuns);
  if (!stats) throw new BenchError('no synth run');
  log(
    `N=${n}: ${stats.objects} objects, ${stats.files} files, ${fmtBytes(stats.bytes)}; floor output vs synth: ${floorIdentical}; synth ${deterministic}; synth/floor ${fmtPair(synthVsFloor)}`,
  );
  const floorUnitOut = path.join(work, 'floor-unit');
  const floorUnit = await run(
    'floor (one file per folder)',
    process.execPath,
    [...SYNTH_NODE_ARGS, path.join(__dirname, 'floor.ts'), dumpFile, floorUnitOut, '--layout', 'unit'],
    { cwd: root, env: synthEnv(root) },
  );
  const floorUnitFiles = treeStats(floorUnitOut).files;
  trashDir(root, floorUnitOut);
  log(`N=${n}: floor with one file per folder ${fmtMs(floorUnit.wallMs)} (${floorUnitFiles} files)`);

  // Untimed: the fleet rendered again with cdk8s' own ApiObject.toJson() must be byte-identical (design fix 11).
  const renderCheck = await run(
    'render check (cdk8s toJson)',
    process.execPath,
    [...SYNTH_NODE_ARGS, path.join(__dirname, 'render-check.ts'), root],
    { cwd: root, env: synthEnv(root), allowFailure: true },
  );
  const renderIdentical =
    renderCheck.stdout
      .trim()
      .split('\n')
      .pop()
      ?.replace(/^render-check: /, '') ?? `exit ${renderCheck.code}`;
  log(`N=${n}: renderObject vs cdk8s toJson: ${renderIdentical}`);

  // Policy gate over the full output.
  const policy = await run(
    'policy gate',
    process.execPath,
    [...SYNTH_NODE_ARGS, SYNTH_CLI, 'policy', '--clusters-module', 'clusters.ts'],
    { cwd: root, env: synthEnv(root), allowFailure: true },
  );
  const policyLine = policy.stdout.trim().split('\n').pop() ?? '';
  const policySummary = policy.code === 0 ? policyLine : `exit ${policy.code}: ${policyLine}`;
  log(`N=${n}: policy gate ${fmtMs(policy.wallMs)} (${policySummary})`);

  // The peer's output, from the rounds above (before any app is edited).
  let helm: SizeResult['helm'];
  if (helmBin) {
    const text = fs.readFileSync(helmOut, 'utf8');
    const counted = countHelmKinds(text);
    const kindsMatch = compareKinds(stats.byKind, counted.byKind);
    // Object-by-object parity is checked at the smallest size (the chart is the same at every N).
    const parity = n === Math.min(...opts.sizes) ? deepParity(root, text) : undefined;
    const vsSynth = paired(synthRuns, helmRuns);
    helm = {
      run: summarize(helmRuns),
      vsSynth,
      objects: counted.objects,
      bytes: Buffer.byteLength(text),
      kindsMatch,
      parity,
    };
    log(
      `N=${n}: helm template ${fmtMs(helm.run.wallMs)} (${counted.objects} objects, kinds ${kindsMatch}${parity ? `; ${parity}` : ''}); synth/helm ${fmtPair(vsSynth)}`,
    );
  } else helm = { skipped: 'skipped' };

  // One-app change through the CLI: with the claims cache the full synths above filled (the
  // developer loop), and without it (a fresh clone, where every app is loaded and declared).
  const target = changeTarget(written.fleet).name;
  const oneAppRun = async (label: string, extra: string[]): Promise<Measured> => {
    const replicas = bumpReplicas(root, target);
    const m = await run(
      label,
      process.execPath,
      [...SYNTH_NODE_ARGS, SYNTH_CLI, 'synth', '--app', target, '--clusters-module', 'clusters.ts', ...extra],
      { cwd: root, env: synthEnv(root) },
    );
    const got = written.fleet.clusters.map((c) => deploymentReplicas(root, c.name, target));
    if (got.some((r) => r !== replicas))
      throw new BenchError(
        `one-app change: expected replicas ${replicas} in clusters/*/${target}/manifests.yaml, found ${got.join(', ')}`,
      );
    return m;
  };
  const oneApp = await oneAppRun('one-app change (synth --app)', []);
  const oneAppChanged = /(\d+) file\(s\) changed/.exec(oneApp.stdout)?.[1] ?? '?';
  const oneAppDeclared = /(\d+ app\(s\) declared[^;]*);/.exec(oneApp.stdout)?.[1] ?? '?';
  const oneAppCold = await oneAppRun('one-app change (synth --app --no-cache)', ['--no-cache']);
  log(
    `N=${n}: one-app change ${fmtMs(oneApp.wallMs)} (${oneAppChanged} files changed; ${oneAppDeclared}); without the claims cache ${fmtMs(oneAppCold.wallMs)}`,
  );

  // Nx, laid out like the repository: one-app changes (warm .synth-cache, then a fresh clone), a
  // library change paired with a full synth on the same complete tree, a rerun with nothing
  // changed and one after the app's folders were deleted.
  let nx: SizeResult['nx'];
  if (opts.nx && (!opts.nxSizes || opts.nxSizes.includes(n))) {
    try {
      // The tree and .synth-cache as the last full synth left them (the CLI one-app runs above
      // changed one app's replicas: render the tree once more so the rendered record is complete).
      await run(
        'full synth (before nx)',
        process.execPath,
        [...SYNTH_NODE_ARGS, SYNTH_CLI, 'synth', '--clusters-module', 'clusters.ts'],
        { cwd: root, env: synthEnv(root) },
      );
      setupNxWorkspace(root, written);
      // A source-only commit on top of a commit whose output is what its sources render (what
      // CI's drift check keeps true on main): the previous round's output is committed first.
      const oneAppCommit = () => {
        git(root, 'add', '-A');
        git(root, 'commit', '-q', '--allow-empty', '-m', 'synth output');
        const replicas = bumpReplicas(root, target);
        git(root, 'commit', '-q', '-am', `${target}: replicas ${replicas}`);
        return replicas;
      };
      // --pairs one-app commits, each through `nx affected`: the median run is reported.
      const affectedRuns: Measured[] = [];
      let okAfter = true;
      let replicas = 0;
      for (let i = 0; i < opts.pairs; i++) {
        replicas = oneAppCommit();
        affectedRuns.push(await nxAffected(root, 'nx affected -t synth (one app, warm .synth-cache)'));
        okAfter &&= written.fleet.clusters.every((c) => deploymentReplicas(root, c.name, target) === replicas);
      }
      const affected = [...affectedRuns].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(affectedRuns.length / 2)];
      const ran =
        /Successfully ran target synth for (\d+ projects?|project [\w-]+)/.exec(affected.stdout)?.[1] ?? 'see log';
      const rendered = /synth: \d+ cluster\(s\), (\d+ app\(s\))/.exec(affected.stdout)?.[1] ?? '?';
      const hit = await nxAffected(root, 'nx affected (again, nothing changed)');
      const hitOk = /synth: .* 0 file\(s\) changed/.test(hit.stdout);
      for (const c of written.fleet.clusters) trashDir(root, path.join(root, 'clusters', c.name, target));
      const restore = await nxAffected(root, 'nx affected (app folders deleted)');
      const restoreOk = written.fleet.clusters.every((c) => deploymentReplicas(root, c.name, target) === replicas);
      // The last one-app change as a pull request: its source commit and its output, which `npm run
      // diff` compares with the commit before both (what a PR pipeline posts as a comment).
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '--allow-empty', '-m', 'synth output');
      const prDiff = await run(
        'diff (one-app pull request)',
        process.execPath,
        [...SYNTH_NODE_ARGS, SYNTH_CLI, 'diff', '--base', 'HEAD~2', '--clusters-module', 'clusters.ts'],
        { cwd: root, env: synthEnv(root) },
      );
      const prChanged = (prDiff.stdout.match(/^ {2}~ /gm) ?? []).length;
      const prDiffNote = `${prChanged} changed object(s) listed, ${prChanged === written.fleet.clusters.length ? 'as expected (one Deployment per cluster)' : `EXPECTED ${written.fleet.clusters.length}`}`;

      // A library change: every app and the fleet are affected; synth renders everything (the
      // libraries are part of every record entry). Paired with a full synth on the same tree.
      const libraryRuns: Measured[] = [];
      const fullRuns: Measured[] = [];
      for (let i = 0; i < opts.pairs; i++) {
        fullRuns.push(
          await run(
            'full synth (complete tree)',
            process.execPath,
            [...SYNTH_NODE_ARGS, SYNTH_CLI, 'synth', '--clusters-module', 'clusters.ts'],
            { cwd: root, env: synthEnv(root) },
          ),
        );
        fs.writeFileSync(path.join(root, BENCH_LIB), `export const version = ${i + 1};\n`);
        // What a changed library does to .synth-cache: nothing recorded is current any more. The
        // scratch apps run the repository's libraries, so the change is made visible this way.
        fs.rmSync(path.join(root, '.synth-cache', 'rendered.json'), { force: true });
        fs.rmSync(path.join(root, '.synth-cache', 'claims.json'), { force: true });
        git(root, 'add', '-A');
        git(root, 'commit', '-q', '-m', `bench-lib ${i + 1}`);
        libraryRuns.push(await nxAffected(root, 'nx affected -t synth (library change)'));
        log(
          `N=${n}: library change round ${i + 1}: full synth ${fmtMs(fullRuns[i].wallMs)}, nx affected ${fmtMs(libraryRuns[i].wallMs)}`,
        );
      }
      const libraryVsFull = paired(libraryRuns, fullRuns);

      // A fresh clone: no .synth-cache and no Nx cache, then the one-app change (synth asks git
      // what changed since NX_BASE, the commit before it, whose output is committed).
      // --pairs such clones, one after another: the median run is reported (one run swung by a
      // second on this shared machine).
      const freshRuns: Measured[] = [];
      let freshOk = true;
      for (let i = 0; i < opts.pairs; i++) {
        trashDir(root, path.join(root, '.synth-cache'));
        trashDir(root, path.join(root, '.nx'));
        const freshReplicas = oneAppCommit();
        freshRuns.push(await nxAffected(root, 'nx affected -t synth (one app, fresh clone)'));
        freshOk &&= written.fleet.clusters.every((c) => deploymentReplicas(root, c.name, target) === freshReplicas);
      }
      const fresh = [...freshRuns].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(freshRuns.length / 2)];
      const freshRendered = /synth: \d+ cluster\(s\), (\d+ app\(s\))/.exec(fresh.stdout)?.[1] ?? '?';
      const freshBy = /--changed: (.*)/.exec(fresh.stdout)?.[1] ?? '?';
      nx = {
        affected,
        fresh,
        library: summarize(libraryRuns),
        fullOnTree: summarize(fullRuns),
        libraryVsFull,
        hit,
        restore,
        restoreOk,
        prDiff,
        prDiffNote,
        affectedNote: `${ran} (synth rendered ${rendered}); output updated: ${okAfter ? 'yes' : 'NO'}; fresh clone output updated: ${freshOk ? 'yes' : 'NO'} (synth rendered ${freshRendered}, ${freshBy}); rerun with nothing changed wrote nothing: ${hitOk ? 'yes' : 'NO'}`,
      };
      log(
        `N=${n}: nx affected one app ${fmtMs(affected.wallMs)} warm, ${fmtMs(fresh.wallMs)} fresh clone (${nx.affectedNote}); library change ${fmtPair(libraryVsFull)} vs full synth; again with nothing changed ${fmtMs(hit.wallMs)}, after deleting the app's folders ${fmtMs(restore.wallMs)} (${restoreOk ? 'written again' : 'NOT written again'}); npm run diff of the pull request ${fmtMs(prDiff.wallMs)} (${prDiffNote})`,
      );
    } catch (e) {
      if (!(e instanceof MeasureError || e instanceof BenchError)) throw e;
      nx = { skipped: `failed: ${e.message.split('\n')[0]}` };
      log(`N=${n}: nx step failed, continuing: ${e.message}`);
    }
  } else nx = { skipped: opts.nx ? 'skipped (--nx-sizes)' : 'skipped (--no-nx)' };

  // CPU profiles: the full synth into an empty tree, then a one-app change.
  let profile: SizeResult['profile'];
  if (opts.profile && n === opts.profileSize) {
    const profileRun = async (label: string, dir: string, args: string[]): Promise<ProfileSummary> => {
      removeDir(dir);
      // A 4 ms sampling interval keeps the profiler's overhead down on a run of a minute or more.
      await run(
        label,
        process.execPath,
        [
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          '--cpu-prof-interval',
          '4000',
          ...SYNTH_NODE_ARGS,
          SYNTH_CLI,
          ...args,
          '--clusters-module',
          'clusters.ts',
        ],
        { cwd: root, env: synthEnv(root) },
      );
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(dir, f));
      return summarizeProfiles(files, REPO, 10);
    };
    clearOutputs(root);
    const full = await profileRun('full synth (--cpu-prof)', path.join(profileDir, 'full-synth'), ['synth']);
    bumpReplicas(root, target);
    const oneAppProfile = await profileRun('one-app change (--cpu-prof)', path.join(profileDir, 'one-app'), [
      'synth',
      '--app',
      target,
    ]);
    profile = { full, oneApp: oneAppProfile };
    log(`N=${n}: profiled the full synth and a one-app change: ${path.relative(REPO, profileDir) || profileDir}`);
  }

  if (opts.keep) deferRemoval(opts, path.join(work, 'trash'));
  else if (!growthSizes(opts).includes(n)) deferRemoval(opts, root);
  return {
    n,
    clusters: opts.clusters,
    generateMs,
    synth,
    stats,
    synthReportedObjects: parseObjects(synth.stdout),
    floor,
    synthVsFloor,
    floorIdentical,
    renderIdentical,
    deterministic,
    floorUnit,
    floorUnitFiles,
    loadCold: loadCold.m,
    loadWarm: loadWarm.m,
    loadColdApps: loadCold.appsMs,
    loadWarmApps: loadWarm.appsMs,
    oneApp,
    oneAppCold,
    oneAppDeclared,
    oneAppTarget: target,
    oneAppChanged,
    policy,
    policySummary,
    nx,
    helm,
    profile,
  };
}

// --- report --------------------------------------------------------------------------------------

function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(1)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${Math.round(ms)} ms`;
}
function fmtMb(mb: number | undefined): string {
  return mb === undefined ? 'n/a' : `${Math.round(mb)} MB`;
}
function fmtBytes(b: number): string {
  return b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${Math.round(b / 1024)} KB`;
}
const isRun = <T extends object>(x: T | { skipped: string } | undefined): x is T => !!x && !('skipped' in x);

function growthSentence(results: SizeResult[]): string {
  if (results.length < 2) return '';
  const a = results[0];
  const b = results[results.length - 1];
  const objGrowth = b.stats.objects / a.stats.objects;
  const x = (p?: number, q?: number) => (p !== undefined && q !== undefined && q > 0 ? `${(p / q).toFixed(1)}x` : '?');
  const perObj = (m: (r: SizeResult) => number | undefined) =>
    results.map((r) => `${Math.round(((m(r) ?? 0) * 1000) / r.stats.objects)}`).join(' / ');
  const perApp = (m: (r: SizeResult) => number | undefined, unit: 'ms' | 'MB') =>
    results
      .map((r) => {
        const v = m(r);
        return v === undefined
          ? '?'
          : unit === 'ms'
            ? `${(v / r.n).toFixed(1)} ms`
            : `${((v * 1024) / r.n).toFixed(0)} KB`;
      })
      .join(' / ');
  const superlinear = (b.synth.userMs ?? b.synth.wallMs) / (a.synth.userMs ?? a.synth.wallMs) > 1.3 * objGrowth;
  return (
    `From N=${a.n} to N=${b.n} the objects grew ${objGrowth.toFixed(1)}x; full synth wall ${x(b.synth.wallMs, a.synth.wallMs)}, user CPU ${x(b.synth.userMs, a.synth.userMs)}, ` +
    `kernel CPU ${x(b.synth.sysMs, a.synth.sysMs)}; floor wall ${x(b.floor.wallMs, a.floor.wallMs)}; helm ${isRun(a.helm) && isRun(b.helm) ? x(b.helm.run.wallMs, a.helm.run.wallMs) : '?'}. ` +
    `User CPU per object (µs, N=${results.map((r) => r.n).join(' / ')}): synth ${perObj((r) => r.synth.userMs)}, floor ${perObj((r) => r.floor.userMs)}: ` +
    `synth is ${superlinear ? '**superlinear** (the per-object cost grows with N)' : 'about linear (flat per-object cost)'}. ` +
    `Per app (N=${results.map((r) => r.n).join(' / ')}): full synth wall ${perApp((r) => r.synth.wallMs, 'ms')}, user CPU ${perApp((r) => r.synth.userMs, 'ms')}, peak RSS ${perApp((r) => r.synth.rssMb, 'MB')}.`
  );
}

function targets(results: SizeResult[], growth: GrowthPairs | undefined): string[] {
  const lines: string[] = [];
  const at = (n: number) => results.find((r) => r.n === n);
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  const r1000 = at(1000);
  const r2000 = at(2000);
  if (r1000 && isRun(r1000.helm)) {
    lines.push(
      `- N=1000 full synth at most \`helm template\` of the same objects (paired): synth/helm ${fmtPair(r1000.helm.vsSynth)}; synth ${fmtMs(r1000.synth.wallMs)} vs helm ${fmtMs(r1000.helm.run.wallMs)} (medians): ${mark(r1000.helm.vsSynth.wallRatio <= 1)}`,
    );
  }
  if (r1000 && r2000) {
    // Per object, N=2000 against N=1000: user CPU is the gate (wall time on this shared machine
    // swings with the other agents' load); 15% tolerance.
    const perObj = (r: SizeResult, v: number | undefined) => (v ?? NaN) / r.stats.objects;
    const user = perObj(r2000, r2000.synth.userMs) / perObj(r1000, r1000.synth.userMs);
    const wall = perObj(r2000, r2000.synth.wallMs) / perObj(r1000, r1000.synth.wallMs);
    const sizes = `the sizes' own medians, measured minutes apart: ${user.toFixed(2)}x user, ${wall.toFixed(2)}x wall`;
    lines.push(
      growth
        ? `- linear growth N=1000 -> 2000 (objects ${(r2000.stats.objects / r1000.stats.objects).toFixed(2)}x): user CPU per object ${growth.user.toFixed(2)}x (median of ${growth.pairs} back-to-back pairs: ${growth.userRatios.map((r) => r.toFixed(2)).join(', ')}), wall per object ${growth.wall.toFixed(2)}x; ${sizes} (gate: user CPU per object at most 1.15x, paired): ${mark(growth.user <= 1.15)}`
        : `- linear growth N=1000 -> 2000 (objects ${(r2000.stats.objects / r1000.stats.objects).toFixed(2)}x): user CPU per object ${user.toFixed(2)}x, wall per object ${wall.toFixed(2)}x (gate: user CPU per object at most 1.15x): ${mark(user <= 1.15)}`,
    );
  }
  if (r2000)
    lines.push(
      `- N=2000 peak RSS under 1 GB (1024 MiB): ${fmtMb(r2000.synth.rssMb)}: ${mark((r2000.synth.rssMb ?? Infinity) < 1024)}`,
    );
  if (r1000 && isRun(r1000.nx)) {
    const nx = r1000.nx;
    lines.push(
      `- N=1000 library change through \`nx affected\` at most 1.5x a full synth (paired, same complete tree): ${fmtPair(nx.libraryVsFull)}: ${mark(nx.libraryVsFull.wallRatio <= 1.5)}`,
    );
    lines.push(
      `- N=1000 one-app change through \`nx affected\` under 2 s, warm .synth-cache: ${fmtMs(nx.affected.wallMs)}: ${mark(nx.affected.wallMs < 2000)}`,
    );
    lines.push(
      `- N=1000 one-app change through \`nx affected\` under 5 s on a fresh clone (no .synth-cache, no Nx cache): ${fmtMs(nx.fresh.wallMs)}: ${mark(nx.fresh.wallMs < 5000)}`,
    );
    lines.push(
      `- N=1000 \`npm run diff\` of that one-app pull request (source and output commits against the commit before): ${fmtMs(nx.prDiff.wallMs)}, peak RSS ${fmtMb(nx.prDiff.rssMb)}; ${nx.prDiffNote} (informational)`,
    );
  }
  for (const r of results) {
    lines.push(
      `- N=${r.n} one-app change through the CLI (\`synth --app\`, claims cache warm): ${fmtMs(r.oneApp.wallMs)}; without the claims cache ${fmtMs(r.oneAppCold.wallMs)} (informational)`,
    );
  }
  return lines;
}

/** Growth N=1000 -> 2000 per object, from full synths of both sizes run back to back. */
interface GrowthPairs {
  readonly pairs: number;
  /** Median over the pairs of (user CPU per object at N=2000) / (at N=1000). */
  readonly user: number;
  readonly wall: number;
  readonly userRatios: readonly number[];
}

/**
 * The growth gate, paired like every other comparison: a full synth at N=1000 and one at N=2000
 * back to back, --pairs times (A B A B), each pair's per-object ratio, and their median. The sizes'
 * own medians were measured minutes apart, under whatever load the machine had then.
 */
async function growthPairs(opts: Options, results: readonly SizeResult[]): Promise<GrowthPairs | undefined> {
  const small = results.find((r) => r.n === 1000);
  const large = results.find((r) => r.n === 2000);
  if (!small || !large) return undefined;
  try {
    return await growthRounds(opts, small, large);
  } finally {
    // Kept in place by benchSize for these rounds (see growthSizes).
    if (!opts.keep) for (const n of growthSizes(opts)) deferRemoval(opts, path.join(opts.scratch, `bench-${n}`));
  }
}

/** The sizes whose trees stay in place after their own measurements, for the growth rounds. */
function growthSizes(opts: Options): number[] {
  return opts.sizes.includes(1000) && opts.sizes.includes(2000) ? [1000, 2000] : [];
}

async function growthRounds(opts: Options, small: SizeResult, large: SizeResult): Promise<GrowthPairs> {
  const objects = large.stats.objects / small.stats.objects;
  const user: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < opts.pairs; i++) {
    const a = await fullSynth(path.join(opts.scratch, 'bench-1000'), 'growth pair: full synth N=1000');
    const b = await fullSynth(path.join(opts.scratch, 'bench-2000'), 'growth pair: full synth N=2000');
    if (a.userMs !== undefined && b.userMs !== undefined) user.push(b.userMs / a.userMs / objects);
    wall.push(b.wallMs / a.wallMs / objects);
    log(
      `growth pair ${i + 1}: N=1000 ${fmtMs(a.wallMs)} (user ${fmtMs(a.userMs)}), N=2000 ${fmtMs(b.wallMs)} (user ${fmtMs(b.userMs)}): user CPU per object ${(user[user.length - 1] ?? NaN).toFixed(2)}x`,
    );
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)] ?? NaN;
  return { pairs: opts.pairs, user: med(user), wall: med(wall), userRatios: user };
}

function report(
  results: SizeResult[],
  m: Machine,
  opts: Options,
  helmVersion: string | undefined,
  command: string,
  growth?: GrowthPairs,
): string {
  const L: string[] = [];
  L.push(
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` (whole run ${((Date.now() - t0) / 1000).toFixed(0)} s).`,
    '',
  );
  L.push('**Machine**', '');
  L.push(`- CPU: ${m.cpu}, ${m.nproc} cores (nproc); memory ${m.memGb} GB; ${m.kernel}; Node ${m.node}`);
  L.push(
    `- load average at start: ${m.load}, at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} (2 cores: above 2, other work competes with the benchmark and inflates wall times; user CPU is steadier)`,
  );
  L.push(
    `- creating one 3 KB file costs ${m.fsScratchUs} µs at the start${m.settled && m.settled.waitedMs > 1000 ? ` (after waiting ${fmtMs(m.settled.waitedMs)} for the disk to settle from ${m.settled.firstUs} µs)` : ''} and ${fsProbe(opts.scratch)} µs at the end in the scratch root (${opts.scratch}), ${m.fsTmpUs} µs in ${os.tmpdir()}: ` +
      'synth writes two files per folder, so this (and how much it drifts on this disk) decides much of the wall and kernel time',
  );
  L.push(
    `- ${opts.clusters} clusters, seed ${opts.seed}; full synth, floor and helm template in ${opts.pairs} interleaved rounds (synth, floor, helm, ...), the library change and a full synth in ${opts.pairs} interleaved pairs; figures are medians, comparisons the median of the per-round ratios; other steps one run; measured with ${m.timeTool}; Helm ${helmVersion ?? 'not run'}`,
  );
  L.push(
    '- the machine may be shared with other work while this runs (the load averages above say how much): wall times swing with it; the interleaved rounds make each comparison fair, and user CPU is steadier than wall',
    '',
  );
  L.push(
    '**Full synth, floor, Helm peer, one-app change, policy gate** (whole processes, process start included; medians of the rounds; wall / user CPU / kernel CPU; ratios are medians of per-round ratios)',
    '',
  );
  L.push(
    '| N apps | objects | files | bytes | full synth | user | kernel | peak RSS | floor | floor user | synth/floor wall | synth/floor user | helm template | helm user | helm kernel | helm RSS | synth/helm wall | synth/helm user | one-app change | without claims cache | policy gate |',
  );
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const x = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(2)}x`);
  for (const r of results) {
    const h = isRun(r.helm)
      ? [
          fmtMs(r.helm.run.wallMs),
          fmtMs(r.helm.run.userMs),
          fmtMs(r.helm.run.sysMs),
          fmtMb(r.helm.run.rssMb),
          x(r.helm.vsSynth.wallRatio),
          x(r.helm.vsSynth.userRatio),
        ]
      : ['n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
    L.push(
      `| ${r.n} | ${r.stats.objects} | ${r.stats.files} | ${fmtBytes(r.stats.bytes)} | ${fmtMs(r.synth.wallMs)} | ${fmtMs(r.synth.userMs)} | ${fmtMs(r.synth.sysMs)} | ${fmtMb(r.synth.rssMb)} | ${fmtMs(r.floor.wallMs)} | ${fmtMs(r.floor.userMs)} | ${x(r.synthVsFloor.wallRatio)} | ${x(r.synthVsFloor.userRatio)} | ${h.join(' | ')} | ${fmtMs(r.oneApp.wallMs)} | ${fmtMs(r.oneAppCold.wallMs)} | ${fmtMs(r.policy.wallMs)} |`,
    );
  }
  L.push('', '**Affected path through Nx, what-ifs** (wall; the layout what-if also user / kernel CPU)', '');
  L.push(
    '| N apps | nx affected, one app, warm | one app, fresh clone | library change (median) | full synth, same tree (median) | library/full (paired) | nx affected again, nothing changed | after deleting the app folders | load N apps, cold compile cache | warm compile cache | floor, layout what-if (files) | user | kernel |',
  );
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const nx = isRun(r.nx)
      ? [
          fmtMs(r.nx.affected.wallMs),
          fmtMs(r.nx.fresh.wallMs),
          fmtMs(r.nx.library.wallMs),
          fmtMs(r.nx.fullOnTree.wallMs),
          x(r.nx.libraryVsFull.wallRatio),
          fmtMs(r.nx.hit.wallMs),
          `${fmtMs(r.nx.restore.wallMs)}${r.nx.restoreOk ? '' : ' (not written again)'}`,
        ]
      : ['n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
    L.push(
      `| ${r.n} | ${nx.join(' | ')} | ${fmtMs(r.loadCold.wallMs)} (apps ${fmtMs(r.loadColdApps)}) | ${fmtMs(r.loadWarm.wallMs)} (apps ${fmtMs(r.loadWarmApps)}) | ${fmtMs(r.floorUnit.wallMs)} (${r.floorUnitFiles}) | ${fmtMs(r.floorUnit.userMs)} | ${fmtMs(r.floorUnit.sysMs)} |`,
    );
  }
  L.push('', '**Checks**', '');
  for (const r of results) {
    const objs =
      r.synthReportedObjects === r.stats.objects
        ? "matches synth's own count"
        : `synth reported ${r.synthReportedObjects}`;
    const helm = isRun(r.helm)
      ? `helm rendered ${r.helm.objects} objects (${fmtBytes(r.helm.bytes)}), per kind vs synth: ${r.helm.kindsMatch}${r.helm.parity ? `, ${r.helm.parity}` : ''}`
      : `helm ${r.helm?.skipped}`;
    const nx = isRun(r.nx) ? `nx ran ${r.nx.affectedNote}` : `nx ${r.nx?.skipped}`;
    L.push(
      `- N=${r.n}: ${r.stats.objects} objects (${objs}); floor output vs synth: ${r.floorIdentical}; rendered with cdk8s' own toJson(): ${r.renderIdentical}; synth ${r.deterministic}; one-app change of ${r.oneAppTarget}: ${r.oneAppChanged} files changed, ${r.oneAppDeclared}; ${nx}; policy gate: ${r.policySummary}; ${helm}`,
    );
  }
  L.push('', '**Targets (issue 13)**', '', ...targets(results, growth), '');
  const sentence = growthSentence(results);
  if (sentence) L.push(`**Growth.** ${sentence}`, '');
  const prof = results.find((r) => r.profile);
  if (prof?.profile) {
    L.push(
      `**CPU profile, full synth at N=${prof.n}** (\`node --cpu-prof --require ./libs/synth/register.cjs libs/cli/src/main.ts synth\`; all threads, idle excluded, 4 ms sampling):`,
      '',
    );
    L.push(formatSummary(prof.profile.full));
    L.push(`**CPU profile, one-app change at N=${prof.n}** (\`synth --app ${prof.oneAppTarget}\`):`, '');
    L.push(formatSummary(prof.profile.oneApp));
  }
  return L.join('\n');
}

function writeMarkdown(block: string): void {
  const generated = `${MD_START}\n<!-- Generated by \`npm run bench\` (tools/bench/bench.ts); edits between these markers are overwritten. -->\n\n${block}\n${MD_END}`;
  const current = fs.existsSync(MD_FILE) ? fs.readFileSync(MD_FILE, 'utf8') : '';
  const start = current.indexOf(MD_START);
  const end = current.indexOf(MD_END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + generated + current.slice(end + MD_END.length)
      : `${current || '# Benchmarks\n\n'}${current.endsWith('\n') || !current ? '' : '\n'}\n## Results\n\n${generated}\n`;
  fs.writeFileSync(MD_FILE, next);
}

// --- main ----------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const scratchRoots = opts.sizes.map((n) => path.join(opts.scratch, `bench-${n}`));
  const profileDir = path.join(opts.scratch, 'bench-profile');
  let interrupted = false;
  let createdScratch = false;
  const dropScratchIfEmpty = () => {
    if (createdScratch && !opts.keep && fs.existsSync(opts.scratch) && fs.readdirSync(opts.scratch).length === 0)
      fs.rmdirSync(opts.scratch);
  };
  // `on`, not `once`: npm and tsx may deliver the signal twice, and with no listener left tsx's
  // preflight exits the process at once, before the scratch folders are removed.
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    killRunning('SIGKILL');
    if (!opts.keep) {
      for (const r of scratchRoots) removeDir(r);
      removeDir(profileDir);
      removeDir(path.join(opts.scratch, 'bench-trash'));
      dropScratchIfEmpty();
    }
    process.stderr.write(`\nbench: ${sig}: ${opts.keep ? 'scratch folders kept' : 'scratch folders removed'}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    preflight(opts);
    createdScratch = !fs.existsSync(opts.scratch);
    fs.mkdirSync(opts.scratch, { recursive: true });
    // A killed earlier run's trash joins this run's (removed at the end, not while measuring).
    const leftover = path.join(opts.scratch, 'bench-trash');
    if (fs.existsSync(leftover)) {
      const aside = path.join(opts.scratch, `bench-trash-${process.pid}`);
      fs.renameSync(leftover, aside);
      deferRemoval(opts, aside);
    }
    deferRemoval(opts, profileDir);
    const settled = opts.settle ? await settleDisk(opts, log) : undefined;
    const m = {
      ...machine(opts, settled?.lastUs),
      settled: settled && { waitedMs: settled.waitedMs, firstUs: settled.firstUs },
    };
    log(
      `machine: ${m.cpu}, ${m.nproc} cores, ${m.memGb} GB, Node ${m.node}, load ${m.load}; file create ${m.fsScratchUs} µs in ${opts.scratch}, ${m.fsTmpUs} µs in ${os.tmpdir()}`,
    );
    let helm: { bin: string; version: string } | undefined;
    if (opts.helm) {
      helm = ensureHelm(path.join(REPO, 'tmp', 'bench-cache', 'helm'), log); // reused across runs and --scratch dirs
      log(`helm: ${helm.version} (${path.relative(REPO, helm.bin)})`);
    }
    const results: SizeResult[] = [];
    for (const n of opts.sizes) results.push(await benchSize(n, opts, helm?.bin, profileDir));
    const growth = await growthPairs(opts, results);
    const block = report(results, m, opts, helm?.version, command, growth);
    process.stdout.write(`\n${block}\n`);
    if (opts.md) {
      writeMarkdown(block);
      log(`wrote the results into ${path.relative(REPO, MD_FILE)}`);
    }
    if (opts.profile && !opts.keep) removeDir(profileDir);
    else if (opts.profile)
      log(`profiles kept in ${path.relative(REPO, profileDir)} (open in Chrome DevTools > Performance)`);
    removeDir(path.join(opts.scratch, 'bench-trash'));
    dropScratchIfEmpty();
    return 0;
  } catch (e) {
    if (interrupted) return 130;
    // Our own errors and file-system errors (EACCES, ENOSPC, ...) explain themselves: no stack.
    const known =
      e instanceof BenchError ||
      e instanceof MeasureError ||
      e instanceof BenchSetupError ||
      typeof (e as NodeJS.ErrnoException).code === 'string';
    process.stderr.write(`bench: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
    removeDir(path.join(opts.scratch, 'bench-trash'));
    if (!opts.keep) {
      for (const r of scratchRoots) removeDir(r);
      removeDir(profileDir);
      dropScratchIfEmpty();
    } else process.stderr.write(`bench: scratch folders kept: ${scratchRoots.join(', ')}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
