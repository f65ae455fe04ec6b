import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { type PrerequisiteInputs, buildPrerequisites, prerequisitesMarkdown } from '@aks-gitops/azure-edge';
import { cluster } from './support/fixtures';

const SUB = '00000000-0000-4000-8000-00000000e001';
const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-agc`;
const AGC_ID = `/subscriptions/${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc-test`;

const gatewayApi = (agc: GatewayApiProvider['agc']): ClusterSpec => ({
  ...cluster,
  l7: {
    kind: 'gateway-api',
    gatewayClassName: 'azure-alb-external',
    gateway: { namespace: 'edge-gateway', name: 'shared-gateway', listener: 'https' },
    agc,
    tls: {
      certificateName: 'wildcard-test-contoso-com',
      dnsNames: ['*.test.contoso.com', 'contoso.com'],
      clientId: '11111111-1111-4111-8111-111111111111',
    },
  },
});

const inputs = (routes: PrerequisiteInputs['routes']): PrerequisiteInputs => ({
  routes,
  identities: [],
  privateLinks: [],
  firewallEndpoints: [],
});

const shopRoutes: PrerequisiteInputs['routes'] = [
  { app: 'orders', host: 'orders.test.contoso.com' },
  {
    app: 'shop',
    host: 'shop.fabrikam.com',
    certificate: { name: 'shop-fabrikam-com', dnsNames: ['shop.fabrikam.com'] },
  },
];

describe('prerequisites read the certificate DNS names from the cluster spec and the APIs', () => {
  it("gateway-api: the listener certificate lists l7.tls.dnsNames and must cover every host without its own certificate; an API's certificate gets its own row", () => {
    const p = buildPrerequisites(
      gatewayApi({ deployment: 'managed', namespace: 'alb', name: 'alb-test', associationSubnetId: SUBNET_ID }),
      inputs(shopRoutes),
    );
    expect(p.certificates).toEqual([
      expect.objectContaining({
        name: 'wildcard-test-contoso-com',
        dnsNames: ['*.test.contoso.com', 'contoso.com'],
        mustCover: ['orders.test.contoso.com'],
      }),
      expect.objectContaining({
        name: 'shop-fabrikam-com',
        dnsNames: ['shop.fabrikam.com'],
        mustCover: ['shop.fabrikam.com'],
        readBy: 'identity 11111111-1111-4111-8111-111111111111',
      }),
    ]);
    expect(prerequisitesMarkdown(p)).toContain('| orders.test.contoso.com | *.test.contoso.com, contoso.com |');
  });

  it('agic: the listener certificate lists l7.sslCertificateDnsNames', () => {
    const p = buildPrerequisites(cluster, inputs([{ app: 'orders', host: 'orders.contoso.com' }]));
    expect(p.certificates[0]).toMatchObject({
      name: 'wildcard-contoso-com',
      dnsNames: ['*.contoso.com'],
      mustCover: ['orders.contoso.com'],
    });
  });
});

describe('prerequisites read l7.agc (managed or bring-your-own)', () => {
  it('managed: the association subnet row carries its resource ID, which is also the scope of the ALB Controller join role', () => {
    const p = buildPrerequisites(
      gatewayApi({ deployment: 'managed', namespace: 'alb', name: 'alb-test', associationSubnetId: SUBNET_ID }),
      inputs(shopRoutes),
    );
    const subnet = p.subnets.find((s) => s.role === 'Application Gateway for Containers association subnet');
    expect(subnet?.id).toBe(SUBNET_ID);
    expect(subnet?.requirements).toContain(
      'managed: the ALB Controller creates Application Gateway for Containers and its association from ApplicationLoadBalancer alb/alb-test',
    );
    expect(p.roleAssignments).toContainEqual(
      expect.objectContaining({
        principal: 'the ALB Controller identity',
        role: 'Network Contributor',
        scope: SUBNET_ID,
        fillIn: 'principal: the ALB Controller identity',
      }),
    );
    expect(p.roleAssignments).toContainEqual(
      expect.objectContaining({
        role: 'AppGw for Containers Configuration Manager',
        scope: "the cluster's node resource group",
      }),
    );
  });

  it('bring-your-own: the IaC team creates AGC, its frontend and association; the configuration role is on the AGC resource group; DNS names the frontend', () => {
    const p = buildPrerequisites(
      gatewayApi({ deployment: 'bring-your-own', resourceId: AGC_ID, frontendName: 'fe-test' }),
      inputs(shopRoutes),
    );
    const subnet = p.subnets.find((s) => s.role === 'Application Gateway for Containers association subnet');
    expect(subnet?.id).toBeUndefined();
    expect(subnet?.requirements).toContain(
      `bring-your-own: the IaC team creates Application Gateway for Containers ${AGC_ID}, its frontend fe-test and its association with this subnet`,
    );
    expect(p.roleAssignments).toContainEqual(
      expect.objectContaining({
        role: 'AppGw for Containers Configuration Manager',
        scope: `resource group /subscriptions/${SUB}/resourceGroups/rg-agc`,
        source: 'AGC-BYO',
      }),
    );
    expect(p.dnsRecords[0]).toMatchObject({
      host: 'orders.test.contoso.com',
      zone: 'public',
      type: 'CNAME',
      fillIn: `target: the FQDN of frontend fe-test of Application Gateway for Containers ${AGC_ID} (az network alb frontend show --query fqdn)`,
    });
  });
});

describe('prerequisites with Front Door', () => {
  const withFrontDoor: ClusterSpec = {
    ...cluster,
    l7: { ...(cluster.l7 as Extract<ClusterSpec['l7'], { kind: 'agic' }>), usePrivateIp: true },
    frontDoor: {
      resourceGroup: 'rg-edge',
      profileName: 'afd-test',
      wafPolicyId: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafafd`,
      certificateSecretId: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.KeyVault/vaults/kv-edge/secrets/wildcard-contoso-com`,
      origin: {
        kind: 'application-gateway',
        privateLinkServiceId: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/privateLinkServices/pls-agw`,
      },
    },
  };

  it("points the public name at Front Door's endpoint (CNAME, with the _dnsauth TXT record) and the origin's name at the private frontend, never the public name at the Application Gateway", () => {
    const p = buildPrerequisites(withFrontDoor, inputs([{ app: 'orders', host: 'orders.contoso.com' }]));
    expect(p.dnsRecords).toEqual([
      {
        host: 'orders.contoso.com',
        zone: 'public',
        type: 'CNAME',
        apps: ['orders'],
        fillIn:
          'target: the host name of Front Door endpoint gitops-aks-test-weu (az afd endpoint show -g rg-edge --profile-name afd-test --endpoint-name gitops-aks-test-weu --query hostName), not the Application Gateway',
        source: 'AFD-DOMAIN',
      },
      {
        host: '_dnsauth.orders.contoso.com',
        zone: 'public',
        type: 'TXT',
        apps: ['orders'],
        fillIn:
          'target: the validation token of custom domain gitops-orders-contoso-com (az afd custom-domain show -g rg-edge --profile-name afd-test --custom-domain-name gitops-orders-contoso-com --query validationProperties.validationToken)',
        source: 'AFD-DOMAIN',
      },
      {
        host: 'orders.contoso.com',
        zone: 'private',
        type: 'A',
        apps: ['orders'],
        fillIn: "target: the Application Gateway's private frontend IP",
        source: 'AGIC-ANN',
      },
    ]);
    expect(
      p.dnsRecords
        .filter((d) => d.zone === 'public')
        .some((d) => d.fillIn?.startsWith('target: the Application Gateway')),
    ).toBe(false);
  });

  it("lists Front Door's Key Vault certificate with every host it must cover", () => {
    const p = buildPrerequisites(withFrontDoor, inputs([{ app: 'orders', host: 'orders.contoso.com' }]));
    expect(p.certificates).toContainEqual(
      expect.objectContaining({ keyVault: 'kv-edge', name: 'wildcard-contoso-com', mustCover: ['orders.contoso.com'] }),
    );
  });
});

describe('prerequisites of the AGC backend CA (l7.backendCa)', () => {
  it('lists the CA certificate, a federated credential per https API ServiceAccount and a Certificate User role scoped to that certificate', () => {
    const CA_READER = '22222222-2222-4222-8222-222222222222';
    const base = gatewayApi({
      deployment: 'managed',
      namespace: 'alb',
      name: 'alb-test',
      associationSubnetId: SUBNET_ID,
    });
    const spec: ClusterSpec = {
      ...base,
      l7: {
        ...(base.l7 as GatewayApiProvider),
        backendCa: { certificateName: 'contoso-internal-root', clientId: CA_READER },
      },
    };
    const p = buildPrerequisites(spec, {
      ...inputs([{ app: 'pay', host: 'pay.test.contoso.com' }]),
      identities: [
        { app: 'pay', namespace: 'pay', serviceAccount: 'pay', clientId: CA_READER, keyVaultSecrets: false },
      ],
    });
    expect(p.certificates).toContainEqual(
      expect.objectContaining({
        keyVault: 'kv-aks-test-weu',
        name: 'contoso-internal-root',
        readBy: `identity ${CA_READER}`,
      }),
    );
    expect(p.federatedCredentials).toContainEqual(
      expect.objectContaining({
        clientId: CA_READER,
        subject: 'system:serviceaccount:pay:pay',
        for: 'backend CA sync of app pay',
      }),
    );
    expect(p.roleAssignments).toContainEqual(
      expect.objectContaining({
        principal: `identity ${CA_READER} (backend CA sync)`,
        role: 'Key Vault Certificate User',
        scope:
          'certificate contoso-internal-root in Key Vault kv-aks-test-weu (tenant 72f988bf-0000-4000-8000-000000000001)',
      }),
    );
  });
});
