/**
 * Runs a command as a whole process and measures it: wall clock (spawn to exit, process start
 * included), user and kernel CPU (children included) and peak RSS. Uses GNU time
 * (`/usr/bin/time -f`) when present, else a preloaded probe in every Node process of the command.
 *
 * Asynchronous on purpose: `npm run bench` runs under tsx, whose parent process SIGKILLs a child
 * that does not acknowledge Ctrl-C within ~60 ms; a blocked event loop (spawnSync) could never
 * acknowledge it, and the scratch folders would be left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Measured {
  readonly label: string;
  readonly wallMs: number;
  /** user + system CPU of the process tree; undefined when it could not be measured. */
  readonly cpuMs?: number;
  /** User-mode CPU (the JavaScript work: steady even when the machine is busy). */
  readonly userMs?: number;
  /** Kernel CPU (file creation, renames, reads: the I/O part). */
  readonly sysMs?: number;
  /** Peak resident set size of the largest process of the tree, MiB. */
  readonly rssMb?: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Send stdout to this file instead of capturing it (large outputs such as helm template). */
  readonly stdoutFile?: string;
  /** Do not throw on a non-zero exit; the caller inspects `code`. */
  readonly allowFailure?: boolean;
  /** Kill after this long (default 15 minutes). */
  readonly timeoutMs?: number;
}

export class MeasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasureError';
  }
}

const GNU_TIME = '/usr/bin/time';
let gnuTime: boolean | undefined;

/** Whether `/usr/bin/time -f` works here (GNU time, not the BSD one or a shell keyword). */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const r = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
    gnuTime = r.status === 0 && /^\d+\s*$/.test(r.stderr.trim().split('\n').pop() ?? '');
  }
  return gnuTime;
}

const PROBE = path.join(__dirname, 'rss-probe.cjs');
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Stops every measured process still running and removes their temp files (on Ctrl-C). */
export function killRunning(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of running) child.kill(signal);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function spawnAndWait(file: string, argv: string[], opts: RunOptions, env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve) => {
    const out = opts.stdoutFile ? fs.openSync(opts.stdoutFile, 'w') : 'pipe';
    const child = spawn(file, argv, { cwd: opts.cwd, env, stdio: ['ignore', out, 'pipe'] });
    running.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => stdout.push(b));
    child.stderr?.on('data', (b: Buffer) => stderr.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15 * 60_000);
    let spawnError: Error | undefined;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (typeof out === 'number') fs.closeSync(out);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        error: spawnError,
      });
    });
  });
}

export async function run(label: string, cmd: string, args: readonly string[], opts: RunOptions): Promise<Measured> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-bench-'));
  tempDirs.add(tmp);
  try {
    const timeFile = path.join(tmp, 'time.txt');
    const probeFile = path.join(tmp, 'probe.txt');
    const useTime = hasGnuTime();
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
    if (!useTime) {
      env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim();
      env.BENCH_RSS_FILE = probeFile;
    }
    const [file, argv] = useTime ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, [...args]];
    const started = process.hrtime.bigint();
    const r = await spawnAndWait(file, argv, opts, env);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.error) throw new MeasureError(`${label}: could not run ${cmd}: ${r.error.message}`);
    const code = r.code ?? (r.signal ? 128 : 1);
    let cpuMs: number | undefined;
    let userMs: number | undefined;
    let sysMs: number | undefined;
    let rssMb: number | undefined;
    if (useTime && fs.existsSync(timeFile)) {
      const last = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
      const [, user, sys, rssKb] = last.split(/\s+/).map(Number);
      if ([user, sys, rssKb].every(Number.isFinite)) {
        userMs = user * 1000;
        sysMs = sys * 1000;
        cpuMs = userMs + sysMs;
        rssMb = rssKb / 1024;
      }
    } else if (fs.existsSync(probeFile)) {
      const rows = fs
        .readFileSync(probeFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number));
      rssMb = Math.max(...rows.map((x) => x[1])) / 1024;
      userMs = rows.reduce((s, x) => s + x[2] / 1000, 0);
      sysMs = rows.reduce((s, x) => s + x[3] / 1000, 0);
      cpuMs = userMs + sysMs;
    }
    const result: Measured = { label, wallMs, cpuMs, userMs, sysMs, rssMb, code, stdout: r.stdout, stderr: r.stderr };
    if (code !== 0 && !opts.allowFailure) {
      const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
      throw new MeasureError(
        `${label} failed (exit ${code}${r.signal ? `, signal ${r.signal}` : ''}): ${cmd} ${args.join(' ')}\n  in ${opts.cwd}\n${tail}`,
      );
    }
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    tempDirs.delete(tmp);
  }
}
