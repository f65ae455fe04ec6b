/**
 * Paired measurement of the staging writer thread (issue 15): is writing the changed folders on a
 * worker thread, while the main thread renders and gates, worth a thread? In one process, over a
 * generated fleet (tools/bench/generate-fleet.ts), each round renders the whole fleet, runs the
 * policy gate and writes it into a fresh empty output root, two ways in turn:
 *
 *   A (thread): StagingArea, as synth does (units handed to the writer thread as they are rendered);
 *   B (inline): the same writer program called on the main thread as each unit is rendered.
 *
 * Both then publish the journal and swap the folders in. Rounds run A B A B ...; the comparison
 * is the median of the per-round ratios A/B (tools/bench/pairs.ts). Output trees are kept until
 * the end (deleting thousands of files slows file creation on this disk; BENCHMARKS.md).
 *
 *   node --require ./libs/synth/register.cjs tools/bench/writer-thread.ts [--apps 1000] [--pairs 4] [--order ab|ba] [--scratch DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { StagingArea, gate, loadApps, synthesizeFleet } from '@aks-gitops/synth';
import type { Unit } from '@aks-gitops/synth';
import { rollForward, stagedUnitDir, writeJournal } from '../../libs/synth/src/write/journal';
import { stagingWriterProgram } from '../../libs/synth/src/write/staging-writer';
import type { StagingMessage } from '../../libs/synth/src/write/staging-writer';
import { changedFilesOf, removals } from '../../libs/synth/src/write/write-plan';
import { writeFleet } from './generate-fleet';
import { median } from './pairs';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    pairs: { type: 'string', default: '4' },
    scratch: { type: 'string' },
    /** Which runs first in each round: the thread (ab, default) or inline (ba), to see an order bias. */
    order: { type: 'string', default: 'ab' },
  },
  strict: true,
});
const scratch = path.resolve(values.scratch ?? fs.mkdtempSync(path.join(os.tmpdir(), 'writer-thread-')));
const written = writeFleet(path.join(scratch, 'fleet'), { apps: Number(values.apps), clusters: 3 });
// The fleet's apps import '@aks-gitops/*': link the repository's node_modules in, as bench.ts does.
fs.symlinkSync(path.join(__dirname, '..', '..', 'node_modules'), path.join(written.root, 'node_modules'), 'dir');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { clusters: specs } = require(written.clustersModule) as { clusters: readonly ClusterSpec[] };
const clusters = loadFleet(specs);
const apps = loadApps(path.join(written.root, 'apps'));
synthesizeFleet({ clusters, apps }); // warm-up: the JIT and cdk8s' lazy imports

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly files: number;
}

async function withThread(root: string): Promise<number> {
  const staging = StagingArea.open(root);
  const output = synthesizeFleet({ clusters, apps, onUnit: (u, f) => staging.add(u, f) });
  const plan = staging.plan(output.units, output.owns);
  if (!gate(output, plan).ok) throw new Error('policy gate failed');
  await staging.commit(plan);
  return plan.changedFiles.length;
}

async function inline(root: string): Promise<number> {
  let handler: ((m: StagingMessage) => void) | undefined;
  let report: unknown;
  stagingWriterProgram({
    port: {
      on: (_: string, h: (m: StagingMessage) => void) => (handler = h),
      postMessage: (m: unknown) => (report = m),
    },
    fs,
    path,
  } as unknown as Parameters<typeof stagingWriterProgram>[0]);
  const replace: string[] = [];
  let files = 0;
  const output = synthesizeFleet({
    clusters,
    apps,
    onUnit: (unit: string, unitFiles: Unit) => {
      const changed = changedFilesOf(root, unit, unitFiles);
      if (changed.length === 0) return;
      replace.push(unit);
      files += changed.length;
      handler?.({ dir: stagedUnitDir(root, unit), files: [...unitFiles] });
    },
  });
  const gone = removals(root, output.units, output.owns);
  const plan = { replace: replace.sort(), remove: gone.remove, changedFiles: [], existing: gone.existing };
  if (!gate(output, plan).ok) throw new Error('policy gate failed');
  handler?.('done');
  if ((report as { error?: string }).error) throw new Error(String((report as { error?: string }).error));
  rollForward(root, writeJournal(root, plan.replace, plan.remove));
  return files;
}

async function measure(label: string, fn: (root: string) => Promise<number>, round: number): Promise<Run> {
  const root = path.join(scratch, `out-${round}-${label}`);
  fs.mkdirSync(root, { recursive: true });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const files = await fn(root);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, files };
}

/** Every file of an output tree with its content, in order: to check both ways wrote the same. */
function treeText(root: string): string {
  const parts: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs
      .readdirSync(path.join(root, rel), { withFileTypes: true })
      .sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else parts.push(r, fs.readFileSync(path.join(root, r), 'utf8'));
    }
  };
  walk('');
  return parts.join('\0');
}

async function main(): Promise<void> {
  const a: Run[] = [];
  const b: Run[] = [];
  const pairs = Number(values.pairs);
  for (let i = 0; i < pairs; i++) {
    if (values.order === 'ba') {
      b.push(await measure('inline', inline, i));
      a.push(await measure('thread', withThread, i));
    } else {
      a.push(await measure('thread', withThread, i));
      b.push(await measure('inline', inline, i));
    }
    const ratio = a[i].wallMs / b[i].wallMs;
    process.stdout.write(
      `round ${i + 1}: thread ${a[i].wallMs.toFixed(0)} ms (cpu ${a[i].cpuMs.toFixed(0)}), inline ${b[i].wallMs.toFixed(0)} ms (cpu ${b[i].cpuMs.toFixed(0)}), thread/inline ${ratio.toFixed(2)}\n`,
    );
  }
  const ratios = a.map((r, i) => r.wallMs / b[i].wallMs);
  const same = treeText(path.join(scratch, 'out-0-thread')) === treeText(path.join(scratch, 'out-0-inline'));
  process.stdout.write(
    `N=${values.apps}, order ${values.order}, ${a[0].files} files per write; thread median ${median(a.map((r) => r.wallMs)).toFixed(0)} ms, ` +
      `inline median ${median(b.map((r) => r.wallMs)).toFixed(0)} ms; thread/inline wall ${median(ratios).toFixed(2)}x ` +
      `(median of ${pairs} pairs: ${ratios.map((r) => r.toFixed(2)).join(', ')}); outputs agree: ${same}; load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
