import type { ClusterSpec } from './cluster-spec';
import { ConfigError, ConfigErrors } from './config-error';
import { firewallPolicyIdProblem, firewallPolicyKey } from './firewall-policy-id';
import { validateCluster } from './validate-cluster';

/** Validates a whole fleet: each cluster, plus names and firewall priorities across clusters. */
export function validateFleet(specs: readonly ClusterSpec[]): void {
  const errors = specs.flatMap(validateCluster);
  const seen = new Map<string, number>();
  specs.forEach((s, i) => {
    if (seen.has(s.name)) {
      errors.push(
        new ConfigError({
          cluster: s.name,
          field: 'name',
          problem: `is defined twice (entries ${seen.get(s.name)} and ${i})`,
          fix: 'give every cluster a unique name',
        }),
      );
    }
    seen.set(s.name, i);
  });
  // Azure processes the groups of one Firewall Policy by priority: two clusters' groups on one
  // policy must not share a priority. Different policies (hub-and-spoke with several hubs) may.
  const priorities = new Map<string, string>();
  for (const s of specs) {
    if (!s.firewall || firewallPolicyIdProblem(s.firewall.policyId)) continue; // reported by validateCluster
    const key = `${firewallPolicyKey(s.firewall.policyId)}#${s.firewall.ruleCollectionGroupPriority}`;
    const other = priorities.get(key);
    if (other) {
      errors.push(
        new ConfigError({
          cluster: s.name,
          field: 'firewall.ruleCollectionGroupPriority',
          problem: `${s.firewall.ruleCollectionGroupPriority} is already used by cluster ${other} in the same Firewall Policy ${s.firewall.policyId}`,
          fix: `give clusters ${other} and ${s.name} different priorities: each cluster's rule collection group needs its own priority within one Firewall Policy`,
        }),
      );
    }
    priorities.set(key, s.name);
  }
  errors.push(...validateFleetTopology(specs));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}

/** Fleet-wide: a Front Door profile belongs to one cluster (edge apply prunes what that cluster does not declare). */
function validateFleetTopology(specs: readonly ClusterSpec[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const owners = new Map<string, string>();
  for (const s of specs) {
    if (!s.frontDoor) continue;
    const key = `${s.subscriptionId}/${s.frontDoor.resourceGroup}/${s.frontDoor.profileName}`.toLowerCase();
    const other = owners.get(key);
    if (other)
      errors.push(
        new ConfigError({
          cluster: s.name,
          field: 'frontDoor.profileName',
          problem: `profile ${s.frontDoor.resourceGroup}/${s.frontDoor.profileName} is already the Front Door of cluster ${other}`,
          fix: 'give each cluster its own Front Door profile: edge apply removes from a profile whatever its cluster does not declare',
        }),
      );
    else owners.set(key, s.name);
  }
  return errors;
}
