import type { FirewallPolicyRuleCollectionGroup, NatRule } from '@azure/arm-network';
import {
  FirewallDnatRules,
  diffFirewallDnat,
  formatDnatTable,
  formatFirewallDnatDiff,
  isEmptyDiff,
  isNatRule,
  isNatRuleCollection,
} from '@aks-gitops/azure-edge';
import { cluster, endpoint, sampleEndpoints } from './support/fixtures';

const desired = FirewallDnatRules.build(cluster, sampleEndpoints()).group;

/** A copy of the desired group as Azure might hold it, with `change` applied to its rules. */
function actualWith(
  change: (rules: NatRule[]) => NatRule[],
  priority = desired.priority,
): FirewallPolicyRuleCollectionGroup {
  const copy = structuredClone(desired);
  const [c] = copy.ruleCollections ?? [];
  if (isNatRuleCollection(c)) c.rules = change((c.rules ?? []).filter(isNatRule));
  return { ...copy, priority, provisioningState: 'Succeeded', etag: 'e' } as FirewallPolicyRuleCollectionGroup;
}

describe('diffFirewallDnat', () => {
  it('finds nothing to do when Azure has the same rules, even in another order and with empty extras', () => {
    const actual = actualWith((rules) =>
      [...rules].reverse().map((r) => ({
        ...r,
        sourceAddresses: [...(r.sourceAddresses ?? [])].reverse(),
        sourceIpGroups: [],
        translatedFqdn: '',
      })),
    );
    const d = diffFirewallDnat(desired, actual);
    expect(d).toEqual({ groupChanges: [], added: [], removed: [], changed: [], unchanged: 4 });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it('creates everything when the group does not exist', () => {
    const d = diffFirewallDnat(desired, undefined);
    expect(d.groupChanges).toEqual([
      'create group aks-gitops-aks-test-weu-dnat (priority 220)',
      'add collection l4-dnat (priority 1000)',
    ]);
    expect(d.added.map((r) => r.name)).toEqual([
      'billing-sftp-sftp-tcp',
      'game-game-server-game-tcp',
      'game-game-server-game-udp',
      'orders-pg-postgres-tcp',
    ]);
    expect(formatFirewallDnatDiff(d)).toContain(
      '+ l4-dnat/orders-pg-postgres-tcp: TCP 192.0.2.7,198.51.100.0/24 -> 203.0.113.30:5432 => 10.30.4.10:5432',
    );
  });

  it('lists added, removed and changed rules, and which fields changed', () => {
    const actual = actualWith(
      (rules) => [
        ...rules
          .filter((r) => r.name !== 'billing-sftp-sftp-tcp')
          .map((r) =>
            r.name === 'orders-pg-postgres-tcp'
              ? { ...r, translatedAddress: '10.30.4.99', sourceAddresses: ['0.0.0.0/0'] }
              : r,
          ),
        {
          ruleType: 'NatRule',
          name: 'hand-made',
          ipProtocols: ['TCP'],
          sourceAddresses: ['*'],
          destinationAddresses: ['203.0.113.30'],
          destinationPorts: ['22'],
          translatedAddress: '10.30.4.50',
          translatedPort: '22',
        },
      ],
      200,
    );
    const d = diffFirewallDnat(desired, actual);
    expect(d.groupChanges).toEqual(['group priority 200 -> 220']);
    expect(d.added.map((r) => r.name)).toEqual(['billing-sftp-sftp-tcp']);
    expect(d.removed.map((r) => r.name)).toEqual(['hand-made']);
    expect(d.changed.map((c) => [c.after.name, c.fields])).toEqual([
      ['orders-pg-postgres-tcp', ['sources', 'translatedAddress']],
    ]);
    expect(d.unchanged).toBe(2);
    expect(formatFirewallDnatDiff(d)).toEqual([
      '* group priority 200 -> 220',
      '+ l4-dnat/billing-sftp-sftp-tcp: TCP 203.0.113.128/25 -> 203.0.113.30:2222 => 10.30.4.12:22',
      '- l4-dnat/hand-made: TCP * -> 203.0.113.30:22 => 10.30.4.50:22',
      '~ l4-dnat/orders-pg-postgres-tcp: sources 0.0.0.0/0 -> 192.0.2.7,198.51.100.0/24; translatedAddress 10.30.4.99 -> 10.30.4.10',
    ]);
  });

  it('reports collections that a PUT would delete or renumber', () => {
    const actual: FirewallPolicyRuleCollectionGroup = {
      ...structuredClone(desired),
      ruleCollections: [
        { ...structuredClone((desired.ruleCollections ?? [])[0]), priority: 100 },
        {
          ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
          name: 'portal-edit',
          priority: 500,
          action: { type: 'Allow' },
          rules: [],
        },
      ],
    };
    expect(diffFirewallDnat(desired, actual).groupChanges).toEqual([
      'collection l4-dnat priority 100 -> 1000',
      'remove collection portal-edit (FirewallPolicyFilterRuleCollection, priority 500)',
    ]);
  });

  it('removes every rule when the cluster no longer publishes anything', () => {
    const empty = FirewallDnatRules.build(cluster, []).group;
    const d = diffFirewallDnat(
      empty,
      actualWith((r) => r),
    );
    expect(d.groupChanges).toEqual(['remove collection l4-dnat (FirewallPolicyNatRuleCollection, priority 1000)']);
    expect(d.removed).toHaveLength(4);
  });
});

describe('formatDnatTable', () => {
  it('prints one aligned row per rule', () => {
    const group = FirewallDnatRules.build(cluster, [
      endpoint(),
      endpoint({
        app: 'game',
        service: 'srv',
        namespace: 'game',
        portName: 'game',
        protocol: 'UDP',
        firewallPort: 27015,
        servicePort: 7777,
        ilbIp: '10.30.4.11',
        sourceAddresses: ['*'],
      }),
    ]).group;
    expect(formatDnatTable(group)).toBe(
      [
        'RULE                    PROTO  SOURCES          PUBLIC              TRANSLATED',
        'game-srv-game-udp       UDP    *                203.0.113.30:27015  10.30.4.11:7777',
        'orders-pg-postgres-tcp  TCP    198.51.100.0/24  203.0.113.30:5432   10.30.4.10:5432',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to publish', () => {
    expect(formatDnatTable(FirewallDnatRules.build(cluster, []).group)).toBe('(no DNAT rules: the group is empty)\n');
  });
});
