import type { FrontDoorChange } from './front-door-apply';
import type { ProfileCandidate } from './front-door-prune';

/** One cluster's Front Door plan: the committed file against the profile in Azure. */
export interface FrontDoorPlan {
  readonly cluster: string;
  /** Repository-relative path of the committed file. */
  readonly file: string;
  readonly profileId: string;
  /** Whether the profile exists in Azure (a 404 means "will create"). */
  readonly exists: boolean;
  /** Every resource of the file (create, update, unchanged) and every owned child apply would delete. */
  readonly changes: readonly FrontDoorChange[];
}

export interface FrontDoorSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

/** A change's name as a reader needs it: an origin with its origin group (every origin is `gitops-origin`). */
export function changeLabel(c: FrontDoorChange): string {
  const group = c.kind === 'origin' ? /\/originGroups\/([^/]+)\/origins\//.exec(c.resourceId)?.[1] : undefined;
  return group ? `${group}/${c.name}` : c.name;
}

export function summarize(changes: readonly FrontDoorChange[]): FrontDoorSummary {
  const n = (a: string) => changes.filter((c) => c.action === a).length;
  return { create: n('create'), update: n('update'), delete: n('delete'), unchanged: n('unchanged') };
}

export function frontDoorHasChanges(p: FrontDoorPlan): boolean {
  return p.changes.some((c) => c.action !== 'unchanged');
}

/** `--json`: one entry per cluster with Front Door, every resource with its action. */
export function frontDoorPlanJson(plans: readonly FrontDoorPlan[]): object[] {
  return plans.map((p) => ({
    cluster: p.cluster,
    file: p.file,
    profileId: p.profileId,
    exists: p.exists,
    changes: frontDoorHasChanges(p),
    summary: summarize(p.changes),
    resources: p.changes.map((c) => ({ action: c.action, kind: c.kind, name: c.name, resourceId: c.resourceId })),
  }));
}

/** `--json`: profiles tagged for a cluster that no cluster declares any more. */
export function orphanedProfilesJson(orphans: readonly ProfileCandidate[]): object[] {
  return orphans.map((o) => ({
    cluster: o.cluster ?? null,
    resourceId: o.resourceId,
    verdict: o.verdict,
    reason: o.reason,
    action: o.verdict === 'orphaned' ? 'delete with edge prune --yes' : 'left alone',
  }));
}

/** Text: the profiles `edge prune` would delete (or must leave), after the clusters' plans. */
export function orphanedProfilesText(orphans: readonly ProfileCandidate[]): string {
  if (orphans.length === 0) return '';
  const lines = ['', 'Front Door profiles tagged for these clusters that no cluster declares any more:'];
  for (const o of orphans)
    lines.push(
      `  ${o.verdict === 'orphaned' ? 'prune' : 'skip'}  ${o.resourceId}: ${o.reason}${o.verdict === 'orphaned' ? '; npm run edge -- prune --yes deletes it' : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * `--markdown`: the Front Door part of the pull-request comment, never longer than `maxChars`: a
 * summary row per cluster, then one row per resource that changes, then the orphaned profiles;
 * what does not fit is counted, with the command that shows it.
 */
export function frontDoorPlanMarkdown(
  plans: readonly FrontDoorPlan[],
  orphans: readonly ProfileCandidate[],
  maxChars: number,
): string {
  if (plans.length === 0 && orphans.length === 0) return '';
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const head = [
    '',
    '### Azure Front Door plan',
    '',
    plans.some(frontDoorHasChanges) || orphans.length > 0
      ? 'Applying this change modifies the Front Door resources below.'
      : 'No changes: Azure already matches the committed Front Door resources.',
    '',
  ];
  const rows: string[] = [];
  if (plans.length > 0) {
    rows.push(
      '| Cluster | Profile | Create | Update | Delete | Unchanged |',
      '| --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const p of plans) {
      const s = summarize(p.changes);
      rows.push(
        `| ${cell(p.cluster)} | ${code(p.profileId.split('/').slice(-1)[0])}${p.exists ? '' : ' (new)'} | ${s.create} | ${s.update} | ${s.delete} | ${s.unchanged} |`,
      );
    }
    const changed = plans.flatMap((p) => p.changes.filter((c) => c.action !== 'unchanged').map((c) => [p, c] as const));
    if (changed.length > 0) {
      rows.push('', '| Cluster | | Resource | Name |', '| --- | --- | --- | --- |');
      for (const [p, c] of changed)
        rows.push(`| ${cell(p.cluster)} | ${c.action} | ${c.kind} | ${code(changeLabel(c))} |`);
    }
  }
  if (orphans.length > 0) {
    rows.push('', '| Orphaned profile | Verdict | Why |', '| --- | --- | --- |');
    for (const o of orphans)
      rows.push(
        `| ${code(o.resourceId)} | ${o.verdict === 'orphaned' ? 'delete (`edge prune --yes`)' : 'left alone'} | ${cell(o.reason)} |`,
      );
  }
  const footer = (hidden: number) =>
    `\n_${hidden} more Front Door line(s) not shown; run \`npm run edge -- plan\` for all of them._\n`;
  const out = [...head];
  let length = out.join('\n').length;
  const reserve = footer(Number.MAX_SAFE_INTEGER).length + 1;
  let hidden = 0;
  for (const r of rows) {
    if (hidden > 0 || length + r.length + 1 + reserve > maxChars) {
      hidden++;
      continue;
    }
    out.push(r);
    length += r.length + 1;
  }
  return `${out.join('\n')}\n${hidden > 0 ? footer(hidden) : ''}`;
}
