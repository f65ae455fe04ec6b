import type { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { intRangeProblem } from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import type { PodPort } from './cluster-claims';
import { FieldErrors } from './errors';
import { addLoadBalancerService } from './internal-load-balancer-service';
import { L4_SERVICE_PROPS, rejectUnknownProps } from './known-props';
import type { L4ServiceProps } from './l4-service-props';
import { ingressRule, ipBlockPeer } from './network-peers';
import type { ProbeAction } from './probes';
import { privateLinkNatCidr, resolveSharedFrontend } from './shared-frontend';
import { resolveShutdown } from './shutdown';
import { resolveAddress, unique, validateCidrs, validatePorts, validatePrivateLink } from './validate-l4-service-props';
import { ZeroTrustWorkload } from './zero-trust-workload';

export type {
  L4Exposure,
  L4Health,
  L4Port,
  L4PrivateLink,
  L4ServiceProps,
  PrivateExposure,
  PublicViaFirewallExposure,
} from './l4-service-props';

/**
 * A TCP/UDP workload behind an internal Azure load balancer with a static private IP. Public
 * exposure goes through Azure Firewall DNAT (see `FirewallEndpoint` in the cluster registry);
 * NetworkPolicy admits exactly the sources that reach the pods in each mode.
 */
export class L4Service extends Construct {
  readonly name: string;
  readonly ip: string;
  /**
   * The hardened pod and the objects around it (ServiceAccount, NetworkPolicy, PDB, HPA, ConfigMap,
   * SecretProviderClass): escape hatches for `addJsonPatch`; the policy gate still checks the result.
   */
  readonly pod: ZeroTrustWorkload;
  /** Escape hatch: the LoadBalancer Service `<name>` on the internal load balancer. */
  readonly service: k8s.KubeService;

  /** Escape hatch: the Deployment `<name>` that runs the pods; absent with `volumes` (see `statefulSet`). */
  get deployment(): k8s.KubeDeployment | undefined {
    return this.pod.deployment;
  }

  /** Escape hatch: the StatefulSet `<name>` that runs the pods when the service has `volumes`. */
  get statefulSet(): k8s.KubeStatefulSet | undefined {
    return this.pod.statefulSet;
  }

  /** @deprecated renamed to `pod` (the Deployment or StatefulSet itself is `deployment` or `statefulSet`). */
  get workload(): ZeroTrustWorkload {
    return this.pod;
  }

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
    const ip = shared
      ? shared.address
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
        chart.registry.registerFirewallEndpoint({
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
      chart.registry.registerPrivateLink({ app: chart.app, workload: name, ip, field: `${prefix}.privateLink` });
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
    this.pod = new ZeroTrustWorkload(this, 'Workload', {
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
    this.ip = ip;
    const sourceRanges = unique(lbSourceRanges);
    for (const p of ports)
      chart.registry.claimLoadBalancerPort({
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

    this.service = addLoadBalancerService(this, {
      name,
      namespace: chart.namespace,
      labels: this.pod.labels,
      selector: this.pod.selector,
      cluster,
      app: chart.app,
      ip,
      shared,
      ports,
      sourceRanges: unique(lbSourceRanges),
      tcpIdleTimeoutMinutes: idle,
      privateLink: props.privateLink,
    });
  }
}
