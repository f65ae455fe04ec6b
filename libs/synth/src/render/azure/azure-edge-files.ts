import type { ClusterSpec } from '@aks-gitops/cluster-model';
import {
  FirewallDnatRules,
  PREREQUISITES_JSON_FILE,
  PREREQUISITES_MD_FILE,
  buildPrerequisites,
  prerequisitesJson,
  prerequisitesMarkdown,
  toArmJson,
} from '@aks-gitops/azure-edge';
import type { ClusterRegistry } from '@aks-gitops/workloads';

/** `clusters/<cluster>/azure/`: Azure edge configuration, outside every Flux path. */
export const AZURE_FOLDER = 'azure';
export const FIREWALL_DNAT_FILE = 'firewall-dnat.json';

/**
 * The cluster's Azure files, all derived from the same declarations as its manifests:
 * - `firewall-dnat.json`: the DNAT rule collection group from every public-via-firewall L4Service.
 *   Always written, even with no rules, so removing the last public service shows up as a diff
 *   (and `npm run edge -- apply` empties the group in Azure).
 * - `prerequisites.md` / `prerequisites.json`: what the IaC team must provide in Azure for this
 *   cluster (libs/azure-edge prerequisites.ts), in step with the apps.
 */
export function azureEdgeFiles(cluster: ClusterSpec, registry: ClusterRegistry): Map<string, string> {
  const rules = FirewallDnatRules.build(
    cluster,
    registry.firewallEndpoints.map((e) => ({ ...e, sourceAddresses: [...e.sourceAddresses] })),
  );
  const l7 = cluster.l7;
  const prerequisites = buildPrerequisites(cluster, {
    routes: registry.routes,
    identities: registry.identities,
    privateLinks: registry.privateLinks,
    firewallEndpoints: rules.origins.size ? [...rules.origins.values()] : [],
    // The ServiceAccount of the gateway TLS sync that ClusterBaseline creates (cluster-baseline.ts).
    gatewayTlsServiceAccount:
      l7.kind === 'gateway-api' ? { namespace: l7.gateway.namespace, name: `${l7.gateway.name}-tls-sync` } : undefined,
  });
  return new Map([
    [FIREWALL_DNAT_FILE, toArmJson(rules)],
    [PREREQUISITES_JSON_FILE, prerequisitesJson(prerequisites)],
    [PREREQUISITES_MD_FILE, prerequisitesMarkdown(prerequisites)],
  ]);
}
