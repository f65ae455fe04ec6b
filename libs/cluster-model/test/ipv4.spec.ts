import {
  cidrContainsCidr,
  cidrsOverlap,
  isAzureReservedInSubnet,
  isPrivateIpv4,
  parseCidr,
  parseIpv4,
} from '@aks-gitops/cluster-model';

describe('IPv4 and CIDR arithmetic', () => {
  it('parses addresses and rejects malformed ones', () => {
    expect(parseIpv4('10.20.4.10')).toBe(10 * 2 ** 24 + 20 * 2 ** 16 + 4 * 256 + 10);
    for (const bad of ['10.20.4', '10.20.4.256', '010.1.1.1', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('accepts only network addresses as CIDRs', () => {
    expect(parseCidr('10.20.4.0/24')?.prefix).toBe(24);
    expect(parseCidr('10.20.4.1/24')).toBeUndefined();
    expect(parseCidr('10.20.4.0/33')).toBeUndefined();
    expect(parseCidr('0.0.0.0/0')?.prefix).toBe(0);
  });

  it('knows containment and overlap', () => {
    const vnet = parseCidr('10.20.0.0/16')!;
    expect(cidrContainsCidr(vnet, parseCidr('10.20.4.0/24')!)).toBe(true);
    expect(cidrContainsCidr(vnet, parseCidr('10.21.4.0/24')!)).toBe(false);
    expect(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/16')!, parseCidr('10.1.0.0/16')!)).toBe(false);
  });

  it('knows private ranges and the addresses Azure reserves in a subnet', () => {
    expect(isPrivateIpv4(parseIpv4('172.20.1.1')!)).toBe(true);
    expect(isPrivateIpv4(parseIpv4('203.0.113.10')!)).toBe(false);
    const subnet = parseCidr('10.20.4.0/24')!;
    expect([0, 1, 2, 3, 255].every((o) => isAzureReservedInSubnet(subnet, subnet.base + o))).toBe(true);
    expect(isAzureReservedInSubnet(subnet, subnet.base + 4)).toBe(false);
  });
});
