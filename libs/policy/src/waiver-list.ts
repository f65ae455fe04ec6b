import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { UNASSIGNED_CLUSTER } from './evaluate';
import { appsOf, folderOfFile, placeOfFile } from './generated-layout';
import { expandListDocuments } from './list-expansion';
import { clusterOfFile, describeObject, isEvaluated, isKubeObject } from './object-identity';
import type { RuleId } from './rule-catalog';
import { compareStrings } from './unknown-value';
import { waiverAnnotationsOf, waiverProblem } from './waivers';

/*
 * Every exception in the fleet in one list, so a reviewer (or an auditor) sees who waived what
 * and why without reading every manifest: `npm run policy -- --waivers`.
 */

export interface WaiverEntry {
  cluster: string;
  /** The app whose folder holds the object, or `platform` / `flux` for the cluster-wide folders. */
  app: string;
  file: string;
  object: string;
  /** The rule id as written in the annotation key (may be unknown or a pattern). */
  ruleId: string;
  reason: string;
  /** Where the annotation sits. */
  location: 'metadata' | 'pod template';
  /** True when the waiver can excuse a finding; otherwise `problem` says which rule it breaks. */
  counts: boolean;
  problem?: { ruleId: RuleId; message: string };
}

function appOfPlace(file: string): string {
  const place = placeOfFile(file);
  if (place.kind === 'app') return place.app;
  if (place.kind === 'elsewhere') return folderOfFile(file);
  return place.kind;
}

export function listWaivers(documents: readonly ManifestDocument[]): WaiverEntry[] {
  const judged = expandListDocuments(documents, []).filter(
    (document) => isKubeObject(document.object) && isEvaluated(document),
  );
  const byCluster = new Map<string, ManifestDocument[]>();
  for (const document of judged) {
    const cluster = clusterOfFile(document.file) ?? UNASSIGNED_CLUSTER;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), document]);
  }
  const entries: WaiverEntry[] = [];
  for (const [cluster, clusterDocuments] of byCluster) {
    const apps = appsOf(clusterDocuments);
    for (const document of clusterDocuments) {
      for (const waiver of waiverAnnotationsOf(document)) {
        const problem = waiverProblem(document, waiver, apps);
        entries.push({
          cluster,
          app: appOfPlace(document.file),
          file: document.file,
          object: describeObject(document.object),
          ruleId: waiver.ruleId,
          reason: waiver.reason.trim(),
          location: waiver.location,
          counts: problem === undefined,
          ...(problem ? { problem: { ruleId: problem.ruleId, message: problem.message } } : {}),
        });
      }
    }
  }
  return entries.sort(
    (a, b) =>
      compareStrings(a.cluster, b.cluster) ||
      compareStrings(a.app, b.app) ||
      compareStrings(a.object, b.object) ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.location, b.location) ||
      compareStrings(a.reason, b.reason) ||
      compareStrings(a.file, b.file),
  );
}

/** One block per cluster, one line per waiver; the reason (long) on an indented line beneath. */
export function formatWaiverTable(entries: readonly WaiverEntry[]): string {
  if (entries.length === 0) return 'no waivers\n';
  const blocks: string[] = [];
  const clusters = [...new Set(entries.map((entry) => entry.cluster))];
  for (const cluster of clusters) {
    const rows = entries.filter((entry) => entry.cluster === cluster);
    const cells = rows.map((entry) => [
      entry.app,
      entry.object,
      entry.ruleId,
      entry.counts ? 'counts' : `REJECTED (${entry.problem?.ruleId ?? ''})`,
    ]);
    const headers = ['APP', 'OBJECT', 'RULE', 'STATUS'];
    const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => row[column].length)));
    const pad = (row: readonly string[]): string =>
      row.map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]) : cell)).join('  ');
    const lines = [`== ${cluster} ==`, pad(headers)];
    rows.forEach((entry, index) => {
      lines.push(pad(cells[index]));
      lines.push(`    reason (${entry.location}): ${entry.reason === '' ? '(empty)' : entry.reason}`);
      if (entry.problem) lines.push(`    ${entry.problem.message}`);
    });
    const rejected = rows.filter((entry) => !entry.counts).length;
    lines.push(`${cluster}: ${rows.length} waiver${rows.length === 1 ? '' : 's'}, ${rejected} rejected`);
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

export function formatWaiverJson(entries: readonly WaiverEntry[]): string {
  return `${JSON.stringify({ waivers: entries }, null, 2)}\n`;
}
