import fc from 'fast-check';
import { CLUSTERS, type ClusterSpec, ConfigError, formatIpv4, parseCidr } from '@aks-gitops/cluster-model';
import {
  FirewallDnatRules,
  assertNoCrossClusterDnatConflicts,
  dnatRuleName,
  fitAzureName,
  isNatRuleCollection,
  toArmJson,
} from '@aks-gitops/azure-edge';
import { GROUP_PATH, cluster, endpoint, sampleEndpoints } from './support/fixtures';

describe('FirewallDnatRules.build', () => {
  const dnat = FirewallDnatRules.build(cluster, sampleEndpoints());

  it("targets one group per cluster, named for the cluster, at the cluster priority, in the policy's (hub) subscription", () => {
    expect(dnat.cluster).toBe('aks-test-weu');
    expect(cluster.subscriptionId).toBe('00000000-0000-4000-8000-00000000e001');
    expect(dnat.target).toEqual({
      subscriptionId: '00000000-0000-4000-8000-0000000ab001',
      resourceGroup: 'rg-hub-weu',
      policyName: 'afwp-hub-weu',
      name: 'aks-gitops-aks-test-weu-dnat',
    });
    expect(dnat.resourceId).toBe(GROUP_PATH);
    expect(dnat.file).toBe('clusters/aks-test-weu/azure/firewall-dnat.json');
    expect(dnat.group.name).toBe('aks-gitops-aks-test-weu-dnat');
    expect(dnat.group.priority).toBe(220);
    expect(Object.keys(dnat.group)).toEqual(['name', 'priority', 'ruleCollections']);
  });

  it('puts every rule into a single DNAT collection l4-dnat at priority 1000', () => {
    expect(dnat.group.ruleCollections).toHaveLength(1);
    const [c] = dnat.group.ruleCollections ?? [];
    expect(isNatRuleCollection(c)).toBe(true);
    expect(c).toMatchObject({
      ruleCollectionType: 'FirewallPolicyNatRuleCollection',
      name: 'l4-dnat',
      priority: 1000,
      action: { type: 'DNAT' },
    });
    expect(Object.keys(c)).toEqual(['ruleCollectionType', 'name', 'priority', 'action', 'rules']);
  });

  it('writes one NatRule per public port and protocol, every field explicit, sorted by name', () => {
    expect(dnat.rules).toEqual([
      {
        ruleType: 'NatRule',
        name: 'billing-sftp-sftp-tcp',
        description: 'aks-gitops: cluster aks-test-weu, app billing, Service billing/sftp port sftp',
        ipProtocols: ['TCP'],
        sourceAddresses: ['203.0.113.128/25'],
        destinationAddresses: ['203.0.113.30'],
        destinationPorts: ['2222'],
        translatedAddress: '10.30.4.12',
        translatedPort: '22',
      },
      {
        ruleType: 'NatRule',
        name: 'game-game-server-game-tcp',
        description: 'aks-gitops: cluster aks-test-weu, app game, Service game/game-server port game',
        ipProtocols: ['TCP'],
        sourceAddresses: ['*'],
        destinationAddresses: ['203.0.113.31'],
        destinationPorts: ['27015'],
        translatedAddress: '10.30.4.11',
        translatedPort: '27015',
      },
      {
        ruleType: 'NatRule',
        name: 'game-game-server-game-udp',
        description: 'aks-gitops: cluster aks-test-weu, app game, Service game/game-server port game',
        ipProtocols: ['UDP'],
        sourceAddresses: ['*'],
        destinationAddresses: ['203.0.113.31'],
        destinationPorts: ['27015'],
        translatedAddress: '10.30.4.11',
        translatedPort: '27015',
      },
      {
        ruleType: 'NatRule',
        name: 'orders-pg-postgres-tcp',
        description: 'aks-gitops: cluster aks-test-weu, app orders, Service orders/pg port postgres',
        ipProtocols: ['TCP'],
        // deduplicated and in numeric order, whatever the input order
        sourceAddresses: ['192.0.2.7', '198.51.100.0/24'],
        destinationAddresses: ['203.0.113.30'],
        destinationPorts: ['5432'],
        translatedAddress: '10.30.4.10',
        translatedPort: '5432',
      },
    ]);
    for (const r of dnat.rules) {
      // nothing else (no sourceIpGroups, no translatedFqdn): the body holds only what we decide
      expect(Object.keys(r).sort()).toEqual([
        'description',
        'destinationAddresses',
        'destinationPorts',
        'ipProtocols',
        'name',
        'ruleType',
        'sourceAddresses',
        'translatedAddress',
        'translatedPort',
      ]);
    }
  });

  it('remembers which endpoint each rule came from', () => {
    expect([...dnat.origins.keys()].sort()).toEqual([
      'billing-sftp-sftp-tcp',
      'game-game-server-game-tcp',
      'game-game-server-game-udp',
      'orders-pg-postgres-tcp',
    ]);
    expect(dnat.origins.get('billing-sftp-sftp-tcp')?.app).toBe('billing');
  });

  it('gives the same group and the same file bytes for any input order', () => {
    const reference = toArmJson(dnat);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(sampleEndpoints(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (shuffled, reverseSources) => {
          const input = shuffled.map((e) => ({
            ...e,
            sourceAddresses: reverseSources ? [...e.sourceAddresses].reverse() : e.sourceAddresses,
          }));
          const again = FirewallDnatRules.build(cluster, input);
          expect(again.group).toEqual(dnat.group);
          expect(toArmJson(again)).toBe(reference);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('does not mutate its input', () => {
    const input = sampleEndpoints();
    const copy = structuredClone(input);
    FirewallDnatRules.build(cluster, input);
    expect(input).toEqual(copy);
  });

  it('adding an app only inserts its rules: no other rule or priority changes', () => {
    const before = FirewallDnatRules.build(cluster, sampleEndpoints());
    const after = FirewallDnatRules.build(cluster, [
      ...sampleEndpoints(),
      endpoint({
        app: 'aardvark',
        service: 'mq',
        namespace: 'aardvark',
        portName: 'amqp',
        firewallPort: 5671,
        ilbIp: '10.30.4.20',
        servicePort: 5671,
      }),
    ]);
    expect(after.group.priority).toBe(before.group.priority);
    expect(after.group.ruleCollections?.map((c) => [c.name, c.priority])).toEqual([['l4-dnat', 1000]]);
    expect(after.rules.filter((r) => r.name !== 'aardvark-mq-amqp-tcp')).toEqual(before.rules);
    expect(after.rules[0].name).toBe('aardvark-mq-amqp-tcp');
  });

  it('builds an empty group (no collections) when the cluster publishes nothing, so apply removes old rules', () => {
    const empty = FirewallDnatRules.build(cluster, []);
    expect(empty.group).toEqual({ name: 'aks-gitops-aks-test-weu-dnat', priority: 220, ruleCollections: [] });
    expect(empty.rules).toEqual([]);
  });

  it('works for every cluster of the real fleet', () => {
    for (const spec of CLUSTERS) {
      const ilb = parseCidr(spec.network.internalLoadBalancerSubnet.cidr);
      const ilbIp = formatIpv4((ilb?.base ?? 0) + 10);
      const built = FirewallDnatRules.build(spec, [
        endpoint({ firewallPublicIp: spec.network.firewallPublicIps[0], ilbIp }),
      ]);
      expect(built.group.priority).toBe(spec.firewall.ruleCollectionGroupPriority);
      expect(built.target.name).toBe(`aks-gitops-${spec.name}-dnat`);
      expect(built.rules).toHaveLength(1);
    }
  });
});

describe('rule names', () => {
  it('are <app>-<service>-<portName>-<tcp|udp>', () => {
    expect(dnatRuleName('orders', 'pg', 'postgres', 'TCP')).toBe('orders-pg-postgres-tcp');
    expect(dnatRuleName('game', 'srv', 'game', 'UDP')).toBe('game-srv-game-udp');
  });

  it('are cut to 80 characters with a stable hash suffix when the parts are long', () => {
    const app = 'a'.repeat(63);
    const long1 = dnatRuleName(app, 'service-with-a-long-name', 'port1', 'TCP');
    const long2 = dnatRuleName(app, 'service-with-a-long-name', 'port2', 'TCP');
    expect(long1).toHaveLength(80);
    expect(long1).toMatch(/^a{63}-service-[0-9a-f]{8}$/);
    expect(long1).not.toBe(long2);
    expect(dnatRuleName(app, 'service-with-a-long-name', 'port1', 'TCP')).toBe(long1);
    expect(fitAzureName('x'.repeat(80))).toBe('x'.repeat(80));
    // never ends the cut part with a dash before the hash
    expect(fitAzureName(`${'y'.repeat(70)}-${'z'.repeat(20)}`)).toMatch(/^y{70}-[0-9a-f]{8}$/);
  });

  it('keep a long endpoint buildable', () => {
    const e = endpoint({ app: 'a'.repeat(63), service: 's'.repeat(63), portName: 'p'.repeat(15) });
    const [rule] = FirewallDnatRules.build(cluster, [e]).rules;
    expect(rule.name).toHaveLength(80);
  });
});

describe('assertNoCrossClusterDnatConflicts', () => {
  const other: ClusterSpec = {
    ...cluster,
    name: 'aks-other-weu',
    firewall: { ...cluster.firewall, ruleCollectionGroupPriority: 230 },
  };

  it('accepts clusters that use different public ports', () => {
    const a = FirewallDnatRules.build(cluster, [endpoint()]);
    const b = FirewallDnatRules.build(other, [endpoint({ firewallPort: 6432 })]);
    expect(() => assertNoCrossClusterDnatConflicts([a, b])).not.toThrow();
  });

  it('refuses the same public IP, port and protocol in two clusters, naming both clusters and apps', () => {
    const a = FirewallDnatRules.build(cluster, [endpoint()]);
    const b = FirewallDnatRules.build(other, [endpoint({ app: 'ledger', service: 'db', namespace: 'ledger' })]);
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      let error: unknown;
      try {
        assertNoCrossClusterDnatConflicts(order);
      } catch (e) {
        error = e;
      }
      expect(ConfigError.is(error)).toBe(true);
      const e = error as ConfigError;
      // clusters are processed in name order, so the error lands on the same cluster either way
      expect(e.details).toMatchObject({
        cluster: 'aks-test-weu',
        app: 'orders',
        field: 'endpoints[orders/pg/postgres/TCP].firewallPort',
      });
      expect(e.message).toContain('203.0.113.30:5432/TCP');
      expect(e.message).toContain('cluster aks-other-weu (app ledger');
      expect(e.message).toContain('cluster aks-test-weu (app orders');
    }
  });
});
