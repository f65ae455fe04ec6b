/**
 * Deterministic synthetic fleet for the benchmark: N apps (half L7Api, half L4Service) on C
 * clusters, written as a scratch repository root (`apps/<name>/src/index.ts` + `clusters.ts`),
 * plus the Helm values that describe the same objects for the `helm template` peer.
 *
 * Everything comes from a seeded PRNG and the app index: the same options always give the same
 * bytes. Run alone: `tsx tools/bench/generate-fleet.ts --apps 300 --clusters 3 --out tmp/fleet`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { stringify } from 'yaml';

export interface FleetOptions {
  readonly apps: number;
  readonly clusters: number;
  /** PRNG seed; default 7. */
  readonly seed?: number;
}

interface AppBase {
  readonly name: string;
  readonly index: number;
  readonly image: string;
  /** Fixed replica count; absent when autoscaling. The one-app change edits this literal. */
  readonly replicas?: number;
  readonly autoscaling?: { readonly min: number; readonly max: number };
  readonly resources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
  readonly config?: Readonly<Record<string, string>>;
  readonly keyVault?: { readonly clientId: string; readonly secrets: readonly string[] };
  readonly egress?: ReadonlyArray<{ readonly cidr: string; readonly port: number }>;
}

export interface L7App extends AppBase {
  readonly kind: 'l7';
  readonly port: number;
  readonly paths: readonly string[];
  /** Re-encrypt to the pod on agic clusters (gateway-api clusters only support http backends). */
  readonly httpsOnAgic: boolean;
  /** Other L7 apps this one calls (caller egress + callee ingress policy). */
  readonly calls: readonly string[];
  /** The apps that call this one (its consent). */
  readonly acceptCallsFrom?: readonly string[];
}

export interface L4PortModel {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly firewallPort: number;
}

export interface L4App extends AppBase {
  readonly kind: 'l4';
  readonly ports: readonly L4PortModel[];
  readonly exposure: 'private' | 'public-via-firewall';
  readonly allowedSources: readonly string[];
  readonly sourceAddresses: readonly string[];
  /** Offset of the ILB frontend in the cluster's ILB subnet; unique per cluster. */
  readonly offset: number;
  /** Which firewall public IP (index into the cluster's list, modulo its length). */
  readonly firewallIpSlot: number;
  readonly idleMinutes: number;
  readonly volume?: {
    readonly name: string;
    readonly mountPath: string;
    readonly size: string;
    readonly storageClassName: string;
  };
}

export type AppModel = L7App | L4App;

export interface Fleet {
  readonly options: Required<FleetOptions>;
  readonly clusters: readonly ClusterSpec[];
  readonly apps: readonly AppModel[];
}

/** mulberry32: tiny, fast, good enough for test data, and fully determined by its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const L7_PORTS = [8080, 8000, 3000, 5000, 9090, 8081, 8443];
const L4_PORTS = [1883, 5672, 6379, 9000, 2049, 11211, 25565, 5432];
const MAX_ILB_OFFSET = 4000; // a /20 holds 4096 addresses; Azure reserves the first four and the last

function hex(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(rand() * 16).toString(16);
  return s;
}

function guid(rand: () => number): string {
  const h = hex(rand, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `bench-c1` (agic, prod), `bench-c2` (gateway-api, dev), `bench-c3` (agic, staging), ... */
export function clusterSpecs(count: number, rand: () => number): ClusterSpec[] {
  const envs = ['prod', 'dev', 'staging', 'test'] as const;
  const specs: ClusterSpec[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    const name = `bench-c${n}`;
    const octet = 100 + n; // VNet 10.<octet>.0.0/16
    const agic = i % 2 === 0;
    const subscriptionId = guid(rand);
    specs.push({
      name,
      environment: envs[i % envs.length],
      region: 'westeurope',
      kubernetesVersion: '1.30',
      subscriptionId,
      networkPolicyEngine: 'cilium',
      network: {
        vnetCidr: `10.${octet}.0.0/16`,
        l7SourceCidr: `10.${octet}.32.0/24`,
        firewallSubnetCidr: '10.0.1.0/26',
        // A /20: room for 4,000 static internal load balancer frontends.
        internalLoadBalancerSubnet: {
          name: 'snet-ilb',
          cidr: `10.${octet}.16.0/20`,
          privateLinkServiceNetworkPoliciesDisabled: true,
        },
        // 32 public IPs per cluster from the documentation ranges, distinct across clusters.
        firewallPublicIps: Array.from(
          { length: 32 },
          (_, k) => `${i % 2 === 0 ? '203.0.113' : '198.51.100'}.${(Math.floor(i / 2) * 64 + 10 + k) % 250}`,
        ),
        plugin: 'azure-cni-overlay',
      },
      l7: agic
        ? {
            kind: 'agic',
            sslCertificate: 'wildcard-bench-example-com',
            sslCertificateDnsNames: [`*.${name}.bench.example.com`],
            trustedRootCertificate: 'bench-internal-root',
            wafPolicyId: `/subscriptions/${subscriptionId}/resourceGroups/rg-edge-${name}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-${name}`,
          }
        : {
            kind: 'gateway-api',
            gatewayClassName: 'azure-alb-external',
            gateway: { namespace: 'edge-gateway', name: 'shared-gateway', listener: 'https' },
            agc: {
              deployment: 'managed',
              namespace: 'alb-infra',
              name: `alb-${name}`,
              associationSubnetId: `/subscriptions/${subscriptionId}/resourceGroups/rg-${name}/providers/Microsoft.Network/virtualNetworks/vnet-${name}/subnets/snet-agc`,
            },
            tls: {
              certificateName: 'wildcard-bench-example-com',
              dnsNames: [`*.${name}.bench.example.com`],
              clientId: guid(rand),
            },
            wafPolicyId: `/subscriptions/${subscriptionId}/resourceGroups/rg-edge-${name}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-${name}`,
          },
      keyVault: { name: `kv-${name}`, tenantId: '72f988bf-0000-4000-8000-000000000001' },
      firewall: {
        policyId:
          '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
        ruleCollectionGroupPriority: 300 + 10 * i,
      },
      flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
      // The generated apps' images, and the Gateway TLS sync pod's default pause image.
      allowedRegistries: ['ghcr.io/bench', 'registry.k8s.io/pause'],
    });
  }
  return specs;
}

export function appName(kind: 'l7' | 'l4', index: number): string {
  return `${kind === 'l7' ? 'api' : 'l4'}-${String(index).padStart(4, '0')}`;
}

/** The fleet model: cluster specs and app models. */
export function buildFleet(opts: FleetOptions): Fleet {
  const options = { seed: 7, ...opts };
  if (!Number.isInteger(options.apps) || options.apps < 2)
    throw new Error(`--apps must be an integer >= 2, got ${options.apps}`);
  if (!Number.isInteger(options.clusters) || options.clusters < 1 || options.clusters > 8)
    throw new Error(`--clusters must be 1..8, got ${options.clusters}`);
  if (Math.ceil(options.apps / 2) + 10 > MAX_ILB_OFFSET)
    throw new Error(`--apps ${options.apps} needs more ILB addresses than a /20 holds`);
  const rand = prng(options.seed);
  const clusters = clusterSpecs(options.clusters, rand);
  const apps: AppModel[] = [];
  const l7Names: string[] = [];
  let l4Index = 0;
  for (let index = 0; index < options.apps; index++) {
    const kind = index % 2 === 0 ? 'l7' : 'l4';
    const name = appName(kind, index);
    const digest = hex(rand, 64);
    const image = `ghcr.io/bench/${name}:1.${index % 17}.${Math.floor(rand() * 10)}@sha256:${digest}`;
    const scaled = index % 4 === 0;
    const base = {
      name,
      index,
      image,
      ...(scaled ? { autoscaling: { min: 2, max: 4 + (index % 9) } } : { replicas: 1 + (index % 3) }),
      resources: {
        cpu: `${50 * (1 + (index % 6))}m`,
        memory: `${64 * (1 + (index % 4))}Mi`,
        memoryLimit: `${128 * (1 + (index % 4))}Mi`,
      },
      ...(index % 3 === 0
        ? {
            config: {
              LOG_FORMAT: 'json',
              PAGE_SIZE: String(10 + (index % 90)),
              FEATURE_FLAGS: rand() < 0.5 ? 'a,b' : 'c',
            },
          }
        : {}),
      ...(index % 5 === 0 ? { keyVault: { clientId: guid(rand), secrets: [`${name}-db`, `${name}-token`] } } : {}),
      ...(index % 6 === 0 ? { egress: [{ cidr: `10.60.${index % 250}.0/24`, port: 5432 }] } : {}),
    };
    if (kind === 'l7') {
      const port = L7_PORTS[Math.floor(rand() * L7_PORTS.length)];
      const paths = index % 3 === 0 ? ['/'] : [`/v1/${name}`, `/v2/${name}`];
      // Every third API calls one or two earlier APIs.
      const calls: string[] = [];
      if (l7Names.length > 0 && index % 3 === 1) calls.push(l7Names[Math.floor(rand() * l7Names.length)]);
      if (l7Names.length > 1 && index % 12 === 4) {
        const other = l7Names[Math.floor(rand() * l7Names.length)];
        if (!calls.includes(other)) calls.push(other);
      }
      apps.push({ ...base, kind, port, paths, httpsOnAgic: index % 10 === 0, calls });
      l7Names.push(name);
    } else {
      const p = L4_PORTS[Math.floor(rand() * L4_PORTS.length)];
      const ports: L4PortModel[] = [
        { name: 'tcp', port: p, targetPort: p, protocol: 'TCP', firewallPort: 20000 + 2 * l4Index },
      ];
      if (index % 5 === 1)
        ports.push({
          name: 'udp',
          port: p + 1,
          targetPort: 10000 + (p % 1000),
          protocol: 'UDP',
          firewallPort: 20001 + 2 * l4Index,
        });
      const publicFw = index % 3 === 1;
      apps.push({
        ...base,
        kind,
        ports,
        exposure: publicFw ? 'public-via-firewall' : 'private',
        allowedSources: ['192.168.0.0/20', `172.16.${index % 250}.0/24`],
        sourceAddresses: index % 2 === 1 && index % 9 === 1 ? ['*'] : ['198.18.0.0/15'],
        offset: 10 + l4Index,
        firewallIpSlot: l4Index,
        idleMinutes: 4 + (index % 27),
        ...(index % 7 === 3
          ? {
              volume: {
                name: 'data',
                mountPath: '/var/lib/data',
                size: `${5 * (1 + (index % 4))}Gi`,
                storageClassName: 'managed-csi-premium',
              },
            }
          : {}),
      });
      l4Index++;
    }
  }
  // Consent: every called API accepts exactly its callers (acceptCallsFrom).
  const callers = new Map<string, string[]>();
  for (const a of apps)
    if (a.kind === 'l7') for (const c of a.calls) callers.set(c, [...(callers.get(c) ?? []), a.name]);
  for (const a of apps)
    if (a.kind === 'l7') (a as { acceptCallsFrom?: string[] }).acceptCallsFrom = callers.get(a.name) ?? [];
  return { options, clusters, apps };
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** TypeScript source of one app, in the style of apps/<name>/src/index.ts. */
export function appSource(app: AppModel): string {
  const lines: string[] = [];
  const common: string[] = [`      image: ${q(app.image)},`];
  if (app.replicas !== undefined) common.push(`      replicas: ${app.replicas},`);
  if (app.autoscaling)
    common.push(`      autoscaling: { minReplicas: ${app.autoscaling.min}, maxReplicas: ${app.autoscaling.max} },`);
  common.push(
    `      resources: { cpu: ${q(app.resources.cpu)}, memory: ${q(app.resources.memory)}, memoryLimit: ${q(app.resources.memoryLimit)} },`,
  );
  if (app.config)
    common.push(
      `      config: { ${Object.entries(app.config)
        .map(([k, v]) => `${k}: ${q(v)}`)
        .join(', ')} },`,
    );
  if (app.keyVault) {
    common.push(`      workloadIdentity: { clientId: ${q(app.keyVault.clientId)} },`);
    common.push(`      keyVaultSecrets: [${app.keyVault.secrets.map(q).join(', ')}],`);
  }
  if (app.egress)
    common.push(
      `      egress: [${app.egress.map((e) => `{ cidr: ${q(e.cidr)}, ports: [{ port: ${e.port} }] }`).join(', ')}],`,
    );
  if (app.kind === 'l7') {
    lines.push(`import { L7Api, defineApp } from '@aks-gitops/workloads';`, '');
    lines.push(`/** Synthetic benchmark API #${app.index} (generated by tools/bench/generate-fleet.ts). */`);
    lines.push('export default defineApp({', `  name: ${q(app.name)},`, '  deploy: ({ scope, cluster }) => {');
    lines.push(`    new L7Api(scope, 'api', {`);
    lines.push(...common);
    lines.push(`      port: ${app.port},`);
    lines.push(
      `      routes: [{ host: \`${app.name}.\${cluster.name}.bench.example.com\`, paths: [${app.paths.map(q).join(', ')}] }],`,
    );
    if (app.httpsOnAgic) lines.push(`      backendProtocol: cluster.l7.kind === 'agic' ? 'https' : 'http',`);
    if (app.calls.length) lines.push(`      calls: [${app.calls.map(q).join(', ')}],`);
    if (app.acceptCallsFrom?.length) lines.push(`      acceptCallsFrom: [${app.acceptCallsFrom.map(q).join(', ')}],`);
  } else {
    lines.push(`import { L4Service, defineApp } from '@aks-gitops/workloads';`, '');
    lines.push(`/** Synthetic benchmark L4 service #${app.index} (generated by tools/bench/generate-fleet.ts). */`);
    lines.push('export default defineApp({', `  name: ${q(app.name)},`, '  deploy: ({ scope, cluster }) => {');
    if (app.exposure === 'public-via-firewall') lines.push('    const ips = cluster.network.firewallPublicIps;');
    lines.push(`    new L4Service(scope, 'svc', {`);
    lines.push(...common);
    const ports = app.ports.map((p) => {
      const parts = [`name: ${q(p.name)}`, `port: ${p.port}`];
      if (p.targetPort !== p.port) parts.push(`targetPort: ${p.targetPort}`);
      if (p.protocol !== 'TCP') parts.push(`protocol: ${q(p.protocol)}`);
      if (app.exposure === 'public-via-firewall') parts.push(`firewallPort: ${p.firewallPort}`);
      return `{ ${parts.join(', ')} }`;
    });
    lines.push(`      ports: [${ports.join(', ')}],`);
    if (app.exposure === 'public-via-firewall') {
      lines.push(
        `      exposure: { mode: 'public-via-firewall', sourceAddresses: [${app.sourceAddresses.map(q).join(', ')}], firewallPublicIp: ips[${app.firewallIpSlot} % ips.length] },`,
      );
    } else {
      lines.push(`      exposure: { mode: 'private', allowedSources: [${app.allowedSources.map(q).join(', ')}] },`);
    }
    lines.push(`      address: { offset: ${app.offset} },`);
    lines.push(`      tcpIdleTimeoutMinutes: ${app.idleMinutes},`);
    if (app.volume) {
      const v = app.volume;
      lines.push(
        `      volumes: [{ name: ${q(v.name)}, mountPath: ${q(v.mountPath)}, size: ${q(v.size)}, storageClassName: ${q(v.storageClassName)} }],`,
      );
    }
  }
  lines.push('    });', '  },', '});', '');
  return lines.join('\n');
}

/** The `--clusters-module` file: `export const clusters: ClusterSpec[]`. */
export function clustersModuleSource(fleet: Fleet): string {
  return [
    `import type { ClusterSpec } from '@aks-gitops/cluster-model';`,
    '',
    `/** ${fleet.clusters.length} synthetic clusters (generated by tools/bench/generate-fleet.ts), alternating agic and gateway-api. */`,
    `export const clusters: ClusterSpec[] = ${JSON.stringify(fleet.clusters, null, 2)};`,
    '',
  ].join('\n');
}

/** The app whose replicas the one-app-change step edits: an L7 API near the middle with a fixed count. */
export function changeTarget(fleet: Fleet): AppModel {
  const mid = Math.floor(fleet.apps.length / 2);
  const order = [...fleet.apps.slice(mid), ...fleet.apps.slice(0, mid)];
  const found = order.find((a) => a.kind === 'l7' && a.replicas !== undefined);
  if (!found) throw new Error('no app with a fixed replica count to change');
  return found;
}

// ---------------------------------------------------------------------------------------------
// Helm values: the same fleet as data, as a platform team would keep it for a chart that deploys every
// app on every cluster: the clusters' facts and each app's own settings (image, ports, callers, address
// offset...). The chart in tools/bench/helm-chart derives the rest per cluster the way the constructs do
// (addresses from offsets, hosts, protocols, shutdown timing, Flux wiring, namespaces, alerts) and renders
// the Kubernetes objects synth renders (Azure JSON and markdown are not Helm's).

/** What the chart reads of one cluster. */
export interface HelmCluster {
  readonly name: string;
  readonly kubernetesVersion: string;
  /** DNS zone of the cluster's hosts: an app route's `host` is a name in it. */
  readonly dnsZone: string;
  readonly network: {
    readonly l7SourceCidr: string;
    readonly firewallSubnetCidr: string;
    readonly internalLoadBalancerSubnet: { readonly name: string; readonly cidr: string };
  };
  readonly keyVault: ClusterSpec['keyVault'];
  readonly flux: ClusterSpec['flux'];
  readonly l7: ClusterSpec['l7'];
}

interface HelmAppBase {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  readonly autoscaling?: { readonly min: number; readonly max: number };
  readonly resources: AppBase['resources'];
  readonly config?: Readonly<Record<string, string>>;
  readonly keyVault?: AppBase['keyVault'];
  readonly egress?: AppBase['egress'];
}

/** An L7Api: its port, routes (hosts in the cluster's dnsZone), the APIs it calls and the callers it accepts. */
export interface HelmL7App extends HelmAppBase {
  readonly kind: 'l7';
  readonly port: number;
  readonly routes: ReadonlyArray<{ readonly host: string; readonly paths: readonly string[] }>;
  readonly httpsOnAgic: boolean;
  readonly calls: readonly string[];
  readonly acceptCallsFrom: readonly string[];
}

/** An L4Service: ports, exposure, its address as an offset in the cluster's ILB subnet. */
export interface HelmL4App extends HelmAppBase {
  readonly kind: 'l4';
  readonly ports: ReadonlyArray<Omit<L4PortModel, 'firewallPort'>>;
  readonly exposure: L4App['exposure'];
  /** Who may connect when private (a public service admits only the firewall subnet). */
  readonly allowedSources: readonly string[];
  readonly offset: number;
  readonly idleMinutes: number;
  readonly volume?: L4App['volume'];
}

export type HelmApp = HelmL7App | HelmL4App;

export interface HelmValues {
  readonly clusters: readonly HelmCluster[];
  readonly apps: readonly HelmApp[];
}

export function helmValues(fleet: Fleet): HelmValues {
  const clusters = fleet.clusters.map((c): HelmCluster => ({
    name: c.name,
    kubernetesVersion: c.kubernetesVersion,
    dnsZone: `${c.name}.bench.example.com`,
    network: {
      l7SourceCidr: c.network.l7SourceCidr,
      firewallSubnetCidr: c.network.firewallSubnetCidr,
      internalLoadBalancerSubnet: {
        name: c.network.internalLoadBalancerSubnet.name,
        cidr: c.network.internalLoadBalancerSubnet.cidr,
      },
    },
    keyVault: c.keyVault,
    flux: c.flux,
    l7: c.l7,
  }));
  const apps = fleet.apps.map((a): HelmApp => {
    const base: HelmAppBase = {
      name: a.name,
      image: a.image,
      ...(a.replicas !== undefined ? { replicas: a.replicas } : {}),
      ...(a.autoscaling ? { autoscaling: a.autoscaling } : {}),
      resources: a.resources,
      ...(a.config ? { config: a.config } : {}),
      ...(a.keyVault ? { keyVault: a.keyVault } : {}),
      ...(a.egress ? { egress: a.egress } : {}),
    };
    if (a.kind === 'l7')
      return {
        ...base,
        kind: 'l7',
        port: a.port,
        routes: [{ host: a.name, paths: a.paths }],
        httpsOnAgic: a.httpsOnAgic,
        calls: a.calls,
        acceptCallsFrom: a.acceptCallsFrom ?? [],
      };
    return {
      ...base,
      kind: 'l4',
      ports: a.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      exposure: a.exposure,
      allowedSources: a.allowedSources,
      offset: a.offset,
      idleMinutes: a.idleMinutes,
      ...(a.volume ? { volume: a.volume } : {}),
    };
  });
  return { clusters, apps };
}

// ---------------------------------------------------------------------------------------------

export interface WrittenFleet {
  readonly fleet: Fleet;
  readonly root: string;
  readonly clustersModule: string;
  readonly valuesFile: string;
  readonly appFiles: number;
}

/** Writes `<root>/apps/<name>/src/index.ts`, `<root>/clusters.ts` and `<root>/helm-values.yaml`. */
export function writeFleet(root: string, opts: FleetOptions): WrittenFleet {
  const fleet = buildFleet(opts);
  fs.mkdirSync(root, { recursive: true });
  for (const app of fleet.apps) {
    const dir = path.join(root, 'apps', app.name, 'src');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.ts'), appSource(app));
  }
  const clustersModule = path.join(root, 'clusters.ts');
  fs.writeFileSync(clustersModule, clustersModuleSource(fleet));
  const valuesFile = path.join(root, 'helm-values.yaml');
  fs.writeFileSync(valuesFile, stringify(helmValues(fleet), { lineWidth: 0, aliasDuplicateObjects: false }));
  return { fleet, root, clustersModule, valuesFile, appFiles: fleet.apps.length };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      apps: { type: 'string', default: '50' },
      clusters: { type: 'string', default: '3' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string' },
    },
    strict: true,
  });
  if (!values.out) {
    process.stderr.write('usage: tsx tools/bench/generate-fleet.ts --apps N [--clusters C] [--seed S] --out <dir>\n');
    process.exit(2);
  }
  const written = writeFleet(path.resolve(values.out), {
    apps: Number(values.apps),
    clusters: Number(values.clusters),
    seed: Number(values.seed),
  });
  process.stdout.write(
    `wrote ${written.appFiles} apps on ${written.fleet.clusters.length} clusters to ${written.root}\n`,
  );
}
