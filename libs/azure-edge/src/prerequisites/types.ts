import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { PublicL4Endpoint } from '../public-l4-endpoint';

/**
 * What the IaC team must have in place in Azure for a cluster's generated manifests to carry
 * traffic: subnets and their delegations, the egress route through the firewall, the firewall's
 * public IPs, Key Vault certificates, WAF policies, federated credentials, role assignments and DNS
 * records. Derived from the cluster spec and from what the apps declare, so it stays in step with
 * the apps: an app with a workload identity adds its federated credential, a host adds its DNS
 * record. Every row says where the requirement comes from (`source`, a key of docs/azure-facts.md
 * or of the shared Azure reference) and, where the cluster spec cannot know a value, says so in
 * `fillIn` instead of guessing.
 */
export interface PrerequisiteInputs {
  /** Every L7 route host with the app it belongs to, the WAF policy in front of it and the API's own certificate, if any. */
  routes: ReadonlyArray<{
    app: string;
    host: string;
    wafPolicyId?: string;
    certificate?: { readonly name: string; readonly dnsNames: readonly string[] };
  }>;
  /** ServiceAccounts that use Azure workload identity. */
  identities: ReadonlyArray<{
    app: string;
    namespace: string;
    serviceAccount: string;
    clientId: string;
    keyVaultSecrets: boolean;
  }>;
  /** Internal load balancer frontends that get a Private Link Service. */
  privateLinks: ReadonlyArray<{ app: string; workload: string; ip: string }>;
  firewallEndpoints: readonly PublicL4Endpoint[];
  /** The gateway TLS sync ServiceAccount of a gateway-api cluster (`<namespace>/<name>`), if any. */
  gatewayTlsServiceAccount?: { namespace: string; name: string };
}

export const PREREQUISITES_KIND = 'aks-gitops.io/azure-prerequisites';
export const PREREQUISITES_JSON_FILE = 'prerequisites.json';
export const PREREQUISITES_MD_FILE = 'prerequisites.md';

/** The audience of every workload identity federated credential (Azure workload identity). */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

export interface SubnetRow {
  role: string;
  /** The subnet's resource ID, when the cluster spec holds it. */
  id?: string;
  name?: string;
  cidr: string;
  where: string;
  delegation?: string;
  privateLinkServiceNetworkPolicies?: 'Disabled';
  requirements: string[];
  usedBy: string[];
  source: string;
}
export interface RouteRow {
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
  associateWith: string;
  why: string;
  fillIn?: string;
  source: string;
}
export interface PublicIpRow {
  address: string;
  rules: string[];
  source: string;
}
/** `mustCover`: the hosts routed through the certificate's listener; `dnsNames`: the names the cluster spec (or the API) says it covers. */
export interface CertificateRow {
  keyVault: string;
  name: string;
  usedBy: string;
  mustCover: string[];
  dnsNames?: string[];
  readBy: string;
  source: string;
}
export interface WafRow {
  id: string;
  hosts: string[];
  attachedBy: string;
  source: string;
}
export interface FederatedCredentialRow {
  clientId: string;
  issuer?: string;
  subject: string;
  audience: string;
  for: string;
  fillIn?: string;
  source: string;
}
export interface RoleAssignmentRow {
  principal: string;
  role: string;
  scope: string;
  why: string;
  fillIn?: string;
  source: string;
}
/**
 * `zone`: `public` for what Internet clients resolve, `private` for a private DNS zone linked to
 * the VNets that reach the private frontend (split-horizon: same name, private address).
 */
export interface DnsRecordRow {
  host: string;
  zone: 'public' | 'private';
  type: 'A' | 'CNAME' | 'TXT';
  target?: string;
  fillIn?: string;
  apps: string[];
  source: string;
}

export interface Prerequisites {
  $comment: string;
  kind: typeof PREREQUISITES_KIND;
  version: 1;
  cluster: string;
  subscriptionId: string;
  region: string;
  subnets: SubnetRow[];
  routes: RouteRow[];
  firewall: { policyId: string; ruleCollectionGroup: string; priority: number; publicIps: PublicIpRow[] };
  certificates: CertificateRow[];
  wafPolicies: WafRow[];
  federatedCredentials: FederatedCredentialRow[];
  roleAssignments: RoleAssignmentRow[];
  dnsRecords: DnsRecordRow[];
}

/** What every section builder reads: the cluster, the apps' declarations and a few derived views. */
export interface PrerequisiteContext {
  readonly cluster: ClusterSpec;
  readonly inputs: PrerequisiteInputs;
  /** Every routed host, sorted. */
  readonly hosts: readonly string[];
  /** Application Gateway for Containers (gateway class `azure-alb-external`). */
  readonly agc: boolean;
  /** `Key Vault <name> (tenant <id>)`. */
  readonly kvScope: string;
  /** Apps with a route matching `pred`, sorted. */
  appsOf(pred: (r: PrerequisiteInputs['routes'][number]) => boolean): string[];
  /** Apps with a route on `host`, sorted (indexed: asked once per host). */
  appsOfHost(host: string): string[];
}
