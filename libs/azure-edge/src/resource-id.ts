/** Where one cluster's DNAT rule collection group lives in Azure. */
export interface FirewallDnatTarget {
  /** The Firewall Policy's subscription (the hub's in hub-and-spoke), not the cluster's. */
  subscriptionId: string;
  /** Resource group of the Firewall Policy. */
  resourceGroup: string;
  policyName: string;
  /** Rule collection group name. */
  name: string;
}

/** The ARM resource ID, which is also the request path of the GET and PUT. */
export function firewallDnatResourceId(t: FirewallDnatTarget): string {
  return `${firewallPolicyResourceId(t)}/ruleCollectionGroups/${t.name}`;
}

const RESOURCE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/firewallPolicies\/([^/]+)\/ruleCollectionGroups\/([^/]+)$/;

export function parseFirewallDnatResourceId(id: string): FirewallDnatTarget | undefined {
  const m = RESOURCE_ID.exec(id);
  return m ? { subscriptionId: m[1], resourceGroup: m[2], policyName: m[3], name: m[4] } : undefined;
}

/** Repository-relative path of the committed request body for a cluster. */
export function firewallDnatFile(cluster: string): string {
  return `clusters/${cluster}/azure/firewall-dnat.json`;
}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<policy>` */
export function firewallPolicyResourceId(t: Omit<FirewallDnatTarget, 'name'>): string {
  return `/subscriptions/${t.subscriptionId}/resourceGroups/${t.resourceGroup}/providers/Microsoft.Network/firewallPolicies/${t.policyName}`;
}
