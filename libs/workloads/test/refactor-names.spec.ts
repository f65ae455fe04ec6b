/**
 * Names survive refactors: objects are named from props, never from construct ids, so renaming
 * an id (or wrapping constructs in a helper construct) changes nothing in the cluster.
 */
import { Construct } from 'constructs';
import { L4Service, L7Api } from '../src';
import type { AppContext } from '../src';
import { DEV, PROD, declare } from './support/harness';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

const image = 'ghcr.io/contoso/app:1.0.0';

/** A small fleet of apps whose construct ids come from `ids`. */
function fleet(ids: { orders: string; payments: string; broker: string }, wrap = false) {
  const scopeOf = (ctx: AppContext): Construct => (wrap ? new Construct(ctx.scope, 'Refactored') : ctx.scope);
  return {
    'orders-api': (ctx: AppContext) =>
      new L7Api(scopeOf(ctx), ids.orders, {
        image,
        port: 8080,
        routes: [{ host: 'orders.contoso.com', paths: ['/orders'] }],
        autoscaling: { maxReplicas: 4 },
        config: { A: '1' },
        acceptCallsFrom: ['payments-api'],
      }),
    'payments-api': (ctx: AppContext) =>
      new L7Api(scopeOf(ctx), ids.payments, {
        image,
        port: 8443,
        routes: [{ host: 'pay.contoso.com' }],
        calls: ['orders-api'],
        workloadIdentity: { clientId: '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f' },
        keyVaultSecrets: ['psp-api-key'],
      }),
    'mqtt-broker': (ctx: AppContext) =>
      new L4Service(scopeOf(ctx), ids.broker, {
        image,
        ports: [{ name: 'mqtts', port: 8883 }],
        exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
        address: { offset: 10 },
        volumes: [{ name: 'data', mountPath: '/data', size: '5Gi' }],
        privateLink: {},
      }),
  };
}

function bytes(cluster: ClusterSpec, apps: ReturnType<typeof fleet>): string {
  const out = declare(cluster, apps);
  return JSON.stringify([...out.byApp.entries()]) + JSON.stringify(out.registry.firewallEndpoints);
}

describe.each([
  [DEV.name, DEV],
  [PROD.name, PROD],
])('renaming construct ids on %s', (_name, cluster) => {
  const before = bytes(cluster, fleet({ orders: 'api', payments: 'api', broker: 'broker' }));

  it("renaming 'api' -> 'orders' (and the others) produces byte-identical objects", () => {
    expect(bytes(cluster, fleet({ orders: 'orders', payments: 'payments', broker: 'mqtt' }))).toBe(before);
  });

  it('moving the constructs under a helper construct produces byte-identical objects', () => {
    expect(bytes(cluster, fleet({ orders: 'api', payments: 'api', broker: 'broker' }, true))).toBe(before);
  });

  it('the output has no hash suffixes', () => {
    const out = declare(cluster, fleet({ orders: 'api', payments: 'api', broker: 'broker' }));
    for (const o of out.objects) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
  });
});
