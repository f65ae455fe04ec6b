/**
 * The same commands in two checkouts of aks-gitops (before and after a change), in interleaved
 * pairs (A B A B ...): the median of the per-pair ratios, as BENCHMARKS.md reports everything.
 * Used for refactors that must not change speed (issue 15): both checkouts need `npm ci` first,
 * and their committed output must be byte-identical, or the comparison means nothing.
 *
 *   npx tsx tools/bench/compare-checkouts.ts <before-dir> <after-dir> [pairs]
 *
 * Each command runs as a user types it (`npm run -s ...`), so launcher costs count. Output is
 * checked, not only timed: every run must exit 0 and leave `git status` clean.
 */
import { spawnSync } from 'node:child_process';
import { run, type Measured } from './measure';
import { fmtPair, paired, summarize } from './pairs';

const COMMANDS: ReadonlyArray<{ readonly label: string; readonly args: readonly string[] }> = [
  { label: 'synth --no-cache (compile and render everything)', args: ['run', '-s', 'synth', '--', '--no-cache'] },
  { label: 'synth (warm caches, nothing changed)', args: ['run', '-s', 'synth'] },
  { label: 'drift', args: ['run', '-s', 'drift'] },
  { label: 'policy', args: ['run', '-s', 'policy'] },
];

function assertClean(dir: string): void {
  const st = spawnSync('git', ['status', '--porcelain', '--', 'clusters', 'flux', '.github'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (st.stdout.trim()) throw new Error(`${dir}: the command changed committed output:\n${st.stdout}`);
}

async function main(): Promise<void> {
  const [before, after, pairsArg] = process.argv.slice(2);
  if (!before || !after) throw new Error('usage: compare-checkouts.ts <before-dir> <after-dir> [pairs]');
  const pairs = Number(pairsArg ?? 5);
  for (const cmd of COMMANDS) {
    const a: Measured[] = [];
    const b: Measured[] = [];
    // One unmeasured run each first: the compiled-code cache and the disk cache warm up.
    await run('warm', 'npm', cmd.args, { cwd: before });
    await run('warm', 'npm', cmd.args, { cwd: after });
    for (let i = 0; i < pairs; i++) {
      a.push(await run('after', 'npm', cmd.args, { cwd: after }));
      assertClean(after);
      b.push(await run('before', 'npm', cmd.args, { cwd: before }));
      assertClean(before);
    }
    const sa = summarize(a);
    const sb = summarize(b);
    console.log(`${cmd.label}`);
    console.log(`  before: ${sb.wallMs.toFixed(0)} ms wall, ${sb.userMs?.toFixed(0) ?? 'n/a'} ms user`);
    console.log(`  after:  ${sa.wallMs.toFixed(0)} ms wall, ${sa.userMs?.toFixed(0) ?? 'n/a'} ms user`);
    console.log(`  after/before: ${fmtPair(paired(a, b))}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
