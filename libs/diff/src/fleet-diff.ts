import { readCommittedTree } from './committed-objects';
import type { CommittedTree } from './committed-objects';
import { fieldChanges, showValue } from './field-changes';
import { readChangedOutput, resolveCommit } from './git-tree';
import type { DnatRuleChange, FleetDiff, GroupDiff, KubeDoc, ObjectChange, RiskFlag } from './model';
import { dnatRisks, objectRisks, sortRisks } from './risk-flags';

export interface DiffOptions {
  /** The git repository holding the committed output. */
  readonly root: string;
  readonly base: string;
  /** @default 'HEAD' */
  readonly head?: string;
  /**
   * Each cluster's environment (`prod` enables the digest check). A cluster missing here (added
   * or removed by the change, or not in the fleet) is treated as prod: the stricter reading.
   */
  readonly environments?: ReadonlyMap<string, string>;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const union = <T>(a: Iterable<T>, b: Iterable<T>): T[] => [...new Set([...a, ...b])];

/** Compares the committed clusters/ and flux/ of two refs. Reads git only; writes nothing. */
export function diffRefs(opts: DiffOptions): FleetDiff {
  const headRef = opts.head ?? 'HEAD';
  const base = { ref: opts.base, commit: resolveCommit(opts.root, opts.base) };
  const head = { ref: headRef, commit: resolveCommit(opts.root, headRef) };
  // Files the two commits share are left out on both sides: they hold the same objects.
  const output = readChangedOutput(opts.root, base.commit, head.commit);
  return {
    base,
    head,
    ...diffTrees(
      readCommittedTree(output.before, output.basePaths),
      readCommittedTree(output.after, output.headPaths),
      opts.environments ?? new Map(),
    ),
  };
}

/** The diff of two committed trees, already parsed. */
export function diffTrees(
  before: CommittedTree,
  after: CommittedTree,
  environments: ReadonlyMap<string, string>,
): Omit<FleetDiff, 'base' | 'head'> {
  const groups: GroupDiff[] = [];
  const risks: RiskFlag[] = [];
  for (const cluster of union(before.objects.keys(), after.objects.keys()).sort(cmp)) {
    const environment = environments.get(cluster) ?? 'prod';
    const b = before.objects.get(cluster) ?? new Map<string, Map<string, KubeDoc>>();
    const a = after.objects.get(cluster) ?? new Map<string, Map<string, KubeDoc>>();
    for (const group of union(b.keys(), a.keys()).sort(cmp)) {
      const oldObjs = b.get(group) ?? new Map<string, KubeDoc>();
      const newObjs = a.get(group) ?? new Map<string, KubeDoc>();
      const added: string[] = [];
      const removed: string[] = [];
      const changed: ObjectChange[] = [];
      for (const id of union(oldObjs.keys(), newObjs.keys()).sort(cmp)) {
        const o = oldObjs.get(id);
        const n = newObjs.get(id);
        const fields = o && n ? fieldChanges(o, n) : [];
        if (o && n && fields.length === 0) continue;
        if (!o) added.push(id);
        else if (!n) removed.push(id);
        else changed.push({ id, kind: n.kind, fields });
        risks.push(...objectRisks({ cluster, group, id, old: o, new: n, fields }, environment));
      }
      if (added.length || removed.length || changed.length) groups.push({ cluster, group, added, removed, changed });
    }
  }
  const dnat = diffDnat(before, after);
  risks.push(...dnatRisks(dnat));
  const otherFiles = union(before.other.keys(), after.other.keys())
    .filter((f) => before.other.get(f) !== after.other.get(f))
    .sort(cmp);
  return { risks: sortRisks(risks), groups, dnat, otherFiles };
}

function ruleSummary(rule: Record<string, unknown>): string {
  const list = (k: string) => (Array.isArray(rule[k]) ? (rule[k] as unknown[]).join(',') : showValue(rule[k]));
  return `${list('ipProtocols')} ${list('destinationAddresses')}:${list('destinationPorts')} from ${list('sourceAddresses')}${rule.sourceIpGroups ? ` + IP groups ${list('sourceIpGroups')}` : ''} -> ${String(rule.translatedAddress ?? rule.translatedFqdn)}:${String(rule.translatedPort)}`;
}

function diffDnat(before: CommittedTree, after: CommittedTree): DnatRuleChange[] {
  const out: DnatRuleChange[] = [];
  for (const cluster of union(before.dnat.keys(), after.dnat.keys()).sort(cmp)) {
    const b = before.dnat.get(cluster) ?? new Map<string, Record<string, unknown>>();
    const a = after.dnat.get(cluster) ?? new Map<string, Record<string, unknown>>();
    for (const rule of union(b.keys(), a.keys()).sort(cmp)) {
      const o = b.get(rule);
      const n = a.get(rule);
      if (o && n) {
        const fields = fieldChanges(o, n);
        if (fields.length) out.push({ cluster, rule, change: 'changed', summary: ruleSummary(n), fields });
      } else {
        out.push({ cluster, rule, change: n ? 'added' : 'removed', summary: ruleSummary((n ?? o)!), fields: [] });
      }
    }
  }
  return out;
}
