import type {
  AFDDomain,
  AFDEndpoint,
  AFDOrigin,
  AFDOriginGroup,
  Profile,
  Route,
  Secret,
  SecurityPolicy,
} from '@azure/arm-cdn';
import { ConfigError, type ClusterSpec, type FrontDoorSpec, certificateCovers } from '@aks-gitops/cluster-model';
import { compareStrings } from '../names';

/**
 * The ARM api-version `@azure/arm-cdn` 9.1.0 sends (Microsoft.Cdn, Front Door Standard/Premium).
 * Recorded in the committed file and checked against the wire in the local-ARM test.
 */
export const CDN_API_VERSION = '2024-02-01';

/** Tag on the profile and endpoint: which cluster owns them. `edge apply` never touches a profile without it. */
export const OWNER_TAG = 'aks-gitops-cluster';
/** Prefix of every child resource aks-gitops creates in the profile; only these are ever deleted. */
export const CHILD_PREFIX = 'gitops-';

/** One L7 route of an app as Front Door needs it: the host and path prefix, and who owns it. */
export interface FrontDoorRouteInput {
  readonly app: string;
  readonly host: string;
  readonly path: string;
  /** The app's field that declared it, for error messages. */
  readonly field?: string;
}

/** The kinds of Microsoft.Cdn resources aks-gitops writes, in the order they are created. */
export type FrontDoorResourceKind =
  'profile' | 'afdEndpoint' | 'secret' | 'customDomain' | 'originGroup' | 'origin' | 'route' | 'securityPolicy';
export const FRONT_DOOR_APPLY_ORDER: readonly FrontDoorResourceKind[] = [
  'profile',
  'afdEndpoint',
  'secret',
  'customDomain',
  'originGroup',
  'origin',
  'route',
  'securityPolicy',
];

interface ModelOf {
  profile: Profile;
  afdEndpoint: AFDEndpoint;
  secret: Secret;
  customDomain: AFDDomain;
  originGroup: AFDOriginGroup;
  origin: AFDOrigin;
  route: Route;
  securityPolicy: SecurityPolicy;
}

/** One resource to PUT: where, and the typed model the SDK client serializes. */
export type FrontDoorResource = {
  [K in FrontDoorResourceKind]: {
    readonly kind: K;
    readonly name: string;
    readonly resourceId: string;
    readonly parent?: string;
    readonly model: ModelOf[K];
  };
}[FrontDoorResourceKind];

export interface FrontDoorTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly profileName: string;
  readonly endpointName: string;
}

/** `clusters/<cluster>/azure/front-door.json`. */
export function frontDoorFile(cluster: string): string {
  return `clusters/${cluster}/azure/front-door.json`;
}

/** Front Door child names: letters, digits and '-' (Microsoft.Cdn), from the host so a rename is visible. */
export function hostSlug(host: string): string {
  return host.replace(/\./g, '-');
}

/**
 * Azure Front Door Premium for one cluster, as typed `@azure/arm-cdn` models: one profile and
 * endpoint; per host a custom domain, an origin group with one Private Link origin, and a route;
 * one WAF security policy over every custom domain. Pure: same inputs, same resources, same order.
 *
 * Choices, each sourced in docs/azure-facts.md ("Front Door and shared frontends"):
 * - Premium SKU: Private Link origins exist only on Premium.
 * - the origin's host name and host header are the public host, HTTPS only, certificate name check
 *   on: the origin (App Gateway listener or in-cluster gateway) presents the host's certificate;
 * - all origins of the profile use one Private Link resource and region, so Front Door creates one
 *   private endpoint for them, approved once at the PLS;
 * - no health probes: each origin group has one origin, and Front Door recommends disabling probes
 *   then (a failing probe could not fail over anywhere);
 * - HTTP is accepted only to redirect to HTTPS; no caching (APIs).
 */
export class FrontDoorConfig {
  /**
   * @param privateLink the Private Link target every origin uses: a resource ID, and the group ID
   * (sub-resource) when the target needs one (an App Gateway frontend IP configuration)
   */
  static build(
    cluster: ClusterSpec,
    routes: readonly FrontDoorRouteInput[],
    privateLink: { readonly id: string; readonly groupId?: string },
  ): FrontDoorConfig {
    const fd = cluster.frontDoor as FrontDoorSpec;
    if (!fd) throw new Error(`internal: cluster ${cluster.name} has no frontDoor`);
    const target: FrontDoorTarget = {
      subscriptionId: cluster.subscriptionId,
      resourceGroup: fd.resourceGroup,
      profileName: fd.profileName,
      endpointName: `${CHILD_PREFIX}${cluster.name}`,
    };
    const profileId = `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.Cdn/profiles/${target.profileName}`;
    const tags = { [OWNER_TAG]: cluster.name };
    const out: FrontDoorResource[] = [];
    out.push({
      kind: 'profile',
      name: fd.profileName,
      resourceId: profileId,
      model: { location: 'Global', tags, sku: { name: 'Premium_AzureFrontDoor' } },
    });
    const endpointId = `${profileId}/afdEndpoints/${target.endpointName}`;
    out.push({
      kind: 'afdEndpoint',
      name: target.endpointName,
      resourceId: endpointId,
      model: { location: 'Global', tags, enabledState: 'Enabled' },
    });
    const secretName = `${CHILD_PREFIX}certificate`;
    const secretId = `${profileId}/secrets/${secretName}`;
    if (fd.certificateSecretId) {
      out.push({
        kind: 'secret',
        name: secretName,
        resourceId: secretId,
        model: {
          parameters: {
            type: 'CustomerCertificate',
            secretSource: { id: fd.certificateSecretId },
            useLatestVersion: true,
          },
        },
      });
    }

    const byHost = new Map<string, Set<string>>();
    for (const r of routes) {
      // The registry records the field of the route's path; a host problem names the route's host.
      const hostField = (r.field ?? 'routes.host').replace(/\.paths\[\d+\]$/, '.host');
      if (r.host.startsWith('*.')) {
        throw new ConfigError({
          cluster: cluster.name,
          app: r.app,
          field: hostField,
          problem: `wildcard host ${r.host} cannot be a Front Door custom domain here (aks-gitops creates one domain and route per host)`,
          fix: 'route the API on explicit hostnames on clusters with frontDoor',
        });
      }
      const paths = byHost.get(r.host) ?? new Set<string>();
      paths.add(r.path);
      byHost.set(r.host, paths);
    }
    const hosts = [...byHost.keys()].sort(compareStrings);
    const domainIds: string[] = [];
    for (const host of hosts) {
      const slug = `${CHILD_PREFIX}${hostSlug(host)}`;
      const domainId = `${profileId}/customDomains/${slug}`;
      domainIds.push(domainId);
      out.push({
        kind: 'customDomain',
        name: slug,
        resourceId: domainId,
        model: {
          hostName: host,
          // The customer certificate where it covers the host (certificateDnsNames); elsewhere
          // (an API with its own host) Front Door manages a certificate for the domain.
          tlsSettings:
            fd.certificateSecretId && certificateCovers(fd.certificateDnsNames ?? [], host)
              ? { certificateType: 'CustomerCertificate', minimumTlsVersion: 'TLS12', secret: { id: secretId } }
              : { certificateType: 'ManagedCertificate', minimumTlsVersion: 'TLS12' },
        },
      });
    }
    for (const host of hosts) {
      const slug = `${CHILD_PREFIX}${hostSlug(host)}`;
      out.push({
        kind: 'originGroup',
        name: slug,
        resourceId: `${profileId}/originGroups/${slug}`,
        model: {
          loadBalancingSettings: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
          sessionAffinityState: 'Disabled',
        },
      });
    }
    for (const host of hosts) {
      const slug = `${CHILD_PREFIX}${hostSlug(host)}`;
      const originName = `${CHILD_PREFIX}origin`;
      out.push({
        kind: 'origin',
        name: originName,
        parent: slug,
        resourceId: `${profileId}/originGroups/${slug}/origins/${originName}`,
        model: {
          hostName: host,
          httpPort: 80,
          httpsPort: 443,
          originHostHeader: host,
          priority: 1,
          weight: 1000,
          enabledState: 'Enabled',
          enforceCertificateNameCheck: true,
          sharedPrivateLinkResource: {
            privateLink: { id: privateLink.id },
            ...(privateLink.groupId ? { groupId: privateLink.groupId } : {}),
            privateLinkLocation: cluster.region,
            requestMessage: `aks-gitops: Front Door ${fd.profileName} for cluster ${cluster.name}`,
          },
        },
      });
    }
    for (const host of hosts) {
      const slug = `${CHILD_PREFIX}${hostSlug(host)}`;
      const patterns = [...(byHost.get(host) as Set<string>)]
        .sort(compareStrings)
        .flatMap((p) => (p === '/' ? ['/*'] : [p, `${p.replace(/\/+$/, '')}/*`]));
      out.push({
        kind: 'route',
        name: slug,
        parent: target.endpointName,
        resourceId: `${endpointId}/routes/${slug}`,
        model: {
          customDomains: [{ id: `${profileId}/customDomains/${slug}` }],
          originGroup: { id: `${profileId}/originGroups/${slug}` },
          supportedProtocols: ['Http', 'Https'],
          patternsToMatch: [...new Set(patterns)],
          forwardingProtocol: 'HttpsOnly',
          linkToDefaultDomain: 'Disabled',
          httpsRedirect: 'Enabled',
          enabledState: 'Enabled',
        },
      });
    }
    if (domainIds.length > 0) {
      const name = `${CHILD_PREFIX}waf`;
      out.push({
        kind: 'securityPolicy',
        name,
        resourceId: `${profileId}/securityPolicies/${name}`,
        model: {
          parameters: {
            type: 'WebApplicationFirewall',
            wafPolicy: { id: fd.wafPolicyId },
            associations: [{ domains: domainIds.map((id) => ({ id })), patternsToMatch: ['/*'] }],
          },
        },
      });
    }
    return new FrontDoorConfig(cluster.name, target, out);
  }

  private constructor(
    readonly cluster: string,
    readonly target: FrontDoorTarget,
    readonly resources: readonly FrontDoorResource[],
  ) {}

  get file(): string {
    return frontDoorFile(this.cluster);
  }

  /** The hosts Front Door serves, in order. */
  get hosts(): string[] {
    return this.resources
      .filter((r) => r.kind === 'customDomain')
      .map((r) => (r.model as AFDDomain).hostName as string);
  }
}
