/**
 * The same commands in two checkouts of aks-gitops (before and after a change), in interleaved
 * pairs (A B A B ...): the median of the per-pair ratios, as BENCHMARKS.md reports everything.
 * Used for refactors that must not change speed (issue 15): both checkouts need `npm ci` first.
 *
 *   npx tsx tools/bench/compare-checkouts.ts <before-dir> <after-dir> [pairs] [--fleet N]
 *
 * Without --fleet, each command runs in each checkout on its own example fleet as a user types it
 * (`npm run -s ...`), so launcher costs count; their committed output must be byte-identical, or
 * the comparison means nothing. With --fleet N, both run on the same generated fleet of N apps
 * (tools/bench/generate-fleet.ts of the after checkout, one scratch copy per checkout whose
 * node_modules is that checkout's): a checkout with the `aks-gitops` bin through it, as a shell runs it, older
 * checkouts through the command their package.json's `synth` script spells out. Output is checked,
 * not only timed: every run must exit 0, and in the example-fleet mode leave `git status` clean.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFleet } from './generate-fleet';
import { run, type Measured } from './measure';
import { fmtPair, paired, summarize } from './pairs';

const COMMANDS: ReadonlyArray<{ readonly label: string; readonly args: readonly string[] }> = [
  { label: 'synth --no-cache (compile and render everything)', args: ['synth', '--no-cache'] },
  { label: 'synth (warm caches, nothing changed)', args: ['synth'] },
  { label: 'drift', args: ['drift'] },
  { label: 'policy', args: ['policy'] },
];

interface Side {
  readonly cwd: string;
  /** argv (program first) of `aks-gitops <cmd>` in this checkout. */
  command(args: readonly string[]): readonly string[];
  readonly check: () => void;
}

function assertClean(dir: string): void {
  const st = spawnSync('git', ['status', '--porcelain', '--', 'clusters', 'flux', '.github'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (st.stdout.trim()) throw new Error(`${dir}: the command changed committed output:\n${st.stdout}`);
}

/** How a checkout starts its CLI: the aks-gitops bin if it has one, else its package.json `synth` script. */
function cliOf(checkout: string): (args: readonly string[]) => string[] {
  const bin = path.join(checkout, 'libs', 'cli', 'bin', 'aks-gitops.cjs');
  // Started as a user's shell starts it (the shebang's V8 flags, one process); `node bin` would
  // start node a second time to apply them.
  if (fs.existsSync(bin)) return (args) => [bin, ...args];
  const pkg = JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.synth.split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 1] !== 'synth')
    throw new Error(`${checkout}: cannot read how the CLI starts from its synth script: ${pkg.scripts.synth}`);
  const nodeArgs = words
    .slice(1, -1)
    .map((w) => (w.startsWith('./') || w.startsWith('libs/') ? path.join(checkout, w) : w));
  return (args) => [process.execPath, ...nodeArgs, ...args];
}

function exampleSide(checkout: string): Side {
  return {
    cwd: checkout,
    command: (args) => ['npm', 'run', '-s', args[0], '--', ...args.slice(1)],
    check: () => assertClean(checkout),
  };
}

function fleetSide(checkout: string, scratch: string, apps: number): Side {
  fs.rmSync(scratch, { recursive: true, force: true });
  writeFleet(scratch, { apps, clusters: 3, seed: 7 });
  fs.symlinkSync(path.join(checkout, 'node_modules'), path.join(scratch, 'node_modules'));
  const cli = cliOf(checkout);
  return {
    cwd: scratch,
    command: (args) => cli([...args, '--clusters-module', 'clusters.ts']),
    check: () => undefined,
  };
}

async function measure(label: string, side: Side, args: readonly string[]): Promise<Measured> {
  const [program, ...rest] = side.command(args);
  const m = await run(label, program, rest, { cwd: side.cwd });
  side.check();
  return m;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const fleetAt = argv.indexOf('--fleet');
  const fleet = fleetAt >= 0 ? Number(argv.splice(fleetAt, 2)[1]) : undefined;
  const [before, after, pairsArg] = argv;
  if (!before || !after || (fleet !== undefined && !(fleet > 0)))
    throw new Error('usage: compare-checkouts.ts <before-dir> <after-dir> [pairs] [--fleet N]');
  const pairs = Number(pairsArg ?? 5);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-compare-'));
  const sides =
    fleet === undefined
      ? { a: exampleSide(after), b: exampleSide(before) }
      : {
          a: fleetSide(path.resolve(after), path.join(scratch, 'after'), fleet),
          b: fleetSide(path.resolve(before), path.join(scratch, 'before'), fleet),
        };
  try {
    // The very first synth of a scratch fleet writes everything: not measured.
    if (fleet !== undefined) for (const s of [sides.a, sides.b]) await measure('first synth', s, ['synth']);
    for (const cmd of COMMANDS) {
      const a: Measured[] = [];
      const b: Measured[] = [];
      // One unmeasured run each first: the compiled-code cache and the disk cache warm up.
      await measure('warm', sides.b, cmd.args);
      await measure('warm', sides.a, cmd.args);
      for (let i = 0; i < pairs; i++) {
        a.push(await measure('after', sides.a, cmd.args));
        b.push(await measure('before', sides.b, cmd.args));
      }
      const sa = summarize(a);
      const sb = summarize(b);
      console.log(`${cmd.label}${fleet ? ` (${fleet} apps)` : ''}`);
      console.log(`  before: ${sb.wallMs.toFixed(0)} ms wall, ${sb.userMs?.toFixed(0) ?? 'n/a'} ms user`);
      console.log(`  after:  ${sa.wallMs.toFixed(0)} ms wall, ${sa.userMs?.toFixed(0) ?? 'n/a'} ms user`);
      console.log(`  after/before: ${fmtPair(paired(a, b))}`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
