import { compareStrings, dnatRuleName } from '../names';
import type { PrerequisiteContext, PublicIpRow, RouteRow, SubnetRow } from './types';

const uniqueSorted = (xs: Iterable<string>) => [...new Set(xs)].sort(compareStrings);

/** The L7 subnet (App Gateway or AGC association), the ILB subnet, shared frontends' PLS NAT subnets, the AzureFirewallSubnet. */
export function subnetRows(ctx: PrerequisiteContext): SubnetRow[] {
  const { cluster, inputs } = ctx;
  const l7 = cluster.l7;
  const subnets: SubnetRow[] = [];
  if (l7.kind === 'agic') {
    subnets.push({
      role: 'Application Gateway subnet',
      cidr: cluster.network.l7SourceCidr,
      where: 'cluster VNet (or peered)',
      requirements: ['dedicated to the Application Gateway (WAF_v2)', 'pods admit L7 traffic from this CIDR only'],
      usedBy: ctx.appsOf(() => true),
      source: 'AGIC-NET',
    });
  } else if (ctx.agc) {
    const agc = l7.agc;
    subnets.push({
      role: 'Application Gateway for Containers association subnet',
      ...(agc?.deployment === 'managed' ? { id: agc.associationSubnetId } : {}),
      cidr: cluster.network.l7SourceCidr,
      where: 'cluster VNet (AGC in a peered VNet is not supported with CNI Overlay)',
      delegation: 'Microsoft.ServiceNetworking/trafficControllers',
      requirements: [
        'at least /24; exactly /24 with Azure CNI Overlay',
        'one association per Application Gateway for Containers',
        agc?.deployment === 'bring-your-own'
          ? `bring-your-own: the IaC team creates Application Gateway for Containers ${agc.resourceId}, its frontend ${agc.frontendName} and its association with this subnet`
          : `managed: the ALB Controller creates Application Gateway for Containers and its association from ApplicationLoadBalancer ${agc?.namespace}/${agc?.name}`,
        'pods admit L7 traffic from this CIDR only',
      ],
      usedBy: ctx.appsOf(() => true),
      source: agc?.deployment === 'bring-your-own' ? 'AGC-NET, AGC-BYO' : 'AGC-NET, AGC-QS',
    });
  }
  const ilb = cluster.network.internalLoadBalancerSubnet;
  const plsApps = uniqueSorted(inputs.privateLinks.map((p) => p.app));
  subnets.push({
    role: 'internal load balancer subnet',
    name: ilb.name,
    cidr: ilb.cidr,
    where: 'cluster VNet',
    ...(plsApps.length ? { privateLinkServiceNetworkPolicies: 'Disabled' as const } : {}),
    requirements: [
      'the cluster identity can read and join it (annotation azure-load-balancer-internal-subnet)',
      ...(plsApps.length
        ? [
            `also the Private Link Service NAT subnet (azure-pls-ip-configuration-subnet) of ${plsApps.join(', ')}: privateLinkServiceNetworkPolicies Disabled`,
          ]
        : []),
    ],
    usedBy: uniqueSorted([...inputs.firewallEndpoints.map((e) => e.app), ...plsApps]),
    source: plsApps.length ? 'CPA-LB, CPA-PLS, PLS-NP' : 'CPA-LB',
  });
  // A shared frontend's Private Link Service may take its NAT addresses from a subnet of its own.
  for (const f of cluster.sharedFrontends ?? []) {
    const nat = f.privateLink?.natSubnet;
    if (!f.privateLink || !nat) continue;
    const onFrontend = Object.entries(cluster.frontendAssignments ?? {})
      .filter(([, name]) => name === f.name)
      .map(([app]) => app);
    const viaGateway = l7.kind === 'gateway-api' && l7.frontend === f.name ? ctx.appsOf(() => true) : [];
    subnets.push({
      role: `Private Link Service NAT subnet of shared frontend ${f.name}`,
      name: nat.name,
      cidr: nat.cidr,
      where: 'cluster VNet',
      privateLinkServiceNetworkPolicies: 'Disabled',
      requirements: [
        `NAT addresses of Private Link Service ${f.privateLink.name} (azure-pls-ip-configuration-subnet); consumers, Front Door included, reach the pods from them`,
        'cloud-provider-azure disables its PLS network policies itself: the cluster identity needs write access to this subnet',
      ],
      usedBy: uniqueSorted([...onFrontend, ...viaGateway]),
      source: 'CPA-PLS, CPA-PLSGO, PLS-OV',
    });
  }
  subnets.push({
    role: 'AzureFirewallSubnet',
    name: 'AzureFirewallSubnet',
    cidr: cluster.network.firewallSubnetCidr,
    where: 'hub VNet, peered with the cluster VNet',
    requirements: ['at least /26', 'DNAT traffic reaches pods SNATed to an address of this subnet'],
    usedBy: uniqueSorted(inputs.firewallEndpoints.map((e) => e.app)),
    source: 'FW-NAT',
  });
  return subnets;
}

/** Egress through the firewall: the precondition for DNAT replies to leave the way they came. */
export function routeRows({ cluster }: PrerequisiteContext): RouteRow[] {
  return [
    {
      addressPrefix: '0.0.0.0/0',
      nextHopType: 'VirtualAppliance',
      associateWith:
        "the cluster's node subnet (and pod subnet, with Azure CNI pod subnets); outboundType userDefinedRouting",
      why: 'spoke egress goes through the hub firewall; DNAT replies then return through the firewall that translated them (no asymmetric routing)',
      fillIn: `nextHopIpAddress: the Azure Firewall's private IP in ${cluster.network.firewallSubnetCidr}; the node subnet is not in the cluster spec`,
      source: 'AKS-UDR, AKS-EGRESS, FW-LB',
    },
  ];
}

/** Firewall public IPs and the DNAT rules on each. */
export function publicIpRows({ cluster, inputs }: PrerequisiteContext): PublicIpRow[] {
  return cluster.network.firewallPublicIps.map((address) => ({
    address,
    rules: uniqueSorted(
      inputs.firewallEndpoints
        .filter((e) => e.firewallPublicIp === address)
        .map(
          (e) =>
            `${dnatRuleName(e.app, e.service, e.portName, e.protocol)} (${e.protocol} ${e.firewallPort} -> ${e.ilbIp}:${e.servicePort})`,
        ),
    ),
    source: 'FW-LB',
  }));
}
