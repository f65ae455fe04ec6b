import type { ClusterSpec } from '../cluster-spec';

/**
 * Staging cluster: Azure Front Door Premium in front of an in-cluster gateway (Istio, Gateway API).
 * Front Door reaches it through Private Link: the gateway's Service sits on the shared internal
 * frontend `edge`, whose Private Link Service cloud-provider-azure creates; nothing of the cluster
 * has a public IP on the HTTP path. L4 traffic still enters through the hub firewall's DNAT.
 */
export const aksStageNeu: ClusterSpec = {
  name: 'aks-stage-neu',
  environment: 'staging',
  region: 'northeurope',
  kubernetesVersion: '1.30',
  subscriptionId: '00000000-0000-4000-8000-00000000e5a1',
  networkPolicyEngine: 'cilium',
  network: {
    vnetCidr: '10.40.0.0/16',
    // HTTP reaches the gateway pods only through Front Door's Private Link: from the PLS NAT subnet.
    l7SourceCidr: '10.40.6.0/28',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.40.4.0/24' },
    firewallPublicIps: ['203.0.113.30'],
    plugin: 'azure-cni-overlay',
    localDns: false,
  },
  l7: {
    kind: 'gateway-api',
    // An in-cluster gateway (Istio's Gateway API implementation): its pods terminate TLS in the cluster.
    gatewayClassName: 'istio',
    gateway: { namespace: 'edge-gateway', name: 'edge', listener: 'https' },
    gatewayPodLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' },
    // Its LoadBalancer Service joins the shared frontend below (443), which carries the Private Link Service.
    frontend: 'edge',
    externalWaf: {
      reason: 'every HTTP request passes the Front Door Premium WAF policy (frontDoor.wafPolicyId) before Private Link',
    },
    tls: {
      certificateName: 'wildcard-staging-contoso-com',
      dnsNames: ['*.staging.contoso.com', '*.contoso.com'],
      clientId: '22222222-2222-4222-8222-222222222222',
    },
  },
  keyVault: { name: 'kv-aks-stage-neu', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  // The hub's Firewall Policy, shared with the other clusters (its own priority).
  firewall: {
    policyId: '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
    ruleCollectionGroupPriority: 230,
  },
  oidcIssuerUrl: 'https://northeurope.oic.prod-aks.azure.com/72f988bf-0000-4000-8000-000000000001/0a1b2c3d-0000-4000-8000-00000000e5a1/',
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  // The gateway's internal frontend and its Private Link Service (owned by the gateway's Service);
  // Front Door's private endpoint connects to it, and its NAT subnet is what the gateway pods admit.
  sharedFrontends: [
    {
      name: 'edge',
      address: '10.40.4.50',
      privateLink: {
        name: 'pls-aks-stage-neu-edge',
        resourceGroup: 'rg-aks-stage-neu-nodes',
        natSubnet: { name: 'snet-pls', cidr: '10.40.6.0/28' },
      },
    },
  ],
  // Front Door Premium, WAF at the edge, Private Link to the shared frontend's PLS; managed certificates.
  frontDoor: {
    resourceGroup: 'rg-edge-global',
    profileName: 'afd-contoso-stage',
    wafPolicyId: '/subscriptions/00000000-0000-4000-8000-00000000e5a1/resourceGroups/rg-edge-global/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafafdcontosostage',
    origin: { kind: 'shared-frontend', frontend: 'edge' },
  },
  allowedRegistries: [
    'contoso.azurecr.io',
    'ghcr.io/contoso',
    'mcr.microsoft.com',
    'docker.io/library/eclipse-mosquitto',
    'registry.k8s.io/pause', // the shared Gateway's certificate-sync pod (l7.tls.syncImage default)
  ],
};
