import {
  cidrContainsIp,
  formatIpv4,
  guidProblem,
  isAzureReservedInSubnet,
  parseCidr,
  parseIpv4,
  portProblem,
} from '@aks-gitops/cluster-model';
import type { Protocol } from './cluster-claims';
import type { FieldErrors } from './errors';
import type { L4Port, L4PrivateLink, L4ServiceProps } from './l4-service-props';

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface NormalizedPort {
  index: number;
  name: string;
  port: number;
  targetPort: number;
  protocol: Protocol;
  firewallPort: number;
}

export function validatePorts(ports: readonly L4Port[] | undefined, errs: FieldErrors): NormalizedPort[] {
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

export function resolveAddress(
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
        `use a free address in ${subnetName} (${subnetCidr}), or { offset: N }`,
      );
  } else if (address && typeof address === 'object' && Number.isInteger(address.offset)) {
    ip = subnet.base + address.offset;
  } else {
    throw errs.error(
      'address',
      `${JSON.stringify(address)} is neither an IPv4 address nor { offset: N }`,
      `use a free address in ${subnetName} (${subnetCidr}), or { offset: N }`,
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

export function validateCidrs(
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

export function validatePrivateLink(pl: L4PrivateLink, errs: FieldErrors): void {
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

export function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
