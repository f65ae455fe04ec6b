/**
 * Bad-input corpus: every case is a malformed app or cluster definition (or CLI argument) run
 * through the real CLI (`tsx libs/cli/src/main.ts synth`) against a scratch repository whose
 * output tree was first produced by a successful synth. Each case must
 *   - exit 1 (a user error, never 2 = internal error),
 *   - name the app (when there is one), the cluster and the field, and say what is allowed (`Fix:`),
 *   - print no stack trace,
 *   - leave every file under clusters/ and flux/ byte-for-byte unchanged (sha256 before/after),
 *     with no staging folder, journal or lock left behind.
 * The CLI processes run two at a time in `beforeAll`; each case is then its own test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliResult } from './support/scratch';
import {
  FLEET,
  FLEET_MODULE,
  STACK_LINE,
  cloneJson,
  controlFilesLeft,
  copyRepo,
  hashTree,
  mapLimit,
  removeScratch,
  runCli,
  runSynthCli,
  scratchRepo,
  setPath,
  writeApp,
  writeAppFile,
  writeFleet,
} from './support/scratch';

const D = 'rel-dev';
const P = 'rel-prod';

interface Expectation {
  /** `app <name>` must appear; omit when the error is not about one app. */
  readonly app?: string;
  /** `cluster <name>` must appear; omit when the error is not about one cluster. */
  readonly cluster?: string;
  /** `field <field>` must appear. */
  readonly field: string;
  /** Further substrings the message must contain (e.g. the other app of a conflict). */
  readonly mentions?: readonly string[];
}

interface BadCase {
  readonly title: string;
  /** Apps to add (deploy bodies, see appSource). */
  readonly apps?: Readonly<Record<string, string>>;
  /** App folders to add with verbatim file content. */
  readonly files?: Readonly<Record<string, string>>;
  /** Mutations of the scratch fleet: [cluster index, dotted path, value (undefined deletes)]. */
  readonly fleet?: ReadonlyArray<readonly [number, string, unknown]>;
  /** Replaces the fleet module's text entirely. */
  readonly fleetSource?: string;
  /** Extra CLI arguments (after `synth --clusters-module fleet.ts`), or the full argv with `argv`. */
  readonly args?: readonly string[];
  readonly argv?: readonly string[];
  readonly expect: Expectation;
  /** Set for a known bug: the case runs as `it.failing` and the text says what is wrong. */
  readonly bug?: string;
}

// Deploy bodies for the bad app. L7 / L4 are valid base props; each case breaks one thing.
const BASES = `    const L7 = { image: IMG('bad'), port: 8080, routes: [{ host: 'bad.example.com' }] };
    const L4 = { image: IMG('bad'), ports: [{ name: 'tcp', port: 9000 }], exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] }, address: { offset: 40 } };
    void L7; void L4;`;
const l7 = (props: string, id = 'api'): string =>
  `${BASES}\n    new L7Api(scope, '${id}', { ...L7, ${props} } as never);`;
const l4 = (props: string, id = 'svc'): string =>
  `${BASES}\n    new L4Service(scope, '${id}', { ...L4, ${props} } as never);`;
const bad = (body: string): Readonly<Record<string, string>> => ({ bad: body });
const inL7 = (field: string, cluster = D): Expectation => ({ app: 'bad', cluster, field: `L7Api(bad).${field}` });
const inL4 = (field: string, cluster = D): Expectation => ({ app: 'bad', cluster, field: `L4Service(bad).${field}` });
const GUID = '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f';

const CASES: readonly BadCase[] = [
  // ---- L7Api -----------------------------------------------------------------------------
  { title: 'L7Api: port 0', apps: bad(l7('port: 0')), expect: inL7('port') },
  {
    title: 'L7Api: host with capitals',
    apps: bad(l7(`routes: [{ host: 'Bad.Example.com' }]`)),
    expect: inL7('routes[0].host'),
  },
  {
    title: 'L7Api: path without leading slash',
    apps: bad(l7(`routes: [{ host: 'bad.example.com', paths: ['orders'] }]`)),
    expect: inL7('routes[0].paths[0]'),
  },
  {
    title: 'L7Api: a host the cluster listener certificate does not cover',
    apps: bad(l7(`routes: [{ host: 'orders.example.org' }]`)),
    expect: inL7('routes[0].host', D),
  },
  {
    title: 'L7Api: https backend on an AGIC cluster without trusted root certificate',
    apps: bad(
      `${BASES}\n    if (!prod) return;\n    new L7Api(scope, 'api', { ...L7, backendProtocol: 'https' } as never);`,
    ),
    fleet: [[1, 'l7.trustedRootCertificate', undefined]],
    expect: inL7('backendProtocol', P),
  },
  {
    title: 'L7Api: WAF policy id that is not a resource id',
    apps: bad(l7(`wafPolicyId: 'waf-bad'`)),
    expect: inL7('wafPolicyId'),
  },
  {
    title: 'L7Api: host and path already routed to another app',
    apps: {
      zroute: l7(`routes: [{ host: 'orders.example.com', paths: ['/orders'] }]`).replace(
        /IMG\('bad'\)/g,
        "IMG('zroute')",
      ),
    },
    expect: { app: 'zroute', cluster: D, field: 'L7Api(zroute).routes[0].paths[0]', mentions: ['orders/orders'] },
  },
  {
    title: 'L7Api: hosts with different paths on a gateway-api cluster',
    apps: bad(l7(`routes: [{ host: 'a.example.com', paths: ['/a'] }, { host: 'b.example.com', paths: ['/b'] }]`)),
    expect: inL7('routes[1].paths', D),
  },

  // ---- Shared workload props (WorkloadProps, on either construct) ---------------------------
  { title: 'props: image tag latest', apps: bad(l7(`image: 'ghcr.io/contoso/bad:latest'`)), expect: inL7('image') },
  { title: 'props: image that is not a reference', apps: bad(l4(`image: 'Not An Image'`)), expect: inL4('image') },
  {
    title: 'props: replicas together with autoscaling',
    apps: bad(l7('replicas: 2, autoscaling: { maxReplicas: 5 }')),
    expect: inL7('replicas'),
  },
  {
    title: 'props: autoscaling maxReplicas below minReplicas',
    apps: bad(l7('autoscaling: { minReplicas: 4, maxReplicas: 3 }')),
    expect: inL7('autoscaling.maxReplicas'),
  },
  {
    title: 'props: CPU request that is not a quantity',
    apps: bad(l7(`resources: { cpu: 'lots' }`)),
    expect: inL7('resources.cpu'),
  },
  {
    title: 'props: memory limit below the request',
    apps: bad(l7(`resources: { memory: '512Mi', memoryLimit: '256Mi' }`)),
    expect: inL7('resources.memoryLimit'),
  },
  { title: 'props: runAsUser below 10000', apps: bad(l4('runAsUser: 1000')), expect: inL4('runAsUser') },
  { title: 'props: env name starting with a digit', apps: bad(l7(`env: { '1BAD': 'x' }`)), expect: inL7('env.1BAD') },
  {
    title: 'props: workload identity client id not a GUID',
    apps: bad(l7(`workloadIdentity: { clientId: 'not-a-guid' }`)),
    expect: inL7('workloadIdentity.clientId'),
  },
  {
    title: 'props: Key Vault secret name with invalid characters',
    apps: bad(l7(`keyVaultSecrets: ['psp_key!'], workloadIdentity: { clientId: '${GUID}' }`)),
    expect: inL7('keyVaultSecrets[0]'),
  },
  {
    title: 'props: egress to 0.0.0.0/0 without a reason',
    apps: bad(l4(`egress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }]`)),
    expect: inL4('egress[0].cidr'),
  },
  {
    title: 'props: writable root filesystem without a reason',
    apps: bad(l7(`writableRootFilesystem: { reason: '  ' }`)),
    expect: inL7('writableRootFilesystem.reason'),
  },
  {
    title: 'props: workload name that is not a DNS label',
    apps: bad(l7(`name: 'Bad_Name'`)),
    expect: { app: 'bad', cluster: D, field: 'L7Api(Bad_Name).name' },
  },
  {
    title: 'props: two workloads with the same name in one app',
    apps: bad(
      `${BASES}\n    new L7Api(scope, 'one', L7 as never);\n    new L7Api(scope, 'two', { ...L7, routes: [{ host: 'two.example.com' }] } as never);`,
    ),
    expect: inL7('name'),
  },

  // ---- calls ----------------------------------------------------------------------------
  {
    title: 'calls: an app that is not deployed',
    apps: bad(l7(`calls: ['ghost']`)),
    expect: { ...inL7('calls[0]'), mentions: ['ghost'] },
  },
  {
    title: 'calls: a port the callee does not listen on',
    apps: bad(l4(`calls: [{ app: 'orders', ports: [9999] }]`)),
    expect: inL4('calls[0]'),
  },
  { title: 'calls: the workload itself', apps: bad(l7(`calls: ['bad']`)), expect: inL7('calls[0]') },
  {
    title: 'calls: an app with several workloads without naming one',
    apps: bad(
      `${BASES}\n    new L7Api(scope, 'front', { ...L7, name: 'front', calls: ['bad'] } as never);\n    new L7Api(scope, 'back', { ...L7, name: 'back', routes: [{ host: 'back.example.com' }] } as never);`,
    ),
    expect: { app: 'bad', cluster: D, field: 'L7Api(front).calls[0]' },
  },
  {
    title: 'calls: the same app twice',
    apps: bad(l7(`calls: ['orders', { app: 'orders', ports: [8080] }]`)),
    expect: { ...inL7('calls[1]'), mentions: ['calls[0]'] },
  },

  // ---- L4Service --------------------------------------------------------------------------
  { title: 'L4Service: no ports', apps: bad(l4('ports: []')), expect: inL4('ports') },
  {
    title: 'L4Service: port name with capitals',
    apps: bad(l4(`ports: [{ name: 'TCP', port: 9000 }]`)),
    expect: inL4('ports[0].name'),
  },
  {
    title: 'L4Service: address outside the ILB subnet',
    apps: bad(l4(`address: '10.99.0.50'`)),
    expect: { ...inL4('address'), mentions: ['10.10.4.0/24'] },
  },
  { title: 'L4Service: address reserved by Azure', apps: bad(l4('address: { offset: 2 }')), expect: inL4('address') },
  {
    title: 'L4Service: load balancer IP and port already claimed by another app',
    apps: {
      zlb: l4(`ports: [{ name: 'mqtts', port: 8883 }], address: { offset: 10 }`).replace(/IMG\('bad'\)/g, "IMG('zlb')"),
    },
    expect: { app: 'zlb', cluster: D, field: 'L4Service(zlb).ports[0]', mentions: ['broker/broker'] },
  },
  {
    title: 'L4Service: private open to 0.0.0.0/0',
    apps: bad(l4(`exposure: { mode: 'private', allowedSources: ['0.0.0.0/0'] }`)),
    expect: inL4('exposure.allowedSources[0]'),
  },
  {
    title: 'L4Service: "*" combined with other public sources',
    apps: bad(l4(`exposure: { mode: 'public-via-firewall', sourceAddresses: ['*', '198.51.100.0/24'] }`)),
    expect: inL4('exposure.sourceAddresses[0]'),
  },
  {
    title: 'L4Service: firewall public IP the cluster does not have',
    apps: bad(
      l4(`exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'], firewallPublicIp: '198.51.100.7' }`),
    ),
    expect: inL4('exposure.firewallPublicIp'),
  },
  {
    title: 'L4Service: firewall IP and port already published by another app',
    apps: {
      zdnat: l4(
        `ports: [{ name: 'mqtts', port: 8883 }], exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] }, address: { offset: 50 }`,
      ).replace(/IMG\('bad'\)/g, "IMG('zdnat')"),
    },
    expect: {
      app: 'zdnat',
      cluster: D,
      field: 'endpoints[zdnat/zdnat/mqtts/TCP].firewallPort',
      mentions: ['app broker'],
    },
  },
  {
    title: 'L4Service: TCP idle timeout 60 minutes',
    apps: bad(l4('tcpIdleTimeoutMinutes: 60')),
    expect: inL4('tcpIdleTimeoutMinutes'),
  },
  {
    title: 'L4Service: UDP only without a readiness probe',
    apps: bad(l4(`ports: [{ name: 'syslog', port: 514, protocol: 'UDP' }]`)),
    expect: inL4('health.readiness'),
  },
  {
    title: 'L4Service: TCP probe on a UDP port',
    apps: bad(
      l4(
        `ports: [{ name: 'syslog', port: 514, protocol: 'UDP' }, { name: 'tls', port: 6514 }], health: { readiness: { tcp: { port: 514 } } }`,
      ),
    ),
    expect: inL4('health.readiness'),
  },
  {
    title: 'L4Service: a load balancer probe, which externalTrafficPolicy Local would ignore',
    apps: bad(
      l4(`ports: [{ name: 'web', port: 9000, loadBalancerProbe: { protocol: 'Http', path: '/healthz' } as never }]`),
    ),
    expect: inL4('ports[0].loadBalancerProbe'),
  },
  {
    title: 'L4Service: volume mounted on /tmp',
    apps: bad(l4(`volumes: [{ name: 'data', mountPath: '/tmp', size: '1Gi' }]`)),
    expect: inL4('volumes[0].mountPath'),
  },
  {
    title: 'L4Service: Private Link auto-approval without visibility *',
    apps: bad(l4(`privateLink: { autoApproval: ['${GUID}'] }`)),
    expect: inL4('privateLink.autoApproval'),
  },
  {
    title: 'L4Service: storage class name that is not a DNS subdomain',
    apps: bad(l4(`volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClassName: 'Premium SSD!' }]`)),
    expect: inL4('volumes[0].storageClassName'),
  },

  // ---- The app definition itself ----------------------------------------------------------
  {
    title: 'app: name differs from its folder',
    files: {
      bad: `import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'other', deploy: () => undefined });\n`,
    },
    expect: { app: 'bad', field: 'name', mentions: ['apps/bad'] },
  },
  {
    title: 'app: module exports no app definition',
    files: { bad: 'export const notAnApp = 1;\n' },
    expect: { app: 'bad', field: 'apps/bad/src/index.ts' },
  },
  {
    title: 'app: deploy throws',
    apps: bad(`    throw new Error('boom');`),
    expect: { app: 'bad', cluster: D, field: 'deploy', mentions: ['boom'] },
  },
  {
    title: 'app: name reserved by the platform folder',
    apps: { platform: l7('') },
    expect: { app: 'platform', field: 'name' },
  },
  {
    title: 'app: name of a system namespace',
    apps: { 'flux-system': l7('') },
    expect: { app: 'flux-system', field: 'name' },
  },
  {
    title: "app: name equal to the cluster's Gateway namespace",
    apps: { 'edge-gateway': l7('') },
    expect: { app: 'edge-gateway', cluster: D, field: 'name' },
  },
  {
    title: 'app: name that is not a DNS label',
    files: {
      Bad: `import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'Bad', deploy: () => undefined });\n`,
    },
    expect: { app: 'Bad', field: 'name' },
  },
  {
    title: 'app: syntax error in the app module',
    files: {
      broken: `import { defineApp } from '@aks-gitops/workloads';\nexport default defineApp({ name: 'broken', deploy: () => {\n`,
    },
    expect: { app: 'broken', field: 'apps/broken/src/index.ts' },
  },
  {
    title: 'app: module that throws while loading',
    files: { broken: `throw new Error('cannot load');\n` },
    expect: { app: 'broken', field: 'apps/broken/src/index.ts', mentions: ['cannot load'] },
  },
  {
    title: 'app: workload named like the headless Service of another workload',
    apps: bad(
      `${BASES}\n    new L4Service(scope, 'db', { ...L4, name: 'db', volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] } as never);\n    new L7Api(scope, 'api', { ...L7, name: 'db-headless' } as never);`,
    ),
    expect: { app: 'bad', cluster: D, field: 'L7Api(db-headless).name', mentions: ['db-headless'] },
  },

  // ---- Cluster model ---------------------------------------------------------------------
  {
    title: 'cluster: VNet prefix /33',
    fleet: [[0, 'network.vnetCidr', '10.10.0.0/33']],
    expect: { cluster: D, field: 'network.vnetCidr' },
  },
  {
    title: 'cluster: ILB subnet outside the VNet',
    fleet: [[0, 'network.internalLoadBalancerSubnet.cidr', '10.99.4.0/24']],
    expect: { cluster: D, field: 'network.internalLoadBalancerSubnet.cidr', mentions: ['outside the VNet'] },
  },
  {
    title: 'cluster: ILB subnet overlapping the firewall subnet',
    fleet: [[0, 'network.firewallSubnetCidr', '10.10.4.0/26']],
    expect: { cluster: D, field: 'network.internalLoadBalancerSubnet.cidr', mentions: ['AzureFirewallSubnet'] },
  },
  {
    title: 'cluster: firewall subnet smaller than /26',
    fleet: [[0, 'network.firewallSubnetCidr', '10.0.1.0/27']],
    expect: { cluster: D, field: 'network.firewallSubnetCidr' },
  },
  {
    title: 'cluster: private firewall public IP',
    fleet: [[1, 'network.firewallPublicIps', ['10.0.1.4']]],
    expect: { cluster: P, field: 'network.firewallPublicIps[0]', mentions: ['private'] },
  },
  {
    title: 'cluster: Kubernetes version with a patch',
    fleet: [[0, 'kubernetesVersion', '1.30.2']],
    expect: { cluster: D, field: 'kubernetesVersion' },
  },
  {
    title: 'cluster: duplicate cluster names',
    fleet: [[1, 'name', D]],
    expect: { cluster: D, field: 'name', mentions: ['defined twice'] },
  },
  {
    title: 'cluster: DNAT rule collection group priorities clash',
    fleet: [[1, 'firewall.ruleCollectionGroupPriority', 200]],
    expect: { cluster: P, field: 'firewall.ruleCollectionGroupPriority', mentions: [D] },
  },
  {
    title: 'cluster: bad WAF policy id (AGIC)',
    fleet: [[1, 'l7.wafPolicyId', 'waf-prod']],
    expect: { cluster: P, field: 'l7.wafPolicyId' },
  },
  { title: 'cluster: unknown L7 provider', fleet: [[1, 'l7.kind', 'nginx']], expect: { cluster: P, field: 'l7.kind' } },
  {
    title: 'cluster: Flux URL in scp syntax',
    fleet: [[0, 'flux.url', 'git@github.com:contoso/aks-gitops.git']],
    expect: { cluster: D, field: 'flux.url' },
  },
  {
    title: 'cluster: name that is not a DNS label',
    fleet: [[0, 'name', 'Rel_Dev']],
    expect: { cluster: 'Rel_Dev', field: 'name' },
  },
  {
    title: 'cluster: clusters module without an array',
    fleetSource: 'export const clusters = { name: "rel-dev" };\n',
    expect: { field: '--clusters-module' },
  },
  {
    title: 'cluster: Gateway namespace kube-system',
    fleet: [[0, 'l7.gateway.namespace', 'kube-system']],
    expect: { cluster: D, field: 'l7.gateway.namespace' },
  },
  {
    title: 'cluster: Gateway namespace flux-system',
    fleet: [[0, 'l7.gateway.namespace', 'flux-system']],
    expect: { cluster: D, field: 'l7.gateway.namespace' },
  },
  {
    title: 'cluster: firewall block missing on every cluster',
    fleet: [
      [0, 'firewall', undefined],
      [1, 'firewall', undefined],
    ],
    expect: { cluster: P, field: 'firewall' },
  },
  {
    title: 'cluster: clusters module that does not exist',
    args: [],
    argv: ['synth', '--clusters-module', 'no-such-fleet.ts'],
    expect: { field: '--clusters-module', mentions: ['no-such-fleet.ts'] },
  },

  // ---- CLI selections --------------------------------------------------------------------
  {
    title: 'cli: --cluster naming no cluster',
    args: ['--cluster', 'nope'],
    expect: { cluster: 'nope', field: '--cluster', mentions: [D, P] },
  },
  {
    title: 'cli: --app naming no app',
    args: ['--app', 'nope'],
    expect: { app: 'nope', field: '--app', mentions: ['orders'] },
  },
];

interface Outcome {
  readonly result: CliResult;
  readonly before: Map<string, string>;
  readonly after: Map<string, string>;
  readonly leftovers: string[];
}

let template: string | undefined;
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  template = scratchRepo('corpus-template');
  const first = await runSynthCli(template);
  if (first.code !== 0) throw new Error(`template synth failed: ${first.stderr}`);
  const tpl = template;
  await mapLimit(CASES, 2, async (c) => {
    const root = copyRepo(tpl, 'corpus');
    try {
      for (const [name, body] of Object.entries(c.apps ?? {})) writeApp(root, name, body);
      for (const [folder, source] of Object.entries(c.files ?? {})) writeAppFile(root, folder, source);
      if (c.fleet) {
        const specs = cloneJson(FLEET);
        for (const [i, p, v] of c.fleet) setPath(specs[i], p, v);
        writeFleet(root, specs);
      }
      if (c.fleetSource) fs.writeFileSync(path.join(root, FLEET_MODULE), c.fleetSource);
      const before = hashTree(root);
      const result = c.argv ? await runCli(root, c.argv) : await runSynthCli(root, c.args ?? []);
      outcomes.set(c.title, { result, before, after: hashTree(root), leftovers: controlFilesLeft(root) });
    } finally {
      removeScratch(root);
    }
  });
}, 300_000);

afterAll(() => removeScratch(template));

describe('CLI usage errors', () => {
  it('an option without its value is a usage error (exit 2), not an internal error with a stack trace', async () => {
    const result = await runSynthCli(template as string, ['--cluster']);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).toContain('usage:');
    expect([1, 2]).toContain(result.code);
  });
});

describe('bad-input corpus: rejected with exit 1, a precise message, and nothing written', () => {
  it('the template tree was produced by a successful synth and is not empty', () => {
    const tree = hashTree(template as string);
    expect(tree.size).toBeGreaterThan(20);
    expect([...tree.keys()].some((f) => f.startsWith('clusters/rel-dev/orders/'))).toBe(true);
  });

  it('has at least 40 cases that are not known bugs', () => {
    expect(CASES.filter((c) => !c.bug).length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    const run = c.bug ? it.failing : it;
    // TODO(bug): cases with `bug` document a defect in library code; flip to `it` once fixed.
    run(`${c.title}${c.bug ? ` [BUG: ${c.bug}]` : ''}`, () => {
      const o = outcomes.get(c.title);
      expect(o).toBeDefined();
      const { result, before, after, leftovers } = o as Outcome;
      const err = result.stderr;
      // A user error: exit 1, a message, no stack trace, not reported as a bug in aks-gitops.
      expect({ code: result.code, stderr: err }).toEqual({ code: 1, stderr: expect.any(String) });
      expect(err).not.toMatch(STACK_LINE);
      expect(err).not.toContain('internal error');
      expect(err).toContain(`field ${c.expect.field}`);
      if (c.expect.app) expect(err).toContain(`app ${c.expect.app}`);
      if (c.expect.cluster) expect(err).toContain(`cluster ${c.expect.cluster}`);
      for (const m of c.expect.mentions ?? []) expect(err).toContain(m);
      expect(err).toMatch(/Fix: \S/);
      expect(err).toContain('Nothing was written.');
      // The output tree is byte-for-byte what it was.
      expect([...after]).toEqual([...before]);
      expect(leftovers).toEqual([]);
    });
  }
});
