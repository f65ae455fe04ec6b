import {
  CDN_API_VERSION,
  FrontDoorConfig,
  FrontDoorOwnershipError,
  applyFrontDoor,
  parseFrontDoorFile,
  planFrontDoor,
  staticTokenCredential,
  toFrontDoorJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { FD_PLS, FD_PROFILE, FD_WAF, frontDoorCluster } from './support/fixtures';

const PROFILE = FD_PROFILE;
const PLS = FD_PLS;
const WAF = FD_WAF;
const fdCluster = frontDoorCluster;

const routes = [
  { app: 'orders', host: 'orders.contoso.com', path: '/orders' },
  { app: 'orders', host: 'orders.contoso.com', path: '/carts' },
  { app: 'pay', host: 'pay.contoso.com', path: '/' },
];

function committed(rs = routes) {
  return parseFrontDoorFile(toFrontDoorJson(FrontDoorConfig.build(fdCluster, rs, { id: PLS })), 'front-door.json');
}

describe('Front Door Premium through the real @azure/arm-cdn client against a local ARM endpoint', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  const options = () => ({ credential: staticTokenCredential('test-token'), endpoint, updateIntervalInMs: 10 });

  beforeAll(async () => {
    endpoint = await arm.start();
  });
  afterAll(() => arm.stop());
  beforeEach(() => {
    arm.requests.length = 0;
  });

  it('plans every resource as a create on an empty subscription, reading only', async () => {
    const plan = await planFrontDoor(committed(), options());
    expect(plan.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'create profile afd-test-weu',
      'create afdEndpoint gitops-aks-test-weu',
      'create customDomain gitops-orders-contoso-com',
      'create customDomain gitops-pay-contoso-com',
      'create originGroup gitops-orders-contoso-com',
      'create originGroup gitops-pay-contoso-com',
      'create origin gitops-origin',
      'create origin gitops-origin',
      'create route gitops-orders-contoso-com',
      'create route gitops-pay-contoso-com',
      'create securityPolicy gitops-waf',
    ]);
    expect(arm.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('PUTs exactly the committed bodies, in dependency order, each with the SDK api-version and bearer token', async () => {
    const file = committed();
    const json = JSON.parse(toFrontDoorJson(FrontDoorConfig.build(fdCluster, routes, { id: PLS })));
    const changes = await applyFrontDoor(file, options());
    expect(changes.filter((c) => c.action === 'create')).toHaveLength(11);
    const puts = arm.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.path)).toEqual(json.resources.map((r: { resourceId: string }) => r.resourceId));
    puts.forEach((p, i) => {
      expect(p.query['api-version']).toBe(CDN_API_VERSION);
      expect(p.headers.authorization).toBe('Bearer test-token');
      expect(JSON.parse(p.body)).toEqual(json.resources[i].body);
    });
    // What Azure now holds, field by field where it matters.
    expect(arm.cdn.resource(PROFILE)).toMatchObject({
      location: 'Global',
      sku: { name: 'Premium_AzureFrontDoor' },
      tags: { 'aks-gitops-cluster': 'aks-test-weu' },
    });
    expect(
      arm.cdn.resource(`${PROFILE}/originGroups/gitops-orders-contoso-com/origins/gitops-origin`)?.properties,
    ).toMatchObject({
      hostName: 'orders.contoso.com',
      originHostHeader: 'orders.contoso.com',
      httpsPort: 443,
      enforceCertificateNameCheck: true,
      sharedPrivateLinkResource: { privateLink: { id: PLS }, privateLinkLocation: 'westeurope' },
    });
    expect(
      arm.cdn.resource(`${PROFILE}/afdEndpoints/gitops-aks-test-weu/routes/gitops-orders-contoso-com`)?.properties,
    ).toMatchObject({
      forwardingProtocol: 'HttpsOnly',
      httpsRedirect: 'Enabled',
      linkToDefaultDomain: 'Disabled',
      patternsToMatch: ['/carts', '/carts/*', '/orders', '/orders/*'],
    });
    expect(arm.cdn.resource(`${PROFILE}/securityPolicies/gitops-waf`)?.properties).toMatchObject({
      parameters: {
        type: 'WebApplicationFirewall',
        wafPolicy: { id: WAF },
        associations: [
          {
            domains: [
              { id: `${PROFILE}/customDomains/gitops-orders-contoso-com` },
              { id: `${PROFILE}/customDomains/gitops-pay-contoso-com` },
            ],
            patternsToMatch: ['/*'],
          },
        ],
      },
    });
  });

  it('finds nothing to do once Azure matches the file', async () => {
    const plan = await planFrontDoor(committed(), options());
    expect(plan.filter((c) => c.action !== 'unchanged')).toEqual([]);
    await applyFrontDoor(committed(), options());
    expect(arm.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('updates a resource that drifted in Azure', async () => {
    const route = `${PROFILE}/afdEndpoints/gitops-aks-test-weu/routes/gitops-pay-contoso-com`;
    const drifted = arm.cdn.resource(route) as { properties: Record<string, unknown> };
    arm.cdn.seed(route, { properties: { ...drifted.properties, forwardingProtocol: 'MatchRequest' } });
    const changes = await applyFrontDoor(committed(), options());
    expect(changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'update route gitops-pay-contoso-com',
    ]);
    expect(arm.cdn.resource(route)?.properties).toMatchObject({ forwardingProtocol: 'HttpsOnly' });
  });

  it('prunes only its own children when a host goes away, dependents first, and leaves hand-made resources alone', async () => {
    arm.cdn.seed(`${PROFILE}/customDomains/handmade-domain`, { properties: { hostName: 'legacy.contoso.com' } });
    const changes = await applyFrontDoor(committed(routes.filter((r) => r.app !== 'pay')), options());
    expect(changes.filter((c) => c.action !== 'unchanged').map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'update securityPolicy gitops-waf',
      'delete route gitops-pay-contoso-com',
      'delete origin gitops-origin',
      'delete originGroup gitops-pay-contoso-com',
      'delete customDomain gitops-pay-contoso-com',
    ]);
    expect(arm.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `${PROFILE}/afdEndpoints/gitops-aks-test-weu/routes/gitops-pay-contoso-com`,
      `${PROFILE}/originGroups/gitops-pay-contoso-com/origins/gitops-origin`,
      `${PROFILE}/originGroups/gitops-pay-contoso-com`,
      `${PROFILE}/customDomains/gitops-pay-contoso-com`,
    ]);
    expect(arm.cdn.resource(`${PROFILE}/customDomains/handmade-domain`)).toBeDefined();
  });

  it('refuses a profile of the same name that this cluster does not own, before writing anything', async () => {
    const other = committed();
    const foreign = { ...other, cluster: 'aks-other-weu' };
    await expect(applyFrontDoor(foreign, options())).rejects.toThrow(FrontDoorOwnershipError);
    await expect(applyFrontDoor(foreign, options())).rejects.toThrow(
      'its tag aks-gitops-cluster is "aks-test-weu", not "aks-other-weu"',
    );
    expect(arm.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
