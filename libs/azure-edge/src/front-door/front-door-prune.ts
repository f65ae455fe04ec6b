import type { CdnManagementClient, Profile } from '@azure/arm-cdn';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ArmClientOptions } from '../apply';
import { compareStrings } from '../names';
import { createCdnClient, orUndefined } from './front-door-apply';
import { CHILD_PREFIX, OWNER_TAG } from './front-door-config';

/**
 * What `edge prune` (and `edge plan`) make of one Front Door profile found in a subscription.
 *
 * How ownership is recorded: ARM tags exist only on *tracked* resources. Of the Microsoft.Cdn
 * resources aks-gitops writes, the profile and the AFD endpoint are tracked (they carry
 * `aks-gitops-cluster: <cluster>`); origin groups, origins, routes, custom domains, secrets,
 * security policies and rule sets are *proxy* resources without tags, so aks-gitops names every
 * one it creates `gitops-*` (sources in docs/azure-facts.md, "Front Door: ownership and prune").
 * Deleting a profile deletes every resource under it, so a profile is deleted only when
 * everything in it is aks-gitops's: its tag names a cluster, and every child carries our name
 * (and every endpoint our tag). Anything else is listed and left alone.
 */
export type ProfileVerdict =
  /** Tagged, and a cluster of the fleet declares exactly this profile: kept (apply manages its children). */
  | 'in-use'
  /** Tagged for a cluster, declared by none, and holding only aks-gitops's children: deleted with --yes. */
  | 'orphaned'
  /** Tagged for a cluster and declared by none, but something in it is not aks-gitops's: never deleted. */
  | 'unmarked'
  /** No owner tag: someone else's profile, never touched. */
  | 'foreign';

export interface ProfileCandidate {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly resourceId: string;
  /** The cluster its owner tag names. */
  readonly cluster?: string;
  readonly verdict: ProfileVerdict;
  readonly reason: string;
}

/** A profile a fleet cluster declares (`frontDoor` in its spec). */
export interface DeclaredProfile {
  readonly cluster: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly profileName: string;
}

export function declaredProfiles(clusters: readonly ClusterSpec[]): DeclaredProfile[] {
  return clusters.flatMap((c) =>
    c.frontDoor
      ? [
          {
            cluster: c.name,
            subscriptionId: c.subscriptionId,
            resourceGroup: c.frontDoor.resourceGroup,
            profileName: c.frontDoor.profileName,
          },
        ]
      : [],
  );
}

const profileKey = (sub: string, rg: string, name: string) => `${sub}/${rg}/${name}`.toLowerCase();

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Cdn/profiles/<name>` -> its resource group. */
function resourceGroupOf(id: string): string {
  return /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1] ?? '';
}

/**
 * Lists every Front Door profile of a subscription (GET only) and classifies it. `fleet` is every
 * cluster of the fleet (with or without `frontDoor`), to say why a profile is orphaned.
 * `onlyClusters`, when given, limits the answer to profiles tagged for those clusters (plan).
 */
export async function scanFrontDoorProfiles(
  subscriptionId: string,
  fleet: readonly ClusterSpec[],
  arm: ArmClientOptions,
  onlyClusters?: ReadonlySet<string>,
): Promise<ProfileCandidate[]> {
  const client = await createCdnClient(subscriptionId, arm);
  const declared = new Map(
    declaredProfiles(fleet).map((d) => [profileKey(d.subscriptionId, d.resourceGroup, d.profileName), d]),
  );
  const out: ProfileCandidate[] = [];
  for await (const p of client.profiles.list()) {
    const name = p.name ?? '';
    const resourceGroup = resourceGroupOf(p.id ?? '');
    const cluster = p.tags?.[OWNER_TAG];
    if (onlyClusters && (cluster === undefined || !onlyClusters.has(cluster))) continue;
    const base = {
      subscriptionId,
      resourceGroup,
      name,
      resourceId:
        p.id ??
        `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Cdn/profiles/${name}`,
      cluster,
    };
    if (cluster === undefined) {
      out.push({ ...base, verdict: 'foreign', reason: `no ${OWNER_TAG} tag` });
      continue;
    }
    const d = declared.get(profileKey(subscriptionId, resourceGroup, name));
    if (d) {
      out.push({
        ...base,
        verdict: 'in-use',
        reason: `cluster ${d.cluster} declares it (edge apply manages its children)`,
      });
      continue;
    }
    const foreign = await foreignChild(client, resourceGroup, p, cluster);
    if (foreign) {
      out.push({
        ...base,
        verdict: 'unmarked',
        reason: `tagged for cluster ${cluster}, but ${foreign}, which aks-gitops does not create; left alone (delete it by hand if it is yours)`,
      });
      continue;
    }
    const spec = fleet.find((c) => c.name === cluster);
    const why = !spec
      ? `cluster ${cluster} is not in the fleet`
      : !spec.frontDoor
        ? `cluster ${cluster} has no frontDoor any more`
        : `cluster ${cluster} now declares profile ${spec.frontDoor.resourceGroup}/${spec.frontDoor.profileName}`;
    out.push({ ...base, verdict: 'orphaned', reason: why });
  }
  return out.sort((a, b) => compareStrings(`${a.resourceGroup}/${a.name}`, `${b.resourceGroup}/${b.name}`));
}

/** The first child of the profile that aks-gitops did not create (in words), or undefined. */
async function foreignChild(
  client: CdnManagementClient,
  rg: string,
  profile: Profile,
  cluster: string,
): Promise<string | undefined> {
  const name = profile.name as string;
  const ours = (n: string | undefined) => n?.startsWith(CHILD_PREFIX) === true;
  for await (const e of client.afdEndpoints.listByProfile(rg, name)) {
    if (!ours(e.name) || e.tags?.[OWNER_TAG] !== cluster) return `it holds endpoint ${e.name}`;
    for await (const r of client.routes.listByEndpoint(rg, name, e.name as string))
      if (!ours(r.name)) return `it holds route ${e.name}/${r.name}`;
  }
  for await (const g of client.afdOriginGroups.listByProfile(rg, name)) {
    if (!ours(g.name)) return `it holds origin group ${g.name}`;
    for await (const o of client.afdOrigins.listByOriginGroup(rg, name, g.name as string))
      if (!ours(o.name)) return `it holds origin ${g.name}/${o.name}`;
  }
  for await (const d of client.afdCustomDomains.listByProfile(rg, name))
    if (!ours(d.name)) return `it holds custom domain ${d.name}`;
  for await (const s of client.secrets.listByProfile(rg, name)) if (!ours(s.name)) return `it holds secret ${s.name}`;
  for await (const s of client.securityPolicies.listByProfile(rg, name))
    if (!ours(s.name)) return `it holds security policy ${s.name}`;
  for await (const r of client.ruleSets.listByProfile(rg, name)) return `it holds rule set ${r.name}`;
  return undefined;
}

/** Refused: the profile changed between listing and deleting (its tag, or a child aks-gitops did not create). */
export class ProfileChangedError extends Error {}

/**
 * Deletes an orphaned profile; ARM deletes everything under it with it. The profile DELETE takes no
 * If-Match in `@azure/arm-cdn` (ProfilesDeleteOptionalParams), so the tag and the children are read
 * again just before it, which narrows the window in which someone's addition would go with it.
 */
export async function deleteFrontDoorProfile(p: ProfileCandidate, arm: ArmClientOptions): Promise<void> {
  if (p.verdict !== 'orphaned' || p.cluster === undefined)
    throw new Error(`internal: profile ${p.name} is ${p.verdict}, not orphaned`);
  const client = await createCdnClient(p.subscriptionId, arm);
  const now = await orUndefined(client.profiles.get(p.resourceGroup, p.name));
  if (now === undefined) return;
  if (now.tags?.[OWNER_TAG] !== p.cluster)
    throw new ProfileChangedError(`its ${OWNER_TAG} tag changed since it was listed; nothing was deleted`);
  const foreign = await foreignChild(client, p.resourceGroup, now, p.cluster);
  if (foreign)
    throw new ProfileChangedError(
      `${foreign} since it was listed, which aks-gitops does not create; nothing was deleted`,
    );
  await client.profiles.beginDeleteAndWait(p.resourceGroup, p.name, { updateIntervalInMs: arm.updateIntervalInMs });
}

/** The subscriptions whose profiles are scanned: every cluster's (its Front Door lives there), sorted. */
export function frontDoorSubscriptions(clusters: readonly ClusterSpec[], extra: readonly string[] = []): string[] {
  return [...new Set([...clusters.map((c) => c.subscriptionId), ...extra].map((s) => s.toLowerCase()))].sort(
    compareStrings,
  );
}
