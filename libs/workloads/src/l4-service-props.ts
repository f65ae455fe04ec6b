import type { Protocol } from './cluster-claims';
import type { ProbeAction } from './probes';
import type { WorkloadProps } from './workload-props';
import type { VolumeClaimSpec } from './zero-trust-workload-props';

export interface L4Port {
  /** Port name: lowercase, at most 15 characters, e.g. `mqtts`, `syslog-udp`. */
  readonly name: string;
  /** The port on the internal load balancer frontend (and the Service). */
  readonly port: number;
  /**
   * The container port.
   * @default `port`
   */
  readonly targetPort?: number;
  /**
   * TCP and UDP ports may be mixed in one service.
   * @default "TCP"
   */
  readonly protocol?: Protocol;
  /**
   * `public-via-firewall` only: the public port on the firewall.
   * @default `port`
   */
  readonly firewallPort?: number;
  /**
   * Not supported, and rejected with an explanation: every L4Service uses `externalTrafficPolicy:
   * Local`, under which the Azure load balancer probes kube-proxy's health check node port (HTTP
   * `/healthz`, "does this node have a ready pod?") for TCP and UDP rules alike and ignores the
   * per-port probe annotations (cloud-provider-azure `buildHealthProbeRulesForPort`; its
   * loadbalancer docs, probe table row "local"). The pod readiness probe (`health.readiness`) is
   * what decides which nodes receive traffic.
   * @default none (never set it)
   */
  readonly loadBalancerProbe?: never;
}

/** Reachable only from listed CIDRs inside the network (VNets, peered or on-premises ranges). */
export interface PrivateExposure {
  readonly mode: 'private';
  /** Client CIDRs; enforced by the LB's NSG (loadBalancerSourceRanges) and by the NetworkPolicy. */
  readonly allowedSources: readonly string[];
}

/**
 * Published on the Azure Firewall: Internet -> firewall public IP:port -> DNAT -> ILB IP:port.
 * Never a public load balancer (that breaks under forced tunnelling: asymmetric routing).
 */
export interface PublicViaFirewallExposure {
  readonly mode: 'public-via-firewall';
  /** Internet sources allowed by the DNAT rule: CIDRs or IPs, or `['*']` for everyone, explicitly. */
  readonly sourceAddresses: readonly string[];
  /**
   * Which firewall public IP.
   * @default the cluster's first firewall public IP
   */
  readonly firewallPublicIp?: string;
}

export type L4Exposure = PrivateExposure | PublicViaFirewallExposure;

export interface L4PrivateLink {
  /**
   * Subscriptions that may see the Private Link Service, or `['*']`.
   * @default [] (RBAC only)
   */
  readonly visibility?: readonly string[];
  /**
   * Subscriptions whose private endpoints are approved automatically (needs visibility `*`).
   * @default [] (every connection approved by hand)
   */
  readonly autoApproval?: readonly string[];
}

export interface L4Health {
  /**
   * Readiness probe. UDP-only services must set one.
   * @default TCP connect to the first TCP container port
   */
  readonly readiness?: ProbeAction;
  /**
   * Liveness probe.
   * @default the readiness probe
   */
  readonly liveness?: ProbeAction;
  /**
   * Startup probe for slow starters.
   * @default none (no startup probe)
   */
  readonly startup?: ProbeAction;
}

export interface L4ServiceProps extends WorkloadProps {
  readonly ports: readonly L4Port[];
  readonly exposure: L4Exposure;
  /**
   * Static private IP of the service's own (dedicated) internal load balancer frontend: an address,
   * or `{ offset }` from the start of the cluster's ILB subnet so one app definition fits every
   * cluster. Required unless the service is on a shared frontend; ignored while it is.
   * @default none (required on a dedicated frontend)
   */
  readonly address?: string | { readonly offset: number };
  /**
   * Join a shared internal frontend of the cluster (`sharedFrontends[].name` in the cluster spec)
   * instead of using a frontend of its own. The cluster's `frontendAssignments` overrides this per
   * app; on a cluster without that frontend the service uses `address`.
   * @default the cluster's assignment for this app, else a dedicated frontend at `address`
   */
  readonly frontend?: string;
  /**
   * Probes of the pod.
   * @default see L4Health (TCP connect to the first TCP port)
   */
  readonly health?: L4Health;
  /**
   * Persistent volumes: the workload becomes a StatefulSet with one claim per replica.
   * @default [] (a Deployment)
   */
  readonly volumes?: readonly VolumeClaimSpec[];
  /**
   * TCP idle timeout on the load balancer, minutes; AKS documents 4 to 30.
   * @default 4
   */
  readonly tcpIdleTimeoutMinutes?: number;
  /**
   * Also publish through a Private Link Service for consumers in other networks.
   * @default none (no Private Link Service)
   */
  readonly privateLink?: L4PrivateLink;
}
