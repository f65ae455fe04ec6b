/**
 * Scratch repositories for the reliability suite: a root in the OS temp dir (with a node_modules link, and
 * inside the repo so that app files resolve `@aks-gitops/workloads` like real apps do), a fleet
 * module of its own (so the suite does not depend on the clusters under libs/cluster-model), the
 * real CLI as a child process, and byte-level snapshots of `clusters/` and `flux/`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

export const REPO = path.resolve(__dirname, '../../../../..');
export const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
export const CLI = path.join(REPO, 'libs', 'cli', 'src', 'main.ts');
/** The CLI's TypeScript loader, as package.json's scripts run it. */
export const REGISTER = path.join(REPO, 'libs', 'synth', 'register.cjs');
/** What a synth may leave behind only while it runs (libs/synth/src/write/). */
export const CONTROL_FILES = ['.synth-staging', '.synth-journal.json', '.synth-lock'] as const;
export const JOURNAL = '.synth-journal.json';
export const STAGING = '.synth-staging';
/** Every scratch root gets its fleet as `<root>/fleet.ts`; the CLI takes `--clusters-module fleet.ts`. */
export const FLEET_MODULE = 'fleet.ts';

// ---------------------------------------------------------------------------------------------
// The scratch fleet: one gateway-api dev cluster, one AGIC prod cluster (both L7 providers).

export const DIGEST = `sha256:${'c'.repeat(64)}`;

export const DEV: ClusterSpec = {
  name: 'rel-dev',
  environment: 'dev',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-0000000000d1',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.10.0.0/16',
    l7SourceCidr: '10.10.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: {
      name: 'snet-ilb',
      cidr: '10.10.4.0/24',
      privateLinkServiceNetworkPoliciesDisabled: true,
    },
    firewallPublicIps: ['203.0.113.10'],
    plugin: 'azure-cni-overlay',
  },
  l7: {
    kind: 'gateway-api',
    gatewayClassName: 'azure-alb-external',
    gateway: { namespace: 'edge-gateway', name: 'shared-gateway', listener: 'https' },
    agc: {
      deployment: 'managed',
      namespace: 'alb-infra',
      name: 'alb-rel-dev',
      associationSubnetId:
        '/subscriptions/00000000-0000-4000-8000-0000000000d1/resourceGroups/rg-rel-dev/providers/Microsoft.Network/virtualNetworks/vnet-rel-dev/subnets/snet-agc',
    },
    wafPolicyId:
      '/subscriptions/00000000-0000-4000-8000-0000000000d1/resourceGroups/rg-edge/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-rel-dev',
    tls: {
      certificateName: 'wildcard-dev-example-com',
      dnsNames: ['*.dev.example.com', '*.example.com'],
      clientId: '11111111-1111-4111-8111-111111111111',
    },
  },
  keyVault: { name: 'kv-rel-dev', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  firewall: {
    policyId:
      '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub',
    ruleCollectionGroupPriority: 200,
  },
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  allowedRegistries: ['ghcr.io/contoso', 'registry.k8s.io/pause'],
};

export const PROD: ClusterSpec = {
  name: 'rel-prod',
  environment: 'prod',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-0000000000f1',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.20.0.0/16',
    l7SourceCidr: '10.20.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: {
      name: 'snet-ilb',
      cidr: '10.20.4.0/24',
      privateLinkServiceNetworkPoliciesDisabled: true,
    },
    firewallPublicIps: ['203.0.113.20', '203.0.113.21'],
    plugin: 'azure-cni-overlay',
  },
  l7: {
    kind: 'agic',
    sslCertificate: 'wildcard-example-com',
    sslCertificateDnsNames: ['*.example.com'],
    trustedRootCertificate: 'example-internal-root',
    wafPolicyId:
      '/subscriptions/00000000-0000-4000-8000-0000000000f1/resourceGroups/rg-edge/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-rel-prod',
  },
  keyVault: { name: 'kv-rel-prod', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  firewall: {
    policyId:
      '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub',
    ruleCollectionGroupPriority: 210,
  },
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  allowedRegistries: ['ghcr.io/contoso', 'registry.k8s.io/pause'],
};

export const FLEET: readonly ClusterSpec[] = [DEV, PROD];
export const CLUSTER_NAMES = FLEET.map((c) => c.name);

/** A deep, plain-JSON copy that tests may mutate. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Sets (or, with `undefined`, deletes) a dotted path such as `network.firewallPublicIps.0`. */
export function setPath(target: unknown, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export function fleetModuleSource(specs: unknown): string {
  return `// Scratch fleet written by the reliability suite.\nexport const clusters = ${JSON.stringify(specs, null, 2)};\n`;
}

export function writeFleet(root: string, specs: unknown, file = FLEET_MODULE): void {
  fs.writeFileSync(path.join(root, file), fleetModuleSource(specs));
}

// ---------------------------------------------------------------------------------------------
// Apps as source files: `apps/<name>/src/index.ts`, exactly what the CLI loads.

export const APP_PRELUDE = [
  `import { L4Service, L7Api, defineApp } from '@aks-gitops/workloads';`,
  `const IMG = (repo: string): string => \`ghcr.io/contoso/\${repo}:1.0.0@${DIGEST}\`;`,
  '',
].join('\n');

/** An app module whose deploy body sees `scope`, `cluster`, `prod` and `IMG`. */
export function appSource(name: string, body: string): string {
  return `${APP_PRELUDE}export default defineApp({\n  name: ${JSON.stringify(name)},\n  deploy: ({ scope, cluster }) => {\n    const prod = cluster.environment === 'prod';\n    void prod;\n${body}\n  },\n});\n`;
}

export function writeAppFile(root: string, folder: string, source: string): void {
  const dir = path.join(root, 'apps', folder, 'src');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.ts'), source);
}

export function writeApp(root: string, name: string, body: string): void {
  writeAppFile(root, name, appSource(name, body));
}

/**
 * Four apps like the examples under apps/: every construct and mode (L7 on both providers, https
 * backends, Key Vault, calls, egress; L4 public via firewall with volumes, private UDP+TCP).
 */
export const FIXTURE_APPS: Readonly<Record<string, string>> = {
  orders: `    new L7Api(scope, 'api', {
      image: IMG('orders'),
      port: 8080,
      routes: [{ host: 'orders.example.com', paths: ['/orders', '/carts'] }],
      health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
      ...(prod ? { autoscaling: { minReplicas: 3, maxReplicas: 12 } } : { replicas: 2 }),
      resources: { cpu: '250m', memory: '256Mi', memoryLimit: '512Mi' },
      config: { PAGE_SIZE: '50', LOG_FORMAT: 'json' },
      acceptCallsFrom: ['payments'],
    });`,
  payments: `    new L7Api(scope, 'api', {
      image: IMG('payments'),
      port: 8443,
      backendProtocol: prod ? 'https' : 'http',
      routes: [{ host: 'pay.example.com', paths: ['/payments'] }],
      replicas: prod ? 3 : 2,
      workloadIdentity: { clientId: '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f' },
      keyVaultSecrets: ['psp-api-key'],
      calls: ['orders'],
      egress: [{ cidr: '10.0.8.16/28', ports: [{ port: 443 }] }],
    });`,
  broker: `    new L4Service(scope, 'broker', {
      image: IMG('broker'),
      ports: [{ name: 'mqtts', port: 8883 }],
      exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      address: { offset: 10 },
      replicas: prod ? 3 : 2,
      volumes: [{ name: 'data', mountPath: '/data', size: '5Gi', storageClassName: 'managed-csi-premium' }],
      tcpIdleTimeoutMinutes: 30,
    });`,
  ingest: `    new L4Service(scope, 'syslog', {
      image: IMG('ingest'),
      ports: [
        { name: 'syslog-udp', port: 514, targetPort: 5514, protocol: 'UDP' },
        { name: 'syslog-tls', port: 6514, protocol: 'TCP' },
      ],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/20', '172.16.40.0/24'] },
      address: { offset: 20 },
      health: { readiness: { tcp: { port: 6514 } } },
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
    });`,
};

// ---------------------------------------------------------------------------------------------
// Scratch roots.

/**
 * Scratch roots live in the OS temp dir, with a `node_modules` link back to the repository so app
 * files there can import '@aks-gitops/*'. Not under the repository: file creation inside this
 * workspace's checkout was measured 30-40x slower than in the temp dir (12k files: 8 s vs 0.2 s),
 * which dominated the crash-safety runtime.
 */
const SCRATCH_PREFIX = path.join(os.tmpdir(), 'aks-gitops-');

export function makeScratch(label: string): string {
  const root = fs.mkdtempSync(`${SCRATCH_PREFIX}reliability-${label}-`);
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

export function removeScratch(root: string | undefined): void {
  if (root && root.startsWith(SCRATCH_PREFIX)) fs.rmSync(root, { recursive: true, force: true });
}

/** A scratch root with the fleet module and the given apps (default: the four fixture apps). */
export function scratchRepo(
  label: string,
  apps: Readonly<Record<string, string>> = FIXTURE_APPS,
  fleet: unknown = FLEET,
): string {
  const root = makeScratch(label);
  writeFleet(root, fleet);
  for (const [name, body] of Object.entries(apps)) writeApp(root, name, body);
  return root;
}

/** A copy of a scratch root (`cp -a`: fs.cpSync is several times slower on overlay filesystems). */
export function copyRepo(from: string, label: string): string {
  const root = makeScratch(label);
  execFileSync('cp', ['-a', `${from}/.`, root]);
  return root;
}

// ---------------------------------------------------------------------------------------------
// The CLI as a child process.

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Called once the process is spawned (the crash test kills it from here). */
  readonly onSpawn?: (child: ChildProcess) => void;
  /**
   * Run `node --require libs/synth/register.cjs libs/cli/src/main.ts` (one process, as npm run synth does) instead of the `tsx` launcher, which runs the
   * script in a second node process: cheaper, and a SIGKILL hits the writer directly.
   */
  readonly direct?: boolean;
}

/**
 * `tsx libs/cli/src/main.ts synth --clusters-module fleet.ts ...` with cwd = repo and
 * AKS_GITOPS_ROOT = root. tsx runs the script in a child process, so the CLI gets its own
 * process group: killing `-pid` reaches the process that writes.
 */
export function spawnCli(
  root: string,
  args: readonly string[],
  opts: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const started = Date.now();
  const [cmd, argv] = opts.direct ? [process.execPath, ['--require', REGISTER, CLI, ...args]] : [TSX, [CLI, ...args]];
  // A CI job's NX_BASE (synth --changed's default --base) must not reach a scratch synth unasked.
  const env: NodeJS.ProcessEnv = { ...process.env, AKS_GITOPS_ROOT: root };
  delete env.NX_BASE;
  const child = spawn(cmd, argv, {
    cwd: REPO,
    env: { ...env, ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeout = setTimeout(() => killGroup(child), opts.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  opts.onSpawn?.(child);
  return { child, done };
}

export function runCli(root: string, args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return spawnCli(root, args, opts).done;
}

/** `synth --clusters-module fleet.ts` plus extra arguments. */
export function runSynthCli(root: string, extra: readonly string[] = [], opts: CliOptions = {}): Promise<CliResult> {
  return runCli(root, ['synth', '--clusters-module', FLEET_MODULE, ...extra], opts);
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Lines of a V8 stack trace: what a user error must never print. */
export const STACK_LINE = /^\s{4}at /m;

// ---------------------------------------------------------------------------------------------
// The output tree, byte for byte.

export type Tree = Map<string, string>;

/** The one generated file outside `clusters/` and `flux/` (a one-file unit of the same write). */
const FILE_UNITS = ['.github/CODEOWNERS'];

/** Every file under `clusters/` and `flux/`, and `.github/CODEOWNERS`: relative path -> content. */
export function readTree(root: string): Tree {
  const out: Tree = new Map();
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(root, r), 'utf8'));
    }
  };
  for (const top of ['clusters', 'flux']) if (fs.existsSync(path.join(root, top))) walk(top);
  for (const f of FILE_UNITS)
    if (fs.existsSync(path.join(root, f))) out.set(f, fs.readFileSync(path.join(root, f), 'utf8'));
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** sha256 of every file under `clusters/` and `flux/`. */
export function hashTree(root: string): Map<string, string> {
  return new Map([...readTree(root)].map(([f, c]) => [f, createHash('sha256').update(c).digest('hex')]));
}

/** Files of `tree` under a folder, relative to it. */
export function subTree(tree: Tree, folder: string): Tree {
  if (FILE_UNITS.includes(folder)) return new Map(tree.has(folder) ? [['', tree.get(folder) as string]] : []);
  const prefix = `${folder}/`;
  return new Map([...tree].filter(([f]) => f.startsWith(prefix)).map(([f, c]) => [f.slice(prefix.length), c]));
}

export interface TreeDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export function diffTrees(before: Tree, after: Tree): TreeDiff {
  const added = [...after.keys()].filter((f) => !before.has(f));
  const removed = [...before.keys()].filter((f) => !after.has(f));
  const changed = [...after.keys()].filter((f) => before.has(f) && before.get(f) !== after.get(f));
  return { added, removed, changed };
}

/** Removes `dir` and its subfolders while they hold no file; true when `dir` is gone. */
function removeEmptyDirs(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  let empty = true;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && removeEmptyDirs(path.join(dir, e.name))) continue;
    empty = false;
  }
  if (empty) fs.rmdirSync(dir);
  return empty;
}

export function controlFilesLeft(root: string): string[] {
  return CONTROL_FILES.filter((f) => fs.existsSync(path.join(root, f)));
}

/**
 * Makes `clusters/` and `flux/` of `root` exactly `target` (writing only files that differ) and
 * removes control files. Much faster than copying whole trees on overlay filesystems.
 */
export function syncOutput(root: string, target: Tree): void {
  for (const f of CONTROL_FILES) fs.rmSync(path.join(root, f), { recursive: true, force: true });
  const current = readTree(root);
  for (const [f, content] of target) {
    if (current.get(f) === content) continue;
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), content);
  }
  for (const f of current.keys()) if (!target.has(f)) fs.rmSync(path.join(root, f));
  for (const top of ['clusters', 'flux']) removeEmptyDirs(path.join(root, top));
}

/** `clusters/<c>/<app>` folders and `flux/<c>` trees: the units synth writes whole. */
export function unitsOf(tree: Tree): Set<string> {
  const units = new Set<string>();
  for (const f of tree.keys()) {
    const parts = f.split('/');
    units.add(
      FILE_UNITS.includes(f) ? f : parts[0] === 'flux' ? parts.slice(0, 2).join('/') : parts.slice(0, 3).join('/'),
    );
  }
  return units;
}
