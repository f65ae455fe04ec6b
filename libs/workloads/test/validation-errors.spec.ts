/**
 * Every mistake a user can make is a ConfigError that names the cluster, the app and the field
 * path, says what is wrong and how to fix it: one test per mistake.
 */
import { L4Service, L7Api, imageProblem } from '../src';
import type { AppContext, L4ServiceProps, L7ApiProps } from '../src';
import { AGIC_BARE, IN_CLUSTER_GATEWAY } from './support/clusters';
import { DEV, PROD, declare, declareOne, expectConfigError } from './support/harness';

const api: L7ApiProps = {
  image: 'ghcr.io/contoso/orders-api:1.4.2',
  port: 8080,
  routes: [{ host: 'orders.contoso.com', paths: ['/orders'] }],
};
const l7 =
  (extra: Partial<L7ApiProps>) =>
  ({ scope }: AppContext) =>
    new L7Api(scope, 'api', { ...api, ...extra } as L7ApiProps);
const l4Props: L4ServiceProps = {
  image: 'ghcr.io/contoso/db:16.2',
  ports: [{ name: 'pg', port: 5432 }],
  exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
  address: { offset: 10 },
};
const l4 =
  (extra: Partial<L4ServiceProps>) =>
  ({ scope }: AppContext) =>
    new L4Service(scope, 'db', { ...l4Props, ...extra } as L4ServiceProps);

/** Declares app `orders-api` (L7) on prod and expects the error on `L7Api(orders-api).<field>`. */
function expectL7Error(extra: Partial<L7ApiProps>, field: string, problem: string | RegExp, cluster = PROD) {
  return expectConfigError(() => declareOne(cluster, 'orders-api', l7(extra)), {
    cluster: cluster.name,
    app: 'orders-api',
    field: `L7Api(orders-api).${field}`,
    problem,
  });
}
/** Declares app `db` (L4) on dev and expects the error on `L4Service(db).<field>`. */
function expectL4Error(extra: Partial<L4ServiceProps>, field: string, problem: string | RegExp, cluster = DEV) {
  return expectConfigError(() => declareOne(cluster, 'db', l4(extra)), {
    cluster: cluster.name,
    app: 'db',
    field: `L4Service(db).${field}`,
    problem,
  });
}

describe('L7 routes', () => {
  it('a host+path claimed by two apps in one cluster', () => {
    const e = expectConfigError(
      () =>
        declare(PROD, {
          'orders-api': l7({}),
          'shop-api': l7({ routes: [{ host: 'orders.contoso.com', paths: ['/cart', '/orders'] }] }),
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'shop-api',
        field: 'L7Api(shop-api).routes[0].paths[1]',
        problem: 'host orders.contoso.com path /orders is already routed to orders-api/orders-api',
      },
    );
    expect(e.fix).toContain('own host or path');
  });

  it('the same host with different paths in two apps is fine', () => {
    expect(() =>
      declare(PROD, {
        'orders-api': l7({}),
        'shop-api': l7({ routes: [{ host: 'orders.contoso.com', paths: ['/cart'] }] }),
      }),
    ).not.toThrow();
  });

  it('a host+path listed twice in one API', () => {
    expectL7Error(
      {
        routes: [
          { host: 'orders.contoso.com', paths: ['/orders'] },
          { host: 'orders.contoso.com', paths: ['/orders'] },
        ],
      },
      'routes[1].paths[0]',
      'orders.contoso.com/orders is listed twice',
    );
  });

  it.each([
    ['uppercase', 'Orders.contoso.com', 'is not a valid hostname'],
    ['no dot', 'orders', 'is not a fully qualified hostname'],
    ['underscore', 'orders_api.contoso.com', 'is not a valid hostname'],
    ['empty', '', 'must be a non-empty hostname'],
  ])('an invalid hostname (%s)', (_what, host, problem) => {
    expectL7Error({ routes: [{ host }] }, 'routes[0].host', problem);
  });

  it('no routes', () => {
    expectL7Error({ routes: [] }, 'routes', 'is empty');
  });

  it('a route path not starting with "/"', () => {
    expectL7Error(
      { routes: [{ host: 'orders.contoso.com', paths: ['orders'] }] },
      'routes[0].paths[0]',
      '"orders" is not a path prefix starting with "/"',
    );
  });

  it('on gateway-api, hosts of one L7Api with different paths', () => {
    expectL7Error(
      {
        routes: [
          { host: 'orders.dev.contoso.com', paths: ['/orders'] },
          { host: 'shop.dev.contoso.com', paths: ['/shop'] },
        ],
      },
      'routes[1].paths',
      'differs from the paths of routes[0]',
      DEV,
    );
  });

  it('an app WAF policy that is not a WAF policy resource ID', () => {
    expectL7Error({ wafPolicyId: '/subscriptions/x/waf' }, 'wafPolicyId', 'is not a WAF policy resource ID');
  });
});

describe('ports', () => {
  it.each([0, 65536, 1.5])('L7Api port %p', (port) => {
    expectL7Error({ port }, 'port', 'is not a port number (an integer from 1 to 65535)');
  });

  it.each([0, 65536, 1.5])('L4Service port %p', (port) => {
    expectL4Error(
      { ports: [{ name: 'pg', port }] },
      'ports[0].port',
      'is not a port number (an integer from 1 to 65535)',
    );
  });

  it.each([0, 65536, 1.5])('L4Service targetPort %p', (targetPort) => {
    expectL4Error({ ports: [{ name: 'pg', port: 5432, targetPort }] }, 'ports[0].targetPort', 'is not a port number');
  });

  it('L4Service firewallPort out of range', () => {
    expectL4Error(
      {
        ports: [{ name: 'pg', port: 5432, firewallPort: 70000 }],
        exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      },
      'ports[0].firewallPort',
      'is not a port number',
    );
  });

  it('egress port out of range', () => {
    expectL7Error(
      { egress: [{ cidr: '10.0.0.0/24', ports: [{ port: 0 }] }] },
      'egress[0].ports[0].port',
      'is not a port number',
    );
  });

  it('an L4 port name Kubernetes rejects (uppercase, too long, no letter, double dash)', () => {
    for (const name of ['PG', 'a-very-long-port-name', '5432', 'pg--tls']) {
      expectL4Error({ ports: [{ name, port: 5432 }] }, 'ports[0].name', 'is not a port name');
    }
  });

  it('an L4 port name used twice', () => {
    expectL4Error(
      {
        ports: [
          { name: 'pg', port: 5432 },
          { name: 'pg', port: 5433 },
        ],
      },
      'ports[1].name',
      '"pg" is used twice',
    );
  });

  it('the same port and protocol twice in one service', () => {
    expectL4Error(
      {
        ports: [
          { name: 'a', port: 5432 },
          { name: 'b', port: 5432 },
        ],
      },
      'ports[1].port',
      '5432/TCP is listed twice',
    );
  });
});

describe('end-to-end TLS', () => {
  it('https backend on agic without a trusted root certificate on the cluster', () => {
    expectL7Error(
      { backendProtocol: 'https' },
      'backendProtocol',
      'is https but cluster aks-agic-bare names no App Gateway trusted root certificate',
      AGIC_BARE,
    );
  });

  it('https backend on an in-cluster Gateway API implementation (only AGC has a BackendTLSPolicy here)', () => {
    expectL7Error(
      { backendProtocol: 'https', routes: [{ host: 'orders.dev.contoso.com' }] },
      'backendProtocol',
      'https backends are generated for Application Gateway for Containers only',
      IN_CLUSTER_GATEWAY,
    );
  });

  it('a backend protocol that is neither http nor https', () => {
    expectL7Error({ backendProtocol: 'grpc' as 'http' }, 'backendProtocol', '"grpc" is not http or https');
  });
});

describe('images', () => {
  it.each([
    ['without a tag', 'ghcr.io/contoso/orders-api', 'has neither a tag nor a digest'],
    ['with latest', 'ghcr.io/contoso/orders-api:latest', 'uses the tag "latest"'],
    ['garbage', 'not an image!', 'is not an image reference'],
    ['uppercase repository', 'ghcr.io/Contoso/orders-api:1.0', 'is not an image reference'],
    ['a registry port but no tag', 'localhost:5000/orders-api', 'has neither a tag nor a digest'],
  ])('an image %s', (_what, image, problem) => {
    expectL7Error({ image }, 'image', problem);
  });

  it.each([
    'postgres:16',
    'docker.io/library/postgres:16.2',
    'localhost:5000/orders-api:1.0',
    `ghcr.io/contoso/orders-api@sha256:${'a'.repeat(64)}`,
    `ghcr.io/contoso/orders-api:latest@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });
});

describe('probes', () => {
  it.each([
    ['readinessPath', 'readyz'],
    ['livenessPath', 'livez'],
    ['startupPath', 'startz'],
  ])('health.%s not starting with "/"', (key, path) => {
    expectL7Error({ health: { [key]: path } }, `health.${key}`, `"${path}" does not start with "/"`);
  });

  it('an exec probe with an empty command', () => {
    expectL4Error(
      { health: { readiness: { exec: { command: [] } } } },
      'health.readiness',
      'exec probe has an empty command',
    );
  });

  it('a TCP probe on a port that is no port number', () => {
    expectL4Error(
      { health: { readiness: { tcp: { port: 70000 } } } },
      'health.readiness',
      'TCP probe port 70000 is not a port number (1-65535)',
    );
  });
});

describe('names Kubernetes would reject', () => {
  it('an uppercase workload name', () => {
    expectConfigError(() => declareOne(PROD, 'orders-api', l7({ name: 'Orders' })), {
      cluster: 'aks-prod-weu',
      app: 'orders-api',
      field: 'L7Api(Orders).name',
      problem: 'is not a DNS label',
    });
  });

  it('a workload name longer than 50 characters', () => {
    const name = 'o'.repeat(51);
    expectConfigError(() => declareOne(PROD, 'orders-api', l7({ name })), {
      cluster: 'aks-prod-weu',
      app: 'orders-api',
      field: `L7Api(${name}).name`,
      problem: 'is 51 characters, longer than 50',
    });
  });

  it('a workload name that does not start with a letter (it names the Service)', () => {
    expectConfigError(() => declareOne(PROD, '1orders', l7({})), {
      cluster: 'aks-prod-weu',
      app: '1orders',
      field: 'L7Api(1orders).name',
      problem: 'does not start with a letter',
    });
  });

  it('a workload name used twice in one app', () => {
    expectConfigError(
      () =>
        declareOne(PROD, 'orders-api', ({ scope }) => {
          new L7Api(scope, 'a', api);
          new L7Api(scope, 'b', { ...api, routes: [{ host: 'orders2.contoso.com' }] });
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'orders-api',
        field: 'L7Api(orders-api).name',
        problem: 'workload name "orders-api" is used twice in this app',
      },
    );
  });

  it('the same name for an L7Api and an L4Service in one app', () => {
    expectConfigError(
      () =>
        declareOne(DEV, 'broker', ({ scope }) => {
          new L7Api(scope, 'a', { ...api, name: 'broker', routes: [{ host: 'broker.dev.contoso.com' }] });
          new L4Service(scope, 'b', l4Props);
        }),
      { cluster: 'aks-dev-weu', app: 'broker', field: 'L4Service(broker).name', problem: 'is used twice' },
    );
  });

  it('an env variable name', () => {
    expectL7Error({ env: { 'my-var': '1' } }, 'env.my-var', 'is not a valid environment variable name');
  });

  it('a ConfigMap key', () => {
    expectL7Error({ config: { 'a b': '1' } }, 'config.a b', 'is not a valid ConfigMap key');
  });

  it('a Key Vault secret name', () => {
    expectL7Error(
      { workloadIdentity: { clientId: '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f' }, keyVaultSecrets: ['psp_key'] },
      'keyVaultSecrets[0]',
      'is not a Key Vault secret name',
    );
  });

  it('a volume name used twice, or one the platform uses', () => {
    const vol = { mountPath: '/data', size: '1Gi' };
    expectL4Error(
      {
        volumes: [
          { name: 'data', ...vol },
          { name: 'data', ...vol, mountPath: '/data2' },
        ],
      },
      'volumes[1].name',
      'is used twice or reserved',
    );
    expectL4Error({ volumes: [{ name: 'tmp', ...vol }] }, 'volumes[0].name', 'is used twice or reserved');
  });

  it('a volume mounted over /tmp, the secrets mount, or another volume', () => {
    const vol = { name: 'data', size: '1Gi' };
    expectL4Error({ volumes: [{ ...vol, mountPath: '/tmp' }] }, 'volumes[0].mountPath', 'already mounted');
    expectL4Error(
      { volumes: [{ ...vol, mountPath: '/mnt/secrets-store' }] },
      'volumes[0].mountPath',
      'already mounted',
    );
    expectL4Error(
      {
        volumes: [
          { ...vol, mountPath: '/data' },
          { name: 'logs', size: '1Gi', mountPath: '/data' },
        ],
      },
      'volumes[1].mountPath',
      'already mounted',
    );
    expectL4Error({ volumes: [{ ...vol, mountPath: 'data' }] }, 'volumes[0].mountPath', 'is not an absolute path');
  });

  it("a workload named like another workload's headless Service", () => {
    const vol = { volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] };
    expectConfigError(
      () =>
        declareOne(DEV, 'db', ({ scope }) => {
          new L4Service(scope, 'db', { ...l4Props, name: 'db', ...vol });
          new L4Service(scope, 'other', { ...l4Props, name: 'db-headless', address: { offset: 11 } });
        }),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db-headless).name',
        problem: 'Service "db-headless" of workload db-headless is also the Service of workload db',
      },
    );
    // And the other way round: the stateful workload declared second.
    expectConfigError(
      () =>
        declareOne(DEV, 'db', ({ scope }) => {
          new L4Service(scope, 'other', { ...l4Props, name: 'db-headless', address: { offset: 11 } });
          new L4Service(scope, 'db', { ...l4Props, name: 'db', ...vol });
        }),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db).name',
        problem: 'Service "db-headless" of workload db is also the Service of workload db-headless',
      },
    );
  });

  it('a StorageClass name that is not a DNS subdomain', () => {
    expectL4Error(
      { volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClassName: 'Premium SSD!' }] },
      'volumes[0].storageClassName',
      '"Premium SSD!" is not a StorageClass name',
    );
  });

  it('a volume size that is not a quantity', () => {
    expectL4Error(
      { volumes: [{ name: 'data', mountPath: '/data', size: 'ten gigs' }] },
      'volumes[0].size',
      'is not a storage quantity',
    );
  });
});

describe('replicas and resources', () => {
  it('replicas together with autoscaling', () => {
    expectL7Error({ replicas: 3, autoscaling: { maxReplicas: 5 } }, 'replicas', 'is set together with autoscaling');
  });

  it('maxReplicas below minReplicas', () => {
    expectL7Error(
      { autoscaling: { minReplicas: 4, maxReplicas: 3 } },
      'autoscaling.maxReplicas',
      '3 is not an integer from minReplicas (4) to 1000',
    );
  });

  it('maxReplicas below the default minReplicas (2)', () => {
    expectL7Error({ autoscaling: { maxReplicas: 1 } }, 'autoscaling.maxReplicas', 'from minReplicas (2)');
  });

  it('replicas out of range', () => {
    expectL7Error({ replicas: 0 }, 'replicas', 'is not an integer from 1 to 100');
  });

  it('memoryLimit below the memory request', () => {
    expectL7Error(
      { resources: { memory: '512Mi', memoryLimit: '256Mi' } },
      'resources.memoryLimit',
      '256Mi is below the memory request 512Mi',
    );
  });

  it('memory above the default limit without raising the limit', () => {
    expectL7Error({ resources: { memory: '1Gi' } }, 'resources.memoryLimit', '256Mi is below the memory request 1Gi');
  });

  it('a resource that is not a quantity', () => {
    expectL7Error({ resources: { cpu: 'lots' } }, 'resources.cpu', 'is not a Kubernetes quantity');
  });
});

describe('identity and security', () => {
  it('runAsUser below 10000', () => {
    expectL7Error({ runAsUser: 1000 }, 'runAsUser', '1000 is not a UID >= 10000');
  });

  it('runAsUser 0 (root)', () => {
    expectL7Error({ runAsUser: 0 }, 'runAsUser', '0 is not a UID >= 10000');
  });

  it('keyVaultSecrets without a workload identity', () => {
    expectL7Error(
      { keyVaultSecrets: ['psp-api-key'] },
      'keyVaultSecrets',
      'needs a workload identity to read Key Vault',
    );
  });

  it('a workload identity client ID that is not a GUID', () => {
    expectL7Error(
      { workloadIdentity: { clientId: 'payments' } },
      'workloadIdentity.clientId',
      'is not a lowercase GUID',
    );
  });

  it('egress to 0.0.0.0/0 without a reason', () => {
    expectL7Error(
      { egress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] },
      'egress[0].cidr',
      'allows egress to anywhere without a reason',
    );
  });

  it('egress to something that is not a CIDR', () => {
    expectL7Error(
      { egress: [{ cidr: '10.0.0.1/24', ports: [{ port: 443 }] }] },
      'egress[0].cidr',
      'is not an IPv4 CIDR',
    );
  });

  it('egress without ports', () => {
    expectL7Error({ egress: [{ cidr: '10.0.0.0/24', ports: [] }] }, 'egress[0].ports', 'is empty');
  });

  it('writableRootFilesystem without a reason', () => {
    expectL7Error({ writableRootFilesystem: { reason: ' ' } }, 'writableRootFilesystem.reason', 'is empty');
  });
});

describe('internal load balancer frontends', () => {
  it('one IP+port+protocol claimed by two apps in one cluster', () => {
    const e = expectConfigError(() => declare(DEV, { db: l4({}), 'db-replica': l4({ address: '10.10.4.10' }) }), {
      cluster: 'aks-dev-weu',
      app: 'db-replica',
      field: 'L4Service(db-replica).ports[0]',
      problem: '10.10.4.10:5432/TCP is already claimed by db/db',
    });
    expect(e.fix).toContain('another internal IP');
  });

  it('a static IP outside the ILB subnet names the subnet', () => {
    expectL4Error({ address: '10.10.5.10' }, 'address', '10.10.5.10 is outside the ILB subnet snet-ilb (10.10.4.0/24)');
  });

  it('an offset past the end of the ILB subnet names the offset, the address and the subnet', () => {
    expectL4Error(
      { address: { offset: 300 } },
      'address',
      'offset 300 (10.10.5.44) is outside the ILB subnet snet-ilb (10.10.4.0/24)',
    );
  });

  it('a huge offset does not print a wrapped-around address', () => {
    expectL4Error(
      { address: { offset: 2 ** 32 } },
      'address',
      `offset ${2 ** 32} (past the end of IPv4) is outside the ILB subnet snet-ilb`,
    );
  });

  it('a negative offset', () => {
    expectL4Error({ address: { offset: -1 } }, 'address', 'offset -1 (10.10.3.255) is outside the ILB subnet snet-ilb');
  });

  it.each([
    [{ offset: 0 }, '10.10.4.0'],
    [{ offset: 1 }, '10.10.4.1'],
    [{ offset: 2 }, '10.10.4.2'],
    [{ offset: 3 }, '10.10.4.3'],
    [{ offset: 255 }, '10.10.4.255'],
    ['10.10.4.255', '10.10.4.255'],
  ])('an Azure-reserved address %p', (address, shown) => {
    expectL4Error({ address }, 'address', `${shown} is reserved by Azure in 10.10.4.0/24`);
  });

  it('an address that is not an IPv4 address', () => {
    expectL4Error({ address: '10.10.4' }, 'address', 'is not an IPv4 address');
  });

  it('an offset that is not an integer', () => {
    expectL4Error({ address: { offset: 1.5 } }, 'address', "is neither 'auto', an IPv4 address nor { offset: N }");
  });

  it.each([3, 31])('a TCP idle timeout of %p minutes', (tcpIdleTimeoutMinutes) => {
    expectL4Error(
      { tcpIdleTimeoutMinutes },
      'tcpIdleTimeoutMinutes',
      `${tcpIdleTimeoutMinutes} is not an integer from 4 to 30`,
    );
  });

  it.each(['Tcp', 'Http'] as const)(
    'a %s load balancer probe (ignored under externalTrafficPolicy Local)',
    (protocol) => {
      expectL4Error(
        {
          ports: [
            { name: 'syslog', port: 514, protocol: 'UDP', loadBalancerProbe: { protocol, path: '/healthz' } as never },
            { name: 'tls', port: 6514 },
          ],
        },
        'ports[0].loadBalancerProbe',
        'would be ignored: with externalTrafficPolicy Local',
      );
    },
  );

  it('a protocol that is neither TCP nor UDP', () => {
    expectL4Error(
      { ports: [{ name: 'sctp', port: 5432, protocol: 'SCTP' as 'TCP' }] },
      'ports[0].protocol',
      '"SCTP" is not TCP or UDP',
    );
  });

  it('no ports', () => {
    expectL4Error({ ports: [] }, 'ports', 'is empty');
  });
});

describe('exposure', () => {
  it('private with 0.0.0.0/0', () => {
    expectL4Error(
      { exposure: { mode: 'private', allowedSources: ['10.30.0.0/16', '0.0.0.0/0'] } },
      'exposure.allowedSources[1]',
      '0.0.0.0/0 allows every address',
    );
  });

  it('private with no sources', () => {
    expectL4Error({ exposure: { mode: 'private', allowedSources: [] } }, 'exposure.allowedSources', 'is empty');
  });

  it('private with "*"', () => {
    expectL4Error(
      { exposure: { mode: 'private', allowedSources: ['*'] } },
      'exposure.allowedSources[0]',
      'is not an IPv4 address or CIDR',
    );
  });

  it('a source CIDR with host bits set', () => {
    expectL4Error(
      { exposure: { mode: 'private', allowedSources: ['10.30.0.1/16'] } },
      'exposure.allowedSources[0]',
      'is not an IPv4 address or CIDR with its host bits zero',
    );
  });

  it('a single IP is accepted as a /32', () => {
    const out = declareOne(DEV, 'db', l4({ exposure: { mode: 'private', allowedSources: ['10.30.0.1'] } }));
    expect(out.get('Service', 'db').spec.loadBalancerSourceRanges).toEqual(['10.30.0.1/32']);
  });

  it('public with "*" mixed with CIDRs', () => {
    expectL4Error(
      { exposure: { mode: 'public-via-firewall', sourceAddresses: ['198.51.100.0/24', '*'] } },
      'exposure.sourceAddresses[1]',
      '"*" is combined with other sources',
    );
  });

  it('public with 0.0.0.0/0 instead of "*"', () => {
    expectL4Error(
      { exposure: { mode: 'public-via-firewall', sourceAddresses: ['0.0.0.0/0'] } },
      'exposure.sourceAddresses[0]',
      'allows every address',
    );
  });

  it('public with no sources', () => {
    expectL4Error(
      { exposure: { mode: 'public-via-firewall', sourceAddresses: [] } },
      'exposure.sourceAddresses',
      'is empty',
    );
  });

  it('a firewall public IP the cluster does not have', () => {
    expectL4Error(
      { exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'], firewallPublicIp: '203.0.113.99' } },
      'exposure.firewallPublicIp',
      "203.0.113.99 is not a public IP of the cluster's firewall (203.0.113.20, 203.0.113.21)",
      PROD,
    );
  });

  it('an unknown exposure mode', () => {
    expectL4Error(
      { exposure: { mode: 'public' } as unknown as L4ServiceProps['exposure'] },
      'exposure.mode',
      '"public" is not an exposure mode',
    );
  });

  it('Private Link auto-approval without visibility "*"', () => {
    expectL4Error(
      {
        privateLink: {
          visibility: ['00000000-0000-4000-8000-0000000000aa'],
          autoApproval: ['00000000-0000-4000-8000-0000000000aa'],
        },
      },
      'privateLink.autoApproval',
      'is set but visibility is not "*"',
    );
  });

  it('Private Link visibility that is not a subscription ID', () => {
    expectL4Error({ privateLink: { visibility: ['contoso'] } }, 'privateLink.visibility[0]', 'is not a lowercase GUID');
  });
});
