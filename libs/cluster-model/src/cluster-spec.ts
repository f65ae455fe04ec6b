import type { FrontDoorSpec, FrontendAssignment, SharedFrontendSpec } from './topology-spec';

/**
 * What the platform knows about one AKS cluster. Apps never see raw network facts; constructs read
 * them from here so that the same app code routes through whatever front door each cluster has.
 */

export type Environment = 'dev' | 'test' | 'staging' | 'prod';
export const ENVIRONMENTS: readonly Environment[] = ['dev', 'test', 'staging', 'prod'];

/** The NetworkPolicy implementation on the cluster (AKS `networkPolicy`). */
export type NetworkPolicyEngine = 'cilium' | 'azure' | 'calico';
export const NETWORK_POLICY_ENGINES: readonly NetworkPolicyEngine[] = ['cilium', 'azure', 'calico'];

export interface SubnetSpec {
  /** Subnet name in the cluster VNet (used in `azure-load-balancer-internal-subnet`). */
  readonly name: string;
  /** Its address prefix, e.g. `10.240.4.0/28`. */
  readonly cidr: string;
}

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
  readonly internalLoadBalancerSubnet: SubnetSpec;
  /** Public IPs of the hub Azure Firewall; DNAT rules use the first unless a service picks another. */
  readonly firewallPublicIps: readonly string[];
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
  /** Managed AGC: the ApplicationLoadBalancer the Gateway binds to (`alb.networking.azure.io/alb-*`). */
  readonly alb?: { readonly namespace: string; readonly name: string };
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
   * In-cluster implementations only: put the gateway's LoadBalancer Service on this shared internal
   * frontend (`sharedFrontends[].name`), port 443. The annotations reach the Service through the
   * Gateway's `spec.infrastructure.annotations`. Default: the implementation's own load balancer.
   */
  readonly frontend?: string;
  /** Listener TLS from Key Vault through the Secrets Store CSI driver. */
  readonly tls: {
    /** Key Vault certificate name (fetched as objectType `secret`, so key and chain come together). */
    readonly certificateName: string;
    /** Client ID of the user-assigned identity federated with the gateway TLS ServiceAccount. */
    readonly clientId: string;
    /**
     * Image of the pod that mounts the CSI volume so the driver syncs the certificate into the
     * listener Secret (the driver only syncs while a pod mounts it). Default `registry.k8s.io/pause:3.10`.
     */
    readonly syncImage?: string;
  };
}

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
