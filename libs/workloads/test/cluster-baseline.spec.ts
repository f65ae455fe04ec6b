/**
 * The cluster baseline the apps land on: restricted namespaces with default deny, and on
 * gateway-api clusters the shared Gateway that only namespaces with an L7Api may attach to.
 */
import { App } from 'cdk8s';
import { validateCluster } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { AppChart, ClusterBaseline, ClusterRegistry, L4Service, L7Api } from '../src';
import type { AppContext } from '../src';
import { DEV, PROD, declare } from './support/harness';
import type { Obj } from './support/harness';

const image = 'ghcr.io/contoso/app:1.0.0';
const apps = (host: string) => ({
  'orders-api': ({ scope }: AppContext) => new L7Api(scope, 'api', { image, port: 8080, routes: [{ host }] }),
  'mqtt-broker': ({ scope }: AppContext) =>
    new L4Service(scope, 'broker', {
      image,
      ports: [{ name: 'mqtts', port: 8883 }],
      exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      address: { offset: 10 },
    }),
});

function baseline(cluster: ClusterSpec, host: string): Obj[] {
  const declared = declare(cluster, apps(host));
  return new ClusterBaseline(new App({ outdir: '/dev/null' }), {
    cluster,
    registry: declared.registry,
  }).toJson() as Obj[];
}

const get = (objs: Obj[], kind: string, name: string, ns?: string) => {
  const m = objs.filter(
    (o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns),
  );
  expect(m).toHaveLength(1);
  return m[0];
};

describe('ClusterBaseline on a gateway-api cluster', () => {
  const objs = baseline(DEV, 'orders.dev.contoso.com');

  it('creates restricted, pinned, never-pruned namespaces; only L7 namespaces may attach to the Gateway', () => {
    const orders = get(objs, 'Namespace', 'orders-api');
    expect(orders.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'aks-gitops',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
      'aks-gitops.io/gateway-access': 'true',
    });
    expect(orders.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(get(objs, 'Namespace', 'mqtt-broker').metadata.labels['aks-gitops.io/gateway-access']).toBeUndefined();
    expect(get(objs, 'Namespace', 'edge-gateway').metadata.labels['aks-gitops.io/gateway-access']).toBeUndefined();
  });

  it('denies everything by default in every namespace, DNS excepted', () => {
    for (const ns of ['edge-gateway', 'mqtt-broker', 'orders-api']) {
      expect(get(objs, 'NetworkPolicy', 'default-deny', ns).spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
      expect(get(objs, 'NetworkPolicy', 'allow-dns', ns).spec.policyTypes).toEqual(['Egress']);
    }
  });

  it('creates the shared Gateway with an HTTPS listener, TLS from Key Vault, routes from labelled namespaces only', () => {
    const gw = get(objs, 'Gateway', 'shared-gateway', 'edge-gateway');
    expect(gw.metadata.annotations).toEqual({
      'alb.networking.azure.io/alb-namespace': 'alb-infra',
      'alb.networking.azure.io/alb-name': 'alb-dev-weu',
    });
    expect(gw.spec).toEqual({
      gatewayClassName: 'azure-alb-external',
      listeners: [
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shared-gateway-tls' }] },
          allowedRoutes: {
            kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
            namespaces: { from: 'Selector', selector: { matchLabels: { 'aks-gitops.io/gateway-access': 'true' } } },
          },
        },
      ],
    });
    expect(get(objs, 'SecretProviderClass', 'shared-gateway-tls', 'edge-gateway').spec.secretObjects[0].type).toBe(
      'kubernetes.io/tls',
    );
  });
});

describe('ClusterBaseline on an agic cluster', () => {
  const objs = baseline(PROD, 'orders.contoso.com');

  it('creates no Gateway and labels no namespace for gateway access', () => {
    expect(objs.filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([
      'mqtt-broker',
      'orders-api',
    ]);
    for (const ns of objs.filter((o) => o.kind === 'Namespace'))
      expect(ns.metadata.labels?.['aks-gitops.io/gateway-access']).toBeUndefined();
  });
});

describe('follow-ups: in-cluster gateways, WAF placement, shared Private Link frontends, workload identity egress', () => {
  const dev: ClusterSpec = DEV;
  const inCluster: ClusterSpec = {
    ...dev,
    l7: {
      ...(dev.l7 as GatewayApiProvider),
      gatewayClassName: 'istio',
      agc: undefined,
      wafPolicyId: undefined,
      gatewayPodLabels: { istio: 'ingressgateway' },
    },
  };

  it('gives in-cluster gateway pods a policy: ingress from the L7 source CIDR, egress to gateway-access namespaces and DNS', () => {
    const registry = new ClusterRegistry(inCluster);
    const objs = new ClusterBaseline(new App(), { cluster: inCluster, registry }).toJson() as Array<{
      kind: string;
      metadata: { name: string };
      spec: Record<string, unknown>;
    }>;
    const np = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'shared-gateway');
    expect(np?.spec).toEqual({
      podSelector: { matchLabels: { istio: 'ingressgateway' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.10.5.0/24' } }] }],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        { to: [{ namespaceSelector: { matchLabels: { 'aks-gitops.io/gateway-access': 'true' } } }] },
      ],
    });
  });

  it('rejects a WAF policy on a gateway class other than Application Gateway for Containers', () => {
    const bad = {
      ...inCluster,
      l7: {
        ...inCluster.l7,
        wafPolicyId:
          '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf',
      },
    };
    expect(validateCluster(bad).map((e) => e.message)).toContainEqual(
      expect.stringContaining('cluster aks-dev-weu, field l7.wafPolicyId: is set but gatewayClassName is "istio"'),
    );
  });

  it('rejects two services that share a frontend IP and both ask for a Private Link Service', () => {
    const registry = new ClusterRegistry(dev);
    const chart = new AppChart(new App(), { cluster: dev, app: 'brokers', registry });
    const common = {
      image: 'docker.io/eclipse-mosquitto:2.0.20',
      exposure: { mode: 'private' as const, allowedSources: ['192.168.0.0/24'] },
      address: { offset: 40 },
      privateLink: { visibility: ['*'] },
    };
    new L4Service(chart, 'a', { ...common, name: 'mqtt-a', ports: [{ name: 'mqtt', port: 1883 }] });
    new L4Service(chart, 'b', { ...common, name: 'mqtt-b', ports: [{ name: 'mqtts', port: 8883 }] });
    expect(() => registry.finalize()).toThrow(
      'cluster aks-dev-weu, app brokers, field L4Service(mqtt-b).privateLink: frontend 10.10.4.40 already gets a Private Link Service from brokers/mqtt-a',
    );
  });

  it('lets workload-identity pods reach public HTTPS (Entra ID), never private ranges, as a recorded waiver', () => {
    const registry = new ClusterRegistry(dev);
    const chart = new AppChart(new App(), { cluster: dev, app: 'payments-api', registry });
    new L7Api(chart, 'api', {
      image: 'ghcr.io/contoso/payments-api:2.0.1',
      port: 8443,
      routes: [{ host: 'pay.dev.contoso.com' }],
      workloadIdentity: { clientId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' },
    });
    registry.finalize();
    const np = (
      chart.toJson() as Array<{
        kind: string;
        metadata: { annotations?: Record<string, string> };
        spec: { egress: unknown[] };
      }>
    ).find((o) => o.kind === 'NetworkPolicy');
    expect(np?.spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
    expect(np?.metadata.annotations?.['waivers.aks-gitops.io/netpol-allow-to-anywhere']).toContain('Entra ID');
  });
});
