import { formatIpv4, parseCidr, parseIpv4 } from '@aks-gitops/cluster-model';

/**
 * Which clients a DNAT rule admits. Accepted spellings:
 * - an IPv4 address (`198.51.100.7`) or an IPv4 CIDR with its host bits zero (`198.51.100.0/24`);
 * - `'*'` alone, meaning "any Internet source". Azure Firewall itself uses `*` for this, and the
 *   explicit token is what a reviewer or a policy check can search for.
 *
 * Refused, each with a hint: an empty list (Azure would need IP Groups instead, which this repo does
 * not model), `0.0.0.0/0` (same meaning as `*`; one spelling keeps "open to the Internet" greppable),
 * `*` mixed with CIDRs (the CIDRs would be meaningless), service tags such as `Internet` and ranges
 * such as `a-b` (not confirmed for NAT rule sources), and anything IPv6 (the ILB path is IPv4).
 */
export const ANY_SOURCE = '*';

export interface SourceAddressProblem {
  /** Index into the list, or undefined when the list as a whole is wrong. */
  index?: number;
  problem: string;
  fix: string;
}

export function sourceAddressProblems(list: unknown): SourceAddressProblem[] {
  if (!Array.isArray(list) || list.length === 0) {
    return [
      {
        problem: `must be a non-empty list, got ${JSON.stringify(list)}`,
        fix: "list the client CIDRs, or write ['*'] to admit any Internet source",
      },
    ];
  }
  if (list.includes(ANY_SOURCE) && list.length > 1) {
    return [
      {
        problem: `mixes '*' with other entries (${JSON.stringify(list)})`,
        fix: "write either ['*'] for any source or only the client CIDRs",
      },
    ];
  }
  const problems: SourceAddressProblem[] = [];
  list.forEach((entry: unknown, index) => {
    const p = entryProblem(entry);
    if (p) problems.push({ index, ...p });
  });
  return problems;
}

function entryProblem(entry: unknown): Omit<SourceAddressProblem, 'index'> | undefined {
  if (entry === ANY_SOURCE) return undefined;
  if (typeof entry !== 'string')
    return { problem: `${JSON.stringify(entry)} is not a string`, fix: 'write an IPv4 address or CIDR as a string' };
  if (entry === '0.0.0.0/0')
    return {
      problem: '"0.0.0.0/0" spells "any source" the long way',
      fix: "write ['*'] so an Internet-wide rule is explicit",
    };
  if (parseIpv4(entry) !== undefined || parseCidr(entry) !== undefined) return undefined;
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(entry);
  const base = m ? parseIpv4(m[1]) : undefined;
  if (m && base !== undefined && Number(m[2]) <= 32) {
    const size = 2 ** (32 - Number(m[2]));
    const network = `${formatIpv4(base - (base % size))}/${m[2]}`;
    return { problem: `"${entry}" has host bits set`, fix: `write the network address, "${network}"` };
  }
  return {
    problem: `"${entry}" is not an IPv4 address or CIDR`,
    fix: 'use IPv4 addresses or CIDRs such as "198.51.100.0/24"; service tags, ranges and IPv6 are not supported here; use [\'*\'] for any source',
  };
}

/** Deduplicated and in numeric order (address, then prefix), so input order never shows in output. */
export function normalizeSourceAddresses(list: readonly string[]): string[] {
  const key = (s: string): [number, number] => {
    if (s === ANY_SOURCE) return [-1, 0];
    const c = parseCidr(s);
    return c ? [c.base, c.prefix] : [parseIpv4(s) ?? -1, 33];
  };
  return [...new Set(list)].sort((a, b) => {
    const [ab, ap] = key(a);
    const [bb, bp] = key(b);
    return ab - bb || ap - bp || (a < b ? -1 : a > b ? 1 : 0);
  });
}
