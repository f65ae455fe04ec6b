import type { FrontDoorSpec, FrontendAssignment, SharedFrontendSpec } from './topology-spec';

/**
 * What the platform knows about one AKS cluster. Apps never see raw network facts; constructs read
 * them from here so that the same app code routes through whatever front door each cluster has.
 */

export type Environment = 'dev' | 'test' | 'staging' | 'prod';
export const ENVIRONMENTS: readonly Environment[] = ['dev', 'test', 'staging', 'prod'];

/**
 * The NetworkPolicy implementation on the cluster (AKS `networkPolicy`): `cilium` (Azure CNI
 * Powered by Cilium, `networkDataplane: cilium`), `azure` (Azure Network Policy Manager, NPM) or
 * `calico`. Combinations with `network.plugin` that AKS does not support are errors
 * (see `networkModelProblems` in validate-network-model.ts).
 */
export type NetworkPolicyEngine = 'cilium' | 'azure' | 'calico';
export const NETWORK_POLICY_ENGINES: readonly NetworkPolicyEngine[] = ['cilium', 'azure', 'calico'];

export interface SubnetSpec {
  /** Subnet name in the cluster VNet (used in `azure-load-balancer-internal-subnet`). */
  readonly name: string;
  /** Its address prefix, e.g. `10.240.4.0/28`. */
  readonly cidr: string;
}

/** The internal load balancer subnet, which is also the NAT subnet of any Private Link Service. */
export interface InternalLoadBalancerSubnet extends SubnetSpec {
  /**
   * Whether the subnet has `privateLinkServiceNetworkPolicies: Disabled`, which Azure requires of
   * the subnet that supplies a Private Link Service's NAT IPs (learn.microsoft.com/azure/private-link/
   * disable-private-link-service-network-policy). An L4Service with `privateLink` is rejected on a
   * cluster that does not declare it, because the PLS would fail to provision.
   * @default false
   */
  readonly privateLinkServiceNetworkPoliciesDisabled?: boolean;
}

/**
 * How pods get their IPs (AKS `networkPlugin` + `networkPluginMode`):
 * - `azure-cni-overlay`: Azure CNI Overlay (`--network-plugin azure --network-plugin-mode overlay`),
 *   pod IPs from a private CIDR outside the VNet;
 * - `azure-cni-pod-subnet`: Azure CNI with dynamic IP allocation from a dedicated pod subnet;
 * - `azure-cni-node-subnet`: legacy Azure CNI, pods take IPs from the node subnet;
 * - `kubenet` (retiring on AKS): pod IPs behind node routes.
 * AGIC works with all four: on kubenet it associates the AKS route table with the App Gateway
 * subnet at start-up (or you do), on Overlay it needs AGIC 1.8.0 or later (it then creates an
 * `OverlayExtensionConfig`). Application Gateway for Containers needs Azure CNI (Overlay: a /24
 * association subnet, ALB Controller 1.5.0 or later). Sources in docs/azure-facts.md.
 */
export type NetworkPlugin = 'azure-cni-overlay' | 'azure-cni-pod-subnet' | 'azure-cni-node-subnet' | 'kubenet';
export const NETWORK_PLUGINS: readonly NetworkPlugin[] = [
  'azure-cni-overlay',
  'azure-cni-pod-subnet',
  'azure-cni-node-subnet',
  'kubenet',
];

export interface ClusterNetwork {
  /** The cluster VNet address space; every other CIDR here must sit inside it. */
  readonly vnetCidr: string;
  /**
   * Where L7 traffic comes from when it reaches a pod: the Application Gateway subnet (AGIC sends
   * straight to pod IPs) or the Application Gateway for Containers association subnet. Pod
   * NetworkPolicies admit exactly this CIDR on the container port.
   */
  readonly l7SourceCidr: string;
  /**
   * The AzureFirewallSubnet. Azure Firewall SNATs DNAT'ed traffic to an address in this subnet, so
   * pods behind a `public-via-firewall` L4Service see it as the source.
   */
  readonly firewallSubnetCidr: string;
  /** The subnet that holds every internal load balancer frontend of the cluster. */
  readonly internalLoadBalancerSubnet: InternalLoadBalancerSubnet;
  /** Public IPs of the hub Azure Firewall; DNAT rules use the first unless a service picks another. */
  readonly firewallPublicIps: readonly string[];
  /** The network plugin and mode the cluster was created with; validated against `networkPolicyEngine` and the L7 provider. */
  readonly plugin: NetworkPlugin;
  /** `azure-cni-pod-subnet` only (and required there): the pod subnet's CIDR, inside the VNet. */
  readonly podSubnetCidr?: string;
  /**
   * AKS LocalDNS on the node pools: pods then resolve through a node-local proxy on 169.254.10.10 /
   * 169.254.10.11 instead of the CoreDNS pods, and every DNS egress rule also allows those
   * addresses (learn.microsoft.com/azure/aks/localdns-custom). AKS Standard applies LocalDNS mode
   * `Preferred` by default from Kubernetes 1.37, so the default follows the version.
   * @default true from kubernetesVersion 1.37, false before
   */
  readonly localDns?: boolean;
}

/** AGIC: Application Gateway (WAF_v2) programmed from Ingress objects. */
export interface AgicProvider {
  readonly kind: 'agic';
  /** Defaults to `azure-application-gateway`, the AGIC Helm chart's IngressClass. */
  readonly ingressClassName?: string;
  /**
   * Name of the listener certificate installed on the Application Gateway from a Key Vault
   * (unversioned) secret ID; referenced by `appgw.ingress.kubernetes.io/appgw-ssl-certificate`.
   * The private key never enters the cluster or git.
   */
  readonly sslCertificate: string;
  /**
   * The DNS names (subject alternative names) the `sslCertificate` covers: exact names or
   * single-label wildcards such as `*.contoso.com` (RFC 6125 6.4.3). Every route host on the
   * cluster that does not bring its own certificate must be covered, or synth fails.
   */
  readonly sslCertificateDnsNames: readonly string[];
  /** Name of the App Gateway trusted root certificate for `backend-protocol: https` (end-to-end TLS). */
  readonly trustedRootCertificate?: string;
  /** WAF policy resource ID applied per Ingress path (`waf-policy-for-path`); apps may name their own. */
  readonly wafPolicyId?: string;
  /** Route through the gateway's private frontend (`use-private-ip`). Default false. */
  readonly usePrivateIp?: boolean;
}

/** Gateway API: one shared Gateway per cluster, apps attach HTTPRoutes to it. */
export interface GatewayApiProvider {
  readonly kind: 'gateway-api';
  /** `azure-alb-external` for Application Gateway for Containers, or an in-cluster class such as `istio`. */
  readonly gatewayClassName: string;
  /** The shared Gateway that the cluster baseline creates and every HTTPRoute attaches to. */
  readonly gateway: { readonly namespace: string; readonly name: string; readonly listener: string };
  /**
   * How Application Gateway for Containers is deployed. Required when `gatewayClassName` is
   * `azure-alb-external`, not allowed otherwise.
   */
  readonly agc?: AgcDeployment;
  /**
   * Labels of the in-cluster gateway pods. Set this for in-cluster implementations: NetworkPolicies
   * then admit those pods (in `gateway.namespace`) instead of `network.l7SourceCidr`.
   */
  readonly gatewayPodLabels?: Readonly<Record<string, string>>;
  /**
   * Application Gateway for Containers WAF policy resource ID, attached to each HTTPRoute through a
   * `WebApplicationFirewallPolicy` (alb.networking.azure.io/v1); apps may name their own.
   */
  readonly wafPolicyId?: string;
  /**
   * In-cluster gateways only: the WAF that protects them sits in front of their load balancer
   * (e.g. an Application Gateway WAF_v2 or Front Door), outside what the cluster can express.
   * Every HTTPRoute then carries a waiver of the policy rules l7-waf / l7-waf-in-prod with this
   * reason, visible in the gate's report. Not allowed with Application Gateway for Containers,
   * which takes `wafPolicyId`.
   */
  readonly externalWaf?: { readonly reason: string };
  /**
   * In-cluster implementations only: put the gateway's LoadBalancer Service on this shared internal
   * frontend (`sharedFrontends[].name`), port 443. The annotations reach the Service through the
   * Gateway's `spec.infrastructure.annotations`. Default: the implementation's own load balancer.
   */
  readonly frontend?: string;
  /**
   * Application Gateway for Containers only: how AGC verifies the pod's certificate behind
   * `backendProtocol: 'https'`, as `l7.trustedRootCertificate` does on AGIC. Required when an
   * API on the cluster uses https to its pods (see backend-ca.ts in libs/workloads).
   */
  readonly backendCa?: AgcBackendCa;
  /** Listener TLS from Key Vault through the Secrets Store CSI driver. */
  readonly tls: {
    /** Key Vault certificate name (fetched as objectType `secret`, so key and chain come together). */
    readonly certificateName: string;
    /**
     * The DNS names (subject alternative names) the listener certificate covers: exact names or
     * single-label wildcards such as `*.dev.contoso.com` (RFC 6125 6.4.3). Every route host on the
     * cluster that does not bring its own certificate must be covered, or synth fails.
     */
    readonly dnsNames: readonly string[];
    /** Client ID of the user-assigned identity federated with the gateway TLS ServiceAccount. */
    readonly clientId: string;
    /**
     * Image of the pod that mounts the CSI volume so the driver syncs the certificate into the
     * listener Secret (the driver only syncs while a pod mounts it). Default `registry.k8s.io/pause:3.10`.
     */
    readonly syncImage?: string;
  };
}

/**
 * The CA that signs the pods' certificates, for AGC's BackendTLSPolicy `verify.caCertificateRef`
 * (which names a Secret with key `ca.crt` in the API's namespace; ALB Controller API
 * alb.networking.azure.io/v1). Nothing comes from git: each https API's namespace gets a
 * SecretProviderClass that syncs the certificate's public part (objectType `cert`) from Key Vault
 * into that Secret while the API's pods mount it.
 */
export interface AgcBackendCa {
  /** Certificate in the cluster's `keyVault` holding the CA certificate (imported without its private key). */
  readonly certificateName: string;
  /**
   * Client ID of a user-assigned identity that may read only that certificate (Key Vault
   * Certificate User scoped to it); federated with the ServiceAccount of every https API.
   */
  readonly clientId: string;
}

/**
 * ALB Controller managed: the cluster baseline creates the `ApplicationLoadBalancer`
 * (alb.networking.azure.io/v1) and the ALB Controller creates the AGC resource, its frontend and
 * its subnet association from it; the Gateway names it through `alb.networking.azure.io/alb-namespace`
 * and `alb-name` (learn.microsoft.com/azure/application-gateway/for-containers/
 * quickstart-create-application-gateway-for-containers-managed-by-alb-controller).
 */
export interface AgcManaged {
  readonly deployment: 'managed';
  /** Namespace of the ApplicationLoadBalancer object (created by the baseline). */
  readonly namespace: string;
  /** Name of the ApplicationLoadBalancer object. */
  readonly name: string;
  /**
   * Resource ID of the association subnet (delegated to `Microsoft.ServiceNetworking/trafficControllers`,
   * /24 or larger; exactly /24 with Azure CNI Overlay). Its CIDR is `network.l7SourceCidr`.
   */
  readonly associationSubnetId: string;
}

/**
 * Bring your own: the AGC resource, its frontend and its association are created outside the
 * cluster (IaC); the Gateway carries `alb.networking.azure.io/alb-id` and names the frontend in
 * `spec.addresses` with type `alb.networking.azure.io/alb-frontend`.
 */
export interface AgcBringYourOwn {
  readonly deployment: 'bring-your-own';
  /** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ServiceNetworking/trafficControllers/<name>` */
  readonly resourceId: string;
  /** Name of the AGC frontend the shared Gateway uses (one frontend per Gateway). */
  readonly frontendName: string;
}

export type AgcDeployment = AgcManaged | AgcBringYourOwn;

export type L7Provider = AgicProvider | GatewayApiProvider;
export type L7ProviderKind = L7Provider['kind'];

export interface FluxSource {
  /** Git URL Flux pulls (https:// or ssh://). */
  readonly url: string;
  /** Branch to track. */
  readonly branch: string;
}

export interface AzureFirewallTarget {
  /**
   * Full resource ID of the Firewall Policy that receives this cluster's DNAT rule collection group:
   * `/subscriptions/<hub-sub>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<name>`.
   * In hub-and-spoke the policy lives in the hub's subscription, which is usually not the cluster's
   * (`subscriptionId`); `edge` talks to ARM in the policy's subscription.
   */
  readonly policyId: string;
  /**
   * Priority of this cluster's DNAT rule collection group (100..65000). Azure processes the groups
   * of one Firewall Policy by priority, so clusters sharing a policy need distinct priorities;
   * clusters on different policies may use the same one.
   */
  readonly ruleCollectionGroupPriority: number;
}

export interface KeyVaultRef {
  readonly name: string;
  readonly tenantId: string;
}

export interface ClusterSpec {
  /** Cluster name; also the folder under `clusters/` and `flux/`. DNS label, <= 40 chars. */
  readonly name: string;
  readonly environment: Environment;
  /** Azure region, e.g. `westeurope`. */
  readonly region: string;
  /** Kubernetes minor version, e.g. `1.30`; pins the Pod Security admission version. */
  readonly kubernetesVersion: string;
  readonly subscriptionId: string;
  readonly network: ClusterNetwork;
  readonly networkPolicyEngine: NetworkPolicyEngine;
  readonly l7: L7Provider;
  readonly keyVault: KeyVaultRef;
  readonly firewall: AzureFirewallTarget;
  readonly flux: FluxSource;
  /** Internal LB frontends several apps share (see topology-spec.ts). Default: none. */
  readonly sharedFrontends?: readonly SharedFrontendSpec[];
  /**
   * Which frontend each app's L4 services use on this cluster, by app name: a shared frontend's
   * name or `dedicated`. It overrides the app's own `frontend` prop, so an app moves between a
   * dedicated and a shared frontend without a change to its code. Default: what the app asks for.
   */
  readonly frontendAssignments?: Readonly<Record<string, FrontendAssignment>>;
  /** Azure Front Door Premium in front of every L7 host of the cluster. Default: none. */
  readonly frontDoor?: FrontDoorSpec;
  /**
   * Registries this cluster may pull images from: a registry host (`contoso.azurecr.io`) or a host
   * with a repository path prefix (`ghcr.io/contoso`), matched by host and whole path segments,
   * never by substring (see registry-pattern.ts). Any other image is a policy error on prod clusters
   * and a warning elsewhere (rule `image-registry`), waivable with a reason.
   */
  readonly allowedRegistries: readonly string[];
  /**
   * The cluster's OIDC issuer URL (`az aks show --query oidcIssuerProfile.issuerUrl`), the issuer of
   * every workload identity federated credential. Optional: without it the generated
   * prerequisites name the field for the IaC team to fill in instead of the URL.
   */
  readonly oidcIssuerUrl?: string;
}
