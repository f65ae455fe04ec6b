import type { SubnetSpec } from './cluster-spec';

/**
 * One internal load balancer frontend that several LoadBalancer Services share: cloud-provider-azure
 * puts every Service that names the same `azure-load-balancer-ipv4` address on one frontend IP
 * configuration, each on its own ports (cloud-provider-azure "Multiple Services Sharing One IP
 * Address"). The cluster spec declares it; apps join it by name and never see its address.
 */
export interface SharedFrontendSpec {
  /** What apps and `frontendAssignments` call it, e.g. `shared-l4`. A DNS label. */
  readonly name: string;
  /** Static address inside `network.internalLoadBalancerSubnet` (not one of Azure's five reserved). */
  readonly address: string;
  /** Publish the frontend through one Private Link Service (every Service on it shares that PLS). */
  readonly privateLink?: SharedFrontendPrivateLink;
}

export interface SharedFrontendPrivateLink {
  /** PLS name (`azure-pls-name`). Front Door origins reference the PLS by resource ID, so it is fixed here. */
  readonly name: string;
  /**
   * The app whose Service on this frontend creates and owns the PLS. cloud-provider-azure tags the
   * Service that created a PLS as its owner and refuses PLS settings from any other Service on the
   * frontend, so exactly one Service carries the `azure-pls-*` annotations; the others share the
   * PLS without them. Fixed in the spec so ownership never moves when apps come and go.
   * Default: the in-cluster gateway when `l7.frontend` names this frontend (required otherwise).
   */
  readonly owner?: string;
  /** Resource group of the PLS (`azure-pls-resource-group`); default in cloud-provider-azure is the node resource group. */
  readonly resourceGroup: string;
  /**
   * The subnet that supplies the PLS NAT addresses (`azure-pls-ip-configuration-subnet`): consumers,
   * Front Door included, reach the pods from these addresses. Default: the ILB subnet.
   */
  readonly natSubnet?: SubnetSpec;
  /** Subscriptions that may see the PLS, or `['*']`. Default: RBAC only. */
  readonly visibility?: readonly string[];
  /** Subscriptions whose private endpoints are approved automatically (needs visibility `*`). */
  readonly autoApproval?: readonly string[];
}

/** Which frontend an app's L4 services use on this cluster: a shared frontend's name, or `dedicated`. */
export type FrontendAssignment = string;
export const DEDICATED_FRONTEND = 'dedicated';

/**
 * Azure Front Door Premium in front of every L7 host of the cluster: TLS and WAF at the edge, then
 * Private Link to a private origin, re-encrypted (HTTPS only, certificate name checked).
 */
export interface FrontDoorSpec {
  /** Resource group of the Front Door profile. */
  readonly resourceGroup: string;
  /**
   * The `Microsoft.Cdn/profiles` resource (SKU `Premium_AzureFrontDoor`: Private Link origins need
   * Premium). aks-gitops owns it: `edge apply` creates it with an owner tag and refuses a profile of
   * the same name that lacks the tag.
   */
  readonly profileName: string;
  /** Front Door WAF policy: `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/<name>`. */
  readonly wafPolicyId: string;
  readonly origin: FrontDoorOrigin;
  /**
   * Customer certificate for the custom domains: a Key Vault secret ID without version (Front Door
   * then follows the latest version). Default: Front Door managed certificates.
   */
  readonly certificateSecretId?: string;
  /**
   * The DNS names the `certificateSecretId` certificate covers: exact names or single-label
   * wildcards such as `*.contoso.com` (RFC 6125 6.4.3). Required with `certificateSecretId`: every
   * host Front Door serves must be covered, or synth fails, as on the other L7 paths.
   */
  readonly certificateDnsNames?: readonly string[];
}

/**
 * Application Gateway (WAF_v2, AGIC) through its Private Link configuration on the private frontend.
 * Microsoft documents two ways to name the target, and aks-gitops takes either (exactly one):
 * the Private Link Service the App Gateway's Private Link configuration created (its VNet lists it
 * under connected devices), or the App Gateway itself with the frontend IP configuration name as
 * the private link sub-resource (group ID). The cluster must route through the private frontend
 * (`l7.usePrivateIp`).
 */
export interface ApplicationGatewayOrigin {
  readonly kind: 'application-gateway';
  /** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/privateLinkServices/<name>`. */
  readonly privateLinkServiceId?: string;
  /** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/applicationGateways/<name>`, with `frontendIpConfiguration`. */
  readonly applicationGatewayId?: string;
  /** Name of the App Gateway's private frontend IP configuration (the group ID); only with `applicationGatewayId`. */
  readonly frontendIpConfiguration?: string;
}

/** A shared internal frontend with a Private Link Service, listening on 443 (an in-cluster gateway or an L4 service). */
export interface SharedFrontendOrigin {
  readonly kind: 'shared-frontend';
  /** Name of a `sharedFrontends` entry that declares `privateLink`. */
  readonly frontend: string;
}

export type FrontDoorOrigin = ApplicationGatewayOrigin | SharedFrontendOrigin;
