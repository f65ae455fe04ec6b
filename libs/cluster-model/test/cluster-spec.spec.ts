import { CLUSTERS, ConfigError, ConfigErrors, loadFleet, validateCluster, validateFleet } from '@aks-gitops/cluster-model';
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
    expect(loadFleet().map((c) => c.name)).toEqual(['aks-dev-weu', 'aks-prod-weu']);
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
    ['an ILB subnet outside the VNet', (c) => (c.network.internalLoadBalancerSubnet.cidr = '10.99.4.0/24'), 'field network.internalLoadBalancerSubnet.cidr: 10.99.4.0/24 is outside the VNet'],
    ['an ILB subnet overlapping the firewall subnet', (c) => (c.network.internalLoadBalancerSubnet.cidr = '10.0.1.0/28'), 'overlaps the AzureFirewallSubnet'],
    ['a firewall subnet smaller than /26', (c) => (c.network.firewallSubnetCidr = '10.0.1.0/27'), 'smaller than /26'],
    ['a private firewall "public" IP', (c) => (c.network.firewallPublicIps = ['10.0.1.4']), 'field network.firewallPublicIps[0]: 10.0.1.4 is a private address'],
    ['a malformed firewall IP', (c) => (c.network.firewallPublicIps = ['203.0.113.300']), 'is not an IPv4 address'],
    ['no firewall IP', (c) => (c.network.firewallPublicIps = []), 'field network.firewallPublicIps: is empty'],
    ['an uppercase name', (c) => (c.name = 'AKS-Dev'), 'field name'],
    ['an unknown environment', (c) => ((c as unknown as Record<string, unknown>).environment = 'qa'), 'field environment'],
    ['a Kubernetes version with a patch', (c) => (c.kubernetesVersion = '1.30.2'), 'field kubernetesVersion'],
    ['an unknown policy engine', (c) => ((c as unknown as Record<string, unknown>).networkPolicyEngine = 'weave'), 'field networkPolicyEngine'],
    ['an unknown L7 provider', (c) => ((c.l7 as Record<string, unknown>).kind = 'nginx'), 'field l7.kind'],
    ['a bad gateway listener name', (c) => (c.l7.gateway.listener = 'HTTPS'), 'field l7.gateway.listener'],
    ['a WAF policy id of the wrong type', (c) => (c.l7.wafPolicyId = '/subscriptions/x/waf'), 'field l7.wafPolicyId'],
    ['a firewall priority out of range', (c) => (c.firewall.ruleCollectionGroupPriority = 99), 'field firewall.ruleCollectionGroupPriority'],
    ['a Flux URL that is not https or ssh', (c) => (c.flux.url = 'git@github.com:contoso/x.git'), 'field flux.url'],
    ['a subscription that is not a GUID', (c) => (c.subscriptionId = 'prod'), 'field subscriptionId'],
    ['no allowed registries', (c) => (c.allowedRegistries = []), 'field allowedRegistries: is empty'],
    ['allowed registries missing', (c) => delete (c as Partial<Editable>).allowedRegistries, 'field allowedRegistries: is undefined'],
    ['a registry written as a URL', (c) => (c.allowedRegistries = ['https://contoso.azurecr.io']), 'field allowedRegistries[0]: "https://contoso.azurecr.io" has a URL scheme'],
    ['a wildcard registry', (c) => (c.allowedRegistries = ['*.azurecr.io']), 'field allowedRegistries[0]: "*.azurecr.io" has a wildcard'],
    ['an image instead of a registry', (c) => (c.allowedRegistries = ['ghcr.io/contoso/app:1.0']), 'names a tag or digest'],
    ['a registry without a host', (c) => (c.allowedRegistries = ['contoso']), 'does not start with a lowercase registry host'],
    ['a registry listed twice', (c) => (c.allowedRegistries = ['mcr.microsoft.com', 'mcr.microsoft.com']), 'field allowedRegistries: lists a registry twice'],
  ];
  it.each(cases)('%s', (_label, patch, expected) => {
    const found = problems(devWith(patch));
    expect(found.some((m) => m.startsWith('cluster ') && m.includes(expected) && m.includes('Fix: '))).toBe(true);
  });

  it('reports an invalid CIDR as "cluster <name>, field <path>: ... Fix: ..."', () => {
    const [first] = validateCluster(devWith((c) => (c.network.vnetCidr = '10.10.0.0/33')));
    expect(first).toBeInstanceOf(ConfigError);
    expect(first.details).toMatchObject({ cluster: 'aks-dev-weu', field: 'network.vnetCidr' });
    expect(first.message).toBe('cluster aks-dev-weu, field network.vnetCidr: "10.10.0.0/33" is not an IPv4 CIDR with its host bits zero. Fix: write it as a network address, e.g. "10.240.4.0/24"');
  });
});

describe('fleet-wide checks', () => {
  it('rejects two clusters with the same name', () => {
    expect(() => validateFleet([dev, { ...prod, name: 'aks-dev-weu' }])).toThrow(/cluster aks-dev-weu, field name: is defined twice/);
  });

  it('rejects two clusters sharing a firewall policy with the same rule collection group priority', () => {
    expect(() => validateFleet([dev, { ...prod, firewall: { ...prod.firewall, ruleCollectionGroupPriority: 200 } }])).toThrow(/already used by cluster aks-dev-weu/);
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
