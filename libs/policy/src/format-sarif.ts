import type { Finding, PolicyReport } from './model';
import { RULES } from './rule-definitions';

/*
 * SARIF 2.1.0 (OASIS), what GitHub code scanning and Azure DevOps' SARIF viewer read: one run, the
 * whole rule catalog as the driver's rules (so a dashboard knows every rule, not only the ones that
 * fired), and one result per finding with its generated file and line as the physical location and
 * `cluster/Kind namespace/name` as the logical one. Waived findings stay in the log as results with
 * an in-source suppression carrying the waiver's reason, which is what a waiver annotation is.
 * Validated in the tests against the official schema (libs/policy/test/sarif-schema-2.1.0.json).
 */

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SARIF_TOOL_NAME = 'aks-gitops-policy';

const RULE_INDEX: ReadonlyMap<string, number> = new Map(RULES.map((rule, index) => [rule.id, index]));

function sarifRule(rule: (typeof RULES)[number]): Record<string, unknown> {
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: {
      text: `${rule.description}${rule.waivable ? ` Waivable with the annotation waivers.aks-gitops.io/${rule.id}: <reason>.` : ' Not waivable.'}`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: {
      category: rule.category,
      waivable: rule.waivable,
      tags: [rule.category],
      ...(rule.severityOutsideProd ? { severityOutsideProd: rule.severityOutsideProd } : {}),
    },
  };
}

function sarifResult(finding: Finding): Record<string, unknown> {
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: finding.file, uriBaseId: '%SRCROOT%' } };
  if (finding.line !== undefined) physicalLocation.region = { startLine: finding.line };
  const result: Record<string, unknown> = {
    ruleId: finding.ruleId,
    ruleIndex: RULE_INDEX.get(finding.ruleId),
    level: finding.severity,
    message: { text: `${finding.object}: ${finding.message}. Fix: ${finding.fix}` },
    locations: [
      {
        physicalLocation,
        logicalLocations: [{ fullyQualifiedName: `${finding.cluster}/${finding.object}`, kind: 'object' }],
      },
    ],
    properties: { cluster: finding.cluster, object: finding.object, fix: finding.fix },
  };
  if (finding.waived)
    result.suppressions = [{ kind: 'inSource', status: 'accepted', justification: finding.waived.reason }];
  return result;
}

export function formatSarif(report: PolicyReport): string {
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: SARIF_TOOL_NAME, rules: RULES.map(sarifRule) } },
        originalUriBaseIds: {
          '%SRCROOT%': { description: { text: 'The repository root (clusters/ and flux/ are below it).' } },
        },
        results: report.findings.map(sarifResult),
        properties: { ok: report.ok, summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
