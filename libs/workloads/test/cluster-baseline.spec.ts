/**
 * The cluster baseline the apps land on: restricted namespaces with default deny, and on
 * gateway-api clusters the shared Gateway that only namespaces with an L7Api may attach to.
 */
import { App } from 'cdk8s';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { ClusterBaseline, L4Service, L7Api } from '../src';
import type { AppContext } from '../src';
import { DEV, PROD, declare } from './support/harness';
import type { Obj } from './support/harness';

const image = 'ghcr.io/contoso/app:1.0.0';
const apps = (host: string) => ({
  'orders-api': ({ scope }: AppContext) => new L7Api(scope, 'api', { image, port: 8080, routes: [{ host }] }),
  'mqtt-broker': ({ scope }: AppContext) =>
    new L4Service(scope, 'broker', { image, ports: [{ name: 'mqtts', port: 8883 }], exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] }, address: { offset: 10 } }),
});

function baseline(cluster: ClusterSpec, host: string): Obj[] {
  const declared = declare(cluster, apps(host));
  return new ClusterBaseline(new App({ outdir: '/dev/null' }), { cluster, registry: declared.registry }).toJson() as Obj[];
}

const get = (objs: Obj[], kind: string, name: string, ns?: string) => {
  const m = objs.filter((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));
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
      expect(get(objs, 'NetworkPolicy', 'default-deny', ns).spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(get(objs, 'NetworkPolicy', 'allow-dns', ns).spec.policyTypes).toEqual(['Egress']);
    }
  });

  it('creates the shared Gateway with an HTTPS listener, TLS from Key Vault, routes from labelled namespaces only', () => {
    const gw = get(objs, 'Gateway', 'shared-gateway', 'edge-gateway');
    expect(gw.metadata.annotations).toEqual({ 'alb.networking.azure.io/alb-namespace': 'alb-infra', 'alb.networking.azure.io/alb-name': 'alb-dev-weu' });
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
    expect(get(objs, 'SecretProviderClass', 'shared-gateway-tls', 'edge-gateway').spec.secretObjects[0].type).toBe('kubernetes.io/tls');
  });
});

describe('ClusterBaseline on an agic cluster', () => {
  const objs = baseline(PROD, 'orders.contoso.com');

  it('creates no Gateway and labels no namespace for gateway access', () => {
    expect(objs.filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['mqtt-broker', 'orders-api']);
    for (const ns of objs.filter((o) => o.kind === 'Namespace')) expect(ns.metadata.labels?.['aks-gitops.io/gateway-access']).toBeUndefined();
  });
});
