/** Minimal IPv4/CIDR arithmetic: enough to check network facts, no dependency needed. */

export interface Cidr {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

/** Parses `a.b.c.d/n` and insists the address is the network address (no host bits set). */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { text, base, prefix };
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContainsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + cidrSize(c);
}

export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContainsIp(outer, inner.base);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsIp(a, b.base) || cidrContainsIp(b, a.base);
}

const PRIVATE_RANGES = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
].map((t) => parseCidr(t) as Cidr);

/** RFC 1918, CGNAT, loopback and link-local: addresses a firewall *public* IP can never be. */
export function isPrivateIpv4(ip: number): boolean {
  return PRIVATE_RANGES.some((r) => cidrContainsIp(r, ip));
}

/** Azure reserves the first four addresses and the last address of every subnet. */
export function isAzureReservedInSubnet(c: Cidr, ip: number): boolean {
  const offset = ip - c.base;
  return offset < 4 || offset === cidrSize(c) - 1;
}
