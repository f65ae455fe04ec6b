import type { FirewallPolicyRuleCollectionGroup } from '@azure/arm-network';
import { natRulesOf } from './arm-models';

/**
 * One NAT rule flattened for people: the plan table and the diff both read rules this way. List
 * fields are sorted copies, because Azure treats them as sets and may return them in another order.
 */
export interface DnatRuleRow {
  collection: string;
  name: string;
  description?: string;
  protocols: string[];
  sources: string[];
  sourceIpGroups: string[];
  destinations: string[];
  ports: string[];
  translatedAddress?: string;
  translatedFqdn?: string;
  translatedPort?: string;
}

export function dnatRuleRows(group: FirewallPolicyRuleCollectionGroup): DnatRuleRow[] {
  // Servers may echo "not set" as absent, null, "" or []; all compare equal here.
  const sorted = (xs: readonly string[] | null | undefined) => [...(xs ?? [])].sort();
  const text = (s: string | null | undefined) => (s === undefined || s === null || s === '' ? undefined : s);
  return natRulesOf(group).map(({ collection, rule }) => ({
    collection: collection.name ?? '',
    name: rule.name ?? '',
    description: text(rule.description),
    protocols: sorted(rule.ipProtocols),
    sources: sorted(rule.sourceAddresses),
    sourceIpGroups: sorted(rule.sourceIpGroups),
    destinations: sorted(rule.destinationAddresses),
    ports: sorted(rule.destinationPorts),
    translatedAddress: text(rule.translatedAddress),
    translatedFqdn: text(rule.translatedFqdn),
    translatedPort: text(rule.translatedPort),
  }));
}

/** `TCP 198.51.100.0/24 -> 203.0.113.20:5432 => 10.20.4.10:5432` */
export function describeRuleRow(r: DnatRuleRow): string {
  const from = [...r.sources, ...r.sourceIpGroups.map((g) => `ipGroup:${g}`)].join(',') || '(none)';
  return `${r.protocols.join(',')} ${from} -> ${publicOf(r)} => ${translatedOf(r)}`;
}

export function publicOf(r: DnatRuleRow): string {
  return `${r.destinations.join(',')}:${r.ports.join(',')}`;
}

export function translatedOf(r: DnatRuleRow): string {
  return `${r.translatedAddress ?? r.translatedFqdn ?? '?'}:${r.translatedPort ?? '?'}`;
}

/** A plain-text table of a group's NAT rules, for `plan`. */
export function formatDnatTable(group: FirewallPolicyRuleCollectionGroup): string {
  const rows = dnatRuleRows(group);
  if (rows.length === 0) return '(no DNAT rules: the group is empty)\n';
  const header = ['RULE', 'PROTO', 'SOURCES', 'PUBLIC', 'TRANSLATED'];
  const cells = rows.map((r) => [r.name, r.protocols.join(','), r.sources.join(','), publicOf(r), translatedOf(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}
