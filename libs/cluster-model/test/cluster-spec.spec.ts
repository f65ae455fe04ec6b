import {
  CLUSTERS,
  ConfigError,
  ConfigErrors,
  loadFleet,
  validateCluster,
  validateFleet,
} from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

const dev = CLUSTERS.find((c) => c.name === 'aks-dev-weu') as ClusterSpec;
const prod = CLUSTERS.find((c) => c.name === 'aks-prod-weu') as ClusterSpec;

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Editable = Mutable<ClusterSpec> & { l7: Record<string, unknown> & { gateway: { listener: string } } };

/** One bad field, everything else as in the committed dev cluster. Values may be deliberately wrong types. */
function devWith(patch: (c: Editable) => unknown): ClusterSpec {
  const copy = JSON.parse(JSON.stringify(dev)) as Editable;
  patch(copy);
  return copy as unknown as ClusterSpec;
}

function problems(spec: ClusterSpec): string[] {
  return validateCluster(spec).map((e) => e.message);
}

describe('the committed fleet', () => {
  it('loads without errors, sorted by name', () => {
    const names = loadFleet().map((c) => c.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...CLUSTERS.map((c) => c.name)].sort());
  });

  it('has one gateway-api cluster and one agic cluster', () => {
    expect(dev.l7.kind).toBe('gateway-api');
    expect(prod.l7.kind).toBe('agic');
    expect(prod.environment).toBe('prod');
  });
});

describe('a cluster spec with a mistake names the cluster and the field', () => {
  const cases: Array<[string, (c: Editable) => unknown, string]> = [
    ['a CIDR with a bad prefix', (c) => (c.network.vnetCidr = '10.10.0.0/33'), 'field network.vnetCidr'],
    ['a CIDR with host bits set', (c) => (c.network.l7SourceCidr = '10.10.5.1/24'), 'field network.l7SourceCidr'],
    [
      'an ILB subnet outside the VNet',
      (c) => (c.network.internalLoadBalancerSubnet.cidr = '10.99.4.0/24'),
      'field network.internalLoadBalancerSubnet.cidr: 10.99.4.0/24 is outside the VNet',
    ],
    [
      'an ILB subnet overlapping the firewall subnet',
      (c) => (c.network.internalLoadBalancerSubnet.cidr = '10.0.1.0/28'),
      'overlaps the AzureFirewallSubnet',
    ],
    ['a firewall subnet smaller than /26', (c) => (c.network.firewallSubnetCidr = '10.0.1.0/27'), 'smaller than /26'],
    [
      'a private firewall "public" IP',
      (c) => (c.network.firewallPublicIps = ['10.0.1.4']),
      'field network.firewallPublicIps[0]: 10.0.1.4 is a private address',
    ],
    ['a malformed firewall IP', (c) => (c.network.firewallPublicIps = ['203.0.113.300']), 'is not an IPv4 address'],
    ['no firewall IP', (c) => (c.network.firewallPublicIps = []), 'field network.firewallPublicIps: is empty'],
    ['an uppercase name', (c) => (c.name = 'AKS-Dev'), 'field name'],
    [
      'an unknown environment',
      (c) => ((c as unknown as Record<string, unknown>).environment = 'qa'),
      'field environment',
    ],
    ['a Kubernetes version with a patch', (c) => (c.kubernetesVersion = '1.30.2'), 'field kubernetesVersion'],
    [
      'an unknown policy engine',
      (c) => ((c as unknown as Record<string, unknown>).networkPolicyEngine = 'weave'),
      'field networkPolicyEngine',
    ],
    ['an unknown L7 provider', (c) => ((c.l7 as Record<string, unknown>).kind = 'nginx'), 'field l7.kind'],
    ['a bad gateway listener name', (c) => (c.l7.gateway.listener = 'HTTPS'), 'field l7.gateway.listener'],
    ['a WAF policy id of the wrong type', (c) => (c.l7.wafPolicyId = '/subscriptions/x/waf'), 'field l7.wafPolicyId'],
    [
      'a firewall priority out of range',
      (c) => (c.firewall.ruleCollectionGroupPriority = 99),
      'field firewall.ruleCollectionGroupPriority',
    ],
    ['a Flux URL that is not https or ssh', (c) => (c.flux.url = 'git@github.com:contoso/x.git'), 'field flux.url'],
    ['a subscription that is not a GUID', (c) => (c.subscriptionId = 'prod'), 'field subscriptionId'],
    [
      'a Firewall Policy named by name only',
      (c) => (c.firewall.policyId = 'afwp-hub-weu'),
      'field firewall.policyId: "afwp-hub-weu" is not a Firewall Policy resource ID',
    ],
    [
      'a Firewall Policy id of another resource type',
      (c) =>
        (c.firewall.policyId =
          '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/azureFirewalls/afw-hub'),
      'field firewall.policyId',
    ],
    [
      'a Firewall Policy id with a subscription that is not a GUID',
      (c) =>
        (c.firewall.policyId =
          '/subscriptions/hub/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp'),
      'has subscription "hub", not a lowercase GUID',
    ],
    [
      'a Firewall Policy id with a bad policy name',
      (c) =>
        (c.firewall.policyId =
          '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/-afwp'),
      'has policy name "-afwp"',
    ],
    [
      'an OIDC issuer over http',
      (c) => (c.oidcIssuerUrl = 'http://westeurope.oic.prod-aks.azure.com/t/i/'),
      'field oidcIssuerUrl: "http://westeurope.oic.prod-aks.azure.com/t/i/" is not an https URL',
    ],
    [
      'an OIDC issuer that is not a URL',
      (c) => (c.oidcIssuerUrl = 'issuer'),
      'field oidcIssuerUrl: "issuer" is not a URL',
    ],
    ['no allowed registries', (c) => (c.allowedRegistries = []), 'field allowedRegistries: is empty'],
    [
      'allowed registries missing',
      (c) => delete (c as Partial<Editable>).allowedRegistries,
      'field allowedRegistries: is undefined',
    ],
    [
      'a registry written as a URL',
      (c) => (c.allowedRegistries = ['https://contoso.azurecr.io']),
      'field allowedRegistries[0]: "https://contoso.azurecr.io" has a URL scheme',
    ],
    [
      'a wildcard registry',
      (c) => (c.allowedRegistries = ['*.azurecr.io']),
      'field allowedRegistries[0]: "*.azurecr.io" has a wildcard',
    ],
    [
      'an image instead of a registry',
      (c) => (c.allowedRegistries = ['ghcr.io/contoso/app:1.0']),
      'names a tag or digest',
    ],
    [
      'a registry without a host',
      (c) => (c.allowedRegistries = ['contoso']),
      'does not start with a lowercase registry host',
    ],
    [
      'a registry listed twice',
      (c) => (c.allowedRegistries = ['mcr.microsoft.com', 'mcr.microsoft.com']),
      'field allowedRegistries: lists a registry twice',
    ],
  ];
  it.each(cases)('%s', (_label, patch, expected) => {
    const found = problems(devWith(patch));
    expect(found.some((m) => m.startsWith('cluster ') && m.includes(expected) && m.includes('Fix: '))).toBe(true);
  });

  it('reports an invalid CIDR as "cluster <name>, field <path>: ... Fix: ..."', () => {
    const [first] = validateCluster(devWith((c) => (c.network.vnetCidr = '10.10.0.0/33')));
    expect(first).toBeInstanceOf(ConfigError);
    expect(first.details).toMatchObject({ cluster: 'aks-dev-weu', field: 'network.vnetCidr' });
    expect(first.message).toBe(
      'cluster aks-dev-weu, field network.vnetCidr: "10.10.0.0/33" is not an IPv4 CIDR with its host bits zero. Fix: write it as a network address, e.g. "10.240.4.0/24"',
    );
  });
});

describe('fleet-wide checks', () => {
  it('rejects two clusters with the same name', () => {
    expect(() => validateFleet([dev, { ...prod, name: 'aks-dev-weu' }])).toThrow(
      /cluster aks-dev-weu, field name: is defined twice/,
    );
  });

  const HUB =
    '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu';
  const OTHER_HUB =
    '/subscriptions/00000000-0000-4000-8000-0000000ab002/resourceGroups/rg-hub-neu/providers/Microsoft.Network/firewallPolicies/afwp-hub-neu';

  it('rejects two clusters sharing a Firewall Policy with the same rule collection group priority, naming both', () => {
    const a = { ...dev, firewall: { policyId: HUB, ruleCollectionGroupPriority: 300 } };
    const b = { ...prod, firewall: { policyId: HUB, ruleCollectionGroupPriority: 300 } };
    expect(() => validateFleet([a, b])).toThrow(
      `cluster aks-prod-weu, field firewall.ruleCollectionGroupPriority: 300 is already used by cluster aks-dev-weu in the same Firewall Policy ${HUB}. Fix: give clusters aks-dev-weu and aks-prod-weu different priorities: each cluster's rule collection group needs its own priority within one Firewall Policy`,
    );
  });

  it('compares Firewall Policy ids case-insensitively, as ARM does', () => {
    const a = { ...dev, firewall: { policyId: HUB, ruleCollectionGroupPriority: 300 } };
    const b = {
      ...prod,
      firewall: { policyId: HUB.replace('rg-hub-weu', 'RG-Hub-WEU'), ruleCollectionGroupPriority: 300 },
    };
    expect(() => validateFleet([a, b])).toThrow(/already used by cluster aks-dev-weu/);
  });

  it('accepts the same priority on different Firewall Policies (clusters behind different hubs)', () => {
    const a = { ...dev, firewall: { policyId: HUB, ruleCollectionGroupPriority: 300 } };
    const b = { ...prod, firewall: { policyId: OTHER_HUB, ruleCollectionGroupPriority: 300 } };
    expect(() => validateFleet([a, b])).not.toThrow();
  });

  it('accepts a Firewall Policy in another subscription than the cluster (the hub)', () => {
    expect(prod.firewall.policyId.split('/')[2]).not.toBe(prod.subscriptionId);
    expect(validateCluster(prod)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const bad = devWith((c) => {
      c.region = 'West Europe';
      c.network.vnetCidr = 'nope';
    });
    try {
      validateFleet([bad]);
      throw new Error('expected errors');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigErrors);
      expect((e as ConfigErrors).errors.map((x) => x.details.field)).toEqual(['region', 'network.vnetCidr']);
    }
  });
});
