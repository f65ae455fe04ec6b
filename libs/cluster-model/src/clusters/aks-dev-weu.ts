import type { ClusterSpec } from '../cluster-spec';

/**
 * Development cluster: Application Gateway for Containers through Gateway API, Cilium policies; the
 * L4 apps share one internal load balancer frontend.
 */
export const aksDevWeu: ClusterSpec = {
  name: 'aks-dev-weu',
  environment: 'dev',
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-00000000d001',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.10.0.0/16',
    l7SourceCidr: '10.10.5.0/24', // AGC association subnet, delegated to Microsoft.ServiceNetworking/trafficControllers
    firewallSubnetCidr: '10.0.1.0/26', // hub AzureFirewallSubnet (peered VNet)
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.10.4.0/24', privateLinkServiceNetworkPoliciesDisabled: true },
    firewallPublicIps: ['203.0.113.10'],
    plugin: 'azure-cni-overlay', // AGC with Overlay: the association subnet must be exactly /24
    localDns: false,
  },
  l7: {
    kind: 'gateway-api',
    gatewayClassName: 'azure-alb-external',
    gateway: { namespace: 'edge-gateway', name: 'shared-gateway', listener: 'https' },
    agc: {
      deployment: 'managed',
      namespace: 'alb-infra',
      name: 'alb-dev-weu',
      associationSubnetId:
        '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg-aks-dev-weu/providers/Microsoft.Network/virtualNetworks/vnet-aks-dev-weu/subnets/snet-agc',
    },
    wafPolicyId:
      '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg-edge-weu/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-dev-weu',
    // AGC verifies the pods' certificates behind backendProtocol https against this CA (public part
    // synced from Key Vault into each such API's namespace; read by an identity allowed that certificate only).
    backendCa: { certificateName: 'contoso-internal-root', clientId: '22222222-2222-4222-8222-222222222222' },
    tls: { certificateName: 'wildcard-dev-contoso-com', dnsNames: ['*.dev.contoso.com', '*.contoso.com'], clientId: '11111111-1111-4111-8111-111111111111' },
  },
  keyVault: { name: 'kv-aks-dev-weu', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  // The hub's Firewall Policy, in the hub (connectivity) subscription, shared with the other clusters.
  firewall: {
    policyId: '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
    ruleCollectionGroupPriority: 200,
  },
  oidcIssuerUrl: 'https://westeurope.oic.prod-aks.azure.com/72f988bf-0000-4000-8000-000000000001/0a1b2c3d-0000-4000-8000-00000000d001/',
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  // One internal frontend for the L4 apps: the firewall DNATs each published port to 10.10.4.40.
  sharedFrontends: [{ name: 'shared-l4', address: '10.10.4.40' }],
  frontendAssignments: { 'mqtt-broker': 'shared-l4', 'telemetry-ingest': 'shared-l4' },
  // Images come from the team's registries and Microsoft's; Docker Hub only for the one vetted official
  // image (official images live under docker.io/library/). Matched by host and whole path segments.
  allowedRegistries: [
    'contoso.azurecr.io',
    'ghcr.io/contoso',
    'mcr.microsoft.com',
    'docker.io/library/eclipse-mosquitto',
    'registry.k8s.io/pause', // the shared Gateway's certificate-sync pod (l7.tls.syncImage default)
  ],
};
