import type { FirewallPolicyRuleCollectionGroup } from '@azure/arm-network';
import { isNatRule, isNatRuleCollection } from './arm-models';
import { DNAT_COLLECTION_NAME, clusterOfDnatGroup, compareStrings, dnatRuleMarker } from './names';

/** What `edge prune` makes of one rule collection group of a Firewall Policy. */
export type PruneVerdict =
  /** Named and marked by aks-gitops for a cluster that no longer targets this policy: deleted with --yes. */
  | 'orphaned'
  /** The group of a cluster in the fleet that targets this policy: kept. */
  | 'in-use'
  /** Named like ours but without the marker on every rule (empty, or edited by hand): never deleted. */
  | 'unmarked'
  /** Not named like ours: someone else's, never touched. */
  | 'foreign';

export interface PruneCandidate {
  name: string;
  cluster?: string;
  verdict: PruneVerdict;
  /** Why, in words, for the listing. */
  reason: string;
  etag?: string;
  rules: number;
}

/**
 * Classifies a policy's groups. `fleetGroups` holds the names of the groups the fleet's clusters
 * own on this very policy; a cluster that moved to another policy leaves its old group orphaned here.
 * A group counts as aks-gitops's only when its name is `aks-gitops-<cluster>-dnat` AND it holds only
 * our NAT collection, with at least one rule, every rule's description starting with that cluster's
 * marker (names.ts). A group failing either test is never deleted.
 */
export function classifyGroups(
  groups: readonly FirewallPolicyRuleCollectionGroup[],
  fleetGroups: ReadonlySet<string>,
): PruneCandidate[] {
  return groups
    .map((g): PruneCandidate => {
      const name = g.name ?? '';
      const cluster = clusterOfDnatGroup(name);
      const base = { name, cluster, etag: g.etag, rules: countRules(g) };
      if (!cluster) return { ...base, verdict: 'foreign', reason: 'not named aks-gitops-<cluster>-dnat' };
      if (fleetGroups.has(name))
        return { ...base, verdict: 'in-use', reason: `cluster ${cluster} is in the fleet and targets this policy` };
      const unmarked = markerProblem(g, cluster);
      if (unmarked)
        return { ...base, verdict: 'unmarked', reason: `${unmarked}; left alone (delete it by hand if it is yours)` };
      return {
        ...base,
        verdict: 'orphaned',
        reason: `cluster ${cluster} is not in the fleet or targets another policy`,
      };
    })
    .sort((a, b) => compareStrings(a.name, b.name));
}

function markerProblem(g: FirewallPolicyRuleCollectionGroup, cluster: string): string | undefined {
  const collections = g.ruleCollections ?? [];
  if (collections.length === 0) return 'it is empty, so it carries no aks-gitops marker';
  const marker = dnatRuleMarker(cluster);
  for (const c of collections) {
    if (!isNatRuleCollection(c) || c.name !== DNAT_COLLECTION_NAME)
      return `it holds collection ${c.name ?? '(unnamed)'} (${c.ruleCollectionType}), which aks-gitops does not create`;
    if (!c.rules?.length) return `its collection ${c.name} has no rules, so it carries no aks-gitops marker`;
    for (const r of c.rules) {
      if (!isNatRule(r) || !(r.description ?? '').startsWith(marker))
        return `rule ${r.name ?? '(unnamed)'} does not carry the marker "${marker.trim()}"`;
    }
  }
  return undefined;
}

function countRules(g: FirewallPolicyRuleCollectionGroup): number {
  return (g.ruleCollections ?? []).reduce(
    (n, c) => n + (('rules' in c && Array.isArray(c.rules) ? c.rules.length : 0) as number),
    0,
  );
}
