import type { ClusterSpec } from '../cluster-spec';

/**
 * Production cluster: Azure Front Door Premium, then Application Gateway WAF_v2 (AGIC) on its private
 * frontend through Private Link; Azure CNI with Cilium policies.
 */
export const aksProdWeu: ClusterSpec = {
  name: 'aks-prod-weu',
  environment: 'prod',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-00000000f001',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.20.0.0/16',
    l7SourceCidr: '10.20.5.0/24', // Application Gateway subnet
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.20.4.0/24', privateLinkServiceNetworkPoliciesDisabled: true },
    firewallPublicIps: ['203.0.113.20', '203.0.113.21'],
    plugin: 'azure-cni-pod-subnet',
    podSubnetCidr: '10.20.64.0/18',
    localDns: false,
  },
  l7: {
    kind: 'agic',
    sslCertificate: 'wildcard-contoso-com',
    sslCertificateDnsNames: ['*.contoso.com'],
    trustedRootCertificate: 'contoso-internal-root',
    wafPolicyId:
      '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-edge-weu/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-prod-weu',
    // Front Door reaches the App Gateway through the Private Link of its private frontend.
    usePrivateIp: true,
  },
  keyVault: { name: 'kv-aks-prod-weu', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  // The hub's Firewall Policy, in the hub (connectivity) subscription, shared with the other clusters.
  firewall: {
    policyId: '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
    ruleCollectionGroupPriority: 210,
  },
  oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-0000-4000-8000-000000000001/0a1b2c3d-0000-4000-8000-00000000f001/',
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  // Every L7 host enters through Front Door Premium (WAF at the edge), then Private Link to the
  // App Gateway's private frontend, which keeps its own WAF and re-encrypts to the pods.
  frontDoor: {
    resourceGroup: 'rg-edge-global',
    profileName: 'afd-contoso-prod',
    wafPolicyId: '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-edge-global/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafafdcontosoprod',
    certificateSecretId: '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-edge-weu/providers/Microsoft.KeyVault/vaults/kv-aks-prod-weu/secrets/wildcard-contoso-com',
    certificateDnsNames: ['*.contoso.com'],
    origin: {
      kind: 'application-gateway',
      privateLinkServiceId: '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-edge-weu/providers/Microsoft.Network/privateLinkServices/_e41f87a2_agw-prod-weu_pl-private',
    },
  },
  // Images come from the team's registries and Microsoft's; Docker Hub only for the one vetted official
  // image (official images live under docker.io/library/). Matched by host and whole path segments.
  allowedRegistries: ['contoso.azurecr.io', 'ghcr.io/contoso', 'mcr.microsoft.com', 'docker.io/library/eclipse-mosquitto'],
};
