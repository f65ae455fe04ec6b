import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { validateCluster } from '@aks-gitops/cluster-model';
import { ClusterBaseline, L4Service, L7Api } from '../src';
import type { L4ServiceProps } from '../src';
import { App } from 'cdk8s';
import { DEV, type Deploy, declare, expectConfigError } from './support/harness';

const LB = 'service.beta.kubernetes.io/';
const PLS_SUB = '00000000-0000-4000-8000-00000000d001';

/** A dev-like cluster with one plain shared frontend and one with a Private Link Service owned by "edge-proxy". */
const SHARED: ClusterSpec = {
  ...DEV,
  name: 'aks-shared-weu',
  sharedFrontends: [
    { name: 'shared-l4', address: '10.10.4.40' },
    {
      name: 'partners',
      address: '10.10.4.50',
      privateLink: {
        name: 'pls-partners',
        resourceGroup: 'rg-aks-nodes',
        owner: 'edge-proxy',
        natSubnet: { name: 'snet-pls', cidr: '10.10.6.0/28' },
        visibility: ['*'],
        autoApproval: [PLS_SUB],
      },
    },
  ],
  frontendAssignments: { broker: 'shared-l4', syslog: 'shared-l4', legacy: 'dedicated' },
};

function l4(props: Partial<L4ServiceProps> = {}): Deploy {
  return ({ scope, app }) => {
    new L4Service(scope, 'svc', {
      name: app,
      image: 'ghcr.io/contoso/x:1.0.0',
      ports: [{ name: 'main', port: 8883 }],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/20'] },
      address: { offset: 10 },
      ...props,
    });
  };
}

describe('a shared internal frontend', () => {
  it('the cluster spec moves an app onto it without a change to the app: same address annotation, its own ports', () => {
    const d = declare(SHARED, {
      broker: l4({ exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] } }),
      syslog: l4({
        ports: [
          { name: 'syslog-udp', port: 514, protocol: 'UDP' },
          { name: 'syslog-tls', port: 6514 },
        ],
        address: { offset: 20 },
        health: { readiness: { tcp: { port: 6514 } } },
      }),
      legacy: l4({ address: { offset: 30 } }),
    });
    const ip = (name: string) => d.get('Service', name).metadata.annotations[`${LB}azure-load-balancer-ipv4`];
    expect(ip('broker')).toBe('10.10.4.40');
    expect(ip('syslog')).toBe('10.10.4.40');
    expect(ip('legacy')).toBe('10.10.4.30');
    // Everything cloud-provider-azure reads per frontend is the same on every Service that joins it.
    for (const name of ['broker', 'syslog']) {
      const a = d.get('Service', name).metadata.annotations;
      expect(a[`${LB}azure-load-balancer-internal`]).toBe('true');
      expect(a[`${LB}azure-load-balancer-internal-subnet`]).toBe('snet-ilb');
      expect(a[`${LB}azure-deny-all-except-load-balancer-source-ranges`]).toBe('true');
      expect(Object.keys(a).filter((k) => k.includes('azure-pls-'))).toEqual([]);
      expect(d.get('Service', name).spec.externalTrafficPolicy).toBe('Local');
    }
    expect(
      d.registry.loadBalancers.filter((l) => l.frontend === 'shared-l4').map((l) => `${l.app} ${l.port}/${l.protocol}`),
    ).toEqual(['broker 8883/TCP', 'syslog 514/UDP', 'syslog 6514/TCP']);
    // The firewall DNATs the published port to the shared address.
    expect(
      d.registry.firewallEndpoints.map((e) => `${e.firewallPublicIp}:${e.firewallPort} -> ${e.ilbIp}:${e.servicePort}`),
    ).toEqual(['203.0.113.10:8883 -> 10.10.4.40:8883']);
    // NetworkPolicies still admit exactly each service's own sources.
    expect(d.get('NetworkPolicy', 'broker').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.1.0/26' } }], ports: [{ port: 8883, protocol: 'TCP' }] },
    ]);
    expect(d.get('NetworkPolicy', 'syslog').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '192.168.0.0/20' } }]);
  });

  it("an app asks for a frontend by name; a cluster without it uses the app's own address", () => {
    const ask = l4({ frontend: 'shared-l4' });
    expect(
      declare({ ...SHARED, frontendAssignments: {} }, { mqtt: ask }).get('Service', 'mqtt').metadata.annotations[
        `${LB}azure-load-balancer-ipv4`
      ],
    ).toBe('10.10.4.40');
    expect(
      declare(DEV, { mqtt: ask }).get('Service', 'mqtt').metadata.annotations[`${LB}azure-load-balancer-ipv4`],
    ).toBe('10.10.4.10');
  });

  it('the same port and protocol twice on one shared frontend is an error naming both apps and the frontend', () => {
    const e = expectConfigError(() => declare(SHARED, { broker: l4(), syslog: l4({ address: { offset: 20 } }) }), {
      cluster: 'aks-shared-weu',
      app: 'syslog',
      field: 'L4Service(syslog).ports[0]',
      problem: '8883/TCP on shared frontend "shared-l4" (10.10.4.40) is already claimed by broker/broker',
    });
    expect(e.fix).toContain('frontendAssignments');
  });

  it('UDP and TCP on the same port number can share it', () => {
    const d = declare(SHARED, {
      broker: l4(),
      syslog: l4({
        ports: [{ name: 'quic', port: 8883, protocol: 'UDP' }],
        health: { readiness: { exec: { command: ['true'] } } },
      }),
    });
    expect(d.registry.loadBalancers.map((l) => `${l.ip}:${l.port}/${l.protocol}`)).toEqual([
      '10.10.4.40:8883/TCP',
      '10.10.4.40:8883/UDP',
    ]);
  });

  it('an app asking for its own Private Link Service on a shared frontend is an error', () => {
    expectConfigError(() => declare(SHARED, { broker: l4({ privateLink: {} }) }), {
      cluster: 'aks-shared-weu',
      app: 'broker',
      field: 'L4Service(broker).privateLink',
      problem:
        'asks for its own Private Link Service on shared frontend "shared-l4" (10.10.4.40); a frontend has at most one PLS',
    });
  });

  it('a dedicated service needs an address', () => {
    expectConfigError(() => declare(SHARED, { legacy: l4({ address: undefined }) }), {
      cluster: 'aks-shared-weu',
      app: 'legacy',
      field: 'L4Service(legacy).address',
      problem: 'is not set',
    });
  });
});

describe('a shared frontend with a Private Link Service', () => {
  const partners: ClusterSpec = { ...SHARED, frontendAssignments: { 'edge-proxy': 'partners', feeds: 'partners' } };

  it('only the owner carries the azure-pls-* annotations; every service on it admits the PLS NAT subnet', () => {
    const d = declare(partners, {
      'edge-proxy': l4({ ports: [{ name: 'https', port: 443 }] }),
      feeds: l4({ ports: [{ name: 'feeds', port: 7000 }] }),
    });
    const owner = d.get('Service', 'edge-proxy');
    const plsKeys = (name: string) =>
      Object.fromEntries(
        Object.entries(d.get('Service', name).metadata.annotations as Record<string, string>).filter(([k]) =>
          k.includes('azure-pls-'),
        ),
      );
    expect(plsKeys('edge-proxy')).toEqual({
      [`${LB}azure-pls-create`]: 'true',
      [`${LB}azure-pls-name`]: 'pls-partners',
      [`${LB}azure-pls-resource-group`]: 'rg-aks-nodes',
      [`${LB}azure-pls-ip-configuration-subnet`]: 'snet-pls',
      [`${LB}azure-pls-visibility`]: '*',
      [`${LB}azure-pls-auto-approval`]: PLS_SUB,
    });
    expect(plsKeys('feeds')).toEqual({});
    expect(owner.spec.loadBalancerSourceRanges).toEqual(['192.168.0.0/20', '10.10.6.0/28']);
    expect(d.get('NetworkPolicy', 'edge-proxy').spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '192.168.0.0/20' } }, { ipBlock: { cidr: '10.10.6.0/28' } }],
        ports: [{ port: 443, protocol: 'TCP' }],
      },
    ]);
    expect(d.get('NetworkPolicy', 'feeds').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '192.168.0.0/20' } },
      { ipBlock: { cidr: '10.10.6.0/28' } },
    ]);
  });

  it('an owner that has no service on the frontend is an error (nothing would create the PLS)', () => {
    const e = configErrorOfDeclare(partners, { feeds: l4() });
    expect(e.details).toMatchObject({
      cluster: 'aks-shared-weu',
      field: 'sharedFrontends["partners"].privateLink.owner',
    });
    expect(e.details.problem).toBe(
      'names app "edge-proxy", which has no service on this frontend, so nothing creates the Private Link Service for feeds',
    );
  });

  it('an owner with two services on the frontend is an error', () => {
    const two: Deploy = (ctx) => {
      l4({ ports: [{ name: 'a', port: 443 }] })(ctx);
      new L4Service(ctx.scope, 'b', {
        name: 'second',
        image: 'ghcr.io/contoso/x:1.0.0',
        ports: [{ name: 'b', port: 444 }],
        exposure: { mode: 'private', allowedSources: ['192.168.0.0/20'] },
      });
    };
    const e = configErrorOfDeclare(partners, { 'edge-proxy': two });
    expect(e.details.problem).toBe(
      'app edge-proxy has 2 services on this frontend (edge-proxy, second); exactly one Service may own the Private Link Service',
    );
  });
});

describe('the in-cluster gateway on a shared frontend with a Private Link Service (Front Door origin)', () => {
  // The dev cluster's listener TLS, without its Application Gateway for Containers parts.
  const gw: GatewayApiProvider = {
    kind: 'gateway-api',
    tls: (DEV.l7 as GatewayApiProvider).tls,
    gatewayClassName: 'istio',
    gateway: { namespace: 'gateway-system', name: 'public', listener: 'https' },
    gatewayPodLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
    frontend: 'edge',
  };
  const cluster: ClusterSpec = {
    ...DEV,
    name: 'aks-istio-weu',
    l7: gw,
    sharedFrontends: [
      {
        name: 'edge',
        address: '10.10.4.60',
        privateLink: {
          name: 'pls-edge',
          resourceGroup: 'rg-aks-nodes',
          natSubnet: { name: 'snet-pls', cidr: '10.10.6.0/28' },
        },
      },
    ],
    frontendAssignments: { tcp: 'edge' },
  };

  it('is a valid spec', () => {
    expect(validateCluster(cluster)).toEqual([]);
  });

  it('the Gateway asks for the shared address and owns the PLS; its pods admit the L7 subnet and the PLS NAT subnet', () => {
    const d = declare(cluster, { tcp: l4() });
    const baseline = new ClusterBaseline(new App({ outdir: '/dev/null' }), { cluster, registry: d.registry });
    const objects = baseline.toJson() as Array<{
      kind: string;
      metadata: { name: string };
      spec: Record<string, unknown>;
    }>;
    const gateway = objects.find((o) => o.kind === 'Gateway');
    expect((gateway?.spec as { infrastructure: unknown }).infrastructure).toEqual({
      annotations: {
        [`${LB}azure-load-balancer-internal`]: 'true',
        [`${LB}azure-load-balancer-internal-subnet`]: 'snet-ilb',
        [`${LB}azure-load-balancer-ipv4`]: '10.10.4.60',
        [`${LB}azure-deny-all-except-load-balancer-source-ranges`]: 'true',
        [`${LB}azure-pls-create`]: 'true',
        [`${LB}azure-pls-name`]: 'pls-edge',
        [`${LB}azure-pls-resource-group`]: 'rg-aks-nodes',
        [`${LB}azure-pls-ip-configuration-subnet`]: 'snet-pls',
      },
    });
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'public');
    expect((policy?.spec as { ingress: unknown }).ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.10.5.0/24' } }, { ipBlock: { cidr: '10.10.6.0/28' } }] },
    ]);
    expect(d.get('Service', 'tcp').metadata.annotations[`${LB}azure-pls-create`]).toBeUndefined();
    expect(d.registry.loadBalancers.map((l) => `${l.app}/${l.workload} ${l.ip}:${l.port}`)).toEqual([
      'platform/public 10.10.4.60:443',
      'tcp/tcp 10.10.4.60:8883',
    ]);
  });

  it("an app on 443 of the gateway's frontend is an error naming the gateway", () => {
    const e = configErrorOfDeclare(cluster, { tcp: l4({ ports: [{ name: 'https', port: 443 }] }) });
    expect(e.details.problem).toBe(
      '443/TCP on shared frontend "edge" (10.10.4.60) is already claimed by platform/public',
    );
  });

  it('L7 routes on that cluster still attach to the in-cluster Gateway', () => {
    const d = declare(cluster, {
      api: ({ scope }) =>
        void new L7Api(scope, 'api', {
          image: 'ghcr.io/contoso/api:1.0.0',
          port: 8080,
          routes: [{ host: 'api.contoso.com' }],
        }),
    });
    expect(d.get('HTTPRoute', 'api').spec.parentRefs[0]).toMatchObject({ namespace: 'gateway-system', name: 'public' });
  });
});

function configErrorOfDeclare(cluster: ClusterSpec, apps: Record<string, Deploy>) {
  try {
    declare(cluster, apps);
  } catch (e) {
    return e as { details: { cluster: string; field: string; problem: string; app?: string } };
  }
  throw new Error('expected an error');
}
