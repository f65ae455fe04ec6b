import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import {
  FirewallDnatRules,
  FrontDoorConfig,
  type FrontDoorRouteInput,
  PLAN_JSON_KIND,
  type EdgeArgs,
  runEdge,
  toArmJson,
  toFrontDoorJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { FD_PLS, FD_PROFILE, FD_SUB, frontDoorCluster, sampleEndpoints } from './support/fixtures';

const SUB = FD_SUB;
const OLD_SUB = '00000000-0000-4000-8000-00000000e0ff';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-edge-weu`;
const PROFILE = FD_PROFILE;
const PLS = FD_PLS;
const withFrontDoor: ClusterSpec = frontDoorCluster;
/** The same cluster after its owners removed `frontDoor` from the spec. */
const withoutFrontDoor: ClusterSpec = { ...withFrontDoor, frontDoor: undefined };
const ROUTES: FrontDoorRouteInput[] = [
  { app: 'orders', host: 'orders.contoso.com', path: '/orders' },
  { app: 'pay', host: 'pay.contoso.com', path: '/payments' },
];

/**
 * `edge plan --json/--markdown` and `edge prune` over Front Door, with the real @azure/arm-cdn client
 * against the local ARM emulator: what apply would change in the profile, and a profile left behind
 * when a cluster drops `frontDoor` (or leaves the fleet) is shown by plan and deleted by prune,
 * only when everything in it is aks-gitops's.
 */
describe('edge plan and prune over the Front Door resources', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  let rootDir: string;

  beforeAll(async () => {
    endpoint = await arm.start();
    rootDir = await mkdtemp(path.join(tmpdir(), 'azure-edge-fd-prune-'));
    await mkdir(path.join(rootDir, 'clusters/aks-test-weu/azure'), { recursive: true });
  });
  afterAll(async () => {
    await arm.stop();
    await rm(rootDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    arm.reset();
    arm.cdn.reset();
    await commit(ROUTES);
  });

  async function commit(routes: FrontDoorRouteInput[]): Promise<void> {
    const dnat = FirewallDnatRules.build(withFrontDoor, sampleEndpoints());
    await writeFile(path.join(rootDir, dnat.file), toArmJson(dnat));
    const fd = FrontDoorConfig.build(withFrontDoor, routes, { id: PLS });
    await writeFile(path.join(rootDir, fd.file), toFrontDoorJson(fd));
  }

  /** The edge command as the aks-gitops CLI hands it over (`edge plan --json`, `edge prune --yes`, ...). */
  function argsOf(argv: string[]): EdgeArgs {
    const [command, ...rest] = argv;
    const values = (flag: string) => rest.flatMap((a, i) => (a === flag && rest[i + 1] ? [rest[i + 1]] : []));
    if (command === 'prune')
      return { command, endpoint, subscriptions: values('--subscription'), yes: rest.includes('--yes') };
    if (command === 'apply') return { command, endpoint };
    const format = rest.includes('--json') ? 'json' : rest.includes('--markdown') ? 'markdown' : 'text';
    return { command: 'plan', endpoint, format };
  }

  async function run(argv: string[], clusters: ClusterSpec[] = [withFrontDoor]) {
    let out = '';
    let err = '';
    const code = await runEdge(argsOf(argv), {
      rootDir,
      clusters,
      stdout: (s: string) => (out += s),
      stderr: (s: string) => (err += s),
      pollIntervalMs: 5,
    });
    return { code, out, err };
  }

  /** The cluster's Front Door as the last apply left it (both hosts). */
  async function applied(): Promise<void> {
    const r = await run(['apply']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    arm.requests.length = 0;
  }

  it('plan --json carries each Front Door resource with its action, after the DNAT groups', async () => {
    await applied();
    await commit([ROUTES[0]]); // pay-api no longer routes through this cluster
    const { code, out, err } = await run(['plan', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.kind).toBe(PLAN_JSON_KIND);
    expect(doc.changes).toBe(true);
    expect(doc.clusters.map((c: { cluster: string }) => c.cluster)).toEqual(['aks-test-weu']);
    expect(doc.orphanedFrontDoorProfiles).toEqual([]);
    expect(doc.frontDoor).toHaveLength(1);
    const fd = doc.frontDoor[0];
    expect(fd).toMatchObject({
      cluster: 'aks-test-weu',
      file: 'clusters/aks-test-weu/azure/front-door.json',
      profileId: PROFILE,
      exists: true,
      changes: true,
      summary: { create: 0, update: 1, delete: 4, unchanged: 6 },
    });
    // The WAF policy drops the removed domain (update); the removed host's route, origin, group and domain go.
    expect(
      fd.resources
        .filter((r: { action: string }) => r.action !== 'unchanged')
        .map(
          (r: { action: string; kind: string; resourceId: string }) =>
            `${r.action} ${r.kind} ${r.resourceId.slice(PROFILE.length)}`,
        ),
    ).toEqual([
      'update securityPolicy /securityPolicies/gitops-waf',
      'delete route /afdEndpoints/gitops-aks-test-weu/routes/gitops-pay-contoso-com',
      'delete origin /originGroups/gitops-pay-contoso-com/origins/gitops-origin',
      'delete originGroup /originGroups/gitops-pay-contoso-com',
      'delete customDomain /customDomains/gitops-pay-contoso-com',
    ]);
    expect(arm.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('plan --markdown adds a Front Door section: a row per cluster and per resource that changes', async () => {
    await applied();
    await commit([ROUTES[0]]);
    const { code, out } = await run(['plan', '--markdown']);
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('### Azure Front Door plan'));
    expect(out.indexOf('### Azure Firewall DNAT plan')).toBe(0);
    expect(section).toBe(
      [
        '### Azure Front Door plan',
        '',
        'Applying this change modifies the Front Door resources below.',
        '',
        '| Cluster | Profile | Create | Update | Delete | Unchanged |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
        '| aks-test-weu | `afd-test-weu` | 0 | 1 | 4 | 6 |',
        '',
        '| Cluster | | Resource | Name |',
        '| --- | --- | --- | --- |',
        '| aks-test-weu | update | securityPolicy | `gitops-waf` |',
        '| aks-test-weu | delete | route | `gitops-pay-contoso-com` |',
        '| aks-test-weu | delete | origin | `gitops-pay-contoso-com/gitops-origin` |',
        '| aks-test-weu | delete | originGroup | `gitops-pay-contoso-com` |',
        '| aks-test-weu | delete | customDomain | `gitops-pay-contoso-com` |',
        '',
      ].join('\n'),
    );
  });

  it('plan --markdown stays within its budget with many clusters and says what it left out', async () => {
    const { frontDoorPlanMarkdown } = await import('../src/front-door/front-door-plan-report');
    const plans = Array.from({ length: 500 }, (_, i) => ({
      cluster: `aks-c${i}`,
      file: `clusters/aks-c${i}/azure/front-door.json`,
      profileId: `${RG}/providers/Microsoft.Cdn/profiles/afd-c${i}`,
      exists: false,
      changes: [{ action: 'create' as const, kind: 'profile' as const, name: `afd-c${i}`, resourceId: 'x' }],
    }));
    const md = frontDoorPlanMarkdown(plans, [], 5_000);
    expect(md.length).toBeLessThanOrEqual(5_000);
    expect(md).toMatch(/_\d+ more Front Door line\(s\) not shown; run `npm run edge -- plan` for all of them._\n$/);
  });

  it('a cluster that drops frontDoor: plan shows its profile, prune lists it, prune --yes deletes it and everything in it', async () => {
    await applied();
    await rm(path.join(rootDir, 'clusters/aks-test-weu/azure/front-door.json')); // synth no longer writes it
    expect(arm.cdn.paths().length).toBe(11);

    const plan = await run(['plan'], [withoutFrontDoor]);
    expect(plan.code).toBe(0);
    expect(plan.out).not.toContain('Front Door for cluster');
    expect(plan.out).toContain(
      `\nFront Door profiles tagged for these clusters that no cluster declares any more:\n  prune  ${PROFILE}: cluster aks-test-weu has no frontDoor any more; npm run edge -- prune --yes deletes it\n`,
    );
    const json = JSON.parse((await run(['plan', '--json'], [withoutFrontDoor])).out);
    expect(json.changes).toBe(true);
    expect(json.frontDoor).toEqual([]);
    expect(json.orphanedFrontDoorProfiles).toEqual([
      {
        cluster: 'aks-test-weu',
        resourceId: PROFILE,
        verdict: 'orphaned',
        reason: 'cluster aks-test-weu has no frontDoor any more',
        action: 'delete with edge prune --yes',
      },
    ]);

    arm.requests.length = 0;
    const listed = await run(['prune'], [withoutFrontDoor]);
    expect(listed.err).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(
      [
        `Front Door profiles in subscription ${SUB}: 1 profile(s)`,
        '  would delete rg-edge-weu/afd-test-weu: cluster aks-test-weu has no frontDoor any more',
        '',
        'No orphaned groups.',
        '1 orphaned Front Door profile(s). Run npm run edge -- prune --yes to delete them.',
        '',
      ].join('\n'),
    );
    expect(arm.requests.every((r) => r.method === 'GET')).toBe(true);

    arm.requests.length = 0;
    const pruned = await run(['prune', '--yes'], [withoutFrontDoor]);
    expect(pruned.err).toBe('');
    expect(pruned.code).toBe(0);
    expect(pruned.out).toContain('  deleted      rg-edge-weu/afd-test-weu and everything in it\n');
    expect(arm.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([PROFILE]);
    expect(arm.cdn.paths()).toEqual([]);

    const again = await run(['plan'], [withoutFrontDoor]);
    expect(again.out).not.toContain('Front Door profiles tagged');
  });

  it('prune keeps a profile in use, and never deletes one without the tag or with something aks-gitops did not create', async () => {
    await applied();
    const tagged = (clusterName: string) => ({
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': clusterName },
    });
    // Someone's own profile (no tag), and a profile of a departed cluster with a hand-made origin group.
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-marketing`, {
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
    });
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-hand`, tagged('aks-gone-weu'));
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-hand/originGroups/legacy-origins`, {
      properties: {},
    });
    // A departed cluster's profile with a rule set someone added.
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-rules`, tagged('aks-gone-weu'));
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-rules/ruleSets/headers`, { properties: {} });
    // A departed cluster's profile holding only what aks-gitops creates.
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-clean`, tagged('aks-gone-weu'));
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-clean/afdEndpoints/gitops-aks-gone-weu`, {
      location: 'Global',
      tags: { 'aks-gitops-cluster': 'aks-gone-weu' },
    });
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-gone-clean/originGroups/gitops-shop-contoso-com`, {
      properties: {},
    });
    const before = arm.cdn.paths();

    const { code, out, err } = await run(['prune', '--yes']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(
      [
        `Front Door profiles in subscription ${SUB}: 5 profile(s)`,
        '  delete       rg-edge-weu/afd-gone-clean: cluster aks-gone-weu is not in the fleet',
        '  skip         rg-edge-weu/afd-gone-hand: tagged for cluster aks-gone-weu, but it holds origin group legacy-origins, which aks-gitops does not create; left alone (delete it by hand if it is yours)',
        '  skip         rg-edge-weu/afd-gone-rules: tagged for cluster aks-gone-weu, but it holds rule set headers, which aks-gitops does not create; left alone (delete it by hand if it is yours)',
        '  keep         rg-edge-weu/afd-test-weu: cluster aks-test-weu declares it (edge apply manages its children)',
        '  1 other profile(s) not created by aks-gitops, left alone',
        '  deleted      rg-edge-weu/afd-gone-clean and everything in it',
        '',
      ].join('\n'),
    );
    expect(arm.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `${RG}/providers/Microsoft.Cdn/profiles/afd-gone-clean`,
    ]);
    expect(arm.cdn.paths()).toEqual(before.filter((p) => !p.includes('/profiles/afd-gone-clean')));
  });

  it("a cluster whose frontDoor moved to another profile leaves the old one, and --subscription scans a departed cluster's subscription", async () => {
    const oldProfile = `/subscriptions/${OLD_SUB}/resourceGroups/rg-edge-old/providers/Microsoft.Cdn/profiles/afd-old`;
    arm.cdn.seed(oldProfile, {
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': 'aks-retired-weu' },
    });
    arm.cdn.seed(`${RG}/providers/Microsoft.Cdn/profiles/afd-test-weu-v1`, {
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': 'aks-test-weu' },
    });
    const { code, out } = await run(['prune', '--subscription', OLD_SUB]);
    expect(code).toBe(0);
    expect(out).toContain(
      '  would delete rg-edge-weu/afd-test-weu-v1: cluster aks-test-weu now declares profile rg-edge-weu/afd-test-weu\n',
    );
    expect(out).toContain(
      `Front Door profiles in subscription ${OLD_SUB}: 1 profile(s)\n  would delete rg-edge-old/afd-old: cluster aks-retired-weu is not in the fleet\n`,
    );
    expect(out).toContain('2 orphaned Front Door profile(s). Run npm run edge -- prune --yes to delete them.\n');
  });

  it('does not delete a profile that gained a child aks-gitops did not create after it was listed, and exits 1', async () => {
    const gone = `${RG}/providers/Microsoft.Cdn/profiles/afd-gone`;
    arm.cdn.seed(gone, {
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': 'aks-gone-weu' },
    });
    // Someone adds an origin group while prune runs: after the listing, before the delete.
    const original = arm.cdn.handle.bind(arm.cdn);
    arm.cdn.handle = (method, url, host, body, send) => {
      original(method, url, host, body, send);
      // The rule sets are the last thing prune reads of a profile before it decides.
      if (method === 'GET' && url.pathname === `${gone}/ruleSets` && !arm.cdn.resource(`${gone}/originGroups/manual`))
        arm.cdn.seed(`${gone}/originGroups/manual`, { properties: {} });
    };
    try {
      const { code, err } = await run(['prune', '--yes']);
      expect(code).toBe(1);
      expect(err).toBe(
        `prune did not delete Front Door profile ${gone}: it holds origin group manual since it was listed, which aks-gitops does not create; nothing was deleted\n`,
      );
      expect(arm.cdn.resource(gone)).toBeDefined();
      expect(arm.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    } finally {
      arm.cdn.handle = original;
    }
  });

  it('--subscription takes a subscription ID only', async () => {
    const { code, err } = await run(['prune', '--subscription', 'rg-edge-weu']);
    expect(code).toBe(2);
    expect(err).toBe('--subscription rg-edge-weu: not a subscription ID (a GUID)\n');
  });
});
