import type { Finding, PolicyReport } from './model';

/*
 * Machine output for dashboards and diffing between runs. Keys are written in a fixed order
 * (rather than whatever order a report object happened to be built in) so two runs over the same
 * tree are byte-identical.
 */

function orderedFinding(finding: Finding): Finding {
  const ordered: Finding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    cluster: finding.cluster,
    file: finding.file,
    ...(finding.line !== undefined ? { line: finding.line } : {}),
    object: finding.object,
    message: finding.message,
    fix: finding.fix,
  };
  if (finding.waived) ordered.waived = { reason: finding.waived.reason };
  return ordered;
}

export function formatJson(report: PolicyReport): string {
  const ordered = {
    ok: report.ok,
    summary: report.summary.map((summary) => ({
      cluster: summary.cluster,
      objects: summary.objects,
      errors: summary.errors,
      warnings: summary.warnings,
      waived: summary.waived,
    })),
    findings: report.findings.map(orderedFinding),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
