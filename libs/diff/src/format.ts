import { formatFieldChange } from './field-changes';
import type { DnatRuleChange, FleetDiff, GroupDiff, RiskFlag } from './model';

/** The hidden marker the PR workflow finds its one comment by (and updates it in place). */
export const COMMENT_MARKER = '<!-- aks-gitops-diff -->';
/** GitHub rejects comments over 65,536 characters; stay well below so the footer always fits. */
export const MARKDOWN_LIMIT = 60_000;
/** Lines of one app's section before it is cut (the JSON and text outputs are never cut). */
const SECTION_LINE_LIMIT = 400;

const RISK_LABEL: Record<RiskFlag['kind'], string> = {
  'public-exposure': 'new public exposure',
  'network-policy-widened': 'NetworkPolicy source widened',
  waiver: 'waiver added or changed',
  'stateful-removed': 'stateful object or namespace removed',
  'image-not-pinned': 'image not pinned by digest in prod',
  'flux-changed': 'Flux wiring changed',
};

const short = (sha: string) => sha.slice(0, 12);
const riskLine = (r: RiskFlag) => `[${RISK_LABEL[r.kind]}] ${r.cluster}/${r.group}: ${r.message}`;
const groupTitle = (g: GroupDiff) =>
  `${g.cluster} / ${g.group}: ${g.added.length} added, ${g.removed.length} removed, ${g.changed.length} changed`;

/** One line per object added or removed, and per changed field. */
export function groupLines(g: GroupDiff): string[] {
  return [
    ...g.added.map((id) => `+ ${id}`),
    ...g.removed.map((id) => `- ${id}`),
    ...g.changed.flatMap((c) => [`~ ${c.id}`, ...c.fields.map((f) => `    ${formatFieldChange(f)}`)]),
  ];
}

function dnatLines(d: DnatRuleChange): string[] {
  const sign = d.change === 'added' ? '+' : d.change === 'removed' ? '-' : '~';
  return [
    `${sign} ${d.cluster} DNAT rule ${d.rule}: ${d.summary}`,
    ...d.fields.map((f) => `    ${formatFieldChange(f)}`),
  ];
}

const isEmpty = (d: FleetDiff) => d.groups.length === 0 && d.dnat.length === 0 && d.otherFiles.length === 0;

/** The plain text a terminal shows: risk flags first, then every change. */
export function formatText(d: FleetDiff): string {
  const out = [`diff ${d.base.ref} (${short(d.base.commit)}) -> ${d.head.ref} (${short(d.head.commit)})`];
  if (isEmpty(d)) return `${out[0]}\nno changes to clusters/ or flux/\n`;
  out.push('', `risk flags: ${d.risks.length}`, ...d.risks.map((r) => `  ! ${riskLine(r)}`));
  if (d.dnat.length) out.push('', 'Azure edge', ...d.dnat.flatMap(dnatLines).map((l) => `  ${l}`));
  for (const g of d.groups) out.push('', groupTitle(g), ...groupLines(g).map((l) => `  ${l}`));
  if (d.otherFiles.length) out.push('', 'other files changed', ...d.otherFiles.map((f) => `  ${f}`));
  return out.join('\n') + '\n';
}

/** Everything, for machines: the same data the text shows. */
export function formatJson(d: FleetDiff): string {
  return JSON.stringify(d, null, 2) + '\n';
}

const md = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fence = (lines: string[]) => ['```diff', ...lines.map((l) => l.replace(/```/g, '`\u200b``')), '```'];

/**
 * A pull-request comment: the hidden marker, risk flags first, the Azure edge, then one collapsible
 * section per cluster and app. Bounded by `limit` characters: sections that do not fit are left
 * out and the comment says how many and how to see everything.
 */
export function formatMarkdown(d: FleetDiff, limit = MARKDOWN_LIMIT): string {
  const head = [
    COMMENT_MARKER,
    `### aks-gitops diff: \`${md(d.base.ref)}\` (${short(d.base.commit)}) → \`${md(d.head.ref)}\` (${short(d.head.commit)})`,
    '',
  ];
  if (isEmpty(d)) return [...head, 'No changes to `clusters/` or `flux/`.', ''].join('\n');
  const riskPart = d.risks.length
    ? [
        `#### ⚠️ Risk flags (${d.risks.length})`,
        '',
        ...d.risks.map((r) => `- **${RISK_LABEL[r.kind]}** · \`${r.cluster}/${r.group}\`: ${md(r.message)}`),
        '',
      ]
    : ['#### Risk flags: none', ''];
  const summary = [
    '| cluster | app | added | removed | changed |',
    '| --- | --- | ---: | ---: | ---: |',
    ...d.groups.map(
      (g) => `| ${g.cluster} | ${g.group} | ${g.added.length} | ${g.removed.length} | ${g.changed.length} |`,
    ),
    '',
  ];
  const edge = d.dnat.length
    ? ['#### Azure edge (Firewall DNAT rules)', '', ...fence(d.dnat.flatMap(dnatLines)), '']
    : [];
  const sections = d.groups.map((g) => {
    const lines = groupLines(g);
    const cut =
      lines.length > SECTION_LINE_LIMIT
        ? [...lines.slice(0, SECTION_LINE_LIMIT), `… ${lines.length - SECTION_LINE_LIMIT} more lines not shown`]
        : lines;
    return ['<details>', `<summary>${md(groupTitle(g))}</summary>`, '', ...fence(cut), '', '</details>', ''].join('\n');
  });
  if (d.otherFiles.length)
    sections.push(
      [
        '<details>',
        `<summary>other files changed (${d.otherFiles.length})</summary>`,
        '',
        ...d.otherFiles.map((f) => `- \`${f}\``),
        '',
        '</details>',
        '',
      ].join('\n'),
    );

  const footer = (left: number) =>
    `\n**Truncated:** ${left} section(s) not shown to stay under GitHub's comment limit. Run \`npm run diff -- --base ${short(d.base.commit)} --head ${short(d.head.commit)}\` for the whole diff.\n`;
  const reserve = footer(sections.length).length + 16;
  let text = [...head, ...riskPart].join('\n');
  // Risk flags first and always whole when they fit; if even they do not, they are cut too.
  if (text.length > limit - reserve) {
    const lines = text.split('\n');
    let kept = '';
    for (const line of lines) {
      if (kept.length + line.length + 1 > limit - reserve) break;
      kept += `${line}\n`;
    }
    return `${kept}${footer(sections.length + 1)}`;
  }
  for (const part of [summary.join('\n'), edge.join('\n')]) {
    if (text.length + part.length + 1 <= limit - reserve) text += `\n${part}`;
  }
  let shown = 0;
  for (const s of sections) {
    if (text.length + s.length + 1 > limit - reserve) break;
    text += `\n${s}`;
    shown++;
  }
  if (shown < sections.length) text += footer(sections.length - shown);
  return text;
}
