import { type ClusterSpec, ConfigError, firewallPolicyKey } from '@aks-gitops/cluster-model';
import { parseFirewallDnatFile } from './arm-json';
import type { FirewallDnatRules } from './firewall-dnat-rules';
import { firewallDnatFile, firewallPolicyResourceId } from './resource-id';
import { dnatRuleRows } from './rule-rows';
import { readCommittedFile } from './committed-file';

/** Reads the committed file and checks it still matches the cluster spec it was generated from. */
export async function loadCommittedDnat(rootDir: string, cluster: ClusterSpec): Promise<FirewallDnatRules> {
  const rel = firewallDnatFile(cluster.name);
  const text = await readCommittedFile(rootDir, cluster, rel);
  const dnat = parseFirewallDnatFile(text, rel);
  const stale = (field: string, problem: string) =>
    new ConfigError({
      cluster: cluster.name,
      field,
      problem: `${rel} ${problem}`,
      fix: 'run npm run synth to regenerate it from the current cluster spec',
    });
  const f = cluster.firewall;
  if (dnat.cluster !== cluster.name) throw stale('cluster', `belongs to cluster ${dnat.cluster}`);
  const target = firewallPolicyResourceId(dnat.target);
  if (firewallPolicyKey(target) !== firewallPolicyKey(f.policyId)) {
    throw stale('firewall.policyId', `targets ${target}, the cluster spec says ${f.policyId}`);
  }
  if (dnat.group.priority !== f.ruleCollectionGroupPriority) {
    throw stale(
      'firewall.ruleCollectionGroupPriority',
      `has priority ${dnat.group.priority}, the cluster spec says ${f.ruleCollectionGroupPriority}`,
    );
  }
  for (const row of dnatRuleRows(dnat.group)) {
    const unknown = row.destinations.filter((d) => !cluster.network.firewallPublicIps.includes(d));
    if (unknown.length > 0)
      throw stale(
        'network.firewallPublicIps',
        `rule ${row.name} uses ${unknown.join(', ')}, which is not a firewall public IP of the cluster`,
      );
  }
  return dnat;
}
