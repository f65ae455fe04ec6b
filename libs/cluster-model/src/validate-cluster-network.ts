import type { ClusterSpec } from './cluster-spec';
import { Cidr, cidrContainsCidr, cidrsOverlap, isPrivateIpv4, parseCidr, parseIpv4 } from './ipv4';
import type { Check, Fail } from './validators';
import { AZURE_NAME } from './azure-resource-ids';

/** `network`: the cluster's network facts, each CIDR parsed once, then containment and overlaps. */
export function validateClusterNetwork(spec: ClusterSpec, fail: Fail, check: Check): void {
  const net = spec.network ?? ({} as ClusterSpec['network']);
  const cidrField = (field: string, value: unknown): Cidr | undefined => {
    const c = parseCidr(value as string);
    if (!c)
      fail(
        field,
        `${JSON.stringify(value)} is not an IPv4 CIDR with its host bits zero`,
        'write it as a network address, e.g. "10.240.4.0/24"',
      );
    return c;
  };
  const vnet = cidrField('network.vnetCidr', net.vnetCidr);
  const l7 = cidrField('network.l7SourceCidr', net.l7SourceCidr);
  const fw = cidrField('network.firewallSubnetCidr', net.firewallSubnetCidr);
  const ilbSubnet = net.internalLoadBalancerSubnet ?? ({} as { name: string; cidr: string });
  check(
    'network.internalLoadBalancerSubnet.name',
    typeof ilbSubnet.name === 'string' && AZURE_NAME.test(ilbSubnet.name)
      ? undefined
      : `${JSON.stringify(ilbSubnet.name)} is not an Azure subnet name`,
    'use the subnet name as it appears in the VNet',
  );
  const ilb = cidrField('network.internalLoadBalancerSubnet.cidr', ilbSubnet.cidr);
  if (vnet) {
    for (const [field, c] of [
      ['network.l7SourceCidr', l7],
      ['network.internalLoadBalancerSubnet.cidr', ilb],
    ] as const) {
      if (c && !cidrContainsCidr(vnet, c))
        fail(field, `${c.text} is outside the VNet ${vnet.text}`, 'use a subnet of network.vnetCidr');
    }
  }
  if (ilb && fw && cidrsOverlap(ilb, fw)) {
    fail(
      'network.internalLoadBalancerSubnet.cidr',
      `${ilb.text} overlaps the AzureFirewallSubnet ${fw.text}`,
      'give internal load balancers their own subnet',
    );
  }
  if (ilb && l7 && cidrsOverlap(ilb, l7)) {
    fail(
      'network.internalLoadBalancerSubnet.cidr',
      `${ilb.text} overlaps the L7 source subnet ${l7.text}`,
      'give internal load balancers their own subnet',
    );
  }
  if (net.podSubnetCidr !== undefined) {
    const pod = parseCidr(net.podSubnetCidr);
    if (pod && vnet && !cidrContainsCidr(vnet, pod))
      fail('network.podSubnetCidr', `${pod.text} is outside the VNet ${vnet.text}`, 'use a subnet of network.vnetCidr');
    // A Private Link Service in the pod subnet breaks with externalTrafficPolicy Local
    // (cloud-provider-azure pls-integration "Restrictions", kubernetes/kubernetes#95555).
    if (pod && ilb && cidrsOverlap(pod, ilb))
      fail(
        'network.podSubnetCidr',
        `${pod.text} overlaps the ILB subnet ${ilb.text}`,
        'keep internal load balancers (and Private Link NAT IPs) out of the pod subnet',
      );
    if (pod && l7 && cidrsOverlap(pod, l7))
      fail(
        'network.podSubnetCidr',
        `${pod.text} overlaps the L7 source subnet ${l7.text}`,
        'give the gateway subnet its own range',
      );
  }
  if (
    ilbSubnet.privateLinkServiceNetworkPoliciesDisabled !== undefined &&
    typeof ilbSubnet.privateLinkServiceNetworkPoliciesDisabled !== 'boolean'
  ) {
    fail(
      'network.internalLoadBalancerSubnet.privateLinkServiceNetworkPoliciesDisabled',
      `${JSON.stringify(ilbSubnet.privateLinkServiceNetworkPoliciesDisabled)} is not true or false`,
      'set true once the subnet has privateLinkServiceNetworkPolicies: Disabled',
    );
  }
  if (net.localDns !== undefined && typeof net.localDns !== 'boolean') {
    fail(
      'network.localDns',
      `${JSON.stringify(net.localDns)} is not true or false`,
      'set true when the node pools run AKS LocalDNS, false when they do not',
    );
  }
  if (fw && fw.prefix > 26) {
    fail(
      'network.firewallSubnetCidr',
      `${fw.text} is smaller than /26`,
      'Azure requires AzureFirewallSubnet to be at least /26',
    );
  }
  if (!Array.isArray(net.firewallPublicIps) || net.firewallPublicIps.length === 0) {
    fail('network.firewallPublicIps', 'is empty', 'list the public IPs of the Azure Firewall that fronts this cluster');
  } else {
    net.firewallPublicIps.forEach((ip, i) => {
      const n = parseIpv4(ip);
      if (n === undefined)
        fail(
          `network.firewallPublicIps[${i}]`,
          `${JSON.stringify(ip)} is not an IPv4 address`,
          'write a dotted IPv4 address',
        );
      else if (isPrivateIpv4(n))
        fail(
          `network.firewallPublicIps[${i}]`,
          `${ip} is a private address`,
          "use the firewall's public IP; DNAT rules match traffic arriving from the Internet",
        );
    });
    if (new Set(net.firewallPublicIps).size !== net.firewallPublicIps.length) {
      fail('network.firewallPublicIps', 'lists an address twice', 'list each public IP once');
    }
  }
}
