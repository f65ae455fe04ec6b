import type { ClusterSummary, Finding, PolicyReport } from './model';

/*
 * Human output for CI logs: one block per cluster, unwaived errors first, columns aligned so a
 * reviewer can scan the rule and object columns; the fix and file go on indented lines beneath
 * because they are long and would otherwise push the table off screen.
 */

type Status = 'error' | 'warning' | 'waived';

const STATUS_ORDER: Readonly<Record<Status, number>> = { error: 0, warning: 1, waived: 2 };
const HEADERS = ['STATUS', 'RULE', 'OBJECT', 'MESSAGE'] as const;
const GAP = '  ';

function statusOf(finding: Finding): Status {
  return finding.waived ? 'waived' : finding.severity;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function summaryLine(summary: ClusterSummary): string {
  return `${summary.cluster}: ${plural(summary.objects, 'object')}, ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.waived} waived`;
}

function formatCluster(summary: ClusterSummary, findings: Finding[]): string[] {
  const lines = [`== ${summary.cluster} ==`];
  if (findings.length === 0) {
    lines.push('no findings');
  } else {
    // Stable sort keeps the report's deterministic order inside each status.
    const ordered = [...findings].sort((a, b) => STATUS_ORDER[statusOf(a)] - STATUS_ORDER[statusOf(b)]);
    const rows = ordered.map((finding) => [statusOf(finding), finding.ruleId, finding.object, finding.message]);
    const widths = [0, 1, 2].map((column) =>
      Math.max(HEADERS[column].length, ...rows.map((row) => row[column].length)),
    );
    const pad = (cells: readonly string[]): string =>
      cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join(GAP);
    const indent = ' '.repeat(widths[0] + widths[1] + widths[2] + GAP.length * 3);
    lines.push(pad(HEADERS).trimEnd());
    ordered.forEach((finding, index) => {
      lines.push(pad(rows[index]));
      if (finding.waived) lines.push(`${indent}waived (${finding.severity}): ${finding.waived.reason}`);
      lines.push(`${indent}fix: ${finding.fix}`);
      lines.push(`${indent}file: ${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''}`);
    });
  }
  lines.push(summaryLine(summary));
  return lines;
}

/** Readable text table grouped by cluster, each block ending with its summary line, then the verdict. */
export function formatTable(report: PolicyReport): string {
  const findingsByCluster = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = findingsByCluster.get(finding.cluster);
    if (list) list.push(finding);
    else findingsByCluster.set(finding.cluster, [finding]);
  }
  const blocks = report.summary.map((summary) =>
    formatCluster(summary, findingsByCluster.get(summary.cluster) ?? []).join('\n'),
  );
  return `${[...blocks, verdictLine(report)].join('\n\n')}\n`;
}

/** `policy PASSED: 0 errors, 1 warning, 4 waived across 2 clusters`: the last line of every text format. */
export function verdictLine(report: PolicyReport): string {
  const errors = report.summary.reduce((total, summary) => total + summary.errors, 0);
  const warnings = report.summary.reduce((total, summary) => total + summary.warnings, 0);
  const waived = report.summary.reduce((total, summary) => total + summary.waived, 0);
  return `policy ${report.ok ? 'PASSED' : 'FAILED'}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${waived} waived across ${plural(report.summary.length, 'cluster')}`;
}
