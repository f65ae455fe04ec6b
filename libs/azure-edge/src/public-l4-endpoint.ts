/**
 * One port of an `L4Service` with exposure `public-via-firewall`, as the L4Service construct hands
 * it over: the Service gets an internal load balancer on `ilbIp` (pinned with
 * `service.beta.kubernetes.io/azure-load-balancer-ipv4`) and the hub Azure Firewall publishes it as
 * Internet -> `firewallPublicIp:firewallPort` -> DNAT -> `ilbIp:servicePort`.
 *
 * The ILB rather than a public LB is deliberate: with `outboundType: userDefinedRouting` a public LB
 * behind the firewall routes replies asymmetrically and the firewall drops them, while an ILB
 * answers back through the firewall (Azure Firewall "integrate with load balancer" guidance).
 */
export interface PublicL4Endpoint {
  /** The app that owns the Service; rule names and error messages lead with it. */
  app: string;
  /** Kubernetes Service name. */
  service: string;
  namespace: string;
  /** The Service port's `name` (an IANA service name, at most 15 characters). */
  portName: string;
  protocol: 'TCP' | 'UDP';
  /** One of `cluster.network.firewallPublicIps`. */
  firewallPublicIp: string;
  /** Port clients connect to on the firewall public IP. */
  firewallPort: number;
  /** The ILB frontend IP, inside `cluster.network.internalLoadBalancerSubnet`. */
  ilbIp: string;
  /** The Service `port` (not the container targetPort): the ILB listens on it. */
  servicePort: number;
  /**
   * Internet clients allowed through: IPv4 addresses or CIDRs, or exactly `['*']` for any source.
   * See source-addresses.ts for why nothing else is accepted.
   */
  sourceAddresses: string[];
}
