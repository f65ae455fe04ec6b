import type { FirewallPolicyRuleCollectionGroup } from '@azure/arm-network';
import { compareStrings } from './names';
import { type DnatRuleRow, describeRuleRow, dnatRuleRows } from './rule-rows';

export interface DnatRuleChange {
  before: DnatRuleRow;
  after: DnatRuleRow;
  /** Names of the fields that differ, e.g. `translatedAddress`. */
  fields: string[];
}

/** What a PUT of `desired` would change in `actual`. Rules are matched by collection and name. */
export interface FirewallDnatDiff {
  /** Group and collection level changes in words, e.g. `group priority 200 -> 210`. */
  groupChanges: string[];
  added: DnatRuleRow[];
  removed: DnatRuleRow[];
  changed: DnatRuleChange[];
  unchanged: number;
}

const RULE_FIELDS = [
  'description',
  'protocols',
  'sources',
  'sourceIpGroups',
  'destinations',
  'ports',
  'translatedAddress',
  'translatedFqdn',
  'translatedPort',
] as const;

/**
 * Compares the committed group with the one in Azure (`undefined` when it does not exist yet).
 * A PUT replaces the whole group, so anything only in `actual` (hand-made rules, other collection
 * types) is reported as removed: the reviewer sees what the apply will delete.
 */
export function diffFirewallDnat(
  desired: FirewallPolicyRuleCollectionGroup,
  actual: FirewallPolicyRuleCollectionGroup | undefined,
): FirewallDnatDiff {
  const groupChanges: string[] = [];
  if (!actual) {
    groupChanges.push(`create group ${desired.name ?? ''} (priority ${desired.priority})`);
  } else if (desired.priority !== actual.priority) {
    groupChanges.push(`group priority ${actual.priority} -> ${desired.priority}`);
  }
  const collections = (g: FirewallPolicyRuleCollectionGroup | undefined) =>
    new Map((g?.ruleCollections ?? []).map((c) => [c.name ?? '', c]));
  const want = collections(desired);
  const have = collections(actual);
  for (const name of [...new Set([...want.keys(), ...have.keys()])].sort(compareStrings)) {
    const w = want.get(name);
    const h = have.get(name);
    if (w && !h) groupChanges.push(`add collection ${name} (priority ${w.priority})`);
    else if (!w && h) groupChanges.push(`remove collection ${name} (${h.ruleCollectionType}, priority ${h.priority})`);
    else if (w && h) {
      if (w.priority !== h.priority) groupChanges.push(`collection ${name} priority ${h.priority} -> ${w.priority}`);
      if (w.ruleCollectionType !== h.ruleCollectionType)
        groupChanges.push(`collection ${name} type ${h.ruleCollectionType} -> ${w.ruleCollectionType}`);
      const action = (c: typeof w) => ('action' in c ? c.action?.type : undefined);
      if (action(w) !== action(h)) groupChanges.push(`collection ${name} action ${action(h)} -> ${action(w)}`);
    }
  }

  const key = (r: DnatRuleRow) => `${r.collection}/${r.name}`;
  const before = new Map((actual ? dnatRuleRows(actual) : []).map((r) => [key(r), r]));
  const after = new Map(dnatRuleRows(desired).map((r) => [key(r), r]));
  const diff: FirewallDnatDiff = { groupChanges, added: [], removed: [], changed: [], unchanged: 0 };
  for (const k of [...new Set([...after.keys(), ...before.keys()])].sort(compareStrings)) {
    const a = after.get(k);
    const b = before.get(k);
    if (a && !b) diff.added.push(a);
    else if (!a && b) diff.removed.push(b);
    else if (a && b) {
      const fields = RULE_FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
      if (fields.length > 0) diff.changed.push({ before: b, after: a, fields: [...fields] });
      else diff.unchanged++;
    }
  }
  return diff;
}

export function isEmptyDiff(d: FirewallDnatDiff): boolean {
  return d.groupChanges.length === 0 && d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

/** One line per change: `+` added, `-` removed, `~` changed, `*` group level. */
export function formatFirewallDnatDiff(d: FirewallDnatDiff): string[] {
  const show = (r: DnatRuleRow, f: string) => {
    const v = r[f as (typeof RULE_FIELDS)[number]];
    return Array.isArray(v) ? v.join(',') || '(none)' : (v ?? '(unset)');
  };
  return [
    ...d.groupChanges.map((c) => `* ${c}`),
    ...d.added.map((r) => `+ ${r.collection}/${r.name}: ${describeRuleRow(r)}`),
    ...d.removed.map((r) => `- ${r.collection}/${r.name}: ${describeRuleRow(r)}`),
    ...d.changed.map(
      (c) =>
        `~ ${c.after.collection}/${c.after.name}: ${c.fields.map((f) => `${f} ${show(c.before, f)} -> ${show(c.after, f)}`).join('; ')}`,
    ),
  ];
}
