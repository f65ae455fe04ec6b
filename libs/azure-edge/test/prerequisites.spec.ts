import {
  type PrerequisiteInputs,
  buildPrerequisites,
  prerequisitesJson,
  prerequisitesMarkdown,
} from '@aks-gitops/azure-edge';
import { cluster, endpoint } from './support/fixtures';

const inputs = (): PrerequisiteInputs => ({
  routes: [
    { app: 'orders', host: 'orders.contoso.com' },
    {
      app: 'billing',
      host: 'billing.contoso.com',
      wafPolicyId:
        '/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-billing',
    },
  ],
  identities: [
    {
      app: 'orders',
      namespace: 'orders',
      serviceAccount: 'orders',
      clientId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      keyVaultSecrets: false,
    },
  ],
  privateLinks: [{ app: 'telemetry', workload: 'ingest', ip: '10.30.4.20' }],
  firewallEndpoints: [endpoint()],
});

describe('buildPrerequisites', () => {
  it('disables Private Link Service network policies on the subnet that hosts a PLS NAT IP, naming the apps', () => {
    const p = buildPrerequisites(cluster, inputs());
    const ilb = p.subnets.find((s) => s.role === 'internal load balancer subnet');
    expect(ilb).toMatchObject({
      name: 'snet-ilb',
      cidr: '10.30.4.0/24',
      privateLinkServiceNetworkPolicies: 'Disabled',
    });
    expect(ilb?.requirements).toContain(
      'also the Private Link Service NAT subnet (azure-pls-ip-configuration-subnet) of telemetry: privateLinkServiceNetworkPolicies Disabled',
    );
    const none = buildPrerequisites(cluster, { ...inputs(), privateLinks: [] });
    expect(
      none.subnets.find((s) => s.role === 'internal load balancer subnet')?.privateLinkServiceNetworkPolicies,
    ).toBeUndefined();
  });

  it("adds a shared frontend's own PLS NAT subnet (PLS network policies disabled) and the Front Door WAF policy with every host", () => {
    const WAF =
      '/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/rg-edge/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafafd';
    const p = buildPrerequisites(
      {
        ...cluster,
        sharedFrontends: [
          {
            name: 'shared-l4',
            address: '10.30.4.40',
            privateLink: {
              name: 'pls-shared',
              resourceGroup: 'rg-nodes',
              natSubnet: { name: 'snet-pls', cidr: '10.30.6.0/28' },
            },
          },
        ],
        frontendAssignments: { telemetry: 'shared-l4' },
        frontDoor: {
          resourceGroup: 'rg-edge',
          profileName: 'afd-test',
          wafPolicyId: WAF,
          origin: { kind: 'shared-frontend', frontend: 'shared-l4' },
        },
      },
      inputs(),
    );
    expect(p.subnets.find((s) => s.name === 'snet-pls')).toMatchObject({
      role: 'Private Link Service NAT subnet of shared frontend shared-l4',
      cidr: '10.30.6.0/28',
      privateLinkServiceNetworkPolicies: 'Disabled',
      usedBy: ['telemetry'],
    });
    expect(p.wafPolicies.find((w) => w.id === WAF)).toEqual({
      id: WAF,
      hosts: ['billing.contoso.com', 'orders.contoso.com'],
      attachedBy:
        'Front Door security policy gitops-waf of profile rg-edge/afd-test (written by npm run edge -- apply)',
      source: 'AFD-E2E, CDN-SDK',
    });
    expect(
      buildPrerequisites(cluster, inputs()).subnets.some((s) => s.role.startsWith('Private Link Service NAT subnet')),
    ).toBe(false);
  });

  it('says what the IaC team fills in when the cluster spec has no OIDC issuer URL', () => {
    const p = buildPrerequisites({ ...cluster, oidcIssuerUrl: undefined }, inputs());
    expect(p.federatedCredentials[0].issuer).toBeUndefined();
    expect(p.federatedCredentials[0].fillIn).toBe(
      "issuer: the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl); set oidcIssuerUrl in the cluster spec to have it written here",
    );
    expect(prerequisitesMarkdown(p)).toContain(
      '| 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b | (fill in) | `system:serviceaccount:orders:orders` |',
    );
  });

  it('lists each WAF policy with the hosts behind it, and only identities that read Key Vault get a Key Vault role', () => {
    const p = buildPrerequisites(cluster, inputs());
    expect(p.wafPolicies).toEqual([
      expect.objectContaining({
        hosts: ['billing.contoso.com'],
        attachedBy: 'Ingress annotation appgw.ingress.kubernetes.io/waf-policy-for-path',
      }),
    ]);
    expect(p.roleAssignments.some((r) => r.principal.includes('app orders'))).toBe(false);
  });

  it('lists the DNAT rules on each firewall public IP', () => {
    const p = buildPrerequisites(cluster, inputs());
    expect(p.firewall.publicIps).toEqual([
      { address: '203.0.113.30', rules: ['orders-pg-postgres-tcp (TCP 5432 -> 10.30.4.10:5432)'], source: 'FW-LB' },
      { address: '203.0.113.31', rules: [], source: 'FW-LB' },
    ]);
  });

  it('gives the same bytes whatever order the apps are declared in', () => {
    const a = inputs();
    const b: PrerequisiteInputs = { ...a, routes: [...a.routes].reverse(), identities: [...a.identities].reverse() };
    expect(prerequisitesJson(buildPrerequisites(cluster, b))).toBe(prerequisitesJson(buildPrerequisites(cluster, a)));
    expect(prerequisitesMarkdown(buildPrerequisites(cluster, b))).toBe(
      prerequisitesMarkdown(buildPrerequisites(cluster, a)),
    );
  });
});
