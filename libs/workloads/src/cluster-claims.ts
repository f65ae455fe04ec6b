/** What constructs register in a cluster's ClusterRegistry: plain, JSON-safe claims other apps and the cluster-wide folders depend on. */

export type Protocol = 'TCP' | 'UDP';

/** A port a workload's pods listen on, as other pods and NetworkPolicies see it. */
export interface PodPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * What the registry knows about each declared workload, for cross-app wiring and checks. Plain
 * data: a record can be replayed from a previous run's claims (see `AppClaims`).
 */
export interface WorkloadRecord {
  readonly app: string;
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly PodPort[];
}

export interface CallClaim {
  readonly caller: WorkloadRecord;
  readonly targetApp: string;
  readonly targetWorkload?: string;
  readonly ports?: readonly number[];
  readonly field: string;
}

/**
 * A callee's consent: workload `workload` of app `app` accepts calls from app `from`. Without it a
 * call from `from` is an error, so the callee's owners review who may reach them (in their own
 * folder, where the allow rule is written).
 */
export interface AcceptClaim {
  readonly app: string;
  readonly workload: string;
  readonly from: string;
  readonly field: string;
}

export interface RouteClaim {
  readonly app: string;
  readonly workload: string;
  readonly host: string;
  readonly path: string;
  readonly field: string;
  /**
   * The API's own listener certificate for this host (L7Api `certificate`); absent when the host
   * is served with the cluster's shared listener certificate. On gateway-api clusters the baseline
   * syncs it from Key Vault and adds a listener for the host.
   */
  readonly certificate?: { readonly name: string; readonly dnsNames: readonly string[] };
  /** The WAF policy in front of this route (the app's own, or the cluster's), when there is one. */
  readonly wafPolicyId?: string;
}

/**
 * A ServiceAccount federated with a user-assigned identity (Azure workload identity): the IaC team
 * creates the federated credential (issuer = the cluster's OIDC issuer, subject
 * `system:serviceaccount:<namespace>:<serviceAccount>`) and, for `keyVaultSecrets`, the role
 * assignment on the cluster's Key Vault.
 */
export interface IdentityClaim {
  readonly app: string;
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly clientId: string;
  /** Whether it reads Key Vault secrets through the Secrets Store CSI driver. */
  readonly keyVaultSecrets: boolean;
}

export interface LoadBalancerClaim {
  readonly app: string;
  readonly workload: string;
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly field: string;
  /** The shared frontend (`sharedFrontends[].name`) this port is on; absent on a dedicated frontend. */
  readonly frontend?: string;
  /** How clients reach it (L4Service exposure mode). */
  readonly exposure?: 'private' | 'public-via-firewall';
  /** The container port behind the Service port. */
  readonly targetPort?: number;
  /** Who may connect (the Service's loadBalancerSourceRanges), for the traffic map. */
  readonly sourceRanges?: readonly string[];
}

/** A destination outside the cluster a workload may reach (its NetworkPolicy egress), for the traffic map. */
export interface EgressClaim {
  readonly app: string;
  readonly workload: string;
  /** A CIDR, or a description such as `public addresses (Entra ID)`. */
  readonly destination: string;
  /** `TCP 443`, ... */
  readonly ports: readonly string[];
}

/** A port published on the Azure Firewall by DNAT to an internal load balancer. */
export interface FirewallEndpoint {
  readonly app: string;
  readonly service: string;
  readonly namespace: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly firewallPublicIp: string;
  readonly firewallPort: number;
  readonly ilbIp: string;
  readonly servicePort: number;
  readonly sourceAddresses: readonly string[];
}

/**
 * One app's contribution to one cluster's registry, as plain JSON-safe data: everything other apps
 * and the cluster-wide folders (platform, azure, flux) need from it. Declaring the app produces
 * exactly these claims, so a synth that renders only some apps can replay the others' claims
 * (recorded by an earlier run from the same sources) instead of loading and declaring them.
 */
export interface AppClaims {
  /** Whether the app declared anything on this cluster (it gets a folder and a Flux Kustomization). */
  readonly deployed: boolean;
  readonly workloads: readonly Omit<WorkloadRecord, 'app'>[];
  readonly calls: readonly (Omit<CallClaim, 'caller'> & { readonly callerWorkload: string })[];
  /** The callers each of its workloads accepts (see AcceptClaim). */
  readonly accepts: readonly AcceptClaim[];
  readonly routes: readonly RouteClaim[];
  readonly loadBalancers: readonly LoadBalancerClaim[];
  readonly firewallEndpoints: readonly FirewallEndpoint[];
  readonly privateLinks: readonly PrivateLinkClaim[];
  readonly identities: readonly IdentityClaim[];
  readonly egress: readonly EgressClaim[];
}

export interface PrivateLinkClaim {
  readonly app: string;
  readonly workload: string;
  readonly ip: string;
  readonly field: string;
}
