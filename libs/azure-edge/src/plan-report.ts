import type { FirewallDnatDiff } from './diff';
import { type DnatRuleRow, publicOf, translatedOf } from './rule-rows';
import {
  type FrontDoorPlan,
  frontDoorHasChanges,
  frontDoorPlanJson,
  frontDoorPlanMarkdown,
  orphanedProfilesJson,
} from './front-door/front-door-plan-report';
import type { ProfileCandidate } from './front-door/front-door-prune';

/** The Front Door part of a plan: each cluster's profile, and profiles no cluster declares any more. */
export interface FrontDoorPlanSection {
  readonly plans: readonly FrontDoorPlan[];
  readonly orphans: readonly ProfileCandidate[];
}

/** One cluster's plan: the committed group against the live one. */
export interface ClusterPlan {
  cluster: string;
  /** Repository-relative path of the committed request body. */
  file: string;
  policyId: string;
  resourceId: string;
  group: string;
  /** Whether the group exists in Azure (a 404 means "will create"). */
  exists: boolean;
  /** The live group's etag, which `apply` sends back as If-Match. */
  etag?: string;
  diff: FirewallDnatDiff;
}

export const PLAN_JSON_KIND = 'aks-gitops.io/edge-plan';

/** GitHub refuses comments over 65,536 characters; the markdown stays below this by default. */
export const MARKDOWN_MAX_CHARS = 60_000;

function value(r: DnatRuleRow, f: string): string {
  const v = r[f as keyof DnatRuleRow];
  return Array.isArray(v) ? v.join(',') || '(none)' : (v ?? '(unset)');
}

function counts(d: FirewallDnatDiff) {
  return { add: d.added.length, change: d.changed.length, remove: d.removed.length, unchanged: d.unchanged };
}

export function hasChanges(p: ClusterPlan): boolean {
  const d = p.diff;
  return d.groupChanges.length + d.added.length + d.changed.length + d.removed.length > 0;
}

/**
 * `--json`: stable keys, rules as rows, every change with before and after; then, when given, the
 * Front Door of each cluster (`frontDoor`) and the orphaned profiles (`orphanedFrontDoorProfiles`).
 */
export function planJson(plans: readonly ClusterPlan[], frontDoor?: FrontDoorPlanSection): string {
  const doc = {
    kind: PLAN_JSON_KIND,
    version: 1,
    changes:
      plans.some(hasChanges) ||
      (frontDoor !== undefined &&
        (frontDoor.plans.some(frontDoorHasChanges) || frontDoor.orphans.some((o) => o.verdict === 'orphaned'))),
    clusters: plans.map((p) => ({
      cluster: p.cluster,
      file: p.file,
      policyId: p.policyId,
      resourceId: p.resourceId,
      group: p.group,
      exists: p.exists,
      etag: p.etag ?? null,
      changes: hasChanges(p),
      summary: counts(p.diff),
      groupChanges: p.diff.groupChanges,
      added: p.diff.added,
      removed: p.diff.removed,
      changed: p.diff.changed.map((c) => ({
        collection: c.after.collection,
        rule: c.after.name,
        fields: c.fields.map((f) => ({ field: f, before: value(c.before, f), after: value(c.after, f) })),
      })),
    })),
    ...(frontDoor
      ? {
          frontDoor: frontDoorPlanJson(frontDoor.plans),
          orphanedFrontDoorProfiles: orphanedProfilesJson(frontDoor.orphans),
        }
      : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The default text output: per cluster, its group-level changes, then a table with one row per rule
 * that changes (`add`, `change` with the fields before -> after, `remove`).
 */
export function planText(plans: readonly ClusterPlan[]): string {
  const out: string[] = [];
  for (const p of plans) {
    out.push(
      `Firewall DNAT for cluster ${p.cluster} (${p.file})`,
      `  policy   ${p.policyId}`,
      `  group    ${p.group} (${p.exists ? `exists, etag ${p.etag ?? '(none)'}` : 'does not exist: will create'})`,
    );
    if (!hasChanges(p)) {
      out.push(`  No changes: Azure already has these ${p.diff.unchanged} rule(s).`, '');
      continue;
    }
    const c = counts(p.diff);
    out.push(`  Changes (${c.add} to add, ${c.change} to change, ${c.remove} to remove, ${c.unchanged} unchanged):`);
    for (const g of p.diff.groupChanges) out.push(`    * ${g}`);
    const rows = [
      ...p.diff.added.map((r) => ruleCells('add', r, '')),
      ...p.diff.changed.map((ch) =>
        ruleCells(
          'change',
          ch.after,
          ch.fields.map((f) => `${f} ${value(ch.before, f)} -> ${value(ch.after, f)}`).join('; '),
        ),
      ),
      ...p.diff.removed.map((r) => ruleCells('remove', r, '')),
    ];
    if (rows.length)
      out.push(
        ...textTable(['OP', 'RULE', 'PROTO', 'SOURCES', 'PUBLIC', 'TRANSLATED', 'CHANGED'], rows).map(
          (l) => `    ${l}`,
        ),
      );
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function ruleCells(op: string, r: DnatRuleRow, changed: string): string[] {
  return [
    op,
    `${r.collection}/${r.name}`,
    r.protocols.join(','),
    r.sources.join(',') || '(none)',
    publicOf(r),
    translatedOf(r),
    changed,
  ];
}

function textTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * `--markdown`, for a pull-request comment: a summary table of every cluster, then the rules that
 * change. Never longer than `maxChars`: when the details do not fit, the rows that fit are shown
 * and the rest are counted, with the command that lists them all.
 */
export function planMarkdown(
  plans: readonly ClusterPlan[],
  maxChars = MARKDOWN_MAX_CHARS,
  frontDoor?: FrontDoorPlanSection,
): string {
  if (frontDoor && (frontDoor.plans.length > 0 || frontDoor.orphans.length > 0)) {
    // The Front Door part gets at most a quarter of the budget, the DNAT part the rest of it.
    const fd = frontDoorPlanMarkdown(frontDoor.plans, frontDoor.orphans, Math.floor(maxChars / 4));
    return `${planMarkdown(plans, maxChars - fd.length)}${fd}`;
  }
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const head = [
    '### Azure Firewall DNAT plan',
    '',
    plans.some(hasChanges)
      ? 'Applying this change modifies the rule collection groups below.'
      : 'No changes: Azure already matches the committed rules.',
    '',
    '| Cluster | Firewall Policy | Group | Add | Change | Remove | Unchanged |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  const details: string[][] = [];
  // Clusters with changes first, so a cut keeps what matters; the summary rows count like details.
  for (const p of [...plans.filter(hasChanges), ...plans.filter((x) => !hasChanges(x))]) {
    const c = counts(p.diff);
    details.push([
      `| ${cell(p.cluster)} | ${code(p.policyId)} | ${code(p.group)}${p.exists ? '' : ' (new)'} | ${c.add} | ${c.change} | ${c.remove} | ${c.unchanged} |`,
    ]);
  }
  for (const p of plans.filter(hasChanges)) {
    const block = ['', `#### ${cell(p.cluster)}`, ''];
    for (const g of p.diff.groupChanges) block.push(`- ${cell(g)}`);
    block.push(
      '',
      '| | Rule | Protocol | Sources | Public | Translated | Changed |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    details.push(block);
    const row = (op: string, r: DnatRuleRow, changed: string) =>
      `| ${op} | ${code(`${r.collection}/${r.name}`)} | ${r.protocols.join(',')} | ${cell(r.sources.join(', ') || '(none)')} | ${publicOf(r)} | ${translatedOf(r)} | ${changed} |`;
    for (const r of p.diff.added) details.push([row('add', r, '')]);
    for (const c of p.diff.changed)
      details.push([
        row(
          'change',
          c.after,
          cell(c.fields.map((f) => `${f}: ${value(c.before, f)} → ${value(c.after, f)}`).join('; ')),
        ),
      ]);
    for (const r of p.diff.removed) details.push([row('remove', r, '')]);
  }
  const footer = (hidden: number) => [
    '',
    `_${hidden} more line(s) not shown to keep this comment under ${maxChars} characters; run \`npm run edge -- plan\` for all of them._`,
    '',
  ];
  const out = [...head];
  let length = out.join('\n').length;
  const reserve = footer(Number.MAX_SAFE_INTEGER).join('\n').length + 1;
  let hidden = 0;
  for (const lines of details) {
    const add = lines.join('\n').length + 1;
    if (hidden > 0 || length + add + reserve > maxChars) {
      hidden += lines.length;
      continue;
    }
    out.push(...lines);
    length += add;
  }
  out.push(...(hidden > 0 ? footer(hidden) : ['']));
  return out.join('\n');
}
