import {
  ConfigError,
  cidrSize,
  formatIpv4,
  isAzureReservedInSubnet,
  parseCidr,
  parseIpv4,
} from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

/**
 * Internal load balancer addresses, allocated instead of guessed (`address: 'auto'` on an
 * L4Service). The record is a committed file per cluster, `clusters/<cluster>/azure/allocations.json`:
 * synth reads it before it allocates and writes it back with the result, and drift compares it like
 * every generated file. So an address, once given, never moves when other apps are added or removed.
 *
 * Rules (see `allocateAddresses`):
 * - An app/workload keeps the address the file records for it (also when it switches from an
 *   explicit address to `'auto'`, and when it comes back after a removal while its address is free).
 * - New requests are served in app name order, then workload name order, whatever order the apps
 *   were added or declared in: two apps added at once get the same addresses on every machine.
 * - A new request takes the lowest free address from offset 100 of the ILB subnet upwards, then
 *   from offset 4 (the first four and the last address are Azure's); offsets below 100 are left to
 *   hand-picked addresses. Free means: not held by any app (explicit or allocated), not a shared
 *   frontend of the cluster spec, and not released (see next).
 * - A released address (its holder was removed, or moved) is not given to a different app in the
 *   synth that released it, explicitly or by allocation: clients, DNS records and firewall rules
 *   still name it, and while Flux replaces one Service with the other both exist, and
 *   cloud-provider-azure puts two Services naming one address on one shared frontend
 *   (docs/azure-facts.md). Released addresses stay in the file, oldest first, and are
 *   handed out again only when the subnet has no never-used address left (oldest first), or to
 *   the same app/workload coming back.
 * - An explicit address on an address allocated to another app is an error naming both apps.
 */

export const ALLOCATIONS_FILE = 'allocations.json';
/** Where `'auto'` starts in the ILB subnet (offsets below are left to hand-picked addresses). */
export const AUTO_ADDRESS_FIRST_OFFSET = 100;
/** The `ip` of an `'auto'` address before the cluster's registry is finalized. */
export const AUTO_ADDRESS_PENDING = 'auto';

export interface AddressHolder {
  readonly address: string;
  readonly app: string;
  readonly workload: string;
  /** `auto`: allocated by synth; `explicit`: written in the app (`'10.x.y.z'` or `{ offset }`). */
  readonly how: 'auto' | 'explicit';
}

export interface ReleasedAddress {
  readonly address: string;
  /** Who held it last: the same app/workload gets it back when it returns. */
  readonly app: string;
  readonly workload: string;
}

/** The content of one cluster's allocations.json that synth reads back. */
export interface AllocationState {
  readonly addresses: readonly AddressHolder[];
  /** Oldest first. */
  readonly released: readonly ReleasedAddress[];
}

/** An L4Service's dedicated frontend address, as the registry records it (see AppClaims.addresses). */
export interface AddressClaim {
  readonly app: string;
  readonly workload: string;
  /** The address; `AUTO_ADDRESS_PENDING` for an `'auto'` one until the registry is finalized. */
  readonly ip: string;
  readonly auto: boolean;
  /** `L4Service(<name>).address`, for errors. */
  readonly field: string;
}

export const EMPTY_ALLOCATIONS: AllocationState = { addresses: [], released: [] };

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (x: { app: string; workload: string }): string => `${x.app}/${x.workload}`;

/**
 * Reads a cluster's allocations.json. Anything malformed is an error naming the file: guessing
 * would move addresses.
 */
export function parseAllocations(text: string, cluster: string): AllocationState {
  const file = `clusters/${cluster}/azure/${ALLOCATIONS_FILE}`;
  const bad = (problem: string): ConfigError =>
    new ConfigError({
      cluster,
      field: file,
      problem,
      fix: `restore it from git (git checkout -- ${file}); deleting it allocates every 'auto' address anew, which can move them`,
    });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const obj = data as { addresses?: unknown; released?: unknown };
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.addresses) || !Array.isArray(obj.released))
    throw bad('has no "addresses" and "released" lists');
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const addresses = obj.addresses.map((a: unknown, i: number): AddressHolder => {
    const e = a as Partial<AddressHolder>;
    if (
      !e ||
      !str(e.address) ||
      parseIpv4(e.address) === undefined ||
      !str(e.app) ||
      !str(e.workload) ||
      (e.how !== 'auto' && e.how !== 'explicit')
    )
      throw bad(`addresses[${i}] is not { address, app, workload, how: "auto" | "explicit" }`);
    return { address: e.address, app: e.app, workload: e.workload, how: e.how };
  });
  const released = obj.released.map((a: unknown, i: number): ReleasedAddress => {
    const e = a as Partial<ReleasedAddress>;
    if (!e || !str(e.address) || parseIpv4(e.address) === undefined || !str(e.app) || !str(e.workload))
      throw bad(`released[${i}] is not { address, app, workload }`);
    return { address: e.address, app: e.app, workload: e.workload };
  });
  return { addresses, released };
}

/** allocations.json as synth writes it: stable order, one entry a line block, trailing newline. */
export function allocationsJson(cluster: ClusterSpec, state: AllocationState): string {
  const subnet = cluster.network.internalLoadBalancerSubnet;
  const base = parseCidr(subnet.cidr)?.base ?? 0;
  return (
    JSON.stringify(
      {
        comment: `Generated by aks-gitops (npm run synth): the internal load balancer addresses of cluster ${cluster.name} in ${subnet.name}. Synth reads it back so an address allocated with address: 'auto' never moves; edit it only to move an address on purpose (then synth, review the diff).`,
        cluster: cluster.name,
        subnet: { name: subnet.name, cidr: subnet.cidr },
        auto: `lowest free address from ${formatIpv4(base + AUTO_ADDRESS_FIRST_OFFSET)} (offset ${AUTO_ADDRESS_FIRST_OFFSET}) up, then from offset 4; released addresses last, oldest first`,
        sharedFrontends: (cluster.sharedFrontends ?? []).map((f) => ({ name: f.name, address: f.address })),
        addresses: state.addresses,
        released: state.released,
      },
      null,
      2,
    ) + '\n'
  );
}

export interface AllocationResult {
  /** The address of every `'auto'` claim, by `app/workload`. */
  readonly assigned: ReadonlyMap<string, string>;
  /** What the cluster's allocations.json records after this synth. */
  readonly state: AllocationState;
}

/**
 * Resolves every `'auto'` claim of one cluster against the previous record and the explicit
 * claims. `claims` holds every dedicated-frontend address claim of the cluster (declared or
 * replayed); an `'auto'` claim replayed from the claims cache carries the address it was given.
 */
export function allocateAddresses(
  cluster: ClusterSpec,
  claims: readonly AddressClaim[],
  previous: AllocationState = EMPTY_ALLOCATIONS,
): AllocationResult {
  const subnetSpec = cluster.network.internalLoadBalancerSubnet;
  const subnet = parseCidr(subnetSpec.cidr);
  if (!subnet) throw new Error(`internal: cluster ${cluster.name} ILB subnet ${subnetSpec.cidr} is not a CIDR`);
  const size = cidrSize(subnet);
  const usable = (ip: string): boolean => {
    const n = parseIpv4(ip);
    return n !== undefined && n >= subnet.base && n < subnet.base + size && !isAzureReservedInSubnet(subnet, n);
  };
  const file = `clusters/${cluster.name}/azure/${ALLOCATIONS_FILE}`;

  // One claim per app/workload (an L4Service registers its address once).
  const byKey = new Map<string, AddressClaim>();
  for (const c of claims) if (!byKey.has(keyOf(c))) byKey.set(keyOf(c), c);
  const explicit = [...byKey.values()].filter((c) => !c.auto);
  const autos = [...byKey.values()]
    .filter((c) => c.auto)
    .sort((a, b) => cmp(a.app, b.app) || cmp(a.workload, b.workload));

  const previousOf = new Map<string, AddressHolder>(previous.addresses.map((a) => [keyOf(a), a]));
  const previousHolders = new Map<string, AddressHolder[]>();
  for (const a of previous.addresses) previousHolders.set(a.address, [...(previousHolders.get(a.address) ?? []), a]);
  const sharedAddresses = new Set((cluster.sharedFrontends ?? []).map((f) => f.address));

  // Who holds what after this synth; filled with the explicit addresses, then the kept and new 'auto' ones.
  const holders = new Map<string, AddressHolder[]>();
  const hold = (h: AddressHolder): void => {
    holders.set(h.address, [...(holders.get(h.address) ?? []), h]);
  };
  for (const c of explicit) hold({ address: c.ip, app: c.app, workload: c.workload, how: 'explicit' });

  const assigned = new Map<string, string>();
  const fresh: AddressClaim[] = [];
  for (const c of autos) {
    // Replayed from the claims cache: the address its folder was rendered with. Else the record's.
    const known = c.ip !== AUTO_ADDRESS_PENDING ? c.ip : previousOf.get(keyOf(c))?.address;
    if (known !== undefined && usable(known) && !sharedAddresses.has(known)) {
      const taken = holders.get(known)?.find((h) => h.app !== c.app);
      if (taken) {
        const other = byKey.get(keyOf(taken));
        throw new ConfigError({
          cluster: cluster.name,
          app: taken.app,
          field: other?.field ?? 'address',
          problem: `${known} is allocated to ${c.app}/${c.workload} (address: 'auto', recorded in ${file}); an allocated address belongs to its app alone`,
          fix: `use address: 'auto' or another free address for ${taken.app}; ${c.app}'s address never moves`,
        });
      }
      assigned.set(keyOf(c), known);
      hold({ address: known, app: c.app, workload: c.workload, how: 'auto' });
    } else fresh.push(c);
  }

  // Released in this synth: recorded for an app/workload that no longer holds it.
  const stillHolds = (h: AddressHolder): boolean =>
    (holders.get(h.address) ?? []).some((x) => x.app === h.app && x.workload === h.workload);
  const releasedNow = previous.addresses.filter((h) => !stillHolds(h));
  // An address released now may not go to a different app in this synth (explicitly either).
  for (const c of explicit) {
    const wasOther = releasedNow.find((r) => r.address === c.ip && r.app !== c.app);
    const heldBefore = (previousHolders.get(c.ip) ?? []).some((h) => h.app === c.app && h.workload === c.workload);
    if (wasOther && !heldBefore) {
      throw new ConfigError({
        cluster: cluster.name,
        app: c.app,
        field: c.field,
        problem: `${c.ip} was ${wasOther.how === 'auto' ? 'allocated' : 'given'} to ${wasOther.app}/${wasOther.workload}, which this change removes or moves; a released address is not given to another app in the same change (clients, DNS records and firewall rules may still name it, and while Flux replaces the Services both would share one frontend)`,
        fix: `use address: 'auto' or another free address; take ${c.ip} in a later change, once the release is deployed`,
      });
    }
  }

  const releasedEarlier = previous.released.filter((r) => !holders.has(r.address));
  const inUse = (ip: string): boolean => holders.has(ip) || sharedAddresses.has(ip);
  const pool: number[] = [];
  const firstAuto = Math.min(AUTO_ADDRESS_FIRST_OFFSET, size);
  for (let off = firstAuto; off < size; off++) pool.push(subnet.base + off);
  for (let off = 0; off < firstAuto; off++) pool.push(subnet.base + off);
  let cursor = 0;
  for (const c of fresh) {
    const blockedNow = (ip: string): boolean => releasedNow.some((r) => r.address === ip && r.app !== c.app);
    const ownReleased = [...releasedEarlier].reverse().find((r) => r.app === c.app && r.workload === c.workload);
    let ip: string | undefined =
      ownReleased && usable(ownReleased.address) && !inUse(ownReleased.address) ? ownReleased.address : undefined;
    if (!ip) {
      const releasedSet = new Set([...releasedEarlier, ...releasedNow].map((r) => r.address));
      // The pool is scanned once for all requests: an address skipped as taken stays taken.
      for (; cursor < pool.length && !ip; cursor++) {
        const candidate = formatIpv4(pool[cursor]);
        if (isAzureReservedInSubnet(subnet, pool[cursor]) || inUse(candidate) || releasedSet.has(candidate)) continue;
        ip = candidate;
      }
    }
    if (!ip) {
      // Nothing never-used is left: the longest-released address first.
      ip = releasedEarlier.find((r) => usable(r.address) && !inUse(r.address) && !blockedNow(r.address))?.address;
      if (!ip) ip = releasedNow.find((r) => usable(r.address) && !inUse(r.address) && !blockedNow(r.address))?.address;
    }
    if (!ip) {
      throw new ConfigError({
        cluster: cluster.name,
        app: c.app,
        field: c.field,
        problem: `no free address is left in the ILB subnet ${subnetSpec.name} (${subnetSpec.cidr}) for address: 'auto' (${holders.size} in use, ${sharedAddresses.size} shared frontend(s), ${releasedNow.length} released by this change and held back)`,
        fix: 'join a shared frontend (frontendAssignments in the cluster spec), remove unused services, or have the IaC team give the cluster a larger ILB subnet',
      });
    }
    assigned.set(keyOf(c), ip);
    hold({ address: ip, app: c.app, workload: c.workload, how: 'auto' });
  }

  const addresses = [...holders.values()]
    .flat()
    .sort(
      (a, b) =>
        (parseIpv4(a.address) ?? 0) - (parseIpv4(b.address) ?? 0) || cmp(a.app, b.app) || cmp(a.workload, b.workload),
    );
  // Released: what was released before and is still free, oldest first, then what this change
  // released (by address), each address once.
  const released: ReleasedAddress[] = [];
  const seen = new Set<string>();
  const now = [...releasedNow].sort((a, b) => (parseIpv4(a.address) ?? 0) - (parseIpv4(b.address) ?? 0));
  const newestFirst: ReleasedAddress[] = [...[...now].reverse(), ...[...releasedEarlier].reverse()];
  for (const r of newestFirst) {
    if (seen.has(r.address) || holders.has(r.address) || !usable(r.address)) continue;
    seen.add(r.address);
    released.unshift({ address: r.address, app: r.app, workload: r.workload });
  }
  return { assigned, state: { addresses, released } };
}
