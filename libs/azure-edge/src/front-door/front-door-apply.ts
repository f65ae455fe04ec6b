import type { CdnManagementClient } from '@azure/arm-cdn';
import type { ArmClientOptions } from '../apply';
import { armTransport } from '../arm-client';
import {
  CHILD_PREFIX,
  FRONT_DOOR_APPLY_ORDER,
  OWNER_TAG,
  type FrontDoorResource,
  type FrontDoorResourceKind,
} from './front-door-config';
import type { ParsedFrontDoorFile } from './front-door-file';

export type FrontDoorAction = 'create' | 'update' | 'unchanged' | 'delete';

export interface FrontDoorChange {
  readonly action: FrontDoorAction;
  readonly kind: FrontDoorResourceKind;
  readonly name: string;
  readonly resourceId: string;
}

type Model = Record<string, unknown>;

/** Refused before any write: the profile exists but another cluster (or nobody) owns it. */
export class FrontDoorOwnershipError extends Error {}

/**
 * Compares the committed Front Door resources with Azure: what to create, update and delete.
 * Deletions are only ever children named `gitops-*` inside this cluster's own profile (owner tag).
 */
export async function planFrontDoor(file: ParsedFrontDoorFile, options: ArmClientOptions): Promise<FrontDoorChange[]> {
  const client = await createCdnClient(file.target.subscriptionId, options);
  return diffAgainstAzure(client, file);
}

/**
 * Applies the plan with the real `CdnManagementClient`: PUTs what differs in dependency order
 * (profile, endpoint, secret, domains, origin groups, origins, routes, WAF policy), waiting for each
 * long-running operation, then deletes owned children the file no longer names, in reverse order.
 */
export async function applyFrontDoor(
  file: ParsedFrontDoorFile,
  options: ArmClientOptions,
  log: (change: FrontDoorChange) => void = () => undefined,
): Promise<FrontDoorChange[]> {
  const client = await createCdnClient(file.target.subscriptionId, options);
  const changes = await diffAgainstAzure(client, file);
  const t = file.target;
  const lro = { updateIntervalInMs: options.updateIntervalInMs };
  const byId = new Map(file.resources.map((r) => [r.resourceId, r]));
  for (const change of changes.filter((c) => c.action === 'create' || c.action === 'update')) {
    const r = byId.get(change.resourceId) as FrontDoorResource;
    await put(client, t.resourceGroup, t.profileName, r, lro);
    log(change);
  }
  const deletes = changes
    .filter((c) => c.action === 'delete')
    .sort((a, b) => FRONT_DOOR_APPLY_ORDER.indexOf(b.kind) - FRONT_DOOR_APPLY_ORDER.indexOf(a.kind));
  for (const change of deletes) {
    await remove(client, t.resourceGroup, t.profileName, t.endpointName, change, lro);
    log(change);
  }
  return changes;
}

async function diffAgainstAzure(client: CdnManagementClient, file: ParsedFrontDoorFile): Promise<FrontDoorChange[]> {
  const t = file.target;
  const rg = t.resourceGroup;
  const profile = await orUndefined(client.profiles.get(rg, t.profileName));
  if (profile && profile.tags?.[OWNER_TAG] !== file.cluster) {
    throw new FrontDoorOwnershipError(
      `profile ${rg}/${t.profileName} exists but its tag ${OWNER_TAG} is ${JSON.stringify(profile.tags?.[OWNER_TAG] ?? null)}, not "${file.cluster}": aks-gitops changes only profiles it created for this cluster`,
    );
  }
  const changes: FrontDoorChange[] = [];
  for (const r of file.resources) {
    const actual = profile ? await get(client, rg, t.profileName, r) : undefined;
    const action: FrontDoorAction =
      actual === undefined ? 'create' : isSubset(r.model as Model, actual) ? 'unchanged' : 'update';
    changes.push({ action, kind: r.kind, name: r.name, resourceId: r.resourceId });
  }
  if (!profile) return changes;
  const wanted = new Set(file.resources.map((r) => r.resourceId.toLowerCase()));
  const profileId = file.resources[0].resourceId;
  const owned = (kind: FrontDoorResourceKind, name: string | undefined, id: string) => {
    if (name?.startsWith(CHILD_PREFIX) && !wanted.has(id.toLowerCase()))
      changes.push({ action: 'delete', kind, name, resourceId: id });
  };
  for await (const p of client.securityPolicies.listByProfile(rg, t.profileName))
    owned('securityPolicy', p.name, `${profileId}/securityPolicies/${p.name}`);
  const endpointExists = changes.some((c) => c.kind === 'afdEndpoint' && c.action !== 'create');
  if (endpointExists)
    for await (const r of client.routes.listByEndpoint(rg, t.profileName, t.endpointName))
      owned('route', r.name, `${profileId}/afdEndpoints/${t.endpointName}/routes/${r.name}`);
  const groups: string[] = [];
  for await (const g of client.afdOriginGroups.listByProfile(rg, t.profileName))
    if (g.name?.startsWith(CHILD_PREFIX)) groups.push(g.name);
  for (const g of groups)
    for await (const o of client.afdOrigins.listByOriginGroup(rg, t.profileName, g))
      owned('origin', o.name, `${profileId}/originGroups/${g}/origins/${o.name}`);
  for (const g of groups) owned('originGroup', g, `${profileId}/originGroups/${g}`);
  for await (const d of client.afdCustomDomains.listByProfile(rg, t.profileName))
    owned('customDomain', d.name, `${profileId}/customDomains/${d.name}`);
  for await (const s of client.secrets.listByProfile(rg, t.profileName))
    owned('secret', s.name, `${profileId}/secrets/${s.name}`);
  return changes;
}

function parentOf(r: FrontDoorResource): string {
  if (!r.parent) throw new Error(`internal: ${r.kind} ${r.name} has no parent`);
  return r.parent;
}

async function get(
  client: CdnManagementClient,
  rg: string,
  profile: string,
  r: FrontDoorResource,
): Promise<object | undefined> {
  switch (r.kind) {
    case 'profile':
      return orUndefined(client.profiles.get(rg, profile));
    case 'afdEndpoint':
      return orUndefined(client.afdEndpoints.get(rg, profile, r.name));
    case 'secret':
      return orUndefined(client.secrets.get(rg, profile, r.name));
    case 'customDomain':
      return orUndefined(client.afdCustomDomains.get(rg, profile, r.name));
    case 'originGroup':
      return orUndefined(client.afdOriginGroups.get(rg, profile, r.name));
    case 'origin':
      return orUndefined(client.afdOrigins.get(rg, profile, parentOf(r), r.name));
    case 'route':
      return orUndefined(client.routes.get(rg, profile, parentOf(r), r.name));
    case 'securityPolicy':
      return orUndefined(client.securityPolicies.get(rg, profile, r.name));
  }
}

async function put(
  client: CdnManagementClient,
  rg: string,
  profile: string,
  r: FrontDoorResource,
  lro: { updateIntervalInMs?: number },
): Promise<unknown> {
  switch (r.kind) {
    case 'profile':
      return client.profiles.beginCreateAndWait(rg, profile, r.model, lro);
    case 'afdEndpoint':
      return client.afdEndpoints.beginCreateAndWait(rg, profile, r.name, r.model, lro);
    case 'secret':
      return client.secrets.beginCreateAndWait(rg, profile, r.name, r.model, lro);
    case 'customDomain':
      return client.afdCustomDomains.beginCreateAndWait(rg, profile, r.name, r.model, lro);
    case 'originGroup':
      return client.afdOriginGroups.beginCreateAndWait(rg, profile, r.name, r.model, lro);
    case 'origin':
      return client.afdOrigins.beginCreateAndWait(rg, profile, parentOf(r), r.name, r.model, lro);
    case 'route':
      return client.routes.beginCreateAndWait(rg, profile, parentOf(r), r.name, r.model, lro);
    case 'securityPolicy':
      return client.securityPolicies.beginCreateAndWait(rg, profile, r.name, r.model, lro);
  }
}

async function remove(
  client: CdnManagementClient,
  rg: string,
  profile: string,
  endpoint: string,
  c: FrontDoorChange,
  lro: { updateIntervalInMs?: number },
): Promise<void> {
  switch (c.kind) {
    case 'securityPolicy':
      return client.securityPolicies.beginDeleteAndWait(rg, profile, c.name, lro);
    case 'route':
      return client.routes.beginDeleteAndWait(rg, profile, endpoint, c.name, lro);
    case 'origin':
      return client.afdOrigins.beginDeleteAndWait(
        rg,
        profile,
        c.resourceId.split('/originGroups/')[1].split('/')[0],
        c.name,
        lro,
      );
    case 'originGroup':
      return client.afdOriginGroups.beginDeleteAndWait(rg, profile, c.name, lro);
    case 'customDomain':
      return client.afdCustomDomains.beginDeleteAndWait(rg, profile, c.name, lro);
    case 'secret':
      return client.secrets.beginDeleteAndWait(rg, profile, c.name, lro);
    default:
      throw new Error(`internal: aks-gitops never deletes a ${c.kind}`);
  }
}

export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    const { isRestError } = await import('@azure/core-rest-pipeline');
    if (isRestError(e) && e.statusCode === 404) return undefined;
    throw e;
  }
}

/**
 * Whether Azure already has everything the file says: each field of `want` equals the same field
 * of `have` (Azure adds server-side fields, which are ignored). Resource IDs compare without case:
 * ARM does not preserve the casing of segments such as `resourceGroups`.
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (typeof want === 'string' && typeof have === 'string' && want.startsWith('/subscriptions/'))
    return want.toLowerCase() === have.toLowerCase();
  if (Array.isArray(want))
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object') return false;
    return Object.entries(want).every(([k, v]) => v === undefined || isSubset(v, (have as Model)[k]));
  }
  return want === have;
}

export async function createCdnClient(subscriptionId: string, options: ArmClientOptions): Promise<CdnManagementClient> {
  // Loaded on first use: synth needs only the types.
  const { CdnManagementClient } = await import('@azure/arm-cdn');
  const { endpoint, httpClient } = armTransport(options);
  return new CdnManagementClient(options.credential, subscriptionId, { endpoint, httpClient });
}
