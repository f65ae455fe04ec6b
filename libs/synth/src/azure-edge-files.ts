import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { FirewallDnatRules, toArmJson } from '@aks-gitops/azure-edge';
import type { FirewallEndpoint } from '@aks-gitops/workloads';

/** `clusters/<cluster>/azure/`: Azure edge configuration, outside every Flux path. */
export const AZURE_FOLDER = 'azure';
export const FIREWALL_DNAT_FILE = 'firewall-dnat.json';

/**
 * The cluster's DNAT rule collection group, derived from every public-via-firewall L4Service of
 * every app on the cluster. Always written, even with no rules, so removing the last public
 * service shows up as a diff (and `npm run edge -- apply` empties the group in Azure).
 */
export function azureEdgeFiles(cluster: ClusterSpec, endpoints: readonly FirewallEndpoint[]): Map<string, string> {
  const rules = FirewallDnatRules.build(cluster, endpoints.map((e) => ({ ...e, sourceAddresses: [...e.sourceAddresses] })));
  return new Map([[FIREWALL_DNAT_FILE, toArmJson(rules)]]);
}
