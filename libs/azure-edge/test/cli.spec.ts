import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { FirewallDnatRules, LOCAL_ARM_TOKEN, type PublicL4Endpoint, runEdgeCli, toArmJson } from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { GROUP_PATH, cluster, endpoint, sampleEndpoints } from './support/fixtures';

describe('runEdgeCli', () => {
  const arm = new ArmEmulator();
  let endpointUrl: string;
  let rootDir: string;

  beforeAll(async () => {
    endpointUrl = await arm.start();
    rootDir = await mkdtemp(path.join(tmpdir(), 'azure-edge-cli-'));
  });
  afterAll(async () => {
    await arm.stop();
    await rm(rootDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    arm.requests.length = 0;
  });

  /** Writes the committed file the way synth would. */
  async function commit(endpoints: PublicL4Endpoint[], spec: ClusterSpec = cluster): Promise<void> {
    const dnat = FirewallDnatRules.build(spec, endpoints);
    await mkdir(path.join(rootDir, path.dirname(dnat.file)), { recursive: true });
    await writeFile(path.join(rootDir, dnat.file), toArmJson(dnat));
  }

  async function run(argv: string[], clusters: ClusterSpec[] = [cluster]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runEdgeCli(argv, { rootDir, clusters, stdout: (s) => (out += s), stderr: (s) => (err += s), pollIntervalMs: 10 });
    return { code, out, err };
  }

  describe('plan', () => {
    it('prints the committed rules as a table, without calling Azure', async () => {
      await commit(sampleEndpoints());
      const { code, out, err } = await run(['plan', '--cluster', 'aks-test-weu']);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toBe(
        [
          'Firewall DNAT for cluster aks-test-weu (clusters/aks-test-weu/azure/firewall-dnat.json)',
          `  resource    ${GROUP_PATH}`,
          '  api-version 2025-05-01',
          '  group       aks-gitops-aks-test-weu-dnat, priority 220; collections: l4-dnat (priority 1000)',
          '',
          'RULE                       PROTO  SOURCES                    PUBLIC              TRANSLATED',
          'billing-sftp-sftp-tcp      TCP    203.0.113.128/25           203.0.113.30:2222   10.30.4.12:22',
          'game-game-server-game-tcp  TCP    *                          203.0.113.31:27015  10.30.4.11:27015',
          'game-game-server-game-udp  UDP    *                          203.0.113.31:27015  10.30.4.11:27015',
          'orders-pg-postgres-tcp     TCP    192.0.2.7,198.51.100.0/24  203.0.113.30:5432   10.30.4.10:5432',
          '',
        ].join('\n'),
      );
      expect(arm.requests).toEqual([]);
    });

    it('accepts --cluster=<name>', async () => {
      await commit(sampleEndpoints());
      expect((await run(['plan', '--cluster=aks-test-weu'])).code).toBe(0);
    });

    it('fails with a ConfigError when the file is missing or stale', async () => {
      const missing = await run(['plan', '--cluster', 'aks-none-weu'], [{ ...cluster, name: 'aks-none-weu' }]);
      expect(missing.code).toBe(1);
      expect(missing.err).toBe('cluster aks-none-weu, field (file): cannot read clusters/aks-none-weu/azure/firewall-dnat.json (ENOENT). Fix: run npm run synth to generate it, and commit it\n');

      await commit(sampleEndpoints());
      const moved = { ...cluster, firewall: { ...cluster.firewall, ruleCollectionGroupPriority: 230 } };
      const stale = await run(['plan', '--cluster', 'aks-test-weu'], [moved]);
      expect(stale.code).toBe(1);
      expect(stale.err).toContain('field firewall.ruleCollectionGroupPriority: clusters/aks-test-weu/azure/firewall-dnat.json has priority 220, the cluster spec says 230');

      const otherPolicy = await run(['plan', '--cluster', 'aks-test-weu'], [{ ...cluster, firewall: { ...cluster.firewall, policyName: 'afwp-other' } }]);
      expect(otherPolicy.code).toBe(1);
      expect(otherPolicy.err).toContain('targets 00000000-0000-4000-8000-00000000e001/rg-hub-weu/afwp-hub-weu, the cluster spec says 00000000-0000-4000-8000-00000000e001/rg-hub-weu/afwp-other');

      const ipGone = await run(['plan', '--cluster', 'aks-test-weu'], [{ ...cluster, network: { ...cluster.network, firewallPublicIps: ['203.0.113.30'] } }]);
      expect(ipGone.code).toBe(1);
      expect(ipGone.err).toContain('rule game-game-server-game-tcp uses 203.0.113.31, which is not a firewall public IP of the cluster');
    });
  });

  describe('apply against a local ARM endpoint', () => {
    it('creates the group, printing what it adds, with a static test token', async () => {
      await commit(sampleEndpoints());
      const { code, out, err } = await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toContain('Changes (4 to add, 0 to change, 0 to remove, 0 unchanged):\n');
      expect(out).toContain('  * create group aks-gitops-aks-test-weu-dnat (priority 220)\n');
      expect(out).toContain('  + l4-dnat/orders-pg-postgres-tcp: TCP 192.0.2.7,198.51.100.0/24 -> 203.0.113.30:5432 => 10.30.4.10:5432\n');
      expect(out).toContain('  + l4-dnat/game-game-server-game-udp: UDP * -> 203.0.113.31:27015 => 10.30.4.11:27015\n');
      expect(out.endsWith('Applied: provisioningState Succeeded, 4 rule(s).\n')).toBe(true);

      expect(arm.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'GET', 'GET']);
      expect(arm.requests[0].path).toBe(GROUP_PATH);
      expect(arm.requests[1].path).toBe(GROUP_PATH);
      for (const r of arm.requests) {
        expect(r.query['api-version']).toBe('2025-05-01');
        expect(r.headers.authorization).toBe(`Bearer ${LOCAL_ARM_TOKEN}`);
      }
      const committed = JSON.parse(toArmJson(FirewallDnatRules.build(cluster, sampleEndpoints())));
      expect(arm.requests[1].body).toBe(JSON.stringify(committed.body));
    });

    it('does not PUT when Azure already matches', async () => {
      await commit(sampleEndpoints());
      await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      arm.requests.length = 0;
      const { code, out } = await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      expect(code).toBe(0);
      expect(out.endsWith('No changes: Azure already has these 4 rule(s).\n')).toBe(true);
      expect(arm.requests.map((r) => r.method)).toEqual(['GET']);
    });

    it('prints removals and changes, then replaces the group', async () => {
      await commit(sampleEndpoints());
      await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      const [orders, , , billing] = sampleEndpoints();
      await commit([{ ...orders, ilbIp: '10.30.4.40' }, billing]);
      const { code, out } = await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      expect(code).toBe(0);
      expect(out).toContain('Changes (0 to add, 1 to change, 2 to remove, 1 unchanged):\n');
      expect(out).toContain('  - l4-dnat/game-game-server-game-tcp: TCP * -> 203.0.113.31:27015 => 10.30.4.11:27015\n');
      expect(out).toContain('  ~ l4-dnat/orders-pg-postgres-tcp: translatedAddress 10.30.4.10 -> 10.30.4.40\n');
      expect(out).toContain('Applied: provisioningState Succeeded, 2 rule(s).\n');
    });

    it('exits 1 with the ARM error when Azure refuses the PUT', async () => {
      await commit([endpoint({ firewallPort: 15432 })]);
      arm.nextPutError = { status: 409, code: 'AnotherOperationInProgress', message: 'another operation is in progress' };
      const { code, err } = await run(['apply', '--cluster', 'aks-test-weu', '--endpoint', endpointUrl]);
      expect(code).toBe(1);
      expect(err).toBe(`apply failed during PUT of ${GROUP_PATH}: HTTP 409 AnotherOperationInProgress: another operation is in progress\n`);
    });
  });

  describe('usage', () => {
    it.each([
      [[], 'missing command'],
      [['destroy', '--cluster', 'aks-test-weu'], 'unknown command "destroy"'],
      [['plan'], '--cluster is required'],
      [['plan', '--cluster'], '--cluster needs a value'],
      [['plan', '--cluster', 'a', '--cluster', 'b'], '--cluster given twice'],
      [['plan', '--cluster', 'aks-test-weu', '--force'], 'unknown argument "--force"'],
      [['plan', '--cluster', 'aks-test-weu', '--endpoint', 'http://arm.example.com'], 'use https://..., or http:// only on 127.0.0.1, localhost or [::1]'],
      [['apply', '--cluster', 'aks-test-weu', '--endpoint', 'http://arm.example.com'], 'use https://..., or http:// only on 127.0.0.1, localhost or [::1]'],
      [['plan', '--cluster', 'aks-nope'], 'unknown cluster "aks-nope"; known: aks-test-weu'],
    ])('%j exits 2: %s', async (argv, message) => {
      const { code, err, out } = await run(argv);
      expect(code).toBe(2);
      expect(err).toContain(message);
      expect(out).toBe('');
    });

    it('prints help', async () => {
      const { code, out } = await run(['help']);
      expect(code).toBe(0);
      expect(out).toContain('usage: edge <command> --cluster <name> [--endpoint <url>]');
    });
  });
});
