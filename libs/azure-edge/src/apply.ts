import type { FirewallPolicyRuleCollectionGroup } from '@azure/arm-network';
import { type ArmClientOptions, type WriteCondition, createNetworkClient } from './arm-client';
import { withArmRetry } from './arm-retry';
import { type FirewallDnatTarget, firewallDnatResourceId } from './resource-id';

export type { ArmClientOptions, WriteCondition } from './arm-client';

/**
 * A write that ARM accepted (its first response was 2xx) but whose outcome could not be read: the
 * long-running operation's polling failed. Never retried, since repeating the write with the old
 * etag would fail on the etag it changed itself.
 */
export class AcceptedButUnconfirmedError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(
      `${operation} was accepted by Azure, then failed or could not be followed (${(cause as Error)?.message ?? String(cause)}); run edge plan to see the group as it is now`,
    );
    this.name = 'AcceptedButUnconfirmedError';
  }
}

/**
 * PUTs the group with the real SDK client (`firewallPolicyRuleCollectionGroups.beginCreateOrUpdate`)
 * and waits for the long-running operation. A PUT replaces the whole group: rules that exist only
 * in Azure are deleted, which is what makes git the source of truth. `condition` makes the write
 * conditional (If-Match with the etag read, or If-None-Match: * on create): ARM answers 412 when
 * someone changed the group in between. 409 (another operation in progress), 429 and 5xx are
 * retried within bounds (arm-retry.ts). Resolves with the group as ARM returns it after the
 * operation succeeded; rejects with the SDK's RestError when ARM refuses.
 */
export async function applyFirewallDnat(
  rcg: FirewallPolicyRuleCollectionGroup,
  target: FirewallDnatTarget,
  options: ArmClientOptions,
  condition?: WriteCondition,
): Promise<FirewallPolicyRuleCollectionGroup> {
  if (rcg.name !== undefined && rcg.name !== target.name) {
    throw new Error(`applyFirewallDnat: the group is named "${rcg.name}" but the target is "${target.name}"`);
  }
  const path = firewallDnatResourceId(target);
  const client = await createNetworkClient(target.subscriptionId, options, condition && { path, condition });
  const ops = client.firewallPolicyRuleCollectionGroups;
  const poller = await acceptedOnce(
    'PUT',
    (onResponse) =>
      ops.beginCreateOrUpdate(target.resourceGroup, target.policyName, target.name, rcg, {
        updateIntervalInMs: options.updateIntervalInMs,
        onResponse,
      }),
    options,
  );
  return untilDone('PUT', () => poller.pollUntilDone());
}

/** GETs the group (its `etag` included); `undefined` when it does not exist (HTTP 404). */
export async function readFirewallDnat(
  target: FirewallDnatTarget,
  options: ArmClientOptions,
): Promise<FirewallPolicyRuleCollectionGroup | undefined> {
  const client = await createNetworkClient(target.subscriptionId, options);
  try {
    return await withArmRetry(
      () => client.firewallPolicyRuleCollectionGroups.get(target.resourceGroup, target.policyName, target.name),
      options.retry,
    );
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** Every rule collection group of one Firewall Policy, all pages (`firewallPolicyRuleCollectionGroups.list`). */
export async function listRuleCollectionGroups(
  policy: Omit<FirewallDnatTarget, 'name'>,
  options: ArmClientOptions,
): Promise<FirewallPolicyRuleCollectionGroup[]> {
  const client = await createNetworkClient(policy.subscriptionId, options);
  return withArmRetry(async () => {
    const all: FirewallPolicyRuleCollectionGroup[] = [];
    for await (const g of client.firewallPolicyRuleCollectionGroups.list(policy.resourceGroup, policy.policyName))
      all.push(g);
    return all;
  }, options.retry);
}

/** DELETEs the group if its etag is still `etag` (412 otherwise) and waits for the long-running operation. */
export async function deleteRuleCollectionGroup(
  target: FirewallDnatTarget,
  etag: string,
  options: ArmClientOptions,
): Promise<void> {
  const client = await createNetworkClient(target.subscriptionId, options, {
    path: firewallDnatResourceId(target),
    condition: { ifMatch: etag },
  });
  const ops = client.firewallPolicyRuleCollectionGroups;
  const poller = await acceptedOnce(
    'DELETE',
    (onResponse) =>
      ops.beginDelete(target.resourceGroup, target.policyName, target.name, {
        updateIntervalInMs: options.updateIntervalInMs,
        onResponse,
      }),
    options,
  );
  await untilDone('DELETE', () => poller.pollUntilDone());
}

type OnResponse = (raw: { status: number; request: { method: string } }) => void;

/**
 * Starts a long-running write with retries, but never repeats a write that ARM already accepted:
 * the SDK's begin* also sends the first poll, and a failed poll must not resend the write.
 */
async function acceptedOnce<T>(
  method: 'PUT' | 'DELETE',
  start: (onResponse: OnResponse) => Promise<T>,
  options: ArmClientOptions,
): Promise<T> {
  return withArmRetry(async () => {
    let accepted = false;
    const onResponse: OnResponse = (raw) => {
      if (raw.request.method === method && raw.status >= 200 && raw.status < 300) accepted = true;
    };
    try {
      return await start(onResponse);
    } catch (e) {
      throw accepted ? new AcceptedButUnconfirmedError(method, e) : e;
    }
  }, options.retry);
}

async function untilDone<T>(method: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (e) {
    // A failed operation (status Failed) carries the RP's error; keep it as it is.
    if ((e as { statusCode?: number }).statusCode !== undefined || (e as { code?: string }).code !== undefined) throw e;
    throw new AcceptedButUnconfirmedError(method, e);
  }
}
