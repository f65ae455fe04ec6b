/**
 * Summarizes V8 `.cpuprofile` files (from `node --cpu-prof`): top functions by self time, self
 * time per package/area, and inclusive time of chosen frames (counted once per stack, so
 * recursion does not double count). Run alone: `tsx tools/bench/profile.ts <file.cpuprofile>...`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotSpot {
  /** `file:line function` with paths relative to the repository. */
  readonly frame: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

export interface InclusiveEntry {
  readonly label: string;
  readonly ms: number;
  readonly pct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly top: readonly HotSpot[];
  readonly byArea: readonly InclusiveEntry[];
  readonly inclusive: readonly InclusiveEntry[];
}

/** Frames whose inclusive time tells the story of a synth run. Matched on `function@file-suffix`. */
export const PHASES: ReadonlyArray<{ label: string; fn: string; file: string }> = [
  {
    label: 'loadApp, every loaded app (require + compile)',
    fn: 'loadApp',
    file: 'libs/synth/src/render/app-loader.ts',
  },
  { label: 'ClaimsCache.open (read, toolchain hash)', fn: 'open', file: 'libs/synth/src/cache/claims-cache.ts' },
  { label: 'ClaimsCache.valid (hash the app sources)', fn: 'valid', file: 'libs/synth/src/cache/claims-cache.ts' },
  { label: 'ClaimsCache record + save', fn: 'recordClaims', file: 'libs/synth/src/commands/synth-command.ts' },
  { label: 'declare apps (L7Api/L4Service constructors)', fn: 'declare', file: 'libs/synth/src/render/fleet-synth.ts' },
  {
    label: 'ClusterRegistry.finalize (cross-app checks, call wiring)',
    fn: 'finalize',
    file: 'libs/workloads/src/cluster-registry.ts',
  },
  {
    label: 'Chart.toJson (= App._synthChart: whole-App preparation, then this chart)',
    fn: 'toJson',
    file: 'cdk8s/lib/chart.js',
  },
  { label: '  whole-App resolveDependencies (cdk8s app.js)', fn: 'resolveDependencies', file: 'cdk8s/lib/app.js' },
  { label: '  whole-App validate (cdk8s app.js)', fn: 'validate', file: 'cdk8s/lib/app.js' },
  { label: '  ApiObject.toJson (rendering the objects themselves)', fn: 'toJson', file: 'cdk8s/lib/api-object.js' },
  {
    label: 'renderObject (ApiObject.toJson in one pass, then the L1 conversion)',
    fn: 'renderObject',
    file: 'libs/synth/src/render/render-object.ts',
  },
  { label: 'cdk8s resolve() (tokens, lazies)', fn: 'resolve', file: 'cdk8s/lib/resolve.js' },
  { label: 'toYaml (yaml stringify)', fn: 'toYaml', file: 'libs/synth/src/render/yaml-output.ts' },
  { label: 'ClusterBaseline', fn: 'ClusterBaseline', file: 'libs/workloads/src/cluster-baseline.ts' },
  {
    label: 'azureEdgeFiles (DNAT rules)',
    fn: 'azureEdgeFiles',
    file: 'libs/synth/src/render/azure/azure-edge-files.ts',
  },
  { label: 'planWrite (read + compare existing tree)', fn: 'planWrite', file: 'libs/synth/src/write/write-plan.ts' },
  { label: 'policy evaluate()', fn: 'evaluate', file: 'libs/policy/src/evaluate.ts' },
  { label: 'listExistingUnits', fn: 'listExistingUnits', file: 'libs/synth/src/write/existing-tree.ts' },
  {
    label: 'StagingArea.add (compare with disk, hand to the writer thread)',
    fn: 'add',
    file: 'libs/synth/src/write/staging-area.ts',
  },
  {
    label: 'StagingArea.commit (wait for the writer, journal, renames)',
    fn: 'commit',
    file: 'libs/synth/src/write/staging-area.ts',
  },
  { label: 'Node.addChild (constructs tree)', fn: 'addChild', file: 'constructs/lib/construct.js' },
  { label: 'Node.findAll (constructs tree walk)', fn: 'findAll', file: 'constructs/lib/construct.js' },
  { label: 'Chart.of (scope lookup)', fn: 'of', file: 'cdk8s/lib/chart.js' },
  { label: 'GC', fn: '(garbage collector)', file: '' },
];

function relative(url: string, repoRoot: string): string {
  let file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (file.startsWith(repoRoot + '/')) file = file.slice(repoRoot.length + 1);
  return file.replace(/^.*node_modules\//, '');
}

/** Coarse owner of a frame: a package under node_modules, a libs/<x> folder, apps, or node itself. */
function areaOf(url: string, fn: string, repoRoot: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const file = relative(url, repoRoot);
  const lib = /^(libs\/[^/]+|tools\/[^/]+)/.exec(file);
  if (lib) return lib[1];
  if (/(^|\/)apps\//.test(file)) return 'app files (generated)';
  return file;
}

export function summarizeProfiles(files: readonly string[], repoRoot: string, topN = 15): ProfileSummary {
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const phases = new Map<string, number>();
  let totalUs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const perNode = new Map<number, number>();
    profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of perNode) {
      const node = byId.get(id);
      if (!node) continue;
      const cf = node.callFrame;
      if (cf.functionName === '(idle)') continue; // waiting (I/O, the idle tsx loader thread), not work
      totalUs += us;
      const key = cf.url
        ? `${relative(cf.url, repoRoot)}:${cf.lineNumber + 1} ${cf.functionName || '(anonymous)'}`
        : cf.functionName;
      self.set(key, (self.get(key) ?? 0) + us);
      const area = areaOf(cf.url, cf.functionName, repoRoot);
      areas.set(area, (areas.get(area) ?? 0) + us);
      // Inclusive phases: walk up once, count each phase at most once per sample stack.
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const f = (byId.get(cur) as ProfileNode).callFrame;
        for (const p of PHASES) {
          if (seen.has(p.label)) continue;
          if (f.functionName === p.fn && (p.file === '' ? !f.url : f.url.endsWith(p.file))) {
            seen.add(p.label);
            phases.set(p.label, (phases.get(p.label) ?? 0) + us);
          }
        }
      }
    }
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const pct = (us: number) => (totalUs ? Math.round((1000 * us) / totalUs) / 10 : 0);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: ms(totalUs),
    top: sorted(self)
      .slice(0, topN)
      .map(([frame, us]) => ({ frame, selfMs: ms(us), selfPct: pct(us) })),
    byArea: sorted(areas)
      .slice(0, topN)
      .map(([label, us]) => ({ label, ms: ms(us), pct: pct(us) })),
    inclusive: PHASES.filter((p) => phases.has(p.label)).map((p) => ({
      label: p.label,
      ms: ms(phases.get(p.label) ?? 0),
      pct: pct(phases.get(p.label) ?? 0),
    })),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const lines = [
    `Sampled CPU (idle excluded): ${s.totalMs} ms`,
    '',
    '| # | self ms | self % | file:line function |',
    '|---|---|---|---|',
  ];
  s.top.forEach((h, i) => lines.push(`| ${i + 1} | ${h.selfMs} | ${h.selfPct} | \`${h.frame}\` |`));
  lines.push('', '| area (self time) | ms | % |', '|---|---|---|');
  for (const a of s.byArea) lines.push(`| ${a.label} | ${a.ms} | ${a.pct} |`);
  lines.push('', '| phase (inclusive) | ms | % |', '|---|---|---|');
  for (const p of s.inclusive) lines.push(`| ${p.label} | ${p.ms} | ${p.pct} |`);
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  const files = process.argv.slice(2).flatMap((f) =>
    fs.statSync(f).isDirectory()
      ? fs
          .readdirSync(f)
          .filter((x) => x.endsWith('.cpuprofile'))
          .map((x) => path.join(f, x))
      : [f],
  );
  if (files.length === 0) {
    process.stderr.write('usage: tsx tools/bench/profile.ts <file.cpuprofile | dir>...\n');
    process.exit(2);
  }
  process.stdout.write(formatSummary(summarizeProfiles(files, path.resolve(__dirname, '../..'), 25)));
}
