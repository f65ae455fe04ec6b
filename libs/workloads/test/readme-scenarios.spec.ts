/**
 * The README's "Adding a workload" examples, declared as a new user would, next to the existing
 * orders-api, on both example clusters.
 */
import { L4Service, L7Api } from '../src';
import type { AppContext } from '../src';
import { DEV, PROD, declare } from './support/harness';

const ordersApi = ({ scope, cluster }: AppContext) =>
  new L7Api(scope, 'api', {
    image: 'ghcr.io/contoso/orders-api:1.4.2',
    port: 8080,
    routes: [
      {
        host: cluster.environment === 'prod' ? 'orders.contoso.com' : 'orders.dev.contoso.com',
        paths: ['/orders', '/carts'],
      },
    ],
    health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
    acceptCallsFrom: ['invoices-api'], // README: the consent edit in apps/orders-api
  });

/** README: a third API with two paths and a dependency on orders-api. */
const invoicesApi = ({ scope, cluster }: AppContext) =>
  new L7Api(scope, 'api', {
    image: 'ghcr.io/contoso/invoices-api:0.3.1',
    port: 8080,
    routes: [{ host: 'invoices.contoso.com', paths: ['/invoices', '/credit-notes'] }],
    health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
    replicas: cluster.environment === 'prod' ? 3 : 1,
    calls: ['orders-api'],
  });

/** README: PostgreSQL from one on-premises range, and a public UDP game server. */
const data = ({ scope }: AppContext) => {
  new L4Service(scope, 'db', {
    name: 'pg',
    image: 'docker.io/library/postgres:16.4',
    ports: [{ name: 'postgres', port: 5432 }],
    exposure: { mode: 'private', allowedSources: ['192.168.50.0/24'] },
    address: { offset: 30 },
    volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '50Gi' }],
  });
  new L4Service(scope, 'game', {
    name: 'game',
    image: 'ghcr.io/contoso/game-server:5.2.0',
    ports: [{ name: 'game', port: 7777, protocol: 'UDP' }],
    exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
    address: { offset: 31 },
    health: { readiness: { http: { path: '/ready', port: 8080 } } },
  });
};

describe.each([
  [PROD.name, PROD],
  [DEV.name, DEV],
])('README scenarios on %s', (_name, cluster) => {
  const out = declare(cluster, { 'orders-api': ordersApi, 'invoices-api': invoicesApi, data });
  const ilbBase = cluster.network.internalLoadBalancerSubnet.cidr.replace(/\.0\/24$/, '');

  it('invoices-api routes both paths through the cluster front door', () => {
    if (cluster.l7.kind === 'agic') {
      expect(out.get('Ingress', 'invoices-api').spec.rules[0].http.paths.map((p: { path: string }) => p.path)).toEqual([
        '/invoices',
        '/credit-notes',
      ]);
    } else {
      expect(out.get('HTTPRoute', 'invoices-api').spec.rules[0].matches).toEqual([
        { path: { type: 'PathPrefix', value: '/invoices' } },
        { path: { type: 'PathPrefix', value: '/credit-notes' } },
      ]);
    }
  });

  it('invoices-api may call orders-api, and orders-api admits it', () => {
    expect(out.get('NetworkPolicy', 'invoices-api', 'invoices-api').spec.egress[1].to[0].namespaceSelector).toEqual({
      matchLabels: { 'kubernetes.io/metadata.name': 'orders-api' },
    });
    expect(out.get('NetworkPolicy', 'allow-from-invoices-api', 'orders-api').spec.ingress[0].ports).toEqual([
      { port: 8080, protocol: 'TCP' },
    ]);
  });

  it('invoices-api has a PDB only where it has more than one replica', () => {
    expect(out.find('PodDisruptionBudget', 'invoices-api') !== undefined).toBe(cluster.environment === 'prod');
  });

  it('pg is a private StatefulSet on the 30th ILB address, reachable from the on-premises range only', () => {
    const svc = out.get('Service', 'pg', 'data');
    expect(svc.metadata.annotations['service.beta.kubernetes.io/azure-load-balancer-ipv4']).toBe(`${ilbBase}.30`);
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['192.168.50.0/24']);
    expect(out.get('NetworkPolicy', 'pg', 'data').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '192.168.50.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    expect(out.get('StatefulSet', 'pg', 'data').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(
      '50Gi',
    );
  });

  it('game publishes only its UDP port on the firewall (the health port stays unpublished), and admits only the firewall subnet', () => {
    expect(
      out.registry.firewallEndpoints.map(
        (e) => `${e.firewallPublicIp}:${e.firewallPort}/${e.protocol} -> ${e.ilbIp}:${e.servicePort}`,
      ),
    ).toEqual([`${cluster.network.firewallPublicIps[0]}:7777/UDP -> ${ilbBase}.31:7777`]);
    expect(out.get('Service', 'game', 'data').spec.ports).toEqual([
      { name: 'game', port: 7777, targetPort: 7777, protocol: 'UDP' },
    ]);
    expect(out.get('NetworkPolicy', 'game', 'data').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: cluster.network.firewallSubnetCidr } }], ports: [{ port: 7777, protocol: 'UDP' }] },
    ]);
    expect(out.get('Deployment', 'game', 'data').spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({
      path: '/ready',
      port: 8080,
      scheme: 'HTTP',
    });
  });
});
