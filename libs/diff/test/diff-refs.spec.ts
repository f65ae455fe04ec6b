import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  COMMENT_MARKER,
  type DiffArgs,
  diffRefs,
  formatMarkdown,
  formatText,
  readChangedOutput,
  runDiff,
} from '@aks-gitops/diff';
import type { FleetDiff } from '@aks-gitops/diff';
import { ScratchRepo, deployment, dnatFile, dnatRule, fluxKustomization, networkPolicy } from './scratch-repo';

const PROD = 'aks-prod-weu';
const DEV = 'aks-dev-weu';
const environments = new Map([
  [PROD, 'prod'],
  [DEV, 'dev'],
]);
const PINNED =
  'ghcr.io/contoso/orders-api:1.4.2@sha256:5f0c3a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b';

let repo: ScratchRepo;
let base: string;

/** main: orders-api on prod (pinned image, a NetworkPolicy admitting the WAF subnet), one DNAT rule for mqtt-broker. */
beforeEach(() => {
  repo = new ScratchRepo();
  repo
    .manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [
      deployment('orders-api', PINNED),
      networkPolicy('orders-api', [{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }]),
    ])
    .write(
      `clusters/${PROD}/orders-api/kustomization.yaml`,
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n',
    )
    .manifests(`clusters/${PROD}/platform/manifests.yaml`, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders-api' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mqtt-broker' } },
    ])
    .write(
      `clusters/${PROD}/azure/firewall-dnat.json`,
      dnatFile(PROD, [dnatRule('mqtt-broker-mqtt-broker-mqtts-tcp', '8883')]),
    )
    .manifests(`flux/${PROD}/apps.yaml`, [fluxKustomization('orders-api')]);
  base = repo.commit('main');
});
afterEach(() => repo.cleanup());

const diff = (): FleetDiff => diffRefs({ root: repo.root, base, environments });

describe('npm run diff: what a change does to the committed output of two refs', () => {
  it('a new L4 service exposed through the firewall: the new DNAT rule is the first risk flag', () => {
    repo
      .manifests(`clusters/${PROD}/game/manifests.yaml`, [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'game', namespace: 'game' },
          spec: { type: 'LoadBalancer', ports: [{ name: 'game', port: 7777 }] },
        },
        deployment('game', 'ghcr.io/contoso/game:5.2.0@sha256:' + 'a'.repeat(64)),
      ])
      .write(
        `clusters/${PROD}/azure/firewall-dnat.json`,
        dnatFile(PROD, [dnatRule('mqtt-broker-mqtt-broker-mqtts-tcp', '8883'), dnatRule('game-game-game-tcp', '7777')]),
      )
      .manifests(`flux/${PROD}/apps.yaml`, [fluxKustomization('game'), fluxKustomization('orders-api')]);
    repo.commit('add game');
    const d = diff();
    expect(d.risks[0]).toEqual({
      kind: 'public-exposure',
      cluster: PROD,
      group: 'azure',
      message: 'new Azure Firewall DNAT rule game-game-game-tcp: TCP 203.0.113.20:7777 from * -> 10.20.4.30:7777',
    });
    expect(d.dnat).toEqual([expect.objectContaining({ cluster: PROD, rule: 'game-game-game-tcp', change: 'added' })]);
    expect(d.groups.find((g) => g.group === 'game')).toEqual({
      cluster: PROD,
      group: 'game',
      added: ['Kustomization flux-system/game', 'Deployment game/game', 'Service game/game'].sort(),
      removed: [],
      changed: [],
    });
    // Adding an app's Kustomization is no flux-changed flag; only changing or removing one is.
    expect(d.risks.filter((r) => r.kind === 'flux-changed')).toEqual([]);

    const markdown = formatMarkdown(d);
    expect(markdown.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    const firstFlag = markdown.split('\n').find((l) => l.startsWith('- **'));
    expect(firstFlag).toBe(
      '- **new public exposure** · `aks-prod-weu/azure`: new Azure Firewall DNAT rule game-game-game-tcp: TCP 203.0.113.20:7777 from * -&gt; 10.20.4.30:7777',
    );
    expect(markdown.indexOf('Risk flags')).toBeLessThan(markdown.indexOf('<details>'));
    expect(markdown).toContain('<summary>aks-prod-weu / game: 3 added, 0 removed, 0 changed</summary>');
  });

  it('a changed object shows one line per changed field, and unchanged objects are not listed', () => {
    repo.manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [
      deployment('orders-api', PINNED, { spec: { ...deployment('orders-api', PINNED).spec, replicas: 3 } }),
      networkPolicy('orders-api', [{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }]),
    ]);
    repo.commit('scale');
    const d = diff();
    expect(d.groups).toEqual([
      {
        cluster: PROD,
        group: 'orders-api',
        added: [],
        removed: [],
        changed: [
          {
            id: 'Deployment orders-api/orders-api',
            kind: 'Deployment',
            fields: [{ path: 'spec.replicas', old: 2, new: 3 }],
          },
        ],
      },
    ]);
    expect(d.risks).toEqual([]);
    expect(formatText(d)).toContain('  ~ Deployment orders-api/orders-api\n      spec.replicas: 2 -> 3\n');
  });

  it('a container image change is one line addressed by the container name', () => {
    const next = PINNED.replace('1.4.2', '1.4.3').replace(/sha256:.*/, 'sha256:' + 'b'.repeat(64));
    repo.manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [
      deployment('orders-api', next),
      networkPolicy('orders-api', [{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }]),
    ]);
    repo.commit('bump');
    expect(diff().groups[0].changed[0].fields).toEqual([
      { path: 'spec.template.spec.containers[name=orders-api].image', old: PINNED, new: next },
    ]);
  });

  describe('risk flags', () => {
    const withPolicy = (from: object[], ports: object[], annotations?: Record<string, string>) =>
      repo
        .manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [
          deployment('orders-api', PINNED),
          networkPolicy('orders-api', from, ports, annotations),
        ])
        .commit('policy');
    const kinds = (d: FleetDiff) => d.risks.map((r) => `${r.kind}: ${r.message}`);

    it('a NetworkPolicy source CIDR broadened is flagged; a narrower one is not', () => {
      withPolicy([{ ipBlock: { cidr: '10.20.0.0/16' } }], [{ port: 8080, protocol: 'TCP' }]);
      expect(kinds(diff())).toEqual([
        'network-policy-widened: NetworkPolicy orders-api/orders-api: source 10.20.0.0/16 added',
      ]);
      withPolicy([{ ipBlock: { cidr: '10.20.1.0/25' } }], [{ port: 8080, protocol: 'TCP' }]);
      expect(diffRefs({ root: repo.root, base: 'HEAD~1', environments }).risks).toEqual([]);
    });

    it('a new namespaceSelector peer and an added port are flagged', () => {
      withPolicy(
        [
          { ipBlock: { cidr: '10.20.1.0/24' } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments-api' } } },
        ],
        [
          { port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      );
      expect(kinds(diff())).toEqual([
        'network-policy-widened: NetworkPolicy orders-api/orders-api: namespaceSelector {"matchLabels":{"kubernetes.io/metadata.name":"payments-api"}} added',
        'network-policy-widened: NetworkPolicy orders-api/orders-api: port TCP 9090 added',
      ]);
    });

    it('a waiver added, then its reason changed, is flagged each time', () => {
      withPolicy([{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }], {
        'waivers.aks-gitops.io/netpol-allow-to-anywhere': 'Entra ID',
      });
      expect(kinds(diff())).toEqual([
        'waiver: NetworkPolicy orders-api/orders-api waives netpol-allow-to-anywhere: Entra ID',
      ]);
      withPolicy([{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }], {
        'waivers.aks-gitops.io/netpol-allow-to-anywhere': 'anything',
      });
      expect(kinds(diffRefs({ root: repo.root, base: 'HEAD~1', environments }))).toEqual([
        'waiver: NetworkPolicy orders-api/orders-api changes its waiver of netpol-allow-to-anywhere: anything',
      ]);
    });

    it('a Namespace, a StatefulSet and a volume claim template removed are flagged', () => {
      const sts = (templates: string[]) => ({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'mqtt-broker', namespace: 'mqtt-broker' },
        spec: {
          template: { spec: { containers: [{ name: 'b', image: PINNED }] } },
          volumeClaimTemplates: templates.map((name) => ({ metadata: { name } })),
        },
      });
      repo
        .manifests(`clusters/${PROD}/mqtt-broker/manifests.yaml`, [sts(['data', 'logs'])])
        .manifests(`clusters/${PROD}/db/manifests.yaml`, [
          { ...sts(['data']), metadata: { name: 'db', namespace: 'db' } },
        ]);
      const withState = repo.commit('state');
      repo.manifests(`clusters/${PROD}/mqtt-broker/manifests.yaml`, [sts(['data'])]).remove(`clusters/${PROD}/db`);
      repo.manifests(`clusters/${PROD}/platform/manifests.yaml`, [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders-api' } },
      ]);
      repo.commit('remove');
      expect(kinds(diffRefs({ root: repo.root, base: withState, environments }))).toEqual([
        'stateful-removed: StatefulSet db/db removed',
        'stateful-removed: StatefulSet mqtt-broker/mqtt-broker: volume claim template logs removed',
        'stateful-removed: Namespace mqtt-broker removed',
      ]);
    });

    it('an image without a digest is flagged on a prod cluster, not on dev', () => {
      repo
        .manifests(`clusters/${PROD}/web/manifests.yaml`, [deployment('web', 'ghcr.io/contoso/web:1.0.0')])
        .manifests(`clusters/${DEV}/web/manifests.yaml`, [deployment('web', 'ghcr.io/contoso/web:1.0.0')]);
      repo.commit('web');
      expect(kinds(diff())).toEqual([
        'image-not-pinned: Deployment web/web runs ghcr.io/contoso/web:1.0.0 (no digest)',
      ]);
    });

    it('a new Ingress or HTTPRoute host is public exposure', () => {
      repo.manifests(`clusters/${PROD}/web/manifests.yaml`, [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace: 'web' },
          spec: { rules: [{ host: 'web.contoso.com' }], tls: [{ hosts: ['web.contoso.com'] }] },
        },
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'web2', namespace: 'web' },
          spec: { hostnames: ['web2.contoso.com'] },
        },
      ]);
      repo.commit('web');
      expect(kinds(diff())).toEqual([
        'public-exposure: HTTPRoute web/web2 publishes host web2.contoso.com',
        'public-exposure: Ingress web/web publishes host web.contoso.com',
      ]);
    });

    it('a changed Flux Kustomization is flagged and shown with its app', () => {
      repo.manifests(`flux/${PROD}/apps.yaml`, [fluxKustomization('orders-api', { prune: false })]);
      repo.commit('flux');
      const d = diff();
      expect(kinds(d)).toEqual(['flux-changed: Kustomization flux-system/orders-api: spec.prune changed']);
      expect(d.groups.map((g) => `${g.cluster}/${g.group}`)).toEqual([`${PROD}/orders-api`]);
    });

    it('flags come in a fixed order: exposure, NetworkPolicy, waiver, stateful, image, Flux', () => {
      repo
        .manifests(`flux/${PROD}/apps.yaml`, [fluxKustomization('orders-api', { prune: false })])
        .manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [
          deployment('orders-api', 'ghcr.io/contoso/orders-api:2'),
          networkPolicy('orders-api', [{ ipBlock: { cidr: '0.0.0.0/0' } }], [{ port: 8080, protocol: 'TCP' }], {
            'waivers.aks-gitops.io/x': 'y',
          }),
        ])
        .write(
          `clusters/${PROD}/azure/firewall-dnat.json`,
          dnatFile(PROD, [dnatRule('mqtt-broker-mqtt-broker-mqtts-tcp', '8883'), dnatRule('new', '1')]),
        );
      repo.manifests(`clusters/${PROD}/platform/manifests.yaml`, [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders-api' } },
      ]);
      repo.commit('everything');
      expect(diff().risks.map((r) => r.kind)).toEqual([
        'public-exposure',
        'network-policy-widened',
        'waiver',
        'stateful-removed',
        'image-not-pinned',
        'flux-changed',
      ]);
    });
  });

  it('a DNAT rule whose sources change is shown field by field and flagged', () => {
    repo.write(
      `clusters/${PROD}/azure/firewall-dnat.json`,
      dnatFile(PROD, [dnatRule('mqtt-broker-mqtt-broker-mqtts-tcp', '8883', ['198.51.100.0/24', '*'])]),
    );
    repo.commit('sources');
    const d = diff();
    expect(d.dnat).toEqual([
      expect.objectContaining({
        rule: 'mqtt-broker-mqtt-broker-mqtts-tcp',
        change: 'changed',
        fields: [{ path: 'sourceAddresses', old: ['*'], new: ['198.51.100.0/24', '*'] }],
      }),
    ]);
    expect(d.risks.map((r) => r.kind)).toEqual(['public-exposure']);
  });

  it('reads only the files the two refs do not share (a one-app change costs one app at any fleet size)', () => {
    repo.manifests(`clusters/${PROD}/orders-api/manifests.yaml`, [deployment('orders-api', PINNED)]);
    const head = repo.commit('drop the policy');
    const out = readChangedOutput(repo.root, base, head);
    expect([...out.before.keys()]).toEqual([`clusters/${PROD}/orders-api/manifests.yaml`]);
    expect([...out.after.keys()]).toEqual([`clusters/${PROD}/orders-api/manifests.yaml`]);
    expect(out.headPaths).toEqual([
      `clusters/${PROD}/azure/firewall-dnat.json`,
      `clusters/${PROD}/orders-api/kustomization.yaml`,
      `clusters/${PROD}/orders-api/manifests.yaml`,
      `clusters/${PROD}/platform/manifests.yaml`,
      `flux/${PROD}/apps.yaml`,
    ]);
    expect(diff().groups.map((g) => [g.group, g.removed])).toEqual([
      ['orders-api', ['NetworkPolicy orders-api/orders-api']],
    ]);
  });

  it("an app's Flux Kustomization is shown with the app even when only flux/ changed", () => {
    repo.manifests(`flux/${PROD}/apps.yaml`, [fluxKustomization('orders-api', { interval: '5m' })]);
    repo.commit('faster reconcile');
    expect(diff().groups).toEqual([
      {
        cluster: PROD,
        group: 'orders-api',
        added: [],
        removed: [],
        changed: [
          {
            id: 'Kustomization flux-system/orders-api',
            kind: 'Kustomization',
            fields: [{ path: 'spec.interval', old: '10m', new: '5m' }],
          },
        ],
      },
    ]);
  });

  it('reads committed output only: uncommitted edits in the work tree are not in the diff', () => {
    repo.write(`clusters/${PROD}/orders-api/manifests.yaml`, 'garbage: [');
    const d = diff();
    expect(d.groups).toEqual([]);
    expect(formatText(d)).toContain('no changes to clusters/ or flux/');
    expect(fs.readFileSync(path.join(repo.root, `clusters/${PROD}/orders-api/manifests.yaml`), 'utf8')).toBe(
      'garbage: [',
    );
  });

  it('--markdown stays under GitHub comment limit at fleet scale, one <details> per app, and says it truncated', () => {
    for (let i = 0; i < 400; i++) {
      const app = `app-${String(i).padStart(3, '0')}`;
      repo.manifests(`clusters/${PROD}/${app}/manifests.yaml`, [
        deployment(app, PINNED),
        networkPolicy(app, [{ ipBlock: { cidr: '10.20.1.0/24' } }], [{ port: 8080, protocol: 'TCP' }]),
      ]);
    }
    repo.commit('400 apps');
    const markdown = formatMarkdown(diff());
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    const sections = markdown.split('<details>').length - 1;
    expect(sections).toBeGreaterThan(10);
    expect(sections).toBeLessThan(400);
    expect(markdown).toContain(`**Truncated:** ${400 - sections} section(s) not shown`);
    expect(markdown.trimEnd().endsWith('for the whole diff.')).toBe(true);
  });

  describe('the CLI', () => {
    const run = (args: DiffArgs) => {
      let out = '';
      let err = '';
      const code = runDiff(args, {
        rootDir: repo.root,
        clusters: [{ name: PROD, environment: 'prod' }],
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
      });
      return { code, out, err };
    };

    it('--json prints the whole diff; --head selects the other side', () => {
      repo.manifests(`flux/${PROD}/apps.yaml`, []);
      const head = repo.commit('drop');
      repo.commit('later');
      const r = run({ base, head, format: 'json' });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as FleetDiff;
      expect(json.head.commit).toBe(head);
      expect(json.risks).toEqual([
        {
          kind: 'flux-changed',
          cluster: PROD,
          group: 'orders-api',
          message: 'Kustomization flux-system/orders-api removed',
        },
      ]);
    });

    it('an unknown ref exits 1 naming it (command-line usage: libs/cli)', () => {
      expect(run({ base: 'no-such-branch' })).toEqual({
        code: 1,
        out: '',
        err: expect.stringContaining('"no-such-branch" names no commit'),
      });
    });
  });
});
