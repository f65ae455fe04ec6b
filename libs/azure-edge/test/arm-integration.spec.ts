import { RestError, createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import {
  ARM_API_VERSION,
  FirewallDnatRules,
  applyFirewallDnat,
  diffFirewallDnat,
  isEmptyDiff,
  readFirewallDnat,
  staticTokenCredential,
  toArmJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { GROUP_PATH, cluster, sampleEndpoints } from './support/fixtures';

/**
 * The real @azure/arm-network client, unmocked, talking HTTP to an ARM stand-in on 127.0.0.1.
 * Nothing between our code and the socket is faked: serialization, the bearer-token policy, the
 * long-running-operation poller and deserialization are the SDK's own.
 */
describe('applyFirewallDnat against a local ARM endpoint', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  const dnat = FirewallDnatRules.build(cluster, sampleEndpoints());
  const options = () => ({ credential: staticTokenCredential('test-token'), endpoint, updateIntervalInMs: 10 });

  beforeAll(async () => {
    endpoint = await arm.start();
  });
  afterAll(() => arm.stop());
  beforeEach(() => {
    arm.requests.length = 0;
    arm.inProgressPolls = 1;
  });

  it('reads a group that does not exist yet as undefined (HTTP 404)', async () => {
    await expect(readFirewallDnat(dnat.target, options())).resolves.toBeUndefined();
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${GROUP_PATH}`]);
    expect(arm.requests[0].query).toEqual({ 'api-version': '2025-05-01' });
  });

  it('PUTs exactly the committed body to the resource path, then follows Azure-AsyncOperation to Succeeded', async () => {
    const result = await applyFirewallDnat(dnat.group, dnat.target, options());

    const [put, ...rest] = arm.requests;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(
      '/subscriptions/00000000-0000-4000-8000-00000000e001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu/ruleCollectionGroups/aks-gitops-aks-test-weu-dnat',
    );
    expect(put.query).toEqual({ 'api-version': ARM_API_VERSION });
    expect(put.headers.authorization).toBe('Bearer test-token');
    expect(put.headers['content-type']).toBe('application/json');

    // The committed file's body is what the SDK sends: same content and the same key order.
    const committed = JSON.parse(toArmJson(dnat));
    expect(JSON.parse(put.body)).toEqual(committed.body);
    expect(put.body).toBe(JSON.stringify(committed.body));
    expect(committed.resourceId).toBe(put.path);
    expect(committed.apiVersion).toBe(put.query['api-version']);

    // One InProgress poll, one Succeeded poll, then the final GET of the resource.
    const operation = /^\/subscriptions\/00000000-0000-4000-8000-00000000e001\/providers\/Microsoft\.Network\/locations\/westeurope\/operations\/[0-9a-f-]{36}$/;
    expect(rest.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(rest[0].path).toMatch(operation);
    expect(rest[1].path).toBe(rest[0].path);
    expect(rest[2].path).toBe(GROUP_PATH);
    for (const r of rest) expect(r.headers.authorization).toBe('Bearer test-token');

    expect(result.provisioningState).toBe('Succeeded');
    expect(result.name).toBe('aks-gitops-aks-test-weu-dnat');
    expect(result.priority).toBe(220);
    // The SDK deserializes the polymorphic collections and rules into the typed models again.
    expect(isEmptyDiff(diffFirewallDnat(dnat.group, result))).toBe(true);
  });

  it('waits through several InProgress polls', async () => {
    arm.inProgressPolls = 3;
    const result = await applyFirewallDnat(dnat.group, dnat.target, options());
    expect(result.provisioningState).toBe('Succeeded');
    expect(arm.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'GET', 'GET', 'GET', 'GET']);
  });

  it('reads the applied group back as typed models', async () => {
    const actual = await readFirewallDnat(dnat.target, options());
    expect(actual?.ruleCollections?.[0]).toMatchObject({ ruleCollectionType: 'FirewallPolicyNatRuleCollection', name: 'l4-dnat', priority: 1000, action: { type: 'DNAT' } });
    expect(actual && isEmptyDiff(diffFirewallDnat(dnat.group, actual))).toBe(true);
  });

  it('surfaces an ARM refusal as the SDK RestError', async () => {
    arm.nextPutError = { status: 400, code: 'FirewallPolicyRuleCollectionGroupInvalid', message: 'rejected by the test' };
    const error = await applyFirewallDnat(dnat.group, dnat.target, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBe(400);
    expect((error as RestError).code).toBe('FirewallPolicyRuleCollectionGroupInvalid');
  });

  it('refuses a group whose name differs from the target', async () => {
    await expect(applyFirewallDnat({ ...dnat.group, name: 'other' }, dnat.target, options())).rejects.toThrow('is named "other" but the target is "aks-gitops-aks-test-weu-dnat"');
    expect(arm.requests).toEqual([]);
  });
});

describe('ARM endpoint handling', () => {
  const dnat = FirewallDnatRules.build(cluster, sampleEndpoints());

  it('refuses plain http to anything but loopback, before any request', async () => {
    await expect(
      applyFirewallDnat(dnat.group, dnat.target, { credential: staticTokenCredential('t'), endpoint: 'http://arm.example.com' }),
    ).rejects.toThrow('refusing ARM endpoint http://arm.example.com');
  });

  it('sends to a custom https endpoint through a caller-supplied HttpClient', async () => {
    const seen: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      async sendRequest(request) {
        seen.push(request);
        const body = JSON.stringify({ name: dnat.target.name, properties: { priority: 220, provisioningState: 'Succeeded', ruleCollections: [] } });
        return { request, status: 200, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: body };
      },
    };
    const result = await applyFirewallDnat(dnat.group, dnat.target, { credential: staticTokenCredential('t'), endpoint: 'https://management.example.test/', httpClient });
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].url).toBe(`https://management.example.test${GROUP_PATH}?api-version=2025-05-01`);
    expect(seen[0].headers.get('authorization')).toBe('Bearer t');
    expect(result.provisioningState).toBe('Succeeded');
  });
});
