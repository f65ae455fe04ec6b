import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  cidrContainsIp,
  formatIpv4,
  guidProblem,
  intRangeProblem,
  isAzureReservedInSubnet,
  parseCidr,
  parseIpv4,
  portProblem,
} from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { PodPort, Protocol } from './cluster-registry';
import { FieldErrors } from './errors';
import { ingressRule, ipBlockPeer } from './network-peers';
import {
  ownsPrivateLink,
  privateLinkNatCidr,
  resolveSharedFrontend,
  sharedFrontendAnnotations,
} from './shared-frontend';
import type { ProbeAction } from './probes';
import { resolveShutdown } from './shutdown';
import type { WorkloadProps } from './workload-props';
import { VolumeClaimSpec, ZeroTrustWorkload } from './zero-trust-workload';
import { L4_SERVICE_PROPS, rejectUnknownProps } from './known-props';
import { AUTO_ADDRESS_PENDING } from './address-allocation';

export interface L4Port {
  /** Port name: lowercase, at most 15 characters, e.g. `mqtts`, `syslog-udp`. */
  readonly name: string;
  /** The port on the internal load balancer frontend (and the Service). */
  readonly port: number;
  /** The container port. Default: `port`. */
  readonly targetPort?: number;
  /** Default `TCP`. TCP and UDP ports may be mixed in one service. */
  readonly protocol?: Protocol;
  /** `public-via-firewall` only: the public port on the firewall. Default: `port`. */
  readonly firewallPort?: number;
  /**
   * Not supported, and rejected with an explanation: every L4Service uses `externalTrafficPolicy:
   * Local`, under which the Azure load balancer probes kube-proxy's health check node port (HTTP
   * `/healthz`, "does this node have a ready pod?") for TCP and UDP rules alike and ignores the
   * per-port probe annotations (cloud-provider-azure `buildHealthProbeRulesForPort`; its
   * loadbalancer docs, probe table row "local"). The pod readiness probe (`health.readiness`) is
   * what decides which nodes receive traffic.
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
  /** Which firewall public IP. Default: the cluster's first. */
  readonly firewallPublicIp?: string;
}

export type L4Exposure = PrivateExposure | PublicViaFirewallExposure;

export interface L4PrivateLink {
  /** Subscriptions that may see the Private Link Service, or `['*']`. Default: RBAC only. */
  readonly visibility?: readonly string[];
  /** Subscriptions whose private endpoints are approved automatically (needs visibility `*`). */
  readonly autoApproval?: readonly string[];
}

export interface L4Health {
  /** Default: TCP connect to the first TCP container port. UDP-only services must set one. */
  readonly readiness?: ProbeAction;
  /** Default: same as readiness. */
  readonly liveness?: ProbeAction;
  readonly startup?: ProbeAction;
}

export interface L4ServiceProps extends WorkloadProps {
  readonly ports: readonly L4Port[];
  readonly exposure: L4Exposure;
  /**
   * Static private IP of the service's own (dedicated) internal load balancer frontend: `'auto'`,
   * an address, or `{ offset }` from the start of the cluster's ILB subnet so one app definition
   * fits every cluster. `'auto'` lets synth allocate a free address of the ILB subnet and record it
   * in `clusters/<cluster>/azure/allocations.json` (committed), so it never moves when other apps
   * change (see address-allocation.ts). Required unless the service is on a shared frontend;
   * ignored while it is.
   */
  readonly address?: 'auto' | string | { readonly offset: number };
  /**
   * Join a shared internal frontend of the cluster (`sharedFrontends[].name` in the cluster spec)
   * instead of using a frontend of its own. The cluster's `frontendAssignments` overrides this per
   * app; on a cluster without that frontend the service uses `address`.
   * @default the cluster's assignment for this app, else a dedicated frontend at `address`
   */
  readonly frontend?: string;
  readonly health?: L4Health;
  /** Persistent volumes: the workload becomes a StatefulSet with one claim per replica. */
  readonly volumes?: readonly VolumeClaimSpec[];
  /** TCP idle timeout on the load balancer, minutes. Default 4; AKS documents 4 to 30. */
  readonly tcpIdleTimeoutMinutes?: number;
  /** Also publish through a Private Link Service for consumers in other networks. */
  readonly privateLink?: L4PrivateLink;
}

const LB = 'service.beta.kubernetes.io/';
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A TCP/UDP workload behind an internal Azure load balancer with a static private IP. Public
 * exposure goes through Azure Firewall DNAT (see `FirewallEndpoint` in the cluster registry);
 * NetworkPolicy admits exactly the sources that reach the pods in each mode.
 */
export class L4Service extends Construct {
  readonly name: string;
  private address: string;
  /** The frontend IP; with `address: 'auto'` known once the cluster's registry is finalized (before rendering). */
  get ip(): string {
    return this.address;
  }
  readonly workload: ZeroTrustWorkload;
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: L4ServiceProps) {
    super(scope, id);
    const chart = AppChart.containing(this);
    const cluster = chart.cluster;
    const name = props.name ?? chart.app;
    const prefix = `L4Service(${name})`;
    const errs = new FieldErrors(chart, prefix);
    rejectUnknownProps('L4Service', props, L4_SERVICE_PROPS, errs);
    const ports = validatePorts(props.ports, errs);
    const shared = resolveSharedFrontend(cluster, chart.app, props.frontend);
    if (!shared && props.address === undefined) {
      throw errs.error(
        'address',
        props.frontend !== undefined
          ? `is not set and cluster ${cluster.name} has no shared frontend "${props.frontend}" for this app`
          : 'is not set',
        'give the service its own address ({ offset: N } in the ILB subnet), or join a shared frontend of the cluster (frontend prop or frontendAssignments)',
      );
    }
    const auto = !shared && props.address === 'auto';
    // An 'auto' address is allocated once every app of the cluster is declared (ClusterRegistry.finalize).
    const ip = shared
      ? shared.address
      : auto
        ? AUTO_ADDRESS_PENDING
        : resolveAddress(
            props.address,
            cluster.network.internalLoadBalancerSubnet.cidr,
            cluster.network.internalLoadBalancerSubnet.name,
            errs,
          );
    const exposure = props.exposure;
    const idle = props.tcpIdleTimeoutMinutes ?? 4;
    errs.check('tcpIdleTimeoutMinutes', intRangeProblem(idle, 4, 30), 'use 4 to 30 minutes (the range AKS documents)');

    const ilbCidr = cluster.network.internalLoadBalancerSubnet.cidr;
    let sources: string[];
    let lbSourceRanges: string[];
    if (exposure?.mode === 'private') {
      sources = validateCidrs(exposure.allowedSources, 'exposure.allowedSources', errs, false);
      lbSourceRanges = sources;
    } else if (exposure?.mode === 'public-via-firewall') {
      validateCidrs(exposure.sourceAddresses, 'exposure.sourceAddresses', errs, true);
      const fwIp = exposure.firewallPublicIp ?? cluster.network.firewallPublicIps[0];
      if (!cluster.network.firewallPublicIps.includes(fwIp)) {
        throw errs.error(
          'exposure.firewallPublicIp',
          `${fwIp} is not a public IP of the cluster's firewall (${cluster.network.firewallPublicIps.join(', ')})`,
          'pick one of the firewall public IPs, or omit it to use the first',
        );
      }
      // Azure Firewall SNATs DNAT'ed traffic to its own subnet: that is the source pods see.
      sources = [cluster.network.firewallSubnetCidr];
      lbSourceRanges = sources;
      for (const p of ports) {
        chart.registry.firewallEndpoints.push({
          app: chart.app,
          service: name,
          namespace: chart.namespace,
          portName: p.name,
          protocol: p.protocol,
          firewallPublicIp: fwIp,
          firewallPort: p.firewallPort,
          ilbIp: ip,
          servicePort: p.port,
          sourceAddresses: [...exposure.sourceAddresses],
        });
      }
    } else {
      throw errs.error(
        'exposure.mode',
        `${JSON.stringify((exposure as { mode?: unknown } | undefined)?.mode)} is not an exposure mode`,
        'use { mode: "private", allowedSources: [...] } or { mode: "public-via-firewall", sourceAddresses: [...] }',
      );
    }
    if (props.privateLink) {
      validatePrivateLink(props.privateLink, errs);
      if (cluster.network.internalLoadBalancerSubnet.privateLinkServiceNetworkPoliciesDisabled !== true) {
        throw errs.error(
          'privateLink',
          `needs the NAT subnet ${cluster.network.internalLoadBalancerSubnet.name} (the cluster's ILB subnet) to have privateLinkServiceNetworkPolicies: Disabled, which cluster ${cluster.name} does not declare; Azure refuses to create the Private Link Service otherwise (learn.microsoft.com/azure/private-link/disable-private-link-service-network-policy)`,
          'have the subnet updated (az network vnet subnet update --disable-private-link-service-network-policies true), then set network.internalLoadBalancerSubnet.privateLinkServiceNetworkPoliciesDisabled: true in the cluster spec',
        );
      }
      chart.registry.privateLinks.push({ app: chart.app, workload: name, ip, field: `${prefix}.privateLink` });
      // The PLS source-NATs consumers to addresses in its subnet (here the ILB subnet).
      sources = [...sources, ilbCidr];
      lbSourceRanges = [...lbSourceRanges, ilbCidr];
    }

    const natCidr = shared && privateLinkNatCidr(cluster, shared);
    if (natCidr) {
      // The shared frontend's PLS source-NATs its consumers (Front Door included) into its NAT subnet.
      sources = [...sources, natCidr];
      lbSourceRanges = [...lbSourceRanges, natCidr];
    }

    const tcpTargets = ports.filter((p) => p.protocol === 'TCP').map((p) => p.targetPort);
    const health = props.health ?? {};
    if (!health.readiness && tcpTargets.length === 0) {
      throw errs.error(
        'health.readiness',
        'is not set and the service has no TCP port, so no TCP probe can check it',
        'add an HTTP probe on a health port, or an exec or gRPC probe, e.g. health: { readiness: { http: { path: "/healthz", port: 8080 } } }',
      );
    }
    const readiness: ProbeAction = health.readiness ?? { tcp: { port: tcpTargets[0] } };
    const podPorts: PodPort[] = ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol }));
    const shutdown = resolveShutdown(props.shutdown, 'load-balancer', cluster, errs);
    this.workload = new ZeroTrustWorkload(this, 'Workload', {
      ...props,
      name,
      component: 'l4-service',
      fieldPrefix: prefix,
      ports: podPorts,
      readiness,
      liveness: health.liveness ?? readiness,
      ...(health.startup ? { startup: health.startup } : {}),
      ingress: [ingressRule(unique(sources).map(ipBlockPeer), podPorts)],
      resolvedShutdown: shutdown,
    });
    this.name = name;
    this.address = ip;
    if (!shared)
      chart.registry.addresses.push({ app: chart.app, workload: name, ip, auto, field: `${prefix}.address` });
    const sourceRanges = unique(lbSourceRanges);
    for (const p of ports)
      chart.registry.loadBalancers.push({
        app: chart.app,
        workload: name,
        ip,
        port: p.port,
        protocol: p.protocol,
        field: `${prefix}.ports[${p.index}]`,
        sourceRanges,
        ...(shared ? { frontend: shared.name } : {}),
        exposure: exposure.mode,
        targetPort: p.targetPort,
      });

    const annotations: Record<string, string> = shared
      ? sharedFrontendAnnotations(cluster, shared, ownsPrivateLink(cluster, shared, chart.app))
      : {
          [`${LB}azure-load-balancer-internal`]: 'true',
          [`${LB}azure-load-balancer-internal-subnet`]: cluster.network.internalLoadBalancerSubnet.name,
          // The annotation, not spec.loadBalancerIP (deprecated upstream, no dual-stack).
          [`${LB}azure-load-balancer-ipv4`]: ip,
          // Without it the default NSG rule lets the whole VNet reach an internal LB.
          [`${LB}azure-deny-all-except-load-balancer-source-ranges`]: 'true',
        };
    if (tcpTargets.length) annotations[`${LB}azure-load-balancer-tcp-idle-timeout`] = String(idle);
    // No port_<port>_health-probe_* annotations: under externalTrafficPolicy Local the load balancer
    // probes the health check node port and ignores them (see L4Port.loadBalancerProbe).
    if (props.privateLink) {
      const pl = props.privateLink;
      annotations[`${LB}azure-pls-create`] = 'true';
      // Azure names end with a letter, digit or "_": cutting at 80 characters can leave a "-".
      annotations[`${LB}azure-pls-name`] = `pls-${cluster.name}-${chart.app}-${name}`.slice(0, 80).replace(/-+$/, '');
      annotations[`${LB}azure-pls-ip-configuration-subnet`] = cluster.network.internalLoadBalancerSubnet.name;
      if (pl.visibility?.length) annotations[`${LB}azure-pls-visibility`] = pl.visibility.join(' ');
      if (pl.autoApproval?.length) annotations[`${LB}azure-pls-auto-approval`] = pl.autoApproval.join(' ');
    }
    if (auto) {
      chart.registry.onFinalize(() => {
        this.address = chart.registry.addressOf(chart.app, name) ?? ip;
        this.service.metadata.addAnnotation(`${LB}azure-load-balancer-ipv4`, this.address);
      });
    }
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace: chart.namespace, labels: this.workload.labels, annotations },
      spec: {
        type: 'LoadBalancer',
        // Local keeps the client source address, so source allow-lists see real sources.
        externalTrafficPolicy: 'Local',
        loadBalancerSourceRanges: unique(lbSourceRanges),
        selector: this.workload.selector,
        ports: ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: k8s.IntOrString.fromNumber(p.targetPort),
          protocol: p.protocol,
        })),
      },
    });
  }
}

interface NormalizedPort {
  index: number;
  name: string;
  port: number;
  targetPort: number;
  protocol: Protocol;
  firewallPort: number;
}

function validatePorts(ports: readonly L4Port[] | undefined, errs: FieldErrors): NormalizedPort[] {
  if (!Array.isArray(ports) || ports.length === 0)
    throw errs.error('ports', 'is empty', 'list at least one port, e.g. [{ name: "mqtts", port: 8883 }]');
  const names = new Set<string>();
  const keys = new Set<string>();
  return ports.map((p, i) => {
    const f = (s: string) => `ports[${i}].${s}`;
    // IANA service name, as Kubernetes validates port names: also no "--".
    if (
      typeof p?.name !== 'string' ||
      p.name.length > 15 ||
      !PORT_NAME.test(p.name) ||
      !/[a-z]/.test(p.name) ||
      p.name.includes('--')
    ) {
      throw errs.error(
        f('name'),
        `${JSON.stringify(p?.name)} is not a port name`,
        'use at most 15 lowercase letters, digits and single "-", with at least one letter',
      );
    }
    if (names.has(p.name)) throw errs.error(f('name'), `"${p.name}" is used twice`, 'give every port its own name');
    names.add(p.name);
    errs.check(f('port'), portProblem(p.port), 'use 1-65535');
    const targetPort = p.targetPort ?? p.port;
    errs.check(f('targetPort'), portProblem(targetPort), 'use 1-65535');
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP')
      throw errs.error(f('protocol'), `${JSON.stringify(p.protocol)} is not TCP or UDP`, 'use "TCP" or "UDP"');
    const key = `${p.port}/${protocol}`;
    if (keys.has(key)) throw errs.error(f('port'), `${key} is listed twice`, 'list each port and protocol once');
    keys.add(key);
    const firewallPort = p.firewallPort ?? p.port;
    errs.check(f('firewallPort'), portProblem(firewallPort), 'use 1-65535');
    if ((p as { loadBalancerProbe?: unknown }).loadBalancerProbe !== undefined) {
      throw errs.error(
        f('loadBalancerProbe'),
        "would be ignored: with externalTrafficPolicy Local (every L4Service) the Azure load balancer probes kube-proxy's health check node port (HTTP /healthz: does the node have a ready pod?) and ignores per-port probe settings (cloud-provider-azure, buildHealthProbeRulesForPort)",
        'drop loadBalancerProbe and put the check in health.readiness: a pod that fails it leaves the endpoints, and its node then fails the load balancer probe',
      );
    }
    return { index: i, name: p.name, port: p.port, targetPort, protocol, firewallPort };
  });
}

function resolveAddress(
  address: L4ServiceProps['address'],
  subnetCidr: string,
  subnetName: string,
  errs: FieldErrors,
): string {
  const subnet = parseCidr(subnetCidr);
  if (!subnet)
    throw errs.error('address', `the cluster ILB subnet ${subnetCidr} is not a CIDR`, 'fix the cluster spec');
  let ip: number | undefined;
  if (typeof address === 'string') {
    ip = parseIpv4(address);
    if (ip === undefined)
      throw errs.error(
        'address',
        `${JSON.stringify(address)} is not an IPv4 address`,
        `use 'auto', a free address in ${subnetName} (${subnetCidr}), or { offset: N }`,
      );
  } else if (address && typeof address === 'object' && Number.isInteger(address.offset)) {
    ip = subnet.base + address.offset;
  } else {
    throw errs.error(
      'address',
      `${JSON.stringify(address)} is neither 'auto', an IPv4 address nor { offset: N }`,
      `use 'auto', a free address in ${subnetName} (${subnetCidr}), or { offset: N }`,
    );
  }
  // Name the offset too: formatIpv4 wraps past 255.255.255.255, so a huge offset would print an
  // address that looks inside the subnet.
  const shown =
    typeof address === 'string'
      ? address
      : `offset ${address.offset} (${ip >= 0 && ip < 2 ** 32 ? formatIpv4(ip) : 'past the end of IPv4'})`;
  if (!cidrContainsIp(subnet, ip))
    throw errs.error(
      'address',
      `${shown} is outside the ILB subnet ${subnetName} (${subnetCidr})`,
      `use an address inside ${subnetCidr}, i.e. an offset from 4 to ${2 ** (32 - subnet.prefix) - 2}`,
    );
  if (isAzureReservedInSubnet(subnet, ip))
    throw errs.error(
      'address',
      `${formatIpv4(ip)} is reserved by Azure in ${subnetCidr} (the first four and the last address)`,
      'pick another address (offset 4 or more, not the last)',
    );
  return formatIpv4(ip);
}

function validateCidrs(
  list: readonly string[] | undefined,
  field: string,
  errs: FieldErrors,
  allowStar: boolean,
): string[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw errs.error(
      field,
      'is empty',
      allowStar
        ? 'list the Internet sources allowed, or ["*"] to allow everyone explicitly'
        : 'list the client CIDRs that may connect',
    );
  }
  return list.map((s, i) => {
    if (allowStar && s === '*') {
      if (list.length > 1)
        throw errs.error(`${field}[${i}]`, '"*" is combined with other sources', 'use either ["*"] or a list of CIDRs');
      return s;
    }
    const cidr =
      typeof s === 'string' && s.includes('/')
        ? parseCidr(s)
        : parseIpv4(s) !== undefined
          ? parseCidr(`${s}/32`)
          : undefined;
    if (!cidr)
      throw errs.error(
        `${field}[${i}]`,
        `${JSON.stringify(s)} is not an IPv4 address or CIDR with its host bits zero`,
        'write e.g. "192.168.10.0/24"',
      );
    if (cidr.prefix === 0)
      throw errs.error(
        `${field}[${i}]`,
        `${s} allows every address`,
        allowStar
          ? 'use ["*"] to say so explicitly, or narrow it'
          : 'a private service lists the networks that may reach it; narrow the CIDR',
      );
    return cidr.text;
  });
}

function validatePrivateLink(pl: L4PrivateLink, errs: FieldErrors): void {
  (pl.visibility ?? []).forEach((v, i) => {
    if (v !== '*') errs.check(`privateLink.visibility[${i}]`, guidProblem(v), 'list subscription GUIDs, or "*"');
  });
  (pl.autoApproval ?? []).forEach((v, i) =>
    errs.check(`privateLink.autoApproval[${i}]`, guidProblem(v), 'list subscription GUIDs'),
  );
  if (pl.autoApproval?.length && !(pl.visibility ?? []).includes('*')) {
    throw errs.error(
      'privateLink.autoApproval',
      'is set but visibility is not "*"',
      'auto-approval only works with visibility ["*"] (cloud-provider-azure); set both or drop autoApproval',
    );
  }
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
