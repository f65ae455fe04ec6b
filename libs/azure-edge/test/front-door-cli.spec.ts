import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import {
  type EdgeArgs,
  FirewallDnatRules,
  FrontDoorConfig,
  runEdge,
  toArmJson,
  toFrontDoorJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { FD_PLS, FD_SUB, FD_WAF, frontDoorCluster, sampleEndpoints } from './support/fixtures';

const SUB = FD_SUB;
const PLS = FD_PLS;
const WAF = FD_WAF;
const fdCluster = frontDoorCluster;

/** `npm run edge -- plan|apply` on a cluster with Front Door: the firewall DNAT group, then Front Door. */
describe('edge with Front Door', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  let rootDir: string;

  beforeAll(async () => {
    endpoint = await arm.start();
    rootDir = await mkdtemp(path.join(tmpdir(), 'azure-edge-fd-'));
    const dnat = FirewallDnatRules.build(fdCluster, sampleEndpoints());
    const fd = FrontDoorConfig.build(fdCluster, [{ app: 'orders', host: 'orders.contoso.com', path: '/orders' }], {
      id: PLS,
    });
    await mkdir(path.join(rootDir, 'clusters/aks-test-weu/azure'), { recursive: true });
    await writeFile(path.join(rootDir, dnat.file), toArmJson(dnat));
    await writeFile(path.join(rootDir, fd.file), toFrontDoorJson(fd));
  });
  afterAll(async () => {
    await arm.stop();
    await rm(rootDir, { recursive: true, force: true });
  });

  async function run(args: EdgeArgs, clusters: ClusterSpec[] = [fdCluster]) {
    let out = '';
    let err = '';
    const code = await runEdge(args, {
      rootDir,
      clusters,
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      pollIntervalMs: 10,
    });
    return { code, out, err };
  }

  it('plan --offline prints the Front Door after the DNAT table, without calling Azure', async () => {
    arm.requests.length = 0;
    const { code, out, err } = await run({ command: 'plan', offline: true, clusters: ['aks-test-weu'] });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('orders-pg-postgres-tcp');
    expect(out.slice(out.indexOf('Front Door for cluster'))).toBe(
      [
        'Front Door for cluster aks-test-weu (clusters/aks-test-weu/azure/front-door.json)',
        `  profile     /subscriptions/${SUB}/resourceGroups/rg-edge-weu/providers/Microsoft.Cdn/profiles/afd-test-weu (Premium_AzureFrontDoor)`,
        '  api-version 2024-02-01',
        '  endpoint    gitops-aks-test-weu',
        '',
        'HOST                PATTERNS           ORIGIN (HTTPS, name check)  PRIVATE LINK',
        'orders.contoso.com  /orders,/orders/*  orders.contoso.com:443      pls-appgw-test',
        '',
        `WAF: ${WAF}`,
        'Resources (7, in apply order): profile afd-test-weu, afdEndpoint gitops-aks-test-weu, customDomain gitops-orders-contoso-com, originGroup gitops-orders-contoso-com, origin gitops-origin, route gitops-orders-contoso-com, securityPolicy gitops-waf',
        '',
        '',
      ].join('\n'),
    );
    expect(arm.requests).toEqual([]);
  });

  it("apply leaves the Front Door alone when the cluster's DNAT group failed, and exits 1", async () => {
    arm.requests.length = 0;
    arm.failNext('PUT', { status: 403, code: 'AuthorizationFailed', message: 'no write access to the hub policy' });
    const { code, out, err } = await run({ command: 'apply', clusters: ['aks-test-weu'], endpoint });
    expect(code).toBe(1);
    expect(err).toContain('apply failed for cluster aks-test-weu during PUT');
    expect(err).toContain('Front Door of cluster aks-test-weu not applied: its firewall DNAT group failed\n');
    expect(out).not.toContain('Front Door for cluster');
    expect(arm.requests.filter((r) => r.path.includes('Microsoft.Cdn'))).toEqual([]);
    expect(arm.cdn.paths()).toEqual([]);
  });

  it('plan --endpoint shows what apply would change in Azure; apply makes it so; the next plan shows nothing', async () => {
    arm.requests.length = 0;
    const before = await run({ command: 'plan', clusters: ['aks-test-weu'], endpoint });
    expect(before.code).toBe(0);
    // The DNAT group comes first (read from Azure: it does not exist yet), then the Front Door.
    expect(before.out.indexOf('aks-gitops-aks-test-weu-dnat')).toBeGreaterThanOrEqual(0);
    expect(before.out.indexOf('aks-gitops-aks-test-weu-dnat')).toBeLessThan(
      before.out.indexOf('Front Door for cluster'),
    );
    expect(before.out).toContain(
      'Front Door changes (7 to create, 0 to update, 0 to delete, 0 unchanged):\n  create    profile afd-test-weu\n',
    );
    expect(arm.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    const applied = await run({ command: 'apply', clusters: ['aks-test-weu'], endpoint });
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('Applied: provisioningState Succeeded, 4 rule(s).');
    expect(applied.out).toContain(
      '  done  create    securityPolicy gitops-waf\nApplied: 7 to create, 0 to update, 0 to delete, 0 unchanged.\n',
    );

    const after = await run({ command: 'plan', clusters: ['aks-test-weu'], endpoint });
    expect(after.out).toContain('No changes: Azure already has these 7 Front Door resource(s).');
  });

  it('apply reports a profile owned by another cluster and exits 1', async () => {
    arm.cdn.seed(`/subscriptions/${SUB}/resourceGroups/rg-edge-weu/providers/Microsoft.Cdn/profiles/afd-test-weu`, {
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': 'aks-else-weu' },
    });
    const { code, err } = await run({ command: 'apply', clusters: ['aks-test-weu'], endpoint });
    expect(code).toBe(1);
    expect(err).toBe(
      'apply failed for Front Door: profile rg-edge-weu/afd-test-weu exists but its tag aks-gitops-cluster is "aks-else-weu", not "aks-test-weu": aks-gitops changes only profiles it created for this cluster\n',
    );
  });

  it('a file that no longer matches the cluster spec is a config error before any request', async () => {
    arm.requests.length = 0;
    const moved: ClusterSpec = {
      ...fdCluster,
      frontDoor: { ...(fdCluster.frontDoor as NonNullable<ClusterSpec['frontDoor']>), profileName: 'afd-new-weu' },
    };
    const { code, err } = await run({ command: 'apply', clusters: ['aks-test-weu'], endpoint }, [moved]);
    expect(code).toBe(1);
    expect(err).toBe(
      'cluster aks-test-weu, field frontDoor: clusters/aks-test-weu/azure/front-door.json targets profile rg-edge-weu/afd-test-weu of cluster aks-test-weu, the cluster spec says rg-edge-weu/afd-new-weu. Fix: run npm run synth to regenerate it from the current cluster spec\n',
    );
    expect(arm.requests).toEqual([]);
  });
});
