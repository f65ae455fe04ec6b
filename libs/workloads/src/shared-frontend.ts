import { ConfigError, DEDICATED_FRONTEND } from '@aks-gitops/cluster-model';
import type { ClusterSpec, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import type { LoadBalancerClaim, PrivateLinkClaim } from './cluster-claims';

const LB = 'service.beta.kubernetes.io/';

/** The workload name the in-cluster gateway's frontend claims carry (it belongs to no app). */
export const GATEWAY_CLAIM_APP = 'platform';

/**
 * The shared frontend an app's load balancers join on this cluster, or undefined for the app's own
 * (dedicated) frontend. The cluster's `frontendAssignments` wins over what the app asks for, so the
 * platform team moves an app between a dedicated and a shared frontend without touching its code.
 * An app asking for a frontend the cluster does not declare falls back to its own `address`
 * (the caller reports a missing one).
 */
export function resolveSharedFrontend(
  cluster: ClusterSpec,
  app: string,
  requested: string | undefined,
): SharedFrontendSpec | undefined {
  const assigned = cluster.frontendAssignments?.[app] ?? requested;
  if (assigned === undefined || assigned === DEDICATED_FRONTEND) return undefined;
  return cluster.sharedFrontends?.find((f) => f.name === assigned);
}

/** Where Private Link consumers (Front Door included) come from: the PLS NAT subnet. */
export function privateLinkNatCidr(cluster: ClusterSpec, frontend: SharedFrontendSpec): string | undefined {
  if (!frontend.privateLink) return undefined;
  return frontend.privateLink.natSubnet?.cidr ?? cluster.network.internalLoadBalancerSubnet.cidr;
}

/** Whether `app` (or the gateway, GATEWAY_CLAIM_APP) is the one whose Service owns the frontend's PLS. */
export function ownsPrivateLink(cluster: ClusterSpec, frontend: SharedFrontendSpec, app: string): boolean {
  if (!frontend.privateLink) return false;
  const gatewayJoins = cluster.l7.kind === 'gateway-api' && cluster.l7.frontend === frontend.name;
  return gatewayJoins ? app === GATEWAY_CLAIM_APP : frontend.privateLink.owner === app;
}

/** The PLS resource ID cloud-provider-azure creates for a frontend (name and group are pinned by annotations). */
export function privateLinkServiceId(cluster: ClusterSpec, frontend: SharedFrontendSpec): string | undefined {
  const pl = frontend.privateLink;
  if (!pl) return undefined;
  return `/subscriptions/${cluster.subscriptionId}/resourceGroups/${pl.resourceGroup}/providers/Microsoft.Network/privateLinkServices/${pl.name}`;
}

/**
 * The annotations of a Service on a shared frontend. Every Service on it gets the same internal,
 * subnet, address and source-range annotations; only the PLS owner gets `azure-pls-*`
 * (cloud-provider-azure: a non-owner Service with PLS settings fails to reconcile, one without them
 * shares the PLS).
 */
export function sharedFrontendAnnotations(
  cluster: ClusterSpec,
  frontend: SharedFrontendSpec,
  owner: boolean,
): Record<string, string> {
  const annotations: Record<string, string> = {
    [`${LB}azure-load-balancer-internal`]: 'true',
    [`${LB}azure-load-balancer-internal-subnet`]: cluster.network.internalLoadBalancerSubnet.name,
    [`${LB}azure-load-balancer-ipv4`]: frontend.address,
    [`${LB}azure-deny-all-except-load-balancer-source-ranges`]: 'true',
  };
  const pl = frontend.privateLink;
  if (pl && owner) {
    annotations[`${LB}azure-pls-create`] = 'true';
    annotations[`${LB}azure-pls-name`] = pl.name;
    annotations[`${LB}azure-pls-resource-group`] = pl.resourceGroup;
    annotations[`${LB}azure-pls-ip-configuration-subnet`] =
      pl.natSubnet?.name ?? cluster.network.internalLoadBalancerSubnet.name;
    if (pl.visibility?.length) annotations[`${LB}azure-pls-visibility`] = pl.visibility.join(' ');
    if (pl.autoApproval?.length) annotations[`${LB}azure-pls-auto-approval`] = pl.autoApproval.join(' ');
  }
  return annotations;
}

/**
 * Cross-app checks of shared frontends, run by ClusterRegistry.finalize() over every claim (declared
 * or replayed): the PLS owner has exactly one Service on its frontend; an app's own privateLink never
 * lands on a shared frontend (one frontend, one PLS). Port clashes are checked with every other
 * load balancer claim.
 */
export function checkSharedFrontends(registry: {
  readonly cluster: ClusterSpec;
  readonly loadBalancers: readonly LoadBalancerClaim[];
  readonly privateLinks: readonly PrivateLinkClaim[];
}): void {
  const cluster = registry.cluster;
  for (const frontend of cluster.sharedFrontends ?? []) {
    const claims = registry.loadBalancers.filter((l) => l.frontend === frontend.name);
    const pl = frontend.privateLink;
    if (pl) {
      const ownerApp = ownsPrivateLink(cluster, frontend, GATEWAY_CLAIM_APP) ? GATEWAY_CLAIM_APP : pl.owner;
      const owners = [...new Set(claims.filter((c) => c.app === ownerApp).map((c) => c.workload))];
      // A frontend nobody joins does not exist in Azure yet, and needs no PLS.
      if (claims.length > 0 && owners.length === 0) {
        throw new ConfigError({
          cluster: cluster.name,
          field: `sharedFrontends["${frontend.name}"].privateLink.owner`,
          problem: `names app "${ownerApp}", which has no service on this frontend, so nothing creates the Private Link Service for ${[...new Set(claims.map((c) => c.app))].sort().join(', ')}`,
          fix: `assign ${ownerApp} to "${frontend.name}" (frontendAssignments) or name an app that joins it as owner`,
        });
      }
      if (owners.length > 1) {
        throw new ConfigError({
          cluster: cluster.name,
          app: ownerApp,
          field: `sharedFrontends["${frontend.name}"].privateLink.owner`,
          problem: `app ${ownerApp} has ${owners.length} services on this frontend (${owners.join(', ')}); exactly one Service may own the Private Link Service`,
          fix: 'put the other services on another frontend, or name an app with one service as owner',
        });
      }
    }
    const ip = frontend.address;
    const own = registry.privateLinks.find((p) => p.ip === ip);
    if (own) {
      throw new ConfigError({
        cluster: cluster.name,
        app: own.app,
        field: own.field,
        problem: `asks for its own Private Link Service on shared frontend "${frontend.name}" (${ip})${pl ? `, which already has Private Link Service ${pl.name}` : ''}; a frontend has at most one PLS and the cluster spec decides it`,
        fix: pl
          ? 'drop privateLink: the shared frontend already publishes this service through its PLS'
          : `drop privateLink, or add privateLink to sharedFrontends "${frontend.name}" in the cluster spec`,
      });
    }
  }
}

/** A frontend claim as the conflict message shows it. */
export function describeFrontend(claim: LoadBalancerClaim): string {
  return claim.frontend ? `shared frontend "${claim.frontend}" (${claim.ip})` : claim.ip;
}
