import type { Finding, PolicyReport } from './model';
import { RULES } from './rule-definitions';

/*
 * JUnit XML, the format Azure DevOps' PublishTestResults task (and most CI test tabs) reads: one
 * <testsuite> per cluster and, in it, one <testcase> per rule and object that has findings (an
 * unwaived error is a <failure>, a waived finding is <skipped> with the reason, a warning passes
 * with its text in <system-out>), plus one passing "<rule>: no findings" case per rule that found
 * nothing, so the tab shows every rule every run. Output is deterministic: catalog order, then the
 * report's object order, and `time="0"` (durations are not policy).
 */

function escapeXml(value: string): string {
  return (
    value
      // Characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

interface Case {
  classname: string;
  name: string;
  file?: string;
  findings: Finding[];
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
}

function describe(finding: Finding): string {
  const where = finding.line !== undefined ? `${finding.file}:${finding.line}` : finding.file;
  return `${finding.message}\nfix: ${finding.fix}\nfile: ${where}`;
}

function testcase(entry: Case): string[] {
  const open = entry.findings.filter((finding) => !finding.waived);
  const errors = open.filter((finding) => finding.severity === 'error');
  const warnings = open.filter((finding) => finding.severity === 'warning');
  const waived = entry.findings.filter((finding) => finding.waived);
  const head = `    <testcase${attributes({ classname: entry.classname, name: entry.name, file: entry.file, time: 0 })}`;
  if (entry.findings.length === 0) return [`${head}/>`];
  const lines = [`${head}>`];
  if (errors.length > 0) {
    lines.push(
      `      <failure${attributes({ type: errors[0].ruleId, message: errors.map((finding) => finding.message).join('; ') })}>${escapeXml(errors.map(describe).join('\n\n'))}</failure>`,
    );
  } else if (warnings.length === 0) {
    lines.push(
      `      <skipped${attributes({ message: `waived: ${waived.map((finding) => finding.waived?.reason).join('; ')}` })}/>`,
    );
  }
  const notes = [
    ...warnings.map((finding) => `warning: ${describe(finding)}`),
    ...waived.map((finding) => `waived (${finding.severity}): ${finding.waived?.reason}\n${describe(finding)}`),
  ];
  if (notes.length > 0) lines.push(`      <system-out>${escapeXml(notes.join('\n\n'))}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function casesOf(cluster: string, findings: Finding[]): Case[] {
  const cases: Case[] = [];
  for (const rule of RULES) {
    const classname = `${cluster}.${rule.id}`;
    const forRule = findings.filter((finding) => finding.ruleId === rule.id);
    if (forRule.length === 0) {
      cases.push({ classname, name: `${rule.id}: no findings`, findings: [] });
      continue;
    }
    const byObject = new Map<string, Case>();
    for (const finding of forRule) {
      const key = `${finding.file}\u0000${finding.object}`;
      let entry = byObject.get(key);
      if (!entry) {
        entry = { classname, name: `${rule.id}: ${finding.object}`, file: finding.file, findings: [] };
        byObject.set(key, entry);
        cases.push(entry);
      }
      entry.findings.push(finding);
    }
  }
  return cases;
}

function isFailure(entry: Case): boolean {
  return entry.findings.some((finding) => !finding.waived && finding.severity === 'error');
}

function isSkipped(entry: Case): boolean {
  return entry.findings.length > 0 && entry.findings.every((finding) => finding.waived);
}

export function formatJunit(report: PolicyReport): string {
  const suites = report.summary.map((summary) => ({
    summary,
    cases: casesOf(
      summary.cluster,
      report.findings.filter((finding) => finding.cluster === summary.cluster),
    ),
  }));
  const all = suites.flatMap((suite) => suite.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attributes({ name: 'aks-gitops policy', tests: all.length, failures: all.filter(isFailure).length, errors: 0, skipped: all.filter(isSkipped).length, time: 0 })}>`,
  );
  for (const { summary, cases } of suites) {
    lines.push(
      `  <testsuite${attributes({ name: summary.cluster, tests: cases.length, failures: cases.filter(isFailure).length, errors: 0, skipped: cases.filter(isSkipped).length, time: 0 })}>`,
    );
    lines.push(`    <properties><property${attributes({ name: 'objects', value: summary.objects })}/></properties>`);
    for (const entry of cases) lines.push(...testcase(entry));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
