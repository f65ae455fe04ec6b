import { GUID } from './validators';

/** The parts of a Firewall Policy resource ID. */
export interface FirewallPolicyRef {
  /** The policy's subscription (in hub-and-spoke, the hub's). */
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly policyName: string;
}

// Resource group names: 1-90 of letters, digits, '_', '(', ')', '-', '.', not ending in '.'.
// Firewall Policy names: 1-80 of letters, digits, '_', '-', '.', starting with a letter or digit and
// ending with a letter, digit or '_' (Microsoft.Network naming rules).
const RESOURCE_GROUP = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;
const POLICY_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const POLICY_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/firewallPolicies\/([^/]+)$/;

export const FIREWALL_POLICY_ID_TEMPLATE =
  '/subscriptions/<hub-subscription-guid>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<name>';

/** Why `id` is not a canonical Firewall Policy resource ID, or undefined when it is. */
export function firewallPolicyIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return `${JSON.stringify(id)} is not a Firewall Policy resource ID`;
  const m = POLICY_ID.exec(id);
  if (!m) return `"${id}" is not a Firewall Policy resource ID`;
  if (!GUID.test(m[1])) return `"${id}" has subscription "${m[1]}", not a lowercase GUID`;
  if (!RESOURCE_GROUP.test(m[2])) return `"${id}" has resource group "${m[2]}", not a valid resource group name`;
  if (!POLICY_NAME.test(m[3])) return `"${id}" has policy name "${m[3]}", not a valid Firewall Policy name`;
  return undefined;
}

/** Splits a valid Firewall Policy resource ID; undefined when `firewallPolicyIdProblem` reports one. */
export function parseFirewallPolicyId(id: string): FirewallPolicyRef | undefined {
  if (firewallPolicyIdProblem(id)) return undefined;
  const m = POLICY_ID.exec(id) as RegExpExecArray;
  return { subscriptionId: m[1], resourceGroup: m[2], policyName: m[3] };
}

/**
 * The key two IDs of one policy share: ARM resource IDs are case-insensitive (resource group and
 * resource names included), so `rg-Hub` and `rg-hub` name the same policy.
 */
export function firewallPolicyKey(id: string): string {
  return id.toLowerCase();
}
