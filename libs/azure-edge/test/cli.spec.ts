import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import {
  type EdgeArgs,
  FirewallDnatRules,
  LOCAL_ARM_TOKEN,
  PLAN_JSON_KIND,
  type PublicL4Endpoint,
  runEdge,
  toArmJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import {
  GROUP_PATH,
  OTHER_POLICY_ID,
  POLICY_ID,
  cluster,
  elsewhere,
  endpoint,
  sampleEndpoints,
  sibling,
} from './support/fixtures';

describe('runEdge', () => {
  const arm = new ArmEmulator();
  let endpointUrl: string;
  let rootDir: string;
  const waits: number[] = [];

  beforeAll(async () => {
    endpointUrl = await arm.start();
    rootDir = await mkdtemp(path.join(tmpdir(), 'azure-edge-cli-'));
  });
  afterAll(async () => {
    await arm.stop();
    await rm(rootDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    arm.reset();
    waits.length = 0;
  });

  /** Writes the committed file the way synth would. */
  async function commit(endpoints: PublicL4Endpoint[], spec: ClusterSpec = cluster): Promise<void> {
    const dnat = FirewallDnatRules.build(spec, endpoints);
    await mkdir(path.join(rootDir, path.dirname(dnat.file)), { recursive: true });
    await writeFile(path.join(rootDir, dnat.file), toArmJson(dnat));
  }

  async function run(
    args: EdgeArgs,
    clusters: ClusterSpec[] = [cluster],
    maxAttempts?: number,
  ): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runEdge(args, {
      rootDir,
      clusters,
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      pollIntervalMs: 10,
      retry: { maxAttempts, sleep: async (ms) => void waits.push(ms) },
    });
    return { code, out, err };
  }

  describe('plan', () => {
    it('--offline prints the committed rules as a table, without calling Azure', async () => {
      await commit(sampleEndpoints());
      const { code, out, err } = await run({ command: 'plan', offline: true });
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toBe(
        [
          'Firewall DNAT for cluster aks-test-weu (clusters/aks-test-weu/azure/firewall-dnat.json)',
          `  resource ${GROUP_PATH}`,
          '',
          'RULE                       PROTO  SOURCES                    PUBLIC              TRANSLATED',
          'billing-sftp-sftp-tcp      TCP    203.0.113.128/25           203.0.113.30:2222   10.30.4.12:22',
          'game-game-server-game-tcp  TCP    *                          203.0.113.31:27015  10.30.4.11:27015',
          'game-game-server-game-udp  UDP    *                          203.0.113.31:27015  10.30.4.11:27015',
          'orders-pg-postgres-tcp     TCP    192.0.2.7,198.51.100.0/24  203.0.113.30:5432   10.30.4.10:5432',
          '',
          '',
        ].join('\n'),
      );
      expect(arm.requests).toEqual([]);
    });

    it('reads the live group read-only; a group that does not exist (404) is shown as created', async () => {
      await commit(sampleEndpoints());
      const { code, out, err } = await run({ command: 'plan', endpoint: endpointUrl });
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toBe(
        [
          'Firewall DNAT for cluster aks-test-weu (clusters/aks-test-weu/azure/firewall-dnat.json)',
          `  policy   ${POLICY_ID}`,
          '  group    aks-gitops-aks-test-weu-dnat (does not exist: will create)',
          '  Changes (4 to add, 0 to change, 0 to remove, 0 unchanged):',
          '    * create group aks-gitops-aks-test-weu-dnat (priority 220)',
          '    * add collection l4-dnat (priority 1000)',
          '    OP   RULE                               PROTO  SOURCES                    PUBLIC              TRANSLATED        CHANGED',
          '    add  l4-dnat/billing-sftp-sftp-tcp      TCP    203.0.113.128/25           203.0.113.30:2222   10.30.4.12:22',
          '    add  l4-dnat/game-game-server-game-tcp  TCP    *                          203.0.113.31:27015  10.30.4.11:27015',
          '    add  l4-dnat/game-game-server-game-udp  UDP    *                          203.0.113.31:27015  10.30.4.11:27015',
          '    add  l4-dnat/orders-pg-postgres-tcp     TCP    192.0.2.7,198.51.100.0/24  203.0.113.30:5432   10.30.4.10:5432',
          '',
          '',
        ].join('\n'),
      );
      expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${GROUP_PATH}`]);
      expect(arm.requests[0].headers.authorization).toBe(`Bearer ${LOCAL_ARM_TOKEN}`);
    });

    it('shows additions, removals and changes per rule against what Azure has, with its etag', async () => {
      const [orders, , , billing] = sampleEndpoints();
      await commit(sampleEndpoints());
      const etag = arm.seed(
        GROUP_PATH,
        JSON.parse(toArmJson(FirewallDnatRules.build(cluster, [{ ...orders, ilbIp: '10.30.4.40' }, billing]))).body,
      );
      await commit([
        orders,
        endpoint({
          app: 'game',
          service: 'game-server',
          namespace: 'game',
          portName: 'game',
          protocol: 'UDP',
          firewallPublicIp: '203.0.113.31',
          firewallPort: 27015,
          ilbIp: '10.30.4.11',
          servicePort: 27015,
          sourceAddresses: ['*'],
        }),
      ]);
      const { code, out } = await run({ command: 'plan', endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(out).toBe(
        [
          'Firewall DNAT for cluster aks-test-weu (clusters/aks-test-weu/azure/firewall-dnat.json)',
          `  policy   ${POLICY_ID}`,
          `  group    aks-gitops-aks-test-weu-dnat (exists, etag ${etag})`,
          '  Changes (1 to add, 1 to change, 1 to remove, 0 unchanged):',
          '    OP      RULE                               PROTO  SOURCES                    PUBLIC              TRANSLATED        CHANGED',
          '    add     l4-dnat/game-game-server-game-udp  UDP    *                          203.0.113.31:27015  10.30.4.11:27015',
          '    change  l4-dnat/orders-pg-postgres-tcp     TCP    192.0.2.7,198.51.100.0/24  203.0.113.30:5432   10.30.4.10:5432   translatedAddress 10.30.4.40 -> 10.30.4.10',
          '    remove  l4-dnat/billing-sftp-sftp-tcp      TCP    203.0.113.128/25           203.0.113.30:2222   10.30.4.12:22',
          '',
          '',
        ].join('\n'),
      );
      expect(arm.requests.every((r) => r.method === 'GET')).toBe(true);
    });

    it('--json gives every cluster with its summary, etag and changes', async () => {
      await commit(sampleEndpoints());
      await commit([], sibling);
      const etag = arm.seed(`${POLICY_ID}/ruleCollectionGroups/aks-gitops-aks-test-neu-dnat`, {
        name: 'aks-gitops-aks-test-neu-dnat',
        properties: { priority: 230, ruleCollections: [] },
      });
      const { code, out } = await run({ command: 'plan', format: 'json', endpoint: endpointUrl }, [cluster, sibling]);
      expect(code).toBe(0);
      const doc = JSON.parse(out);
      expect(doc).toMatchObject({ kind: PLAN_JSON_KIND, version: 1, changes: true });
      expect(doc.clusters.map((c: { cluster: string }) => c.cluster)).toEqual(['aks-test-neu', 'aks-test-weu']);
      expect(doc.clusters[0]).toMatchObject({
        exists: true,
        etag,
        changes: false,
        summary: { add: 0, change: 0, remove: 0, unchanged: 0 },
      });
      expect(doc.clusters[1]).toMatchObject({
        policyId: POLICY_ID,
        resourceId: GROUP_PATH,
        exists: false,
        etag: null,
        changes: true,
        summary: { add: 4, change: 0, remove: 0, unchanged: 0 },
      });
      expect(doc.clusters[1].groupChanges).toEqual([
        'create group aks-gitops-aks-test-weu-dnat (priority 220)',
        'add collection l4-dnat (priority 1000)',
      ]);
      expect(doc.clusters[1].added[0]).toMatchObject({
        collection: 'l4-dnat',
        name: 'billing-sftp-sftp-tcp',
        protocols: ['TCP'],
        translatedAddress: '10.30.4.12',
      });
    });

    it('--markdown gives a summary table and one row per rule change, for a pull-request comment', async () => {
      const [orders, , , billing] = sampleEndpoints();
      arm.seed(
        GROUP_PATH,
        JSON.parse(toArmJson(FirewallDnatRules.build(cluster, [{ ...orders, ilbIp: '10.30.4.40' }, billing]))).body,
      );
      await commit([orders]);
      const { code, out } = await run({ command: 'plan', format: 'markdown', endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(out).toContain('### Azure Firewall DNAT plan\n');
      expect(out).toContain(`| aks-test-weu | \`${POLICY_ID}\` | \`aks-gitops-aks-test-weu-dnat\` | 0 | 1 | 1 | 0 |\n`);
      expect(out).toContain(
        '| change | `l4-dnat/orders-pg-postgres-tcp` | TCP | 192.0.2.7, 198.51.100.0/24 | 203.0.113.30:5432 | 10.30.4.10:5432 | translatedAddress: 10.30.4.40 → 10.30.4.10 |\n',
      );
      expect(out).toContain(
        '| remove | `l4-dnat/billing-sftp-sftp-tcp` | TCP | 203.0.113.128/25 | 203.0.113.30:2222 | 10.30.4.12:22 |  |\n',
      );
    });

    it('fails with a ConfigError when the file is missing or stale', async () => {
      const missing = await run({ command: 'plan', offline: true, clusters: ['aks-none-weu'] }, [
        { ...cluster, name: 'aks-none-weu' },
      ]);
      expect(missing.code).toBe(1);
      expect(missing.err).toBe(
        'cluster aks-none-weu, field (file): cannot read clusters/aks-none-weu/azure/firewall-dnat.json (ENOENT). Fix: run npm run synth to generate it, and commit it\n',
      );

      await commit(sampleEndpoints());
      const moved = { ...cluster, firewall: { ...cluster.firewall, ruleCollectionGroupPriority: 230 } };
      const stale = await run({ command: 'plan', offline: true }, [moved]);
      expect(stale.code).toBe(1);
      expect(stale.err).toContain(
        'field firewall.ruleCollectionGroupPriority: clusters/aks-test-weu/azure/firewall-dnat.json has priority 220, the cluster spec says 230',
      );

      const otherPolicy = await run({ command: 'plan', offline: true }, [
        { ...cluster, firewall: { ...cluster.firewall, policyId: OTHER_POLICY_ID } },
      ]);
      expect(otherPolicy.code).toBe(1);
      expect(otherPolicy.err).toContain(
        `field firewall.policyId: clusters/aks-test-weu/azure/firewall-dnat.json targets ${POLICY_ID}, the cluster spec says ${OTHER_POLICY_ID}`,
      );

      const ipGone = await run({ command: 'plan', offline: true }, [
        { ...cluster, network: { ...cluster.network, firewallPublicIps: ['203.0.113.30'] } },
      ]);
      expect(ipGone.code).toBe(1);
      expect(ipGone.err).toContain(
        'rule game-game-server-game-tcp uses 203.0.113.31, which is not a firewall public IP of the cluster',
      );
    });

    it('exits 1 naming the cluster when Azure cannot be read', async () => {
      await commit(sampleEndpoints());
      arm.failNext('GET', {
        status: 403,
        code: 'AuthorizationFailed',
        message: 'no read access to the hub subscription',
      });
      const { code, err } = await run({ command: 'plan', endpoint: endpointUrl });
      expect(code).toBe(1);
      expect(err).toBe(
        `plan failed for cluster aks-test-weu: reading ${GROUP_PATH}: HTTP 403 AuthorizationFailed: no read access to the hub subscription\n`,
      );
    });
  });

  describe('apply against a local ARM endpoint', () => {
    it('creates the group with If-None-Match: *, printing what it adds', async () => {
      await commit(sampleEndpoints());
      const { code, out, err } = await run({ command: 'apply', endpoint: endpointUrl });
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toContain('  Changes (4 to add, 0 to change, 0 to remove, 0 unchanged):\n');
      expect(out).toContain('    * create group aks-gitops-aks-test-weu-dnat (priority 220)\n');
      expect(out.endsWith('  Applied: provisioningState Succeeded, 4 rule(s).\n\n')).toBe(true);

      expect(arm.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'GET', 'GET']);
      const put = arm.requests[1];
      expect(put.path).toBe(GROUP_PATH);
      expect(put.headers['if-none-match']).toBe('*');
      const committed = JSON.parse(toArmJson(FirewallDnatRules.build(cluster, sampleEndpoints())));
      expect(put.body).toBe(JSON.stringify(committed.body));
    });

    it('updates with If-Match on the etag it read', async () => {
      const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
      await commit(sampleEndpoints());
      const { code } = await run({ command: 'apply', endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(arm.requests[1].method).toBe('PUT');
      expect(arm.requests[1].headers['if-match']).toBe(etag);
    });

    it('does not PUT when Azure already matches', async () => {
      await commit(sampleEndpoints());
      await run({ command: 'apply', endpoint: endpointUrl });
      arm.requests.length = 0;
      const { code, out } = await run({ command: 'apply', endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(out).toContain('  No changes: Azure already has these 4 rule(s).\n');
      expect(arm.requests.map((r) => r.method)).toEqual(['GET']);
    });

    it('fails clearly on 412 when someone changed the group between the read and the write, writing nothing', async () => {
      const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
      await commit(sampleEndpoints());
      arm.beforeNextWrite = () => arm.touch(GROUP_PATH);
      const { code, err } = await run({ command: 'apply', endpoint: endpointUrl });
      expect(code).toBe(1);
      expect(err).toContain(
        `apply failed for cluster aks-test-weu: ${GROUP_PATH} changed in Azure after it was read (HTTP 412 PreconditionFailed); nothing was written. Run npm run edge -- plan again, review, and re-apply\n`,
      );
      expect(arm.requests[1].headers['if-match']).toBe(etag);
      expect((arm.group(GROUP_PATH)?.properties as { ruleCollections: unknown[] }).ruleCollections).toEqual([]);
    });

    it('retries 409 AnotherOperationInProgress and 429 honouring Retry-After, saying so', async () => {
      await commit(sampleEndpoints());
      arm.failNext('PUT', {
        status: 409,
        code: 'AnotherOperationInProgress',
        message: 'Another operation on this or dependent resource is in progress.',
        retryAfter: 7,
      });
      arm.failNext('PUT', { status: 429, code: 'TooManyRequests', message: 'throttled', retryAfter: 20 });
      const { code, err, out } = await run({ command: 'apply', endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(err).toBe(
        '  HTTP 409 AnotherOperationInProgress: retrying in 7 s\n  HTTP 429 TooManyRequests: retrying in 20 s\n',
      );
      expect(waits).toEqual([7000, 20000]);
      expect(out).toContain('  Applied: provisioningState Succeeded, 4 rule(s).\n');
    });

    it('writes the clusters sharing a Firewall Policy one after another, each after the previous operation finished', async () => {
      arm.inProgressPolls = 3;
      await commit(sampleEndpoints());
      await commit([endpoint({ firewallPublicIp: '203.0.113.40' })], sibling);
      await commit([endpoint({ firewallPublicIp: '203.0.113.50' })], elsewhere);
      // No retries: a write overlapping another on the same policy would fail with 409.
      const { code, out, err } = await run(
        { command: 'apply', endpoint: endpointUrl },
        [cluster, sibling, elsewhere],
        1,
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(
        out.indexOf(`Firewall Policy ${POLICY_ID}: 2 cluster(s), applied one after another`),
      ).toBeGreaterThanOrEqual(0);
      expect(
        out.indexOf(`Firewall Policy ${OTHER_POLICY_ID}: 1 cluster(s), applied one after another`),
      ).toBeGreaterThanOrEqual(0);
      const trace = arm.requests.map((r) => `${r.method} ${r.path.split('/').pop()}`);
      const weuPut = trace.indexOf('PUT aks-gitops-aks-test-weu-dnat');
      const neuPut = trace.indexOf('PUT aks-gitops-aks-test-neu-dnat');
      const weuFinal = trace.lastIndexOf('GET aks-gitops-aks-test-weu-dnat');
      const neuFinal = trace.lastIndexOf('GET aks-gitops-aks-test-neu-dnat');
      expect(Math.min(weuPut, neuPut)).toBeGreaterThanOrEqual(0);
      // Whichever went first had finished (its final GET) before the other's PUT.
      expect(neuPut < weuPut ? neuFinal < weuPut : weuFinal < neuPut).toBe(true);
      expect(arm.groupPaths()).toHaveLength(3);
    });

    it('goes on with the other clusters when one fails, and exits 1', async () => {
      await commit(sampleEndpoints());
      await commit([endpoint({ firewallPublicIp: '203.0.113.50' })], elsewhere);
      arm.failNext('PUT', { status: 400, code: 'InvalidResourceReference', message: 'the policy is locked' });
      const { code, err } = await run({ command: 'apply', endpoint: endpointUrl }, [cluster, elsewhere]);
      expect(code).toBe(1);
      expect(err).toContain('apply failed for cluster ');
      expect(err).toContain('HTTP 400 InvalidResourceReference: the policy is locked\n');
      expect(err).toContain('1 of 2 cluster(s) failed');
      expect(arm.groupPaths()).toHaveLength(1);
    });

    it('applies only the clusters named with --cluster', async () => {
      await commit(sampleEndpoints());
      await commit([], sibling);
      const { code } = await run({ command: 'apply', clusters: ['aks-test-neu'], endpoint: endpointUrl }, [
        cluster,
        sibling,
      ]);
      expect(code).toBe(0);
      expect(arm.groupPaths()).toEqual([`${POLICY_ID}/ruleCollectionGroups/aks-gitops-aks-test-neu-dnat`]);
    });
  });

  describe('prune', () => {
    const gone = { ...cluster, name: 'aks-gone-weu' };
    const groupOf = (name: string) => `${POLICY_ID}/ruleCollectionGroups/${name}`;
    function seedPolicy(): void {
      arm.seed(GROUP_PATH, JSON.parse(toArmJson(FirewallDnatRules.build(cluster, sampleEndpoints()))).body);
      arm.seed(
        groupOf('aks-gitops-aks-gone-weu-dnat'),
        JSON.parse(toArmJson(FirewallDnatRules.build(gone, [endpoint()]))).body,
      );
      arm.seed(groupOf('aks-gitops-aks-empty-weu-dnat'), { properties: { priority: 250, ruleCollections: [] } });
      const handMade = JSON.parse(
        toArmJson(FirewallDnatRules.build({ ...cluster, name: 'aks-hand-weu' }, [endpoint()])),
      ).body;
      handMade.properties.ruleCollections[0].rules[0].description = 'added in the portal';
      arm.seed(groupOf('aks-gitops-aks-hand-weu-dnat'), handMade);
      // Marked for another cluster than its name says: not ours to judge.
      arm.seed(
        groupOf('aks-gitops-aks-other-weu-dnat'),
        JSON.parse(toArmJson(FirewallDnatRules.build(gone, [endpoint()]))).body,
      );
      arm.seed(groupOf('DefaultDnatRuleCollectionGroup'), { properties: { priority: 100, ruleCollections: [] } });
    }

    it('lists orphaned groups without deleting anything', async () => {
      seedPolicy();
      const { code, out, err } = await run({ command: 'prune', endpoint: endpointUrl });
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toBe(
        [
          `Firewall Policy ${POLICY_ID}: 6 rule collection group(s)`,
          '  skip         aks-gitops-aks-empty-weu-dnat (0 rule(s)): it is empty, so it carries no aks-gitops marker; left alone (delete it by hand if it is yours)',
          '  would delete aks-gitops-aks-gone-weu-dnat (1 rule(s)): cluster aks-gone-weu is not in the fleet or targets another policy',
          '  skip         aks-gitops-aks-hand-weu-dnat (1 rule(s)): rule orders-pg-postgres-tcp does not carry the marker "aks-gitops: cluster aks-hand-weu,"; left alone (delete it by hand if it is yours)',
          '  skip         aks-gitops-aks-other-weu-dnat (1 rule(s)): rule orders-pg-postgres-tcp does not carry the marker "aks-gitops: cluster aks-other-weu,"; left alone (delete it by hand if it is yours)',
          '  keep         aks-gitops-aks-test-weu-dnat (4 rule(s)): cluster aks-test-weu is in the fleet and targets this policy',
          '  1 other group(s) not created by aks-gitops, left alone',
          '',
          '1 orphaned group(s). Run npm run edge -- prune --yes to delete them.',
          '',
        ].join('\n'),
      );
      expect(arm.requests.every((r) => r.method === 'GET')).toBe(true);
    });

    it('--yes deletes the orphaned group and nothing else', async () => {
      seedPolicy();
      const before = arm.groupPaths();
      const { code, out } = await run({ command: 'prune', yes: true, endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(out).toContain('  deleted      aks-gitops-aks-gone-weu-dnat\n');
      expect(arm.groupPaths()).toEqual(before.filter((p) => p !== groupOf('aks-gitops-aks-gone-weu-dnat')));
      expect(arm.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
        groupOf('aks-gitops-aks-gone-weu-dnat'),
      ]);
    });

    it("treats the group a cluster left behind on its old policy as orphaned, and scans --policy's too", async () => {
      arm.seed(
        `${OTHER_POLICY_ID}/ruleCollectionGroups/aks-gitops-aks-test-weu-dnat`,
        JSON.parse(toArmJson(FirewallDnatRules.build(cluster, [endpoint()]))).body,
      );
      const { code, out } = await run({ command: 'prune', policies: [OTHER_POLICY_ID], endpoint: endpointUrl });
      expect(code).toBe(0);
      expect(out).toContain(
        `Firewall Policy ${OTHER_POLICY_ID}: 1 rule collection group(s)\n  would delete aks-gitops-aks-test-weu-dnat (1 rule(s)): cluster aks-test-weu is not in the fleet or targets another policy\n`,
      );
    });

    it('does not delete a group that changed after it was listed (412), and exits 1', async () => {
      seedPolicy();
      arm.beforeNextWrite = () => arm.touch(groupOf('aks-gitops-aks-gone-weu-dnat'));
      const { code, err } = await run({ command: 'prune', yes: true, endpoint: endpointUrl });
      expect(code).toBe(1);
      expect(err).toContain(
        'prune did not delete aks-gitops-aks-gone-weu-dnat: it changed in Azure after it was listed (HTTP 412 PreconditionFailed). Run prune again to re-check it\n',
      );
      expect(arm.group(groupOf('aks-gitops-aks-gone-weu-dnat'))).toBeDefined();
    });
  });

  describe('option values', () => {
    it.each<[EdgeArgs, string]>([
      [
        { command: 'prune', policies: ['/subscriptions/x'] },
        '--policy /subscriptions/x: not a Firewall Policy resource ID',
      ],
      [
        { command: 'apply', endpoint: 'http://arm.example.com' },
        'use https://..., or http:// only on 127.0.0.1, localhost or [::1]',
      ],
      [
        { command: 'plan', endpoint: 'http://arm.example.com' },
        'use https://..., or http:// only on 127.0.0.1, localhost or [::1]',
      ],
      [{ command: 'plan', clusters: ['aks-nope'] }, 'unknown cluster "aks-nope"; known: aks-test-weu'],
    ])('%j exits 2: %s', async (args, message) => {
      const { code, err, out } = await run(args);
      expect(code).toBe(2);
      expect(err).toContain(message);
      expect(out).toBe('');
    });
  });
});
