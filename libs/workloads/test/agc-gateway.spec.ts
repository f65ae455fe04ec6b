/**
 * What a gateway-api cluster's baseline gives Application Gateway for Containers so that traffic
 * flows: the ApplicationLoadBalancer (managed) or the AGC id and frontend (bring your own) on the
 * Gateway, listeners for APIs that bring their own certificate, and a certificate sync that no
 * single eviction can break.
 */
import { App } from 'cdk8s';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { ClusterBaseline, L4Service, L7Api, TLS_SYNC_REPLICAS } from '../src';
import type { AppContext } from '../src';
import { DEV, PROD, declare } from './support/harness';
import type { Obj } from './support/harness';

const image = 'ghcr.io/contoso/app:1.0.0';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const edited = (base: ClusterSpec, patch: (c: Loose) => void): ClusterSpec => {
  const c = JSON.parse(JSON.stringify(base)) as Loose;
  patch(c);
  return c as ClusterSpec;
};

function platform(cluster: ClusterSpec, apps: Record<string, (ctx: AppContext) => void>): Obj[] {
  const declared = declare(cluster, apps);
  return new ClusterBaseline(new App({ outdir: '/dev/null' }), {
    cluster,
    registry: declared.registry,
  }).toJson() as Obj[];
}
const one = (objs: Obj[], kind: string, name?: string) => {
  const m = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(m).toHaveLength(1);
  return m[0];
};
const orders = {
  'orders-api': ({ scope }: AppContext) =>
    new L7Api(scope, 'api', { image, port: 8080, routes: [{ host: 'orders.dev.contoso.com' }] }),
};

describe('managed AGC (aks-dev-weu): the ALB Controller creates AGC from an ApplicationLoadBalancer', () => {
  const objs = platform(DEV, orders);

  it('generates the ApplicationLoadBalancer with the association subnet from the cluster spec, never pruned by Flux', () => {
    expect(one(objs, 'ApplicationLoadBalancer')).toEqual({
      apiVersion: 'alb.networking.azure.io/v1',
      kind: 'ApplicationLoadBalancer',
      metadata: {
        name: 'alb-dev-weu',
        namespace: 'alb-infra',
        labels: { 'app.kubernetes.io/managed-by': 'aks-gitops' },
        annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      },
      spec: {
        associations: [
          '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg-aks-dev-weu/providers/Microsoft.Network/virtualNetworks/vnet-aks-dev-weu/subnets/snet-agc',
        ],
      },
    });
  });

  it('creates its namespace with Pod Security restricted and default deny', () => {
    expect(one(objs, 'Namespace', 'alb-infra').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
    expect(
      objs
        .filter((o) => o.metadata.namespace === 'alb-infra' && o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['allow-dns', 'default-deny']);
  });

  it('names it on the Gateway with alb-namespace and alb-name, and sets no addresses', () => {
    const gw = one(objs, 'Gateway');
    expect(gw.metadata.annotations).toEqual({
      'alb.networking.azure.io/alb-namespace': 'alb-infra',
      'alb.networking.azure.io/alb-name': 'alb-dev-weu',
    });
    expect(gw.spec.gatewayClassName).toBe('azure-alb-external');
    expect(gw.spec.addresses).toBeUndefined();
  });
});

describe('bring-your-own AGC: the Gateway carries the AGC resource id and its frontend', () => {
  const resourceId =
    '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg-edge/providers/Microsoft.ServiceNetworking/trafficControllers/agc-dev';
  const byo = edited(DEV, (c) => (c.l7.agc = { deployment: 'bring-your-own', resourceId, frontendName: 'fe-shared' }));
  const objs = platform(byo, orders);

  it('annotates alb-id and puts the frontend in spec.addresses; no ApplicationLoadBalancer, no alb namespace', () => {
    const gw = one(objs, 'Gateway');
    expect(gw.metadata.annotations).toEqual({ 'alb.networking.azure.io/alb-id': resourceId });
    expect(gw.spec.addresses).toEqual([{ type: 'alb.networking.azure.io/alb-frontend', value: 'fe-shared' }]);
    expect(objs.filter((o) => o.kind === 'ApplicationLoadBalancer')).toEqual([]);
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([
      'edge-gateway',
      'orders-api',
    ]);
  });
});

describe('the gateway certificate sync has no single point of failure', () => {
  const objs = platform(DEV, orders);
  const sync = one(objs, 'Deployment', 'shared-gateway-tls-sync');
  const pod = sync.spec.template.spec;

  it(`runs ${TLS_SYNC_REPLICAS} pause pods, surging on rollout so the number mounting the volume never drops`, () => {
    expect(sync.spec.replicas).toBe(2);
    expect(sync.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it('probes readiness and liveness with `/pause -v`, which needs no shell; no probe waivers', () => {
    const probe = { exec: { command: ['/pause', '-v'] }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };
    expect(pod.containers[0].readinessProbe).toEqual(probe);
    expect(pod.containers[0].livenessProbe).toEqual(probe);
    expect(sync.metadata.annotations).toBeUndefined();
  });

  it('is kept by a PodDisruptionBudget that lets a drain evict one pod at a time', () => {
    expect(one(objs, 'PodDisruptionBudget', 'shared-gateway-tls-sync').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shared-gateway-tls-sync' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  it('spreads over zones and nodes', () => {
    expect(pod.topologySpreadConstraints.map((t: Loose) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
    ]);
  });

  it('stays Pod Security restricted', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});

describe('an API with its own Key Vault certificate on AGC', () => {
  const objs = platform(DEV, {
    ...orders,
    'billing-api': ({ scope }: AppContext) =>
      new L7Api(scope, 'api', {
        image,
        port: 8080,
        routes: [{ host: 'billing.fabrikam.com' }, { host: 'invoices.fabrikam.com' }],
        certificate: { name: 'billing-fabrikam-com', dnsNames: ['billing.fabrikam.com', 'invoices.fabrikam.com'] },
      }),
  });
  const gw = one(objs, 'Gateway');

  it('gets one HTTPS listener per host on the shared Gateway, presenting its own synced Secret', () => {
    expect(gw.spec.listeners.map((l: Loose) => [l.name, l.hostname, l.tls.certificateRefs[0].name])).toEqual([
      ['https', undefined, 'shared-gateway-tls'],
      ['billing.fabrikam.com', 'billing.fabrikam.com', 'shared-gateway-cert-billing-fabrikam-com'],
      ['invoices.fabrikam.com', 'invoices.fabrikam.com', 'shared-gateway-cert-billing-fabrikam-com'],
    ]);
    for (const l of gw.spec.listeners) expect(l.allowedRoutes).toEqual(gw.spec.listeners[0].allowedRoutes);
  });

  it('syncs the certificate from the cluster Key Vault with the gateway TLS identity', () => {
    const spc = one(objs, 'SecretProviderClass', 'shared-gateway-tls');
    expect(
      spc.spec.secretObjects.map((s: Loose) => [
        s.secretName,
        s.type,
        s.data.map((d: Loose) => `${d.objectName}:${d.key}`),
      ]),
    ).toEqual([
      [
        'shared-gateway-tls',
        'kubernetes.io/tls',
        ['wildcard-dev-contoso-com:tls.key', 'wildcard-dev-contoso-com:tls.crt'],
      ],
      [
        'shared-gateway-cert-billing-fabrikam-com',
        'kubernetes.io/tls',
        ['billing-fabrikam-com:tls.key', 'billing-fabrikam-com:tls.crt'],
      ],
    ]);
    expect(spc.spec.parameters.objects).toBe(
      'array:\n  - |\n    objectName: wildcard-dev-contoso-com\n    objectType: secret\n  - |\n    objectName: billing-fabrikam-com\n    objectType: secret\n',
    );
  });

  it('attaches its HTTPRoute to exactly those listeners', () => {
    const declared = declare(DEV, {
      'billing-api': ({ scope }: AppContext) =>
        new L7Api(scope, 'api', {
          image,
          port: 8080,
          routes: [{ host: 'billing.fabrikam.com' }],
          certificate: { name: 'billing-fabrikam-com', dnsNames: ['billing.fabrikam.com'] },
        }),
    });
    expect(declared.get('HTTPRoute', 'billing-api').spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        namespace: 'edge-gateway',
        name: 'shared-gateway',
        sectionName: 'billing.fabrikam.com',
      },
    ]);
  });
});

describe('AKS LocalDNS: DNS egress also reaches the node-local proxy', () => {
  const allowDns = (objs: Obj[], ns: string) =>
    objs.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-dns' && o.metadata.namespace === ns,
    ) as Obj;
  const mqtt = {
    'mqtt-broker': ({ scope }: AppContext) =>
      new L4Service(scope, 'b', {
        image,
        ports: [{ name: 'mqtts', port: 8883 }],
        exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] },
        address: { offset: 10 },
      }),
  };

  it('off (the examples): only kube-dns, no Cilium policy', () => {
    const objs = platform(PROD, mqtt);
    expect(allowDns(objs, 'mqtt-broker').spec.egress).toHaveLength(1);
    expect(objs.filter((o) => o.kind === 'CiliumNetworkPolicy')).toEqual([]);
  });

  it('Azure NPM or Calico: allow-dns adds 169.254.10.10/32 and 169.254.10.11/32 on port 53', () => {
    const objs = platform(
      edited(PROD, (c) => {
        c.network.localDns = true;
        c.networkPolicyEngine = 'azure';
      }),
      mqtt,
    );
    expect(allowDns(objs, 'mqtt-broker').spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '169.254.10.10/32' } }, { ipBlock: { cidr: '169.254.10.11/32' } }],
      ports: [
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ],
    });
  });

  it('Cilium (ipBlock cannot select node addresses): a CiliumNetworkPolicy per namespace, as the AKS Cilium FAQ shows', () => {
    const objs = platform(
      edited(PROD, (c) => {
        c.kubernetesVersion = '1.37';
        delete c.network.localDns;
      }),
      mqtt,
    );
    const cnp = objs.find((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata.namespace === 'mqtt-broker') as Obj;
    const toPorts = [
      {
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
    ];
    expect(cnp).toEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: {
        name: 'allow-localdns',
        namespace: 'mqtt-broker',
        labels: { 'app.kubernetes.io/managed-by': 'aks-gitops' },
      },
      spec: {
        endpointSelector: { matchLabels: {} },
        egress: [
          { toCIDR: ['169.254.10.0/24'], toPorts },
          { toEntities: ['host'], toPorts },
        ],
      },
    });
    expect(allowDns(objs, 'mqtt-broker').spec.egress).toHaveLength(1);
  });
});
