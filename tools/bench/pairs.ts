/**
 * Comparisons by interleaved pairs. This machine is shared (other agents' builds and tests come and
 * go within seconds) and its disk drifts over minutes, so "best of K" of one command against "best
 * of K" of another compares different moments. Instead the commands run in turn (A B A B ... or
 * A B C A B C ...), each pair sees about the same conditions, and the comparison is the median of
 * the per-pair ratios; every side is also reported with its median wall, user and kernel time and
 * its peak RSS.
 */
import type { Measured } from './measure';

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One side of a comparison: the median of each figure over its runs, and the largest RSS. */
export function summarize(runs: readonly Measured[]): Measured {
  if (runs.length === 0) throw new Error('no runs to summarize');
  const of = (f: (m: Measured) => number | undefined) => {
    const v = runs.map(f).filter((x): x is number => x !== undefined);
    return v.length ? median(v) : undefined;
  };
  const rss = runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
  // The run closest to the median wall time stands for the side (its stdout is reported).
  const wall = median(runs.map((r) => r.wallMs));
  const typical = runs.reduce((a, b) => (Math.abs(b.wallMs - wall) < Math.abs(a.wallMs - wall) ? b : a));
  return {
    ...typical,
    wallMs: wall,
    userMs: of((r) => r.userMs),
    sysMs: of((r) => r.sysMs),
    cpuMs: of((r) => r.cpuMs),
    rssMb: rss.length ? Math.max(...rss) : undefined,
  };
}

export interface PairStat {
  readonly pairs: number;
  /** Median of a.wall / b.wall over the pairs. */
  readonly wallRatio: number;
  /** Median of a.user / b.user (NaN when CPU was not measured). */
  readonly userRatio: number;
  readonly ratios: readonly number[];
}

/** `a[i]` and `b[i]` ran back to back. */
export function paired(a: readonly Measured[], b: readonly Measured[]): PairStat {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  const user: number[] = [];
  for (let i = 0; i < n; i++) {
    ratios.push(a[i].wallMs / b[i].wallMs);
    const ua = a[i].userMs;
    const ub = b[i].userMs;
    if (ua !== undefined && ub !== undefined && ub > 0) user.push(ua / ub);
  }
  return { pairs: n, wallRatio: median(ratios), userRatio: median(user), ratios };
}

export function fmtPair(p: PairStat): string {
  return `${p.wallRatio.toFixed(2)}x wall (median of ${p.pairs} pairs: ${p.ratios.map((r) => r.toFixed(2)).join(', ')}), ${Number.isNaN(p.userRatio) ? 'n/a' : `${p.userRatio.toFixed(2)}x`} user CPU`;
}
