import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { PublicL4Endpoint } from '@aks-gitops/azure-edge';

/** A self-contained cluster, so fleet edits elsewhere never change these tests' expectations. */
export const cluster: ClusterSpec = {
  name: 'aks-test-weu',
  environment: 'test',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-00000000e001',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.30.0.0/16',
    l7SourceCidr: '10.30.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.30.4.0/24' },
    firewallPublicIps: ['203.0.113.30', '203.0.113.31'],
    plugin: 'azure-cni-overlay',
  },
  l7: { kind: 'agic', sslCertificate: 'wildcard-contoso-com', sslCertificateDnsNames: ['*.contoso.com'] },
  keyVault: { name: 'kv-aks-test-weu', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  firewall: {
    policyId:
      '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
    ruleCollectionGroupPriority: 220,
  },
  allowedRegistries: ['ghcr.io/contoso'],
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
};

/** The hub's Firewall Policy: another subscription than the cluster's (hub-and-spoke). */
export const POLICY_ID =
  '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu';
export const GROUP_PATH = `${POLICY_ID}/ruleCollectionGroups/aks-gitops-aks-test-weu-dnat`;

/** A second cluster on the same hub policy, and a third on another hub's policy with the same priority. */
export const sibling: ClusterSpec = {
  ...cluster,
  name: 'aks-test-neu',
  subscriptionId: '00000000-0000-4000-8000-00000000e002',
  network: { ...cluster.network, firewallPublicIps: ['203.0.113.40'] },
  firewall: { policyId: POLICY_ID, ruleCollectionGroupPriority: 230 },
};
export const OTHER_POLICY_ID =
  '/subscriptions/00000000-0000-4000-8000-0000000ab002/resourceGroups/rg-hub-neu/providers/Microsoft.Network/firewallPolicies/afwp-hub-neu';
export const elsewhere: ClusterSpec = {
  ...cluster,
  name: 'aks-test-sea',
  network: { ...cluster.network, firewallPublicIps: ['203.0.113.50'] },
  firewall: { policyId: OTHER_POLICY_ID, ruleCollectionGroupPriority: 220 },
};

export function endpoint(overrides: Partial<PublicL4Endpoint> = {}): PublicL4Endpoint {
  return {
    app: 'orders',
    service: 'pg',
    namespace: 'orders',
    portName: 'postgres',
    protocol: 'TCP',
    firewallPublicIp: '203.0.113.30',
    firewallPort: 5432,
    ilbIp: '10.30.4.10',
    servicePort: 5432,
    sourceAddresses: ['198.51.100.0/24'],
    ...overrides,
  };
}

/** Four public ports of three apps: TCP and UDP on one port, two firewall IPs, unsorted sources. */
export function sampleEndpoints(): PublicL4Endpoint[] {
  return [
    endpoint({ sourceAddresses: ['198.51.100.0/24', '192.0.2.7', '198.51.100.0/24'] }),
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
    endpoint({
      app: 'game',
      service: 'game-server',
      namespace: 'game',
      portName: 'game',
      protocol: 'TCP',
      firewallPublicIp: '203.0.113.31',
      firewallPort: 27015,
      ilbIp: '10.30.4.11',
      servicePort: 27015,
      sourceAddresses: ['*'],
    }),
    endpoint({
      app: 'billing',
      service: 'sftp',
      namespace: 'billing',
      portName: 'sftp',
      firewallPort: 2222,
      ilbIp: '10.30.4.12',
      servicePort: 22,
      sourceAddresses: ['203.0.113.128/25'],
    }),
  ];
}

/** The test subscription and the Front Door resources the Front Door tests name. */
export const FD_SUB = '00000000-0000-4000-8000-00000000e001';
const FD_RG = `/subscriptions/${FD_SUB}/resourceGroups/rg-edge-weu`;
export const FD_PROFILE = `${FD_RG}/providers/Microsoft.Cdn/profiles/afd-test-weu`;
export const FD_PLS = `${FD_RG}/providers/Microsoft.Network/privateLinkServices/pls-appgw-test`;
export const FD_WAF = `${FD_RG}/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafafdtest`;

/** The agic test cluster, fronted by Front Door Premium over the App Gateway's private frontend. */
export const frontDoorCluster: ClusterSpec = {
  ...cluster,
  l7: {
    kind: 'agic',
    sslCertificate: 'wildcard-contoso-com',
    sslCertificateDnsNames: ['*.contoso.com'],
    usePrivateIp: true,
  },
  frontDoor: {
    resourceGroup: 'rg-edge-weu',
    profileName: 'afd-test-weu',
    wafPolicyId: FD_WAF,
    origin: { kind: 'application-gateway', privateLinkServiceId: FD_PLS },
  },
};
