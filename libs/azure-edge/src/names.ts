import { createHash } from 'node:crypto';

/**
 * Names of the Azure objects this library owns. Azure does not document a name limit specific to
 * Firewall Policy rules; we hold every name to the general Microsoft.Network limit (1-80 characters)
 * and to lowercase letters, digits and '-', a subset every Azure name rule accepts. Names are pure
 * functions of their inputs: renaming a rule is a delete plus a create in the diff, so they must
 * never depend on ordering or on what else is in the cluster.
 */
export const AZURE_NAME_MAX = 80;

/** The single NAT rule collection inside each cluster's group (see firewall-dnat-rules.ts for why one). */
export const DNAT_COLLECTION_NAME = 'l4-dnat';

/**
 * Mid-range, so a collection could later be ordered before or after it without renumbering this one.
 * With a single collection the value has no effect on matching.
 */
export const DNAT_COLLECTION_PRIORITY = 1000;

/**
 * `aks-gitops-<cluster>-dnat`. The prefix marks ownership inside a Firewall Policy that other teams
 * (and other clusters) share: `apply` replaces the whole group, so hand edits in the portal are lost.
 */
export function dnatGroupName(cluster: string): string {
  return fitAzureName(`aks-gitops-${cluster}-dnat`);
}

const DNAT_GROUP_NAME = /^aks-gitops-([a-z0-9]([-a-z0-9]*[a-z0-9])?)-dnat$/;

/** The cluster a group name `aks-gitops-<cluster>-dnat` was made for; undefined for any other name. */
export function clusterOfDnatGroup(groupName: string | undefined): string | undefined {
  return DNAT_GROUP_NAME.exec(groupName ?? '')?.[1];
}

/**
 * The ownership marker. A rule collection group carries no tags and no description of its own (its
 * ARM schema has only name, priority and ruleCollections; a rule collection only name, priority,
 * type, action and rules), so the marker is on the one free-text field there is: every rule's
 * description starts with `aks-gitops: cluster <cluster>, `. `edge prune` deletes a group only when
 * its name AND every rule carry the marker of the same cluster.
 */
export function dnatRuleMarker(cluster: string): string {
  return `aks-gitops: cluster ${cluster}, `;
}

/** `<app>-<service>-<portName>-<tcp|udp>`: readable in firewall logs, which report the rule name. */
export function dnatRuleName(app: string, service: string, portName: string, protocol: string): string {
  return fitAzureName(`${app}-${service}-${portName}-${protocol.toLowerCase()}`);
}

/**
 * Keeps a name within AZURE_NAME_MAX: cuts it and appends 8 hex digits of the full name's SHA-256,
 * so two long names that share a prefix still differ and the result is stable across runs.
 */
export function fitAzureName(name: string): string {
  if (name.length <= AZURE_NAME_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const head = name.slice(0, AZURE_NAME_MAX - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** Code-point order, never locale order: output must be identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
