/**
 * L7Api on Gateway API clusters: Application Gateway for Containers on aks-dev-weu, and an
 * in-cluster implementation whose gateway pods the NetworkPolicy admits by label. Then the
 * promise of the README: the same app code on an agic and a gateway-api cluster.
 */
import { L7Api } from '../src';
import type { AppContext, L7ApiProps } from '../src';
import { AGC_WAF, APP_WAF, DEV_WAF, IN_CLUSTER_GATEWAY } from './support/clusters';
import { DEV, PROD, declare, declareOne } from './support/harness';

const orders: L7ApiProps = {
  image: 'ghcr.io/contoso/orders-api:1.4.2',
  port: 8080,
  routes: [{ host: 'orders.dev.contoso.com', paths: ['/orders', '/carts'] }],
  health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
};

describe('L7Api on a gateway-api cluster (Application Gateway for Containers)', () => {
  const out = declareOne(DEV, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
  const route = out.get('HTTPRoute', 'orders-api', 'orders-api');

  it('creates an HTTPRoute instead of an Ingress, with the cluster WAF policy and a health check from the readiness path', () => {
    expect(out.inventory('orders-api')).toEqual([
      'Deployment/orders-api/orders-api',
      'HTTPRoute/orders-api/orders-api',
      'HealthCheckPolicy/orders-api/orders-api',
      'NetworkPolicy/orders-api/orders-api',
      'PodDisruptionBudget/orders-api/orders-api',
      'Service/orders-api/orders-api',
      'ServiceAccount/orders-api/orders-api',
      'WebApplicationFirewallPolicy/orders-api/orders-api',
    ]);
    expect(out.all('Ingress')).toEqual([]);
  });

  it('attaches to the shared Gateway HTTPS listener named in the cluster spec', () => {
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'edge-gateway',
        name: 'shared-gateway',
        sectionName: 'https',
      },
    ]);
  });

  it('serves the hostnames with PathPrefix matches to the Service on port 80', () => {
    expect(route.spec.hostnames).toEqual(['orders.dev.contoso.com']);
    expect(route.spec.rules).toEqual([
      {
        matches: [
          { path: { type: 'PathPrefix', value: '/orders' } },
          { path: { type: 'PathPrefix', value: '/carts' } },
        ],
        backendRefs: [{ name: 'orders-api', port: 80 }],
      },
    ]);
  });

  it('admits only the AGC association subnet on the container port', () => {
    const np = out.get('NetworkPolicy', 'orders-api');
    expect(np.spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.10.5.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(DEV.network.l7SourceCidr).toBe('10.10.5.0/24');
    expect(np.spec.egress).toHaveLength(1);
    expect(np.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });

  it('registers the namespace for gateway access', () => {
    expect([...out.registry.gatewayNamespaces]).toEqual(['orders-api']);
  });

  it('matches the snapshot', () => {
    expect(out.byApp.get('orders-api')).toMatchSnapshot();
  });

  it('several hosts with the same paths share one HTTPRoute, each hostname once', () => {
    const two = declareOne(
      DEV,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          ...orders,
          routes: [
            { host: 'orders.dev.contoso.com', paths: ['/orders'] },
            { host: 'shop.dev.contoso.com', paths: ['/orders'] },
          ],
        }),
    );
    const r = two.get('HTTPRoute', 'orders-api');
    expect(r.spec.hostnames).toEqual(['orders.dev.contoso.com', 'shop.dev.contoso.com']);
    expect(r.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/orders' } }]);
  });
});

describe('WAF on Application Gateway for Containers', () => {
  it('attaches the cluster WAF policy to the HTTPRoute through a WebApplicationFirewallPolicy', () => {
    const out = declareOne(AGC_WAF, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
    const waf = out.get('WebApplicationFirewallPolicy', 'orders-api', 'orders-api');
    expect(waf.apiVersion).toBe('alb.networking.azure.io/v1');
    expect(waf.spec).toEqual({
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'orders-api', namespace: 'orders-api' },
      webApplicationFirewall: { id: DEV_WAF },
    });
  });

  it('an app WAF policy overrides the cluster one', () => {
    const out = declareOne(
      AGC_WAF,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...orders, wafPolicyId: APP_WAF }),
    );
    expect(out.get('WebApplicationFirewallPolicy', 'orders-api').spec.webApplicationFirewall).toEqual({ id: APP_WAF });
  });

  it('an app WAF policy applies on an AGC cluster without a cluster policy', () => {
    const out = declareOne(
      DEV,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...orders, wafPolicyId: APP_WAF }),
    );
    expect(out.get('WebApplicationFirewallPolicy', 'orders-api').spec.webApplicationFirewall).toEqual({ id: APP_WAF });
  });
});

describe('L7Api on an in-cluster Gateway API implementation (gatewayPodLabels)', () => {
  const out = declareOne(IN_CLUSTER_GATEWAY, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));

  it('admits the gateway pods in the gateway namespace instead of a subnet', () => {
    expect(out.get('NetworkPolicy', 'orders-api').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
            podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('attaches to that Gateway and listener', () => {
    expect(out.get('HTTPRoute', 'orders-api').spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'gateway-system',
        name: 'public',
        sectionName: 'https-public',
      },
    ]);
  });

  it('emits no AGC WebApplicationFirewallPolicy for a non-AGC GatewayClass', () => {
    expect(out.all('WebApplicationFirewallPolicy')).toEqual([]);
  });
});

describe('the same app code on an agic and a gateway-api cluster', () => {
  // What apps/orders-api does: one deploy function, the cluster decides the front door.
  const deploy = ({ scope, cluster }: AppContext) => {
    const prod = cluster.environment === 'prod';
    new L7Api(scope, 'api', {
      image: 'ghcr.io/contoso/orders-api:1.4.2',
      port: 8080,
      routes: [{ host: prod ? 'orders.contoso.com' : 'orders.dev.contoso.com', paths: ['/orders'] }],
      replicas: prod ? 3 : 2,
    });
  };
  const onDev = declare(DEV, { 'orders-api': deploy });
  const onProd = declare(PROD, { 'orders-api': deploy });

  it('routes through each cluster front door', () => {
    expect(onProd.get('Ingress', 'orders-api').spec.rules[0].http.paths[0]).toEqual({
      path: '/orders',
      pathType: 'Prefix',
      backend: { service: { name: 'orders-api', port: { number: 80 } } },
    });
    expect(onProd.all('HTTPRoute')).toEqual([]);
    expect(onDev.get('HTTPRoute', 'orders-api').spec.rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/orders' } }],
      backendRefs: [{ name: 'orders-api', port: 80 }],
    });
    expect(onDev.all('Ingress')).toEqual([]);
  });

  it('admits each cluster L7 source subnet', () => {
    expect(onProd.get('NetworkPolicy', 'orders-api').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '10.20.5.0/24' } },
    ]);
    expect(onDev.get('NetworkPolicy', 'orders-api').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '10.10.5.0/24' } },
    ]);
  });

  it('runs the same hardened pod and Service everywhere (only the replica count and the shutdown timing of the front door differ)', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const strip = (o: any) => {
      const c = JSON.parse(JSON.stringify(o));
      delete c.spec.replicas;
      delete c.spec.template.spec.terminationGracePeriodSeconds;
      delete c.spec.template.spec.containers[0].lifecycle;
      return c;
    };
    expect(strip(onDev.get('Deployment', 'orders-api'))).toEqual(strip(onProd.get('Deployment', 'orders-api')));
    // AGIC: 90 s preStop (App Gateway lags pod termination) + 30 s drain + 5; AGC: 30 + 30 + 5.
    expect(onProd.get('Deployment', 'orders-api').spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 90 } },
    });
    expect(onProd.get('Deployment', 'orders-api').spec.template.spec.terminationGracePeriodSeconds).toBe(125);
    expect(onDev.get('Deployment', 'orders-api').spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 30 } },
    });
    expect(onDev.get('Deployment', 'orders-api').spec.template.spec.terminationGracePeriodSeconds).toBe(65);
    expect(onDev.get('Deployment', 'orders-api').spec.replicas).toBe(2);
    expect(onProd.get('Deployment', 'orders-api').spec.replicas).toBe(3);
    expect(onDev.get('Service', 'orders-api')).toEqual(onProd.get('Service', 'orders-api'));
    expect(onDev.get('ServiceAccount', 'orders-api')).toEqual(onProd.get('ServiceAccount', 'orders-api'));
  });
});
