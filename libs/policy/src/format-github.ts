import type { Finding, PolicyReport } from './model';
import { verdictLine } from './format-table';

/*
 * GitHub Actions workflow commands (docs.github.com, "Workflow commands for GitHub Actions":
 * `::error file={name},line={line},title={title}::{message}`). Printed by a step, each line becomes
 * an annotation on that file and line of the pull request diff, here the generated manifest and the
 * line its object's document starts at. Unwaived errors are `error`, warnings `warning`, waived
 * findings `notice` (visible, never failing).
 *
 * Escaping follows the runner's own (actions/toolkit core/src/command.ts): in the message `%`, CR
 * and LF become %25, %0D, %0A; in property values also `:` and `,` (%3A, %2C), which would otherwise
 * end the property.
 */

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(finding: Finding): 'error' | 'warning' | 'notice' {
  if (finding.waived) return 'notice';
  return finding.severity;
}

export function githubAnnotation(finding: Finding): string {
  const properties = [`file=${escapeProperty(finding.file)}`];
  if (finding.line !== undefined) properties.push(`line=${finding.line}`);
  properties.push(`title=${escapeProperty(`${finding.ruleId} ${finding.object} (${finding.cluster})`)}`);
  const waived = finding.waived ? `waived (${finding.severity}): ${finding.waived.reason}\n` : '';
  return `::${command(finding)} ${properties.join(',')}::${escapeData(`${waived}${finding.message}\nfix: ${finding.fix}`)}`;
}

/** One annotation per finding, then the verdict as a plain log line. */
export function formatGithub(report: PolicyReport): string {
  return `${[...report.findings.map(githubAnnotation), verdictLine(report)].join('\n')}\n`;
}
