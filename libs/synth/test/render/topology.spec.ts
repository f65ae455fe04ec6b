import type { ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { loadFleet } from '@aks-gitops/cluster-model';
import { L4Service, L7Api, defineApp } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';
import { evaluate } from '@aks-gitops/policy';
import { validateObjects } from '@aks-gitops/validation';
import { synthesizeFleet } from '@aks-gitops/synth';

/**
 * Two clusters of a platform team's own, independent of the example fleet: an AGIC cluster behind
 * Front Door (App Gateway origin), and an in-cluster gateway cluster whose gateway and L4 apps share
 * one internal frontend with a Private Link Service that Front Door reaches.
 */
const SUB = '00000000-0000-4000-8000-0000000000a1';
const base = {
  region: 'westeurope',
  kubernetesVersion: '1.30',
  subscriptionId: SUB,
  networkPolicyEngine: 'cilium' as const,
  keyVault: { name: 'kv-topology', tenantId: '72f988bf-0000-4000-8000-000000000001' },
  flux: { url: 'https://github.com/contoso/aks-gitops', branch: 'main' },
  allowedRegistries: ['ghcr.io/contoso', 'registry.k8s.io/pause'],
};
const WAF = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/wafedge`;
const AGW_PLS = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/privateLinkServices/pls-agw`;

const agic: ClusterSpec = {
  ...base,
  name: 'aks-agic-afd',
  environment: 'test',
  network: {
    vnetCidr: '10.50.0.0/16',
    l7SourceCidr: '10.50.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.50.4.0/24' },
    firewallPublicIps: ['203.0.113.50'],
    plugin: 'azure-cni-overlay',
  },
  l7: {
    kind: 'agic',
    sslCertificate: 'wildcard-contoso-com',
    sslCertificateDnsNames: ['*.contoso.com'],
    usePrivateIp: true,
  },
  firewall: {
    policyId: `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub`,
    ruleCollectionGroupPriority: 500,
  },
  frontDoor: {
    resourceGroup: 'rg-edge',
    profileName: 'afd-agic',
    wafPolicyId: WAF,
    origin: { kind: 'application-gateway', privateLinkServiceId: AGW_PLS },
  },
};

const istio: ClusterSpec = {
  ...base,
  name: 'aks-istio-afd',
  environment: 'test',
  network: {
    vnetCidr: '10.60.0.0/16',
    l7SourceCidr: '10.60.5.0/24',
    firewallSubnetCidr: '10.0.1.0/26',
    internalLoadBalancerSubnet: { name: 'snet-ilb', cidr: '10.60.4.0/24' },
    firewallPublicIps: ['203.0.113.60'],
    plugin: 'azure-cni-overlay',
  },
  l7: {
    kind: 'gateway-api',
    gatewayClassName: 'istio',
    gateway: { namespace: 'gateway-system', name: 'edge', listener: 'https' },
    gatewayPodLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' },
    frontend: 'edge',
    tls: {
      certificateName: 'wildcard-contoso-com',
      dnsNames: ['*.contoso.com'],
      clientId: '11111111-1111-4111-8111-111111111111',
    },
  } as GatewayApiProvider,
  firewall: {
    policyId: `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/afwp-hub`,
    ruleCollectionGroupPriority: 510,
  },
  sharedFrontends: [
    {
      name: 'edge',
      address: '10.60.4.60',
      privateLink: {
        name: 'pls-edge',
        resourceGroup: 'rg-nodes',
        natSubnet: { name: 'snet-pls', cidr: '10.60.6.0/28' },
      },
    },
  ],
  frontendAssignments: { game: 'edge' },
  frontDoor: {
    resourceGroup: 'rg-edge',
    profileName: 'afd-istio',
    wafPolicyId: WAF,
    origin: { kind: 'shared-frontend', frontend: 'edge' },
  },
};

const apps: AppDefinition[] = [
  defineApp({
    name: 'shop',
    deploy: ({ scope }) =>
      void new L7Api(scope, 'api', {
        image: 'ghcr.io/contoso/shop:1.0.0',
        port: 8080,
        routes: [{ host: 'shop.contoso.com', paths: ['/cart', '/checkout'] }],
      }),
  }),
  defineApp({
    name: 'game',
    deploy: ({ scope }) =>
      void new L4Service(scope, 'srv', {
        image: 'ghcr.io/contoso/game:1.0.0',
        ports: [{ name: 'game', port: 7777, protocol: 'UDP' }],
        exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
        address: { offset: 31 },
        health: { readiness: { http: { path: '/ready', port: 8080 } } },
      }),
  }),
];

const out = synthesizeFleet({ clusters: loadFleet([agic, istio]), apps });
const file = (p: string): string => {
  const f = out.units.get(p.split('/').slice(0, 3).join('/'))?.get(p.split('/').slice(3).join('/'));
  if (f === undefined) throw new Error(`no ${p}`);
  return f;
};
type Resource = { kind: string; resourceId: string; body: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Front Door in front of an App Gateway private frontend (agic cluster)', () => {
  const fd = JSON.parse(file('clusters/aks-agic-afd/azure/front-door.json')) as {
    target: unknown;
    resources: Resource[];
  };
  const profile = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Cdn/profiles/afd-agic`;

  it('writes every resource as an ARM body, in apply order', () => {
    expect(fd.target).toEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg-edge',
      profileName: 'afd-agic',
      endpointName: 'gitops-aks-agic-afd',
    });
    expect(fd.resources.map((r) => `${r.kind} ${r.resourceId.slice(profile.length) || '/'}`)).toEqual([
      'profile /',
      'afdEndpoint /afdEndpoints/gitops-aks-agic-afd',
      'customDomain /customDomains/gitops-shop-contoso-com',
      'originGroup /originGroups/gitops-shop-contoso-com',
      'origin /originGroups/gitops-shop-contoso-com/origins/gitops-origin',
      'route /afdEndpoints/gitops-aks-agic-afd/routes/gitops-shop-contoso-com',
      'securityPolicy /securityPolicies/gitops-waf',
    ]);
    expect(fd.resources[0].body).toEqual({
      location: 'Global',
      tags: { 'aks-gitops-cluster': 'aks-agic-afd' },
      sku: { name: 'Premium_AzureFrontDoor' },
    });
  });

  it('the origin is the App Gateway PLS, HTTPS only, with the certificate name checked against the host', () => {
    expect(fd.resources[4].body).toEqual({
      properties: {
        hostName: 'shop.contoso.com',
        httpPort: 80,
        httpsPort: 443,
        originHostHeader: 'shop.contoso.com',
        priority: 1,
        weight: 1000,
        enabledState: 'Enabled',
        enforceCertificateNameCheck: true,
        sharedPrivateLinkResource: {
          privateLink: { id: AGW_PLS },
          privateLinkLocation: 'westeurope',
          requestMessage: 'aks-gitops: Front Door afd-agic for cluster aks-agic-afd',
        },
      },
    });
    expect(fd.resources[5].body.properties).toEqual({
      customDomains: [{ id: `${profile}/customDomains/gitops-shop-contoso-com` }],
      originGroup: { id: `${profile}/originGroups/gitops-shop-contoso-com` },
      supportedProtocols: ['Http', 'Https'],
      patternsToMatch: ['/cart', '/cart/*', '/checkout', '/checkout/*'],
      forwardingProtocol: 'HttpsOnly',
      linkToDefaultDomain: 'Disabled',
      httpsRedirect: 'Enabled',
      enabledState: 'Enabled',
    });
    expect(fd.resources[2].body.properties).toEqual({
      hostName: 'shop.contoso.com',
      tlsSettings: { certificateType: 'ManagedCertificate', minimumTlsVersion: 'TLS12' },
    });
    expect(fd.resources[6].body.properties.parameters).toEqual({
      type: 'WebApplicationFirewall',
      wafPolicy: { id: WAF },
      associations: [
        { domains: [{ id: `${profile}/customDomains/gitops-shop-contoso-com` }], patternsToMatch: ['/*'] },
      ],
    });
  });

  it('the decision page names every hop and filter of the HTTP path, and why the UDP port cannot share it', () => {
    const page = file('clusters/aks-agic-afd/azure/topology.md');
    expect(page).toContain(
      "| Internet, HTTPS shop.contoso.com /cart, /checkout | Azure Front Door Premium `afd-agic` (TLS, then HTTPS to the origin with certificate name check) → Private Link Service `pls-agw` of the App Gateway's private frontend → Application Gateway WAF_v2 (AGIC, private frontend) | Front Door WAF policy `wafedge`; no App Gateway WAF policy named (the gateway default applies); NetworkPolicy: from 10.50.5.0/24 (App Gateway subnet) on TCP 8080 | shop/shop pods, TCP 8080 (http) |",
    );
    expect(page).toContain(
      '| Internet, UDP from * | Azure Firewall 203.0.113.50:7777 (DNAT) → internal load balancer 10.50.4.31:7777/UDP | firewall DNAT rule `game-game-game-udp` in group `aks-gitops-aks-agic-afd-dnat`; NSG (loadBalancerSourceRanges): 10.0.1.0/26; NetworkPolicy: from 10.0.1.0/26 on UDP 7777 | game/game pods, UDP 7777 |',
    );
    expect(page).toContain('**No.** This cluster has HTTP APIs (shop.contoso.com) and L4 ports (game/game 7777/UDP).');
    expect(page).toContain(
      '- UDP (game/game 7777/UDP): no L7 gateway and not Front Door; only Azure Firewall DNAT and an internal load balancer carry it.',
    );
    expect(page).toContain(
      '- Front Door Premium puts the WAF at the edge and reaches the cluster only through Private Link; it is an HTTP(S) service, so it cannot carry the L4 ports either.',
    );
  });

  it('Ingresses use the private frontend', () => {
    expect(file('clusters/aks-agic-afd/shop/manifests.yaml')).toContain(
      'appgw.ingress.kubernetes.io/use-private-ip: "true"',
    );
  });
});

describe('Front Door to an in-cluster gateway through a shared frontend and its Private Link Service', () => {
  const fd = JSON.parse(file('clusters/aks-istio-afd/azure/front-door.json')) as { resources: Resource[] };

  it('the origin is the PLS cloud-provider-azure creates for the shared frontend', () => {
    const origin = fd.resources.find((r) => r.kind === 'origin');
    expect(origin?.body.properties.sharedPrivateLinkResource.privateLink.id).toBe(
      `/subscriptions/${SUB}/resourceGroups/rg-nodes/providers/Microsoft.Network/privateLinkServices/pls-edge`,
    );
  });

  it('the gateway pods admit the PLS NAT subnet; the game on the same frontend admits the firewall and the PLS NAT subnet', () => {
    const platform = file('clusters/aks-istio-afd/platform/manifests.yaml');
    expect(platform).toContain('service.beta.kubernetes.io/azure-pls-name: pls-edge');
    expect(platform).toMatch(
      /# NetworkPolicy gateway-system\/edge\n[\s\S]*?ingress:\n {4}- from:\n {8}- ipBlock:\n {12}cidr: 10\.60\.5\.0\/24\n {8}- ipBlock:\n {12}cidr: 10\.60\.6\.0\/28\n/,
    );
    const game = file('clusters/aks-istio-afd/game/manifests.yaml');
    expect(game).toContain('service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.60.4.60');
    expect(game).not.toContain('azure-pls-');
  });

  it('the decision page shows the shared frontend with both members, the PLS path and the one-PLS-per-frontend consequence', () => {
    const page = file('clusters/aks-istio-afd/azure/topology.md');
    expect(page).toContain(
      '- shared frontend `edge` 10.60.4.60, Private Link Service `pls-edge` owned by the in-cluster gateway: 443/TCP platform/edge, 7777/UDP game/game',
    );
    expect(page).toContain(
      '| private endpoints in other networks, UDP | Private Link Service `pls-edge` (source NAT into 10.60.6.0/28) → internal load balancer 10.60.4.60:7777/UDP (shared frontend `edge`) | PLS visibility and approval; NetworkPolicy: from 10.60.6.0/28 on UDP 7777 | game/game pods, UDP 7777 |',
    );
    expect(page).toContain(
      '→ internal load balancer 10.60.4.60:443 (shared frontend `edge`) → in-cluster gateway gateway-system/edge (istio, TLS terminated there)',
    );
    expect(page).toContain(
      'a private endpoint to it reaches every port on that frontend: shared frontend `edge` (PLS `pls-edge`)',
    );
  });

  it('without a listener on 443 of the origin frontend, synth fails naming the field', () => {
    const noGateway: ClusterSpec = {
      ...istio,
      l7: { ...(istio.l7 as GatewayApiProvider), frontend: undefined },
      sharedFrontends: [
        {
          name: 'edge',
          address: '10.60.4.60',
          privateLink: { name: 'pls-edge', resourceGroup: 'rg-nodes', owner: 'game' },
        },
      ],
    };
    expect(() => synthesizeFleet({ clusters: loadFleet([noGateway]), apps })).toThrow(
      'cluster aks-istio-afd, field frontDoor.origin.frontend: nothing listens on 443/TCP of shared frontend "edge" (10.60.4.60)',
    );
  });
});

describe('the generated objects of both clusters', () => {
  it('validate against the upstream schemas (Gateway spec.infrastructure included) and pass the policy gate', () => {
    expect(validateObjects(out.documents.map((d) => d.object))).toEqual([]);
    const report = evaluate({
      documents: out.documents,
      clusters: out.fleet.map((c) => ({ name: c.name, environment: c.environment })),
      existingPaths: new Set(out.units.keys()),
    });
    expect(report.findings.filter((f) => f.severity === 'error' && !f.waived)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('the claims cache and the topology', () => {
  it('an app replayed from its claims (synth --app of another app) gives the same Azure files and baseline as declaring it', () => {
    const game = out.claims.get('game');
    if (!game) throw new Error('no claims of game');
    const partial = synthesizeFleet({
      clusters: loadFleet([agic, istio]),
      apps: apps.filter((a) => a.name !== 'game'),
      replayed: new Map([['game', game]]),
      onlyApps: ['shop'],
    });
    for (const c of ['aks-agic-afd', 'aks-istio-afd']) {
      for (const folder of ['azure', 'platform']) {
        expect(partial.units.get(`clusters/${c}/${folder}`)).toEqual(out.units.get(`clusters/${c}/${folder}`));
      }
    }
  });
});

describe('cluster spec checks of the topology options', () => {
  it.each([
    [
      {
        ...agic,
        frontDoor: {
          ...(agic.frontDoor as NonNullable<ClusterSpec['frontDoor']>),
          wafPolicyId: '/subscriptions/x/ApplicationGatewayWebApplicationFirewallPolicies/w',
        },
      },
      'frontDoor.wafPolicyId',
      'is not a Front Door WAF policy resource ID',
    ],
    [
      { ...agic, l7: { kind: 'agic' as const, sslCertificate: 'c', sslCertificateDnsNames: ['*.contoso.com'] } },
      'l7.usePrivateIp',
      'is not true, but Front Door reaches the App Gateway through the Private Link of its private frontend',
    ],
    [
      { ...istio, sharedFrontends: [{ name: 'edge', address: '10.60.5.9' }] },
      'sharedFrontends[0].address',
      '10.60.5.9 is outside the ILB subnet 10.60.4.0/24',
    ],
    [
      { ...istio, frontendAssignments: { game: 'nope' } },
      'frontendAssignments["game"]',
      'names "nope", which is not a shared frontend of this cluster',
    ],
    [
      { ...istio, sharedFrontends: [{ name: 'edge', address: '10.60.4.60' }] },
      'frontDoor.origin.frontend',
      '"edge" has no privateLink',
    ],
  ])('%#: a bad spec names its field and problem', (spec, field, problem) => {
    let message = '';
    try {
      loadFleet([spec as ClusterSpec]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`field ${field}: `);
    expect(message).toContain(problem);
  });

  it('a wildcard host on a Front Door cluster fails naming the app and its route field', () => {
    const wild = defineApp({
      name: 'wild',
      deploy: ({ scope }) =>
        void new L7Api(scope, 'api', {
          image: 'ghcr.io/contoso/wild:1.0.0',
          port: 8080,
          routes: [{ host: '*.contoso.com' }],
        }),
    });
    expect(() => synthesizeFleet({ clusters: loadFleet([agic]), apps: [wild] })).toThrow(
      'cluster aks-agic-afd, app wild, field L7Api(wild).routes[0].paths[0]: wildcard host *.contoso.com cannot be a Front Door custom domain here',
    );
  });

  it('the App Gateway can also be named by its resource ID and frontend IP configuration (the group ID)', () => {
    const byGateway: ClusterSpec = {
      ...agic,
      frontDoor: {
        ...(agic.frontDoor as NonNullable<ClusterSpec['frontDoor']>),
        origin: {
          kind: 'application-gateway',
          applicationGatewayId: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/applicationGateways/agw-edge`,
          frontendIpConfiguration: 'appGwPrivateFrontendIp',
        },
      },
    };
    const fd = JSON.parse(
      synthesizeFleet({ clusters: loadFleet([byGateway]), apps })
        .units.get('clusters/aks-agic-afd/azure')
        ?.get('front-door.json') as string,
    ) as { resources: Resource[] };
    expect(fd.resources.find((r) => r.kind === 'origin')?.body.properties.sharedPrivateLinkResource).toEqual({
      privateLink: {
        id: `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/applicationGateways/agw-edge`,
      },
      groupId: 'appGwPrivateFrontendIp',
      privateLinkLocation: 'westeurope',
      requestMessage: 'aks-gitops: Front Door afd-agic for cluster aks-agic-afd',
    });
    const both = {
      ...byGateway,
      frontDoor: {
        ...(byGateway.frontDoor as NonNullable<ClusterSpec['frontDoor']>),
        origin: { ...(byGateway.frontDoor?.origin as object), privateLinkServiceId: AGW_PLS },
      },
    } as ClusterSpec;
    expect(() => loadFleet([both])).toThrow(
      'field frontDoor.origin: names neither or both of privateLinkServiceId and applicationGatewayId',
    );
  });

  it('two clusters cannot share one Front Door profile', () => {
    expect(() =>
      loadFleet([
        agic,
        {
          ...istio,
          frontDoor: { ...(istio.frontDoor as NonNullable<ClusterSpec['frontDoor']>), profileName: 'afd-agic' },
        },
      ]),
    ).toThrow('profile rg-edge/afd-agic is already the Front Door of cluster aks-agic-afd');
  });
});
