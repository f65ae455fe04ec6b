import type { FirewallPolicyRuleCollectionGroup, NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { isLoopbackHttpEndpoint, loopbackHttpClient } from './local-arm';
import type { FirewallDnatTarget } from './resource-id';

export interface ArmClientOptions {
  credential: TokenCredential;
  /**
   * ARM endpoint; defaults to https://management.azure.com. `http://127.0.0.1:<port>` (or
   * localhost, [::1]) is accepted for local stand-ins; any other plain-http endpoint is refused.
   */
  endpoint?: string;
  httpClient?: HttpClient;
  /** Poll interval of the long-running PUT; the SDK default (2 s) unless the server sends Retry-After. */
  updateIntervalInMs?: number;
}

/**
 * PUTs the group with the real SDK client (`firewallPolicyRuleCollectionGroups
 * .beginCreateOrUpdateAndWait`) and waits for the long-running operation. A PUT replaces the whole
 * group: rules that exist only in Azure are deleted, which is what makes git the source of truth.
 * Resolves with the group as ARM returns it after the operation succeeded; rejects with the SDK's
 * RestError when ARM refuses.
 */
export async function applyFirewallDnat(
  rcg: FirewallPolicyRuleCollectionGroup,
  target: FirewallDnatTarget,
  options: ArmClientOptions,
): Promise<FirewallPolicyRuleCollectionGroup> {
  if (rcg.name !== undefined && rcg.name !== target.name) {
    throw new Error(`applyFirewallDnat: the group is named "${rcg.name}" but the target is "${target.name}"`);
  }
  const client = await createNetworkClient(target.subscriptionId, options);
  return client.firewallPolicyRuleCollectionGroups.beginCreateOrUpdateAndWait(target.resourceGroup, target.policyName, target.name, rcg, {
    updateIntervalInMs: options.updateIntervalInMs,
  });
}

/** GETs the group; `undefined` when it does not exist yet (HTTP 404). */
export async function readFirewallDnat(target: FirewallDnatTarget, options: ArmClientOptions): Promise<FirewallPolicyRuleCollectionGroup | undefined> {
  const client = await createNetworkClient(target.subscriptionId, options);
  try {
    return await client.firewallPolicyRuleCollectionGroups.get(target.resourceGroup, target.policyName, target.name);
  } catch (e) {
    const { isRestError } = await import('@azure/core-rest-pipeline');
    if (isRestError(e) && e.statusCode === 404) return undefined;
    throw e;
  }
}

async function createNetworkClient(subscriptionId: string, options: ArmClientOptions): Promise<NetworkManagementClient> {
  // Loaded on first use: the SDK costs ~250 ms to require, and synth only needs the types.
  const { NetworkManagementClient } = await import('@azure/arm-network');
  let endpoint = options.endpoint?.replace(/\/+$/, '');
  let httpClient = options.httpClient;
  if (endpoint !== undefined && isLoopbackHttpEndpoint(endpoint)) {
    httpClient = loopbackHttpClient(endpoint, httpClient);
    endpoint = `https:${endpoint.slice('http:'.length)}`;
  } else if (endpoint !== undefined && !endpoint.startsWith('https://')) {
    throw new Error(`refusing ARM endpoint ${endpoint}: a bearer token may only travel over https (plain http is allowed for 127.0.0.1, localhost and [::1])`);
  }
  return new NetworkManagementClient(options.credential, subscriptionId, { endpoint, httpClient });
}
