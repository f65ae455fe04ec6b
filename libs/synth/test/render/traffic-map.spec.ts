import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { MERMAID_MAX_TEXT, synthesizeFleet } from '@aks-gitops/synth';
import { L4Service, L7Api, defineApp } from '@aks-gitops/workloads';
import { writeFleet } from '../../../../tools/bench/generate-fleet';
import { REPO, scratchRoot } from '../scratch';

const mermaidBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
const DIGEST = `@sha256:${'d'.repeat(64)}`;

describe('traffic map: who may connect to each workload, and where it may go', () => {
  const apps = [
    defineApp({
      name: 'game',
      deploy: ({ scope }) => {
        new L4Service(scope, 'game', {
          image: `ghcr.io/contoso/game:5.2.0${DIGEST}`,
          ports: [{ name: 'game', port: 7777 }],
          exposure: { mode: 'public-via-firewall', sourceAddresses: ['198.51.100.0/24', '203.0.113.64/26'] },
          address: { offset: 31 },
        });
      },
    }),
    defineApp({
      name: 'db',
      deploy: ({ scope }) => {
        new L4Service(scope, 'pg', {
          image: `docker.io/library/postgres:16.4${DIGEST}`,
          ports: [{ name: 'postgres', port: 5432 }],
          exposure: { mode: 'private', allowedSources: ['192.168.50.0/24'] },
          address: { offset: 30 },
          acceptCallsFrom: ['shop'],
        });
      },
    }),
    defineApp({
      name: 'shop',
      deploy: ({ scope, cluster }) => {
        new L7Api(scope, 'api', {
          image: `ghcr.io/contoso/shop:1.0.0${DIGEST}`,
          port: 8080,
          certificate: { name: `shop-${cluster.name}`, dnsNames: [`shop.${cluster.name}.contoso.com`] },
          routes: [{ host: `shop.${cluster.name}.contoso.com`, paths: ['/cart'] }],
          health: { readinessPath: '/ready', livenessPath: '/live' },
          calls: ['db'],
          egress: [{ cidr: '10.0.8.16/28', ports: [{ port: 443 }] }],
        });
      },
    }),
  ];
  const out = synthesizeFleet({ clusters: CLUSTERS, apps });

  it.each(CLUSTERS.map((c) => [c.name]))(
    '%s: firewall sources, load balancer source ranges, WAF routes, calls and egress',
    (cluster) => {
      const text = out.units.get(`clusters/${cluster}/azure`)!.get('traffic.md')!;
      const [diagram] = mermaidBlocks(text);
      expect(diagram).toMatch(
        /-->\|"TCP 7777 from 198\.51\.100\.0\/24, 203\.0\.113\.64\/26 DNAT [\d.]+:7777"\| n_game_game/,
      );
      expect(diagram).toMatch(/private -->\|"TCP [\d.]+:5432 from 192\.168\.50\.0\/24"\| n_db_db/);
      expect(diagram).toContain(`waf -->|"shop.${cluster}.contoso.com/cart"| n_shop_shop`);
      expect(diagram).toContain('n_shop_shop -.->|calls| n_db_db');
      expect(diagram).toContain('n_shop_shop -->|"TCP 443"| n_egress_10_0_8_16_28');
      expect(diagram).toContain('n_egress_10_0_8_16_28{{"egress to 10.0.8.16/28"}}');
    },
  );
});

describe('traffic map at 1,000 apps (the benchmark fleet)', () => {
  let cleanup = (): void => undefined;
  afterAll(() => cleanup());

  it("splits into pages with an index, every diagram under Mermaid's 50,000-character limit, every app on exactly one page", () => {
    const scratch = scratchRoot('traffic-1000');
    cleanup = scratch.cleanup;
    const root = scratch.root;
    const written = writeFleet(root, { apps: 1000, clusters: 3 });
    const synth = spawnSync(
      process.execPath,
      [
        '--require',
        path.join(REPO, 'libs/synth/register.cjs'),
        path.join(REPO, 'libs/cli/src/main.ts'),
        'synth',
        '--clusters-module',
        written.clustersModule,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, AKS_GITOPS_ROOT: root },
      },
    );
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(MERMAID_MAX_TEXT).toBe(50_000);
    for (const cluster of written.fleet.clusters) {
      const dir = path.join(root, 'clusters', cluster.name, 'azure');
      const pages = fs
        .readdirSync(dir)
        .filter((f) => /^traffic-\d+\.md$/.test(f))
        .sort();
      expect(pages.length).toBeGreaterThan(1);
      const index = fs.readFileSync(path.join(dir, 'traffic.md'), 'utf8');
      expect(mermaidBlocks(index)).toEqual([]);
      const seen = new Map<string, string>();
      for (const page of pages) {
        expect(index).toContain(`[${page}](${page})`);
        const blocks = mermaidBlocks(fs.readFileSync(path.join(dir, page), 'utf8'));
        expect(blocks).toHaveLength(1);
        expect([page, blocks[0].length <= MERMAID_MAX_TEXT]).toEqual([page, true]);
        for (const m of blocks[0].matchAll(/^ {4}n_\w+\["([^/"]+)\/[^"]+"\]$/gm)) {
          expect(seen.get(m[1]) ?? page).toBe(page);
          seen.set(m[1], page);
        }
      }
      const deployed = fs
        .readdirSync(path.join(root, 'clusters', cluster.name))
        .filter((f) => f !== 'platform' && f !== 'azure');
      expect([...seen.keys()].sort()).toEqual(deployed.sort());
    }
  });
});
