/**
 * fast-check arbitraries for valid fleets (cluster specs) and valid apps (L7Api / L4Service
 * props, shared workload props, calls), plus one-field mutations that make them invalid.
 *
 * Random parts come from fast-check; the parts that must be unique across a fleet (hosts, load
 * balancer ports and addresses, cluster names and DNAT priorities) are derived from indexes, so
 * every generated fleet is valid by construction.
 */
import fc from 'fast-check';
import { Construct } from 'constructs';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { L4Service, L7Api, defineApp } from '@aks-gitops/workloads';
import type {
  AppDefinition,
  CallTarget,
  EgressRule,
  L4Port,
  L4ServiceProps,
  L7ApiProps,
  WorkloadProps,
} from '@aks-gitops/workloads';

export const WAF_ID = (sub: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/rg-edge/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/${name}`;

const hex64 = fc.stringMatching(/^[a-f0-9]{64}$/);
const dnsish = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9]{0,${max - 1}}$`));

// ---------------------------------------------------------------------------------------------
// Clusters.

interface ClusterSeed {
  environment: ClusterSpec['environment'];
  region: string;
  minor: number;
  subscriptionId: string;
  engine: ClusterSpec['networkPolicyEngine'];
  vnet: number;
  ilbPrefix: number;
  firewallIps: number[];
  l7: 'agic' | 'agc' | 'istio';
  trustedRoot: boolean;
  waf: boolean;
  usePrivateIp: boolean;
  gatewayNamespace: string;
  listener: string;
  tenantId: string;
  clientId: string;
  branch: string;
  pinSyncImage: boolean;
}

export const PINNED_PAUSE = `registry.k8s.io/pause:3.10@sha256:${'e'.repeat(64)}`;

const clusterSeed: fc.Arbitrary<ClusterSeed> = fc.record({
  environment: fc.constantFrom('dev', 'test', 'staging', 'prod'),
  region: fc.constantFrom('westeurope', 'northeurope', 'eastus2', 'swedencentral'),
  // From 1.30: before it the sleep preStop action does not exist and L7Api/L4Service then need an
  // explicit shutdown.preStopCommand (an error otherwise, covered by its own tests).
  minor: fc.integer({ min: 30, max: 39 }),
  subscriptionId: fc.uuid(),
  engine: fc.constantFrom('cilium', 'azure', 'calico'),
  vnet: fc.integer({ min: 1, max: 250 }),
  ilbPrefix: fc.integer({ min: 24, max: 26 }),
  firewallIps: fc.uniqueArray(fc.integer({ min: 1, max: 254 }), { minLength: 1, maxLength: 3 }),
  l7: fc.constantFrom('agic', 'agc', 'istio'),
  trustedRoot: fc.boolean(),
  waf: fc.boolean(),
  usePrivateIp: fc.boolean(),
  gatewayNamespace: fc.constantFrom('edge-gateway', 'gateway-system', 'istio-ingress'),
  listener: fc.constantFrom('https', 'https-443', 'tls'),
  tenantId: fc.uuid(),
  clientId: fc.uuid(),
  branch: fc.constantFrom('main', 'release/1.2', 'env/prod'),
  pinSyncImage: fc.boolean(),
});

export function clusterFromSeed(s: ClusterSeed, index: number): ClusterSpec {
  const name = `c${index}-${s.environment}`;
  const v = s.vnet;
  const l7: ClusterSpec['l7'] =
    s.l7 === 'agic'
      ? {
          kind: 'agic',
          sslCertificate: `wildcard-${name}`,
          sslCertificateDnsNames: ['*.example.com'],
          ...(s.trustedRoot ? { trustedRootCertificate: 'internal-root' } : {}),
          ...(s.waf || s.environment === 'prod' ? { wafPolicyId: WAF_ID(s.subscriptionId, `waf-${name}`) } : {}),
          ...(s.usePrivateIp ? { usePrivateIp: true } : {}),
        }
      : {
          kind: 'gateway-api',
          gatewayClassName: s.l7 === 'agc' ? 'azure-alb-external' : 'istio',
          gateway: { namespace: s.gatewayNamespace, name: 'shared-gateway', listener: s.listener },
          ...(s.l7 === 'agc'
            ? {
                agc: {
                  deployment: 'managed',
                  namespace: 'alb-infra',
                  name: `alb-${name}`,
                  associationSubnetId: `/subscriptions/${s.subscriptionId}/resourceGroups/rg-${name}/providers/Microsoft.Network/virtualNetworks/vnet-${name}/subnets/snet-agc`,
                },
              }
            : { gatewayPodLabels: { istio: 'ingressgateway' } }),
          // Prod clusters always have a WAF (the gate requires one per route there).
          ...((s.waf || s.environment === 'prod') && s.l7 === 'agc'
            ? { wafPolicyId: WAF_ID(s.subscriptionId, `waf-${name}`) }
            : {}),
          ...(s.l7 === 'istio'
            ? { externalWaf: { reason: 'Front Door WAF in front of the internal gateway load balancer' } }
            : {}),
          // The default sync image is not digest-pinned, which the prod gate rejects (see
          // properties.spec.ts, known bug): prod clusters here always name a pinned one.
          tls: {
            certificateName: `wildcard-${name}`,
            dnsNames: ['*.example.com'],
            clientId: s.clientId,
            ...(s.environment === 'prod' || s.pinSyncImage ? { syncImage: PINNED_PAUSE } : {}),
          },
        };
  return {
    name,
    environment: s.environment,
    region: s.region,
    kubernetesVersion: `1.${s.minor}`,
    subscriptionId: s.subscriptionId,
    networkPolicyEngine: s.engine,
    network: {
      vnetCidr: `10.${v}.0.0/16`,
      l7SourceCidr: `10.${v}.5.0/24`,
      firewallSubnetCidr: '10.0.1.0/26',
      internalLoadBalancerSubnet: {
        name: 'snet-ilb',
        cidr: `10.${v}.4.0/${s.ilbPrefix}`,
        privateLinkServiceNetworkPoliciesDisabled: true,
      },
      firewallPublicIps: s.firewallIps.map((n) => `203.0.113.${n}`),
      plugin: 'azure-cni-overlay',
    },
    l7,
    keyVault: { name: `kv-${name}`, tenantId: s.tenantId },
    firewall: {
      policyId:
        '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub',
      ruleCollectionGroupPriority: 100 + index * 10,
    },
    flux: { url: 'https://github.com/contoso/aks-gitops', branch: s.branch },
    // Every registry imageArb draws from, plus the pause image of the Gateway TLS sync pod.
    allowedRegistries: ['ghcr.io/contoso', 'contoso.azurecr.io/team', 'docker.io/library', 'registry.k8s.io/pause'],
  };
}

/** 1 or 2 valid clusters (unique names and DNAT priorities, one shared Firewall Policy). */
export const fleetArb: fc.Arbitrary<ClusterSpec[]> = fc
  .array(clusterSeed, { minLength: 1, maxLength: 2 })
  .map((seeds) => seeds.map(clusterFromSeed));

// ---------------------------------------------------------------------------------------------
// Workloads.

type Shared = Omit<WorkloadProps, 'name' | 'calls'>;

const imageArb = fc
  .record({
    registry: fc.constantFrom('ghcr.io/contoso', 'contoso.azurecr.io/team', 'docker.io/library'),
    repo: dnsish(10),
    tag: fc.option(fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/), { nil: undefined }),
    digest: hex64,
  })
  .map(({ registry, repo, tag, digest }) => `${registry}/${repo}${tag ? `:${tag}` : ''}@sha256:${digest}`);

const QUANTITIES = { cpu: ['50m', '100m', '250m', '1', '1.5'], memory: ['64Mi', '128Mi', '256Mi', '1Gi'] } as const;

const resourcesArb = fc
  .record({
    cpu: fc.constantFrom(...QUANTITIES.cpu),
    memory: fc.integer({ min: 0, max: 3 }),
    extra: fc.integer({ min: 0, max: 3 }),
    cpuLimit: fc.option(fc.constantFrom('500m', '2'), { nil: undefined }),
  })
  .map(({ cpu, memory, extra, cpuLimit }) => ({
    cpu,
    memory: QUANTITIES.memory[memory] as string,
    memoryLimit: QUANTITIES.memory[Math.min(3, memory + extra)] as string,
    ...(cpuLimit ? { cpuLimit } : {}),
  }));

const egressArb: fc.Arbitrary<EgressRule> = fc
  .record({
    cidr: fc.constantFrom('10.0.8.16/28', '10.30.0.0/24', '172.20.0.0/16', '0.0.0.0/0', '198.51.100.10/32'),
    ports: fc.uniqueArray(
      fc.record({
        port: fc.integer({ min: 1, max: 65535 }),
        protocol: fc.constantFrom<'TCP' | 'UDP' | undefined>('TCP', 'UDP', undefined),
      }),
      { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol ?? 'TCP'}` },
    ),
  })
  .map(({ cidr, ports }) => ({
    cidr,
    ports: ports.map((p) => (p.protocol ? p : { port: p.port })),
    ...(cidr === '0.0.0.0/0' ? { reason: 'calls a public SaaS API' } : {}),
  }));

const sharedArb: fc.Arbitrary<Shared> = fc
  .record(
    {
      image: imageArb,
      scaling: fc.oneof(
        fc.record({ replicas: fc.integer({ min: 1, max: 5 }) }),
        fc.record({
          minReplicas: fc.integer({ min: 1, max: 3 }),
          extra: fc.integer({ min: 0, max: 6 }),
          target: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
        }),
        fc.constant({}),
      ),
      resources: resourcesArb,
      env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/), fc.string({ maxLength: 24 }), { maxKeys: 3 }),
      config: fc.dictionary(fc.stringMatching(/^[a-zA-Z][-._a-zA-Z0-9]{0,11}$/), fc.string({ maxLength: 24 }), {
        maxKeys: 3,
      }),
      identity: fc.record({
        clientId: fc.uuid(),
        secrets: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/), { maxLength: 2 }),
      }),
      egress: fc.array(egressArb, { maxLength: 2 }),
      runAsUser: fc.integer({ min: 10000, max: 2147483647 }),
      writable: fc.constant({ reason: 'legacy image writes its cache under /var/cache' }),
      command: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['image', 'scaling'] },
  )
  .map((r) => {
    const s: { -readonly [K in keyof Shared]: Shared[K] } = { image: r.image };
    if ('replicas' in r.scaling) s.replicas = r.scaling.replicas;
    if ('minReplicas' in r.scaling) {
      s.autoscaling = {
        minReplicas: r.scaling.minReplicas,
        maxReplicas: r.scaling.minReplicas + r.scaling.extra,
        ...(r.scaling.target ? { targetCpuUtilization: r.scaling.target } : {}),
      };
    }
    if (r.resources) s.resources = r.resources;
    if (r.env) s.env = r.env;
    if (r.config) s.config = r.config;
    if (r.identity) {
      s.workloadIdentity = { clientId: r.identity.clientId };
      if (r.identity.secrets.length) s.keyVaultSecrets = r.identity.secrets;
    }
    if (r.egress) s.egress = r.egress;
    if (r.runAsUser) s.runAsUser = r.runAsUser;
    if (r.writable) s.writableRootFilesystem = r.writable;
    if (r.command) s.command = r.command;
    return s;
  });

export interface L7Seed {
  readonly kind: 'l7';
  readonly port: number;
  readonly hosts: number;
  readonly paths?: string[];
  readonly health?: L7ApiProps['health'];
  readonly https: boolean;
  readonly ownWaf: boolean;
  readonly shared: Shared;
}

export interface L4Seed {
  readonly kind: 'l4';
  readonly ports: Array<{
    protocol?: 'TCP' | 'UDP';
    targetDelta?: number;
    probe?: 'Tcp' | 'Http' | 'Https';
    firewallDelta?: number;
  }>;
  readonly exposure:
    { mode: 'private'; allowedSources: string[] } | { mode: 'public-via-firewall'; sourceAddresses: string[] };
  readonly volumes?: Array<{ storageClassName?: string; size: string }>;
  readonly tcpIdle?: number;
  readonly privateLink?: { visibility?: string[]; autoApproval?: string[] };
  readonly shared: Shared;
}

export type WorkloadSeed = L7Seed | L4Seed;

const l7Seed: fc.Arbitrary<L7Seed> = fc.record(
  {
    kind: fc.constant('l7' as const),
    port: fc.integer({ min: 1, max: 65535 }),
    hosts: fc.integer({ min: 1, max: 2 }),
    paths: fc.uniqueArray(fc.constantFrom('/', '/api', '/v1/orders', '/carts'), { minLength: 1, maxLength: 3 }),
    health: fc.record(
      {
        readinessPath: fc.constantFrom('/readyz', '/healthz/ready'),
        livenessPath: fc.constantFrom('/livez', '/healthz/live'),
        startupPath: fc.constant('/startupz'),
      },
      { requiredKeys: [] },
    ),
    https: fc.boolean(),
    ownWaf: fc.boolean(),
    shared: sharedArb,
  },
  { requiredKeys: ['kind', 'port', 'hosts', 'https', 'ownWaf', 'shared'] },
);

const l4Seed: fc.Arbitrary<L4Seed> = fc.record(
  {
    kind: fc.constant('l4' as const),
    ports: fc.array(
      fc.record(
        {
          protocol: fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
          targetDelta: fc.integer({ min: 1, max: 500 }),
          probe: fc.constantFrom<'Tcp' | 'Http' | 'Https'>('Tcp', 'Http', 'Https'),
          firewallDelta: fc.integer({ min: 1, max: 5 }),
        },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    exposure: fc.oneof(
      fc.record({
        mode: fc.constant('private' as const),
        allowedSources: fc.uniqueArray(
          fc.constantFrom('192.168.0.0/20', '172.16.40.0/24', '10.99.0.0/16', '198.51.100.7'),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      fc.record({
        mode: fc.constant('public-via-firewall' as const),
        sourceAddresses: fc.oneof(
          fc.constant<string[]>(['*']),
          fc.uniqueArray(fc.constantFrom('198.51.100.0/24', '203.0.113.99', '192.0.2.0/25'), {
            minLength: 1,
            maxLength: 3,
          }),
        ),
      }),
    ),
    volumes: fc.array(
      fc.record(
        {
          storageClassName: fc.constantFrom('managed-csi', 'managed-csi-premium'),
          size: fc.constantFrom('1Gi', '20Gi', '500Mi'),
        },
        { requiredKeys: ['size'] },
      ),
      { minLength: 1, maxLength: 2 },
    ),
    tcpIdle: fc.integer({ min: 4, max: 30 }),
    privateLink: fc.oneof(
      fc.record({
        visibility: fc.constant<string[]>(['*']),
        autoApproval: fc.array(fc.uuid(), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ visibility: fc.array(fc.uuid(), { minLength: 1, maxLength: 2 }) }),
    ),
    shared: sharedArb,
  },
  { requiredKeys: ['kind', 'ports', 'exposure', 'shared'] },
);

export interface AppSeed {
  readonly workloads: WorkloadSeed[];
  /** Index (mod earlier apps) of an app this app's first workload calls, if any. */
  readonly callsEarlier?: number;
  readonly callPorts: boolean;
}

export const appSeeds: fc.Arbitrary<AppSeed[]> = fc.array(
  fc.record({
    workloads: fc.array(fc.oneof(l7Seed, l4Seed), { minLength: 1, maxLength: 2 }),
    callsEarlier: fc.option(fc.nat(), { nil: undefined }),
    callPorts: fc.boolean(),
  }),
  { minLength: 1, maxLength: 3 },
);

/** Plain-data props of one workload of a generated app (before cluster-dependent choices). */
export interface WorkloadModel {
  readonly kind: 'l7' | 'l4';
  readonly props: L7ApiProps | L4ServiceProps;
  /** L7: use an https backend where the cluster supports it (AGIC with a trusted root). */
  readonly https?: boolean;
  /** L7: the API's own WAF policy, set where the cluster supports one (AGIC, or AGC). */
  readonly waf?: string;
}

export interface AppModel {
  readonly name: string;
  readonly workloads: WorkloadModel[];
}

export function appModels(seeds: readonly AppSeed[]): AppModel[] {
  const models = seeds.map((seed, a): AppModel => {
    const name = `app-${a}`;
    const several = seed.workloads.length > 1;
    const workloads = seed.workloads.map((w, i): WorkloadModel => {
      const wname = several ? `${name}-w${i}` : undefined;
      const base = { ...w.shared, ...(wname ? { name: wname } : {}) };
      if (w.kind === 'l7') {
        const paths = w.paths;
        const props: L7ApiProps = {
          ...base,
          port: w.port,
          routes: Array.from({ length: w.hosts }, (_, h) => ({
            host: `${name}-w${i}-h${h}.example.com`,
            ...(paths ? { paths } : {}),
          })),
          ...(w.health ? { health: w.health } : {}),
        };
        return {
          kind: 'l7',
          props,
          https: w.https,
          ...(w.ownWaf ? { waf: WAF_ID('00000000-0000-4000-8000-000000000001', `waf-${name}`) } : {}),
        };
      }
      const ports: L4Port[] = w.ports.map((p, k) => {
        const port = 10000 + a * 100 + i * 10 + k;
        return {
          name: `p${k}-${(p.protocol ?? 'TCP').toLowerCase()}`,
          port,
          ...(p.protocol ? { protocol: p.protocol } : {}),
          ...(p.targetDelta ? { targetPort: port + p.targetDelta } : {}),
          ...(p.firewallDelta && w.exposure.mode === 'public-via-firewall'
            ? { firewallPort: 40000 + a * 100 + i * 10 + k }
            : {}),
        };
      });
      const hasTcp = ports.some((p) => (p.protocol ?? 'TCP') === 'TCP');
      const props: L4ServiceProps = {
        ...base,
        ports,
        exposure: w.exposure,
        address: { offset: 4 + a * 4 + i },
        ...(hasTcp ? {} : { health: { readiness: { exec: { command: ['/bin/healthcheck'] } } } }),
        ...(w.volumes
          ? {
              volumes: w.volumes.map((v, k) => ({
                name: `data-${k}`,
                mountPath: `/data/${k}`,
                size: v.size,
                ...(v.storageClassName ? { storageClassName: v.storageClassName } : {}),
              })),
            }
          : {}),
        ...(w.tcpIdle ? { tcpIdleTimeoutMinutes: w.tcpIdle } : {}),
        ...(w.privateLink ? { privateLink: w.privateLink } : {}),
      };
      return { kind: 'l4', props };
    });
    return { name, workloads };
  });
  // Calls: an app's first workload may call a workload of an earlier app.
  seeds.forEach((seed, a) => {
    if (a === 0 || seed.callsEarlier === undefined) return;
    const target = models[seed.callsEarlier % a] as AppModel;
    const tw = target.workloads[0] as WorkloadModel;
    const tp = tw.props;
    const firstPort =
      tw.kind === 'l7'
        ? (tp as L7ApiProps).port
        : (((tp as L4ServiceProps).ports[0] as L4Port).targetPort ?? ((tp as L4ServiceProps).ports[0] as L4Port).port);
    const call: CallTarget = {
      app: target.name,
      ...(target.workloads.length > 1 ? { workload: tp.name as string } : {}),
      ...(seed.callPorts ? { ports: [firstPort] } : {}),
    };
    const caller = (models[a] as AppModel).workloads[0] as WorkloadModel;
    (models[a] as { workloads: WorkloadModel[] }).workloads[0] = {
      ...caller,
      props: { ...caller.props, calls: [call] },
    };
    // The callee's consent (calls need it): its first workload accepts the caller.
    const callee = target.workloads[0] as WorkloadModel;
    const accepted = [...(callee.props.acceptCallsFrom ?? []), (models[a] as AppModel).name];
    (target as { workloads: WorkloadModel[] }).workloads[0] = {
      ...callee,
      props: { ...callee.props, acceptCallsFrom: accepted },
    };
  });
  return models;
}

export interface ConstructIds {
  /** Construct id of workload `i` of an app. Default `w<i>`. */
  readonly id?: (app: string, i: number) => string;
  /** Declare the workloads inside an intermediate construct with this id. */
  readonly group?: string;
}

/** AppDefinitions that declare the models on every cluster. */
export function toApps(models: readonly AppModel[], ids: ConstructIds = {}): AppDefinition[] {
  const idOf = ids.id ?? ((_app: string, i: number) => `w${i}`);
  return models.map((m) =>
    defineApp({
      name: m.name,
      deploy: ({ scope: chart, cluster }) => {
        const scope = ids.group ? new Construct(chart, ids.group) : chart;
        m.workloads.forEach((w, i) => {
          if (w.kind === 'l7') {
            const https = w.https && cluster.l7.kind === 'agic' && cluster.l7.trustedRootCertificate !== undefined;
            const waf = w.waf && (cluster.l7.kind === 'agic' || cluster.l7.gatewayClassName === 'azure-alb-external');
            // The model's WAF goes first, so a mutated props.wafPolicyId is not overridden by it.
            new L7Api(scope, idOf(m.name, i), {
              ...(waf ? { wafPolicyId: w.waf } : {}),
              ...(w.props as L7ApiProps),
              ...(https ? { backendProtocol: 'https' as const } : {}),
            });
          } else {
            new L4Service(scope, idOf(m.name, i), w.props as L4ServiceProps);
          }
        });
      },
    }),
  );
}

export const validInputArb = fc
  .record({ clusters: fleetArb, seeds: appSeeds })
  .map(({ clusters, seeds }) => ({ clusters, models: appModels(seeds) }));

// ---------------------------------------------------------------------------------------------
// One-field mutations that make a valid input invalid, whatever the rest of the input is.

export interface Mutation {
  readonly target: 'cluster' | 'l7' | 'l4' | 'workload';
  /** Dotted path inside the cluster spec or the workload props. */
  readonly path: string;
  readonly value: unknown;
}

const m = (target: Mutation['target'], path: string, ...values: unknown[]): Mutation[] =>
  values.map((value) => ({ target, path, value }));

export const INVALID_MUTATIONS: readonly Mutation[] = [
  ...m('cluster', 'name', 'Bad_Name', '', 'x'.repeat(41)),
  ...m('cluster', 'environment', 'qa', undefined),
  ...m('cluster', 'region', 'West Europe', 7),
  ...m('cluster', 'kubernetesVersion', '1.27', '1.30.1', 1.3, 'v1.30'),
  ...m('cluster', 'subscriptionId', 'not-a-guid', '00000000-0000-4000-8000-00000000000G'),
  ...m('cluster', 'networkPolicyEngine', 'none'),
  ...m('cluster', 'network.vnetCidr', '10.0.0.0/33', '10.1.2.3/16', 'x', undefined),
  ...m('cluster', 'network.l7SourceCidr', '192.168.50.0/24'),
  ...m('cluster', 'network.internalLoadBalancerSubnet.cidr', '172.31.0.0/24', '10.0.1.0/26'),
  ...m('cluster', 'network.firewallSubnetCidr', '10.0.1.0/28'),
  ...m(
    'cluster',
    'network.firewallPublicIps',
    [],
    ['10.1.1.1'],
    ['192.168.0.1'],
    ['x'],
    ['203.0.113.1', '203.0.113.1'],
  ),
  ...m('cluster', 'l7.kind', 'haproxy', undefined),
  ...m('cluster', 'l7.wafPolicyId', 'waf', '/subscriptions/x/resourceGroups/rg'),
  ...m('cluster', 'keyVault.name', 'k', 'kv_bad', undefined),
  ...m('cluster', 'keyVault.tenantId', 'tenant'),
  ...m('cluster', 'firewall.ruleCollectionGroupPriority', 99, 65001, 150.5),
  ...m(
    'cluster',
    'firewall.policyId',
    '-bad-',
    '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/firewallPolicies/p',
  ),
  ...m('cluster', 'flux.url', 'ftp://example.com/repo', 'git@github.com:c/r.git'),
  ...m('cluster', 'flux.branch', 'a b', ''),
  ...m('workload', 'image', 'nginx', 'ghcr.io/c/x:latest', 'GHCR.io/C/X:1', ''),
  ...m('workload', 'replicas', 0, -1, 1.5, 101),
  ...m('workload', 'resources.cpu', 'abc', '1 CPU'),
  ...m('workload', 'resources.memoryLimit', '1Mi'),
  ...m('workload', 'runAsUser', 0, 999, 1.5),
  ...m('workload', 'env', { 'bad-name': 'x' }, { '1X': 'y' }),
  ...m('workload', 'config', { 'bad key': 'x' }, { 'a/b': 'x' }),
  ...m('workload', 'workloadIdentity', { clientId: 'x' }),
  ...m('workload', 'keyVaultSecrets', ['bad name'], ['x_y']),
  ...m(
    'workload',
    'egress',
    [{ cidr: '10.0.0.1/8', ports: [{ port: 1 }] }],
    [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }],
    [{ cidr: '10.0.0.0/8', ports: [] }],
    [{ cidr: '10.0.0.0/8', ports: [{ port: 0 }] }],
  ),
  ...m('workload', 'calls', ['no-such-app'], ['Bad_Name']),
  ...m('workload', 'acceptCallsFrom', ['no-such-app'], ['Bad_Name']),
  ...m('workload', 'name', 'Bad_Name', 'x'.repeat(51), '1abc'),
  ...m('workload', 'writableRootFilesystem', { reason: '' }),
  ...m(
    'workload',
    'autoscaling',
    { maxReplicas: 0 },
    { minReplicas: 0, maxReplicas: 2 },
    { maxReplicas: 3, targetCpuUtilization: 0 },
  ),
  ...m('l7', 'port', 0, 70000, 1.5),
  ...m(
    'l7',
    'routes',
    [],
    [{ host: 'UPPER.example.com' }],
    [{ host: 'x.example.com', paths: ['nope'] }],
    [{ host: 'localhost' }],
  ),
  ...m('l7', 'backendProtocol', 'tcp'),
  ...m('l7', 'health', { readinessPath: 'nope' }, { livenessPath: '' }),
  ...m('l7', 'wafPolicyId', 'nope'),
  ...m(
    'l4',
    'ports',
    [],
    [{ name: 'UPPER', port: 1 }],
    [{ name: 'a', port: 0 }],
    [{ name: 'a', port: 1, protocol: 'SCTP' }],
    [{ name: 'a--b', port: 1 }],
  ),
  ...m('l4', 'address', '1.2.3.4', { offset: 0 }, { offset: 100000 }, 'nope', { offset: 1.5 }),
  ...m(
    'l4',
    'exposure',
    { mode: 'nope' },
    { mode: 'private', allowedSources: [] },
    { mode: 'private', allowedSources: ['0.0.0.0/0'] },
    { mode: 'public-via-firewall', sourceAddresses: [] },
    { mode: 'public-via-firewall', sourceAddresses: ['*'], firewallPublicIp: '8.8.8.8' },
  ),
  ...m('l4', 'tcpIdleTimeoutMinutes', 3, 31),
  ...m(
    'l4',
    'volumes',
    [{ name: 'data', mountPath: 'rel', size: '1Gi' }],
    [{ name: 'data', mountPath: '/d', size: 'big' }],
    [{ name: 'Data', mountPath: '/d', size: '1Gi' }],
  ),
  ...m(
    'l4',
    'privateLink',
    { autoApproval: ['00000000-0000-4000-8000-000000000001'] },
    { visibility: ['not-a-subscription'] },
  ),
];

/** Every leaf-ish path the fuzz property may overwrite with an arbitrary value. */
export const FUZZ_PATHS: readonly Mutation[] = [
  ...[
    'name',
    'environment',
    'region',
    'kubernetesVersion',
    'subscriptionId',
    'networkPolicyEngine',
    'network',
    'network.vnetCidr',
    'network.l7SourceCidr',
    'network.firewallSubnetCidr',
    'network.internalLoadBalancerSubnet',
    'network.firewallPublicIps',
    'l7',
    'l7.kind',
    'l7.wafPolicyId',
    'keyVault',
    'firewall',
    'flux',
  ].map((path) => ({ target: 'cluster' as const, path, value: undefined })),
  ...[
    'image',
    'replicas',
    'autoscaling',
    'resources',
    'env',
    'config',
    'keyVaultSecrets',
    'workloadIdentity',
    'calls',
    'acceptCallsFrom',
    'egress',
    'runAsUser',
    'writableRootFilesystem',
    'name',
    'command',
  ].map((path) => ({ target: 'workload' as const, path, value: undefined })),
  ...['port', 'routes', 'health', 'backendProtocol', 'wafPolicyId'].map((path) => ({
    target: 'l7' as const,
    path,
    value: undefined,
  })),
  ...['ports', 'exposure', 'address', 'health', 'volumes', 'tcpIdleTimeoutMinutes', 'privateLink'].map((path) => ({
    target: 'l4' as const,
    path,
    value: undefined,
  })),
];
