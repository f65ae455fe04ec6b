import { compareFindings } from './evaluate';
import type { ClusterSummary, PolicyReport } from './model';
import { compareStrings } from './unknown-value';

/**
 * One report from reports that each judged other clusters (synth gates every cluster as soon as it
 * is rendered, so the objects of one cluster are garbage before the next is built): the same report,
 * byte for byte once formatted, that `evaluate` gives over all their documents at once, since every
 * rule judges one cluster at a time. `clusters` are the fleet's names: a cluster no report judged
 * (not rendered this run) is summarized with no objects, as `evaluate` does for a fleet cluster
 * without documents.
 */
export function mergeReports(reports: readonly PolicyReport[], clusters: readonly string[]): PolicyReport {
  const findings = reports.flatMap((r) => r.findings).sort(compareFindings);
  const summaries = new Map<string, ClusterSummary>(
    clusters.map((cluster) => [cluster, { cluster, objects: 0, errors: 0, warnings: 0, waived: 0 }]),
  );
  const judged = new Set<string>();
  for (const entry of reports.flatMap((r) => r.summary)) {
    if (judged.has(entry.cluster)) throw new Error(`internal: cluster ${entry.cluster} was judged twice`);
    judged.add(entry.cluster);
    summaries.set(entry.cluster, { ...entry });
  }
  const summary = [...summaries.values()].sort((a, b) => compareStrings(a.cluster, b.cluster));
  return { findings, summary, ok: !findings.some((entry) => entry.severity === 'error' && !entry.waived) };
}
