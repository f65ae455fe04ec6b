import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterSpec, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import type { L4PrivateLink } from './l4-service-props';
import { ownsPrivateLink, sharedFrontendAnnotations } from './shared-frontend';
import type { NormalizedPort } from './validate-l4-service-props';

const LB = 'service.beta.kubernetes.io/';

/** What the L4Service's LoadBalancer Service is made of: its frontend, ports, sources and Private Link. */
export interface LoadBalancerServiceInput {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly cluster: ClusterSpec;
  readonly app: string;
  /** The frontend IP (the shared frontend's address when `shared` is set). */
  readonly ip: string;
  readonly shared?: SharedFrontendSpec;
  readonly ports: readonly NormalizedPort[];
  /** loadBalancerSourceRanges: who may connect. */
  readonly sourceRanges: readonly string[];
  readonly tcpIdleTimeoutMinutes: number;
  readonly privateLink?: L4PrivateLink;
}

/**
 * The Service `<name>` of type LoadBalancer on the cluster's internal load balancer: a dedicated
 * frontend at a static private IP in the ILB subnet, or a shared frontend of the cluster; only
 * `sourceRanges` may connect, client source addresses are kept (externalTrafficPolicy Local).
 */
export function addLoadBalancerService(scope: Construct, p: LoadBalancerServiceInput): k8s.KubeService {
  const { cluster, shared, ip, name, ports } = p;
  const annotations: Record<string, string> = shared
    ? sharedFrontendAnnotations(cluster, shared, ownsPrivateLink(cluster, shared, p.app))
    : {
        [`${LB}azure-load-balancer-internal`]: 'true',
        [`${LB}azure-load-balancer-internal-subnet`]: cluster.network.internalLoadBalancerSubnet.name,
        // The annotation, not spec.loadBalancerIP (deprecated upstream, no dual-stack).
        [`${LB}azure-load-balancer-ipv4`]: ip,
        // Without it the default NSG rule lets the whole VNet reach an internal LB.
        [`${LB}azure-deny-all-except-load-balancer-source-ranges`]: 'true',
      };
  if (p.ports.some((port) => port.protocol === 'TCP'))
    annotations[`${LB}azure-load-balancer-tcp-idle-timeout`] = String(p.tcpIdleTimeoutMinutes);
  // No port_<port>_health-probe_* annotations: under externalTrafficPolicy Local the load balancer
  // probes the health check node port and ignores them (see L4Port.loadBalancerProbe).
  if (p.privateLink) {
    const pl = p.privateLink;
    annotations[`${LB}azure-pls-create`] = 'true';
    // Azure names end with a letter, digit or "_": cutting at 80 characters can leave a "-".
    annotations[`${LB}azure-pls-name`] = `pls-${cluster.name}-${p.app}-${name}`.slice(0, 80).replace(/-+$/, '');
    annotations[`${LB}azure-pls-ip-configuration-subnet`] = cluster.network.internalLoadBalancerSubnet.name;
    if (pl.visibility?.length) annotations[`${LB}azure-pls-visibility`] = pl.visibility.join(' ');
    if (pl.autoApproval?.length) annotations[`${LB}azure-pls-auto-approval`] = pl.autoApproval.join(' ');
  }
  return new k8s.KubeService(scope, 'Service', {
    metadata: { name, namespace: p.namespace, labels: p.labels, annotations },
    spec: {
      type: 'LoadBalancer',
      // Local keeps the client source address, so source allow-lists see real sources.
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: [...p.sourceRanges],
      selector: p.selector,
      ports: ports.map((port) => ({
        name: port.name,
        port: port.port,
        targetPort: k8s.IntOrString.fromNumber(port.targetPort),
        protocol: port.protocol,
      })),
    },
  });
}
