/**
 * Calls between apps: payments-api names orders-api as a dependency and orders-api accepts it
 * (acceptCallsFrom); the caller gets the egress, the callee the matching ingress, each in its own
 * namespace and folder. The callee team reviews every new client in its own code.
 */
import { L4Service, L7Api } from '../src';
import type { AppContext, L7ApiProps } from '../src';
import { DEV, PROD, declare, expectConfigError } from './support/harness';

const image = 'ghcr.io/contoso/app:1.0.0';
const orders = ({ scope }: AppContext) =>
  new L7Api(scope, 'api', {
    image,
    port: 8080,
    routes: [{ host: 'orders.contoso.com' }],
    acceptCallsFrom: ['payments-api'],
  });
const payments =
  (extra: Partial<L7ApiProps> = {}) =>
  ({ scope }: AppContext) =>
    new L7Api(scope, 'api', {
      image,
      port: 8443,
      routes: [{ host: 'pay.contoso.com' }],
      calls: ['orders-api'],
      ...extra,
    });
/**
 * An app with two workloads: an API on 8080 and a metrics port 9090, and a gRPC worker on 9000.
 * The API accepts payments-api; the worker too when `worker` is set.
 */
const ordersTwoWorkloads = ({ scope }: AppContext, worker = false) => {
  new L4Service(scope, 'api', {
    name: 'orders-api',
    image,
    ports: [
      { name: 'http', port: 8080 },
      { name: 'metrics', port: 9090 },
    ],
    exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
    address: { offset: 10 },
    acceptCallsFrom: ['payments-api'],
  });
  new L4Service(scope, 'worker', {
    name: 'worker',
    image,
    ports: [{ name: 'grpc', port: 9000 }],
    exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
    address: { offset: 11 },
    ...(worker ? { acceptCallsFrom: ['payments-api'] } : {}),
  });
};

const calleeSelector = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders-api' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
};
const callerSelector = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments-api' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments-api' } },
};

describe('payments-api calls orders-api', () => {
  const out = declare(PROD, { 'orders-api': orders, 'payments-api': payments() });

  it('gives the caller egress to the callee pods on the callee port, after DNS', () => {
    const egress = out.get('NetworkPolicy', 'payments-api', 'payments-api').spec.egress;
    expect(egress).toHaveLength(2);
    expect(egress[1]).toEqual({ to: [calleeSelector], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  it('gives the callee a NetworkPolicy allow-from-payments-api in its own namespace', () => {
    const np = out.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [callerSelector], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  it("writes that policy into the callee's app folder: no app writes into another app's namespace", () => {
    expect(out.inventory('orders-api')).toEqual([
      'Deployment/orders-api/orders-api',
      'Ingress/orders-api/orders-api',
      'NetworkPolicy/orders-api/allow-from-payments-api',
      'NetworkPolicy/orders-api/orders-api',
      'PodDisruptionBudget/orders-api/orders-api',
      'Service/orders-api/orders-api',
      'ServiceAccount/orders-api/orders-api',
    ]);
    expect(out.inventory('payments-api').every((id) => id.split('/')[1] === 'payments-api')).toBe(true);
  });

  it("leaves the callee's own policy unchanged (front door only)", () => {
    expect(out.get('NetworkPolicy', 'orders-api', 'orders-api').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.20.5.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it('does not depend on declaration order (callee declared after the caller)', () => {
    const reversed = declare(PROD, { 'payments-api': payments(), 'orders-api': orders });
    expect(reversed.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api')).toEqual(
      out.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api'),
    );
    expect(reversed.get('NetworkPolicy', 'payments-api', 'payments-api')).toEqual(
      out.get('NetworkPolicy', 'payments-api', 'payments-api'),
    );
  });
});

describe('calling an app with several workloads and ports', () => {
  it('an explicit ports subset allows only those ports, both ways', () => {
    const out = declare(DEV, {
      'orders-api': ordersTwoWorkloads,
      'payments-api': payments({ calls: [{ app: 'orders-api', workload: 'orders-api', ports: [9090] }] }),
    });
    expect(out.get('NetworkPolicy', 'payments-api', 'payments-api').spec.egress[1]).toEqual({
      to: [calleeSelector],
      ports: [{ port: 9090, protocol: 'TCP' }],
    });
    expect(out.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api').spec.ingress).toEqual([
      { from: [callerSelector], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
  });

  it('without ports, every port of the callee is allowed', () => {
    const out = declare(DEV, {
      'orders-api': ordersTwoWorkloads,
      'payments-api': payments({ calls: [{ app: 'orders-api', workload: 'orders-api' }] }),
    });
    expect(out.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api').spec.ingress[0].ports).toEqual([
      { port: 8080, protocol: 'TCP' },
      { port: 9090, protocol: 'TCP' },
    ]);
  });

  it('calling two workloads of one app gives two distinct callee policies', () => {
    const out = declare(DEV, {
      'orders-api': (ctx) => ordersTwoWorkloads(ctx, true),
      'payments-api': payments({
        calls: [
          { app: 'orders-api', workload: 'orders-api' },
          { app: 'orders-api', workload: 'worker' },
        ],
      }),
    });
    expect(out.get('NetworkPolicy', 'allow-from-payments-api', 'orders-api').spec.podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'orders-api' },
    });
    const toWorker = out.get('NetworkPolicy', 'allow-from-payments-api.payments-api.to-worker', 'orders-api');
    expect(toWorker.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'worker' } });
    expect(toWorker.spec.ingress).toEqual([{ from: [callerSelector], ports: [{ port: 9000, protocol: 'TCP' }] }]);
    expect(out.get('NetworkPolicy', 'payments-api', 'payments-api').spec.egress.slice(1)).toEqual([
      {
        to: [calleeSelector],
        ports: [
          { port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      },
      {
        to: [{ ...calleeSelector, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } } }],
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
    ]);
  });

  it('callers whose namespace-workload spell the same text still get distinct policy names', () => {
    // App "payments" workload "api" and app "payments-api" both call orders-api.
    const out = declare(PROD, {
      'orders-api': ({ scope }) =>
        new L7Api(scope, 'api', {
          image,
          port: 8080,
          routes: [{ host: 'orders.contoso.com' }],
          acceptCallsFrom: ['payments', 'payments-api'],
        }),
      payments: ({ scope }) =>
        new L7Api(scope, 'api', {
          name: 'api',
          image,
          port: 8080,
          routes: [{ host: 'payments.contoso.com' }],
          calls: ['orders-api'],
        }),
      'payments-api': payments(),
    });
    const names = out
      .all('NetworkPolicy')
      .filter((n) => n.metadata.namespace === 'orders-api')
      .map((n) => n.metadata.name)
      .sort();
    expect(names).toEqual(['allow-from-payments-api', 'allow-from-payments.api', 'orders-api']);
    expect(out.get('NetworkPolicy', 'allow-from-payments.api', 'orders-api').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      },
    ]);
  });

  it('UDP ports of an L4 callee keep their protocol', () => {
    const out = declare(DEV, {
      syslog: ({ scope }) =>
        new L4Service(scope, 'syslog', {
          image,
          ports: [
            { name: 'syslog-udp', port: 514, protocol: 'UDP' },
            { name: 'syslog-tls', port: 6514 },
          ],
          exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
          address: { offset: 20 },
          acceptCallsFrom: ['payments-api'],
        }),
      'payments-api': payments({ calls: ['syslog'] }),
    });
    expect(out.get('NetworkPolicy', 'allow-from-payments-api', 'syslog').spec.ingress[0].ports).toEqual([
      { port: 514, protocol: 'UDP' },
      { port: 6514, protocol: 'TCP' },
    ]);
  });
});

describe('call errors', () => {
  it('an unknown app', () => {
    expectConfigError(
      () => declare(PROD, { 'orders-api': orders, 'payments-api': payments({ calls: ['inventory-api'] }) }),
      {
        cluster: 'aks-prod-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0]',
        problem: 'calls app "inventory-api", which is not deployed on this cluster',
      },
    );
  });

  it('an app that exists but is not on this cluster', () => {
    const onlyInProd = ({ scope, cluster }: AppContext) => {
      if (cluster.environment === 'prod') orders({ scope, cluster, app: 'orders-api' });
    };
    expect(() => declare(PROD, { 'orders-api': onlyInProd, 'payments-api': payments() })).not.toThrow();
    expectConfigError(
      () =>
        declare(DEV, {
          'orders-api': onlyInProd,
          'payments-api': payments({ routes: [{ host: 'pay.dev.contoso.com' }] }),
        }),
      {
        cluster: 'aks-dev-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0]',
        problem: 'calls app "orders-api", which is not deployed on this cluster',
      },
    );
  });

  it('an ambiguous workload', () => {
    expectConfigError(() => declare(DEV, { 'orders-api': ordersTwoWorkloads, 'payments-api': payments() }), {
      cluster: 'aks-dev-weu',
      app: 'payments-api',
      field: 'L7Api(payments-api).calls[0]',
      problem: 'app orders-api has several workloads (orders-api, worker)',
    });
  });

  it('a workload the callee does not have', () => {
    expectConfigError(
      () =>
        declare(DEV, {
          'orders-api': ordersTwoWorkloads,
          'payments-api': payments({ calls: [{ app: 'orders-api', workload: 'billing' }] }),
        }),
      {
        cluster: 'aks-dev-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0]',
        problem: 'names workload "billing" of app orders-api, which has only orders-api, worker',
      },
    );
  });

  it('a port the callee does not listen on', () => {
    expectConfigError(
      () =>
        declare(PROD, {
          'orders-api': orders,
          'payments-api': payments({ calls: [{ app: 'orders-api', ports: [8081] }] }),
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0]',
        problem: 'port 8081 is not a port of orders-api/orders-api (it has 8080)',
      },
    );
  });

  it('an empty ports list (it would allow every port)', () => {
    expectConfigError(
      () =>
        declare(PROD, {
          'orders-api': orders,
          'payments-api': payments({ calls: [{ app: 'orders-api', ports: [] }] }),
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0].ports',
        problem: 'is empty',
      },
    );
  });

  it('a call to itself', () => {
    expectConfigError(() => declare(PROD, { 'payments-api': payments({ calls: ['payments-api'] }) }), {
      cluster: 'aks-prod-weu',
      app: 'payments-api',
      field: 'L7Api(payments-api).calls[0]',
      problem: 'calls itself',
    });
  });

  it('a call to itself naming its own port is still reported as a self-call', () => {
    expectConfigError(
      () => declare(PROD, { 'payments-api': payments({ calls: [{ app: 'payments-api', ports: [8443] }] }) }),
      {
        cluster: 'aks-prod-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[0]',
        problem: 'calls itself',
      },
    );
  });

  it('the same callee twice', () => {
    expectConfigError(
      () =>
        declare(PROD, {
          'orders-api': orders,
          'payments-api': payments({ calls: ['orders-api', { app: 'orders-api', ports: [8080] }] }),
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'payments-api',
        field: 'L7Api(payments-api).calls[1]',
        problem: 'calls orders-api/orders-api again (already called in L7Api(payments-api).calls[0])',
      },
    );
  });

  it('a call that is not an app name', () => {
    expectConfigError(() => declare(PROD, { 'payments-api': payments({ calls: ['Orders_API'] }) }), {
      cluster: 'aks-prod-weu',
      app: 'payments-api',
      field: 'L7Api(payments-api).calls[0]',
      problem: 'is not a DNS label',
    });
  });
});
