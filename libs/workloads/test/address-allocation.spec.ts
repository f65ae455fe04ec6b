import { ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { allocateAddresses } from '@aks-gitops/workloads';
import type { AddressClaim, AllocationState } from '@aks-gitops/workloads';
import { DEV } from './support/harness';

/*
 * The allocation rules on a small ILB subnet, where running out is reachable: a /28 has 16
 * addresses, of which Azure keeps the first four and the last, so 11 can be given.
 */
const small: ClusterSpec = {
  ...DEV,
  sharedFrontends: undefined,
  network: { ...DEV.network, internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.10.4.0/28' } },
};
const auto = (app: string): AddressClaim => ({
  app,
  workload: app,
  ip: 'auto',
  auto: true,
  field: `L4Service(${app}).address`,
});
const apps = (n: number, prefix = 'app'): AddressClaim[] =>
  Array.from({ length: n }, (_, i) => auto(`${prefix}-${String(i).padStart(2, '0')}`));
const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (ConfigError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('allocating on a small ILB subnet', () => {
  it('gives offsets 4 to 14 (the subnet is smaller than offset 100), in app name order', () => {
    const { assigned } = allocateAddresses(small, apps(11).reverse());
    expect([...assigned.entries()].sort()).toEqual(
      Array.from({ length: 11 }, (_, i) => [
        `app-${String(i).padStart(2, '0')}/app-${String(i).padStart(2, '0')}`,
        `10.10.4.${i + 4}`,
      ]),
    );
  });

  it('fails naming the app, the subnet and the fix when no address is left', () => {
    const e = errorOf(() => allocateAddresses(small, apps(12)));
    expect(e.details).toMatchObject({ cluster: DEV.name, app: 'app-11', field: 'L4Service(app-11).address' });
    expect(e.details.problem).toContain(
      "no free address is left in the ILB subnet snet-ilb (10.10.4.0/28) for address: 'auto'",
    );
  });

  it('reuses a released address only when no never-used one is left, the longest-released first', () => {
    const first = allocateAddresses(small, apps(11));
    // app-03 and app-07 removed in one change, then app-01 in another.
    const second = allocateAddresses(
      small,
      apps(11).filter((a) => a.app !== 'app-03' && a.app !== 'app-07'),
      first.state,
    );
    const third = allocateAddresses(
      small,
      apps(11).filter((a) => !['app-01', 'app-03', 'app-07'].includes(a.app)),
      second.state,
    );
    expect(third.state.released.map((r) => r.address)).toEqual(['10.10.4.7', '10.10.4.11', '10.10.4.5']);
    const later = allocateAddresses(
      small,
      [...apps(11).filter((a) => !['app-01', 'app-03', 'app-07'].includes(a.app)), auto('new-a'), auto('new-b')],
      third.state,
    );
    expect(later.assigned.get('new-a/new-a')).toBe('10.10.4.7');
    expect(later.assigned.get('new-b/new-b')).toBe('10.10.4.11');
    expect(later.state.released.map((r) => r.address)).toEqual(['10.10.4.5']);
  });

  it('never gives an address released in the same change to another app, even when nothing else is left', () => {
    const full = allocateAddresses(small, apps(11)).state;
    const e = errorOf(() =>
      allocateAddresses(small, [...apps(11).filter((a) => a.app !== 'app-00'), auto('newcomer')], full),
    );
    expect(e.details.app).toBe('newcomer');
    expect(e.details.problem).toContain('1 released by this change and held back');
  });

  it('keeps every address of a recorded state when nothing changes (same input, same record)', () => {
    const state: AllocationState = allocateAddresses(small, apps(5)).state;
    expect(allocateAddresses(small, apps(5), state).state).toEqual(state);
  });
});
