import { validateCluster } from '@aks-gitops/cluster-model';
import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';

/** A cluster of this test's own (not the example fleet): gateway-api with an in-cluster gateway. */
const SUB = '00000000-0000-4000-8000-0000000000b1';
const base: ClusterSpec = {
  name: 'aks-topo-weu',
  environment: 'test',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: SUB,
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.70.0.0/16',
    l7SourceCidr: '10.70.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.70.4.0/24' },
    firewallPublicIps: ['203.0.113.70'],
    plugin: 'azure-cni-overlay',
  },
  l7: {
    kind: 'gateway-api',
    gatewayClassName: 'istio',
    gateway: { namespace: 'gateway-system', name: 'edge', listener: 'https' },
    gatewayPodLabels: { istio: 'edge' },
    tls: { certificateName: 'wildcard', dnsNames: ['*.contoso.com'], clientId: '11111111-1111-4111-8111-111111111111' },
  },
  keyVault: { name: 'kv-topo', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  firewall: {
    policyId: `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub`,
    ruleCollectionGroupPriority: 600,
  },
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  allowedRegistries: ['ghcr.io/contoso'],
};
const problems = (spec: ClusterSpec) => validateCluster(spec).map((e) => e.message);

describe('shared frontends and Front Door in the cluster spec', () => {
  it('a complete topology is valid', () => {
    const spec: ClusterSpec = {
      ...base,
      l7: { ...(base.l7 as GatewayApiProvider), frontend: 'edge' },
      sharedFrontends: [
        {
          name: 'edge',
          address: '10.70.4.60',
          privateLink: { name: 'pls-edge', resourceGroup: 'rg-nodes', visibility: ['*'], autoApproval: [SUB] },
        },
        { name: 'shared-l4', address: '10.70.4.61' },
      ],
      frontendAssignments: { game: 'shared-l4', legacy: 'dedicated' },
      frontDoor: {
        resourceGroup: 'rg-edge',
        profileName: 'afd-topo',
        wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/waftopo`,
        origin: { kind: 'shared-frontend', frontend: 'edge' },
      },
    };
    expect(problems(spec)).toEqual([]);
  });

  it.each<[string, Partial<ClusterSpec>, string]>([
    [
      'a reserved frontend name',
      { sharedFrontends: [{ name: 'dedicated', address: '10.70.4.60' }] },
      'field sharedFrontends[0].name: "dedicated" is reserved',
    ],
    [
      'two frontends on one address',
      {
        sharedFrontends: [
          { name: 'a', address: '10.70.4.60' },
          { name: 'b', address: '10.70.4.60' },
        ],
      },
      'field sharedFrontends[1].address: 10.70.4.60 is already the address of shared frontend "a"',
    ],
    [
      'an Azure-reserved address',
      { sharedFrontends: [{ name: 'a', address: '10.70.4.3' }] },
      'field sharedFrontends[0].address: 10.70.4.3 is reserved by Azure',
    ],
    [
      'a PLS with no owner and no gateway on it',
      { sharedFrontends: [{ name: 'a', address: '10.70.4.60', privateLink: { name: 'pls-a', resourceGroup: 'rg' } }] },
      'field sharedFrontends[0].privateLink.owner: is not set and the in-cluster gateway does not join this frontend',
    ],
    [
      'auto-approval without visibility "*"',
      {
        sharedFrontends: [
          {
            name: 'a',
            address: '10.70.4.60',
            privateLink: { name: 'pls-a', resourceGroup: 'rg', owner: 'x', autoApproval: [SUB] },
          },
        ],
      },
      'field sharedFrontends[0].privateLink.autoApproval: is set but visibility is not "*"',
    ],
    [
      'a NAT subnet outside the VNet',
      {
        sharedFrontends: [
          {
            name: 'a',
            address: '10.70.4.60',
            privateLink: {
              name: 'pls-a',
              resourceGroup: 'rg',
              owner: 'x',
              natSubnet: { name: 's', cidr: '10.99.0.0/28' },
            },
          },
        ],
      },
      'field sharedFrontends[0].privateLink.natSubnet.cidr: 10.99.0.0/28 is outside the VNet 10.70.0.0/16',
    ],
    [
      'an assignment to an unknown frontend',
      { frontendAssignments: { game: 'nope' } },
      'field frontendAssignments["game"]: names "nope", which is not a shared frontend of this cluster',
    ],
    [
      'an App Gateway origin on a gateway-api cluster',
      {
        frontDoor: {
          resourceGroup: 'rg',
          profileName: 'afd',
          wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/w`,
          origin: {
            kind: 'application-gateway',
            privateLinkServiceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p`,
          },
        },
      },
      'field frontDoor.origin.kind: is "application-gateway" but the cluster\'s L7 provider is "gateway-api"',
    ],
    [
      'a Key Vault URL instead of the secret resource ID',
      {
        frontDoor: {
          resourceGroup: 'rg',
          profileName: 'afd',
          wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/w`,
          certificateSecretId: 'https://kv.vault.azure.net/secrets/c',
          origin: { kind: 'shared-frontend', frontend: 'x' },
        },
      },
      'field frontDoor.certificateSecretId: "https://kv.vault.azure.net/secrets/c" is not a Key Vault secret resource ID',
    ],
    [
      'a customer certificate without the DNS names it covers',
      {
        frontDoor: {
          resourceGroup: 'rg',
          profileName: 'afd',
          wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/w`,
          certificateSecretId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-edge/secrets/c`,
          origin: { kind: 'shared-frontend', frontend: 'x' },
        },
      },
      'field frontDoor.certificateDnsNames: is not set, but certificateSecretId is',
    ],
    [
      'certificate DNS names without a customer certificate',
      {
        frontDoor: {
          resourceGroup: 'rg',
          profileName: 'afd',
          wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/w`,
          certificateDnsNames: ['*.contoso.com'],
          origin: { kind: 'shared-frontend', frontend: 'x' },
        },
      },
      'field frontDoor.certificateDnsNames: is set without certificateSecretId',
    ],
    [
      'a certificate DNS name that is a URL',
      {
        frontDoor: {
          resourceGroup: 'rg',
          profileName: 'afd',
          wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/w`,
          certificateSecretId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-edge/secrets/c`,
          certificateDnsNames: ['https://contoso.com'],
          origin: { kind: 'shared-frontend', frontend: 'x' },
        },
      },
      'field frontDoor.certificateDnsNames[0]: "https://contoso.com" is not a DNS name or a single-label wildcard',
    ],
  ])('%s is rejected naming the field', (_what, patch, message) => {
    expect(problems({ ...base, ...patch }).join('\n')).toContain(message);
  });

  it('l7.frontend needs gateway pods in the cluster (AGC has none)', () => {
    const agc: ClusterSpec = {
      ...base,
      l7: {
        ...(base.l7 as GatewayApiProvider),
        gatewayClassName: 'azure-alb-external',
        gatewayPodLabels: undefined,
        frontend: 'edge',
      },
      sharedFrontends: [{ name: 'edge', address: '10.70.4.60' }],
    };
    expect(problems(agc).join('\n')).toContain(
      'field l7.frontend: is set but the gateway class "azure-alb-external" runs no gateway pods in the cluster',
    );
  });
});
