import { RestError, createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import {
  ARM_API_VERSION,
  AcceptedButUnconfirmedError,
  FirewallDnatRules,
  applyFirewallDnat,
  deleteRuleCollectionGroup,
  diffFirewallDnat,
  dnatRuleRows,
  isEmptyDiff,
  listRuleCollectionGroups,
  readFirewallDnat,
  staticTokenCredential,
  toArmJson,
} from '@aks-gitops/azure-edge';
import { ArmEmulator } from './support/arm-emulator';
import { GROUP_PATH, OTHER_POLICY_ID, POLICY_ID, cluster, sampleEndpoints } from './support/fixtures';

/**
 * The real @azure/arm-network client, unmocked, talking HTTP to an ARM stand-in on 127.0.0.1.
 * Nothing between our code and the socket is faked: serialization, the bearer-token policy, the
 * long-running-operation poller and deserialization are the SDK's own.
 */
describe('applyFirewallDnat against a local ARM endpoint', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  const dnat = FirewallDnatRules.build(cluster, sampleEndpoints());
  const waits: number[] = [];
  const options = () => ({
    credential: staticTokenCredential('test-token'),
    endpoint,
    updateIntervalInMs: 10,
    retry: { sleep: async (ms: number) => void waits.push(ms) },
  });

  beforeAll(async () => {
    endpoint = await arm.start();
  });
  afterAll(() => arm.stop());
  beforeEach(() => {
    arm.reset();
    waits.length = 0;
  });

  it('reads a group that does not exist yet as undefined (HTTP 404)', async () => {
    await expect(readFirewallDnat(dnat.target, options())).resolves.toBeUndefined();
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${GROUP_PATH}`]);
    expect(arm.requests[0].query).toEqual({ 'api-version': '2025-05-01' });
  });

  it("talks to the Firewall Policy's subscription (the hub's), not the cluster's", async () => {
    await readFirewallDnat(dnat.target, options());
    expect(arm.requests[0].path.startsWith('/subscriptions/00000000-0000-4000-8000-0000000ab001/')).toBe(true);
    expect(cluster.subscriptionId).not.toBe('00000000-0000-4000-8000-0000000ab001');
  });

  it('creates with If-None-Match: *, PUTting exactly the committed body, then follows Azure-AsyncOperation to Succeeded', async () => {
    const result = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifNoneMatch: '*' });

    const [put, ...rest] = arm.requests;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(GROUP_PATH);
    expect(put.query).toEqual({ 'api-version': ARM_API_VERSION });
    expect(put.headers.authorization).toBe('Bearer test-token');
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.headers['if-none-match']).toBe('*');
    expect(put.headers['if-match']).toBeUndefined();

    // The committed file's body is what the SDK sends: same content and the same key order.
    const committed = JSON.parse(toArmJson(dnat));
    expect(JSON.parse(put.body)).toEqual(committed.body);
    expect(put.body).toBe(JSON.stringify(committed.body));
    expect(committed.resourceId).toBe(put.path);
    expect(committed.apiVersion).toBe(put.query['api-version']);

    // One InProgress poll, one Succeeded poll, then the final GET of the resource; none conditional.
    const operation =
      /^\/subscriptions\/00000000-0000-4000-8000-0000000ab001\/providers\/Microsoft\.Network\/locations\/westeurope\/operations\/[0-9a-f-]{36}$/;
    expect(rest.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(rest[0].path).toMatch(operation);
    expect(rest[1].path).toBe(rest[0].path);
    expect(rest[2].path).toBe(GROUP_PATH);
    for (const r of rest) {
      expect(r.headers.authorization).toBe('Bearer test-token');
      expect(r.headers['if-match']).toBeUndefined();
      expect(r.headers['if-none-match']).toBeUndefined();
    }

    expect(result.provisioningState).toBe('Succeeded');
    expect(result.name).toBe('aks-gitops-aks-test-weu-dnat');
    expect(result.priority).toBe(220);
    expect(result.etag).toBe(arm.group(GROUP_PATH)?.etag);
    // The SDK deserializes the polymorphic collections and rules into the typed models again.
    expect(isEmptyDiff(diffFirewallDnat(dnat.group, result))).toBe(true);
  });

  it('waits through several InProgress polls', async () => {
    arm.inProgressPolls = 3;
    const result = await applyFirewallDnat(dnat.group, dnat.target, options());
    expect(result.provisioningState).toBe('Succeeded');
    expect(arm.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'GET', 'GET', 'GET', 'GET']);
  });

  it('reads the group back as typed models, with its etag', async () => {
    const etag = arm.seed(GROUP_PATH, JSON.parse(toArmJson(dnat)).body);
    const actual = await readFirewallDnat(dnat.target, options());
    expect(actual?.etag).toBe(etag);
    expect(actual?.ruleCollections?.[0]).toMatchObject({
      ruleCollectionType: 'FirewallPolicyNatRuleCollection',
      name: 'l4-dnat',
      priority: 1000,
      action: { type: 'DNAT' },
    });
    expect(actual && isEmptyDiff(diffFirewallDnat(dnat.group, actual))).toBe(true);
  });

  it('updates with If-Match on the etag read; ARM answers 200 and a new etag', async () => {
    const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
    const result = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifMatch: etag });
    expect(arm.requests[0].method).toBe('PUT');
    expect(arm.requests[0].headers['if-match']).toBe(etag);
    for (const r of arm.requests.slice(1)) expect(r.headers['if-match']).toBeUndefined();
    expect(result.etag).not.toBe(etag);
    expect(dnatRuleRows(result)).toHaveLength(4);
  });

  it('fails with 412 and writes nothing when the group changed since it was read', async () => {
    const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
    arm.touch(GROUP_PATH);
    const error = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifMatch: etag }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBe(412);
    expect((error as RestError).code).toBe('PreconditionFailed');
    expect((arm.group(GROUP_PATH)?.properties as { ruleCollections: unknown[] }).ruleCollections).toEqual([]);
    expect(arm.requests.map((r) => r.method)).toEqual(['PUT']);
    expect(waits).toEqual([]);
  });

  it('fails with 412 when creating a group that someone else created in between (If-None-Match: *)', async () => {
    arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
    const error = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifNoneMatch: '*' }).catch(
      (e: unknown) => e,
    );
    expect((error as RestError).statusCode).toBe(412);
  });

  it('retries 409 AnotherOperationInProgress, waiting what Retry-After says', async () => {
    arm.failNext(
      'PUT',
      {
        status: 409,
        code: 'AnotherOperationInProgress',
        message: 'Another operation on this or dependent resource is in progress.',
        retryAfter: 7,
      },
      2,
    );
    const result = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifNoneMatch: '*' });
    expect(result.provisioningState).toBe('Succeeded');
    expect(waits).toEqual([7000, 7000]);
    expect(arm.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
  });

  it('retries 429 honouring Retry-After, and backs off exponentially when there is none', async () => {
    arm.failNext('PUT', { status: 429, code: 'TooManyRequests', message: 'throttled', retryAfter: 12 });
    arm.failNext('PUT', { status: 429, code: 'RetryableErrorDueToAnotherOperation', message: 'busy' }, 2);
    await applyFirewallDnat(dnat.group, dnat.target, options());
    // Attempt 1 waits the 12 s asked for; attempts 2 and 3 double from 5 s: 5 s x 2^(attempt - 1).
    expect(waits).toEqual([12000, 10000, 20000]);
  });

  it('gives up after the attempt limit with the last error', async () => {
    arm.failNext('PUT', { status: 429, code: 'TooManyRequests', message: 'throttled', retryAfter: 1 }, 3);
    const error = await applyFirewallDnat(dnat.group, dnat.target, {
      ...options(),
      retry: { maxAttempts: 3, sleep: async (ms: number) => void waits.push(ms) },
    }).catch((e: unknown) => e);
    expect((error as RestError).statusCode).toBe(429);
    expect((error as Error).message).toBe('throttled (gave up after 3 attempts)');
    expect(waits).toEqual([1000, 1000]);
  });

  it('does not wait for a Retry-After longer than its bound', async () => {
    arm.failNext('PUT', { status: 429, code: 'TooManyRequests', message: 'throttled', retryAfter: 3600 });
    const error = await applyFirewallDnat(dnat.group, dnat.target, options()).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'throttled (the server asks to retry after 3600 s, longer than the 300 s this command waits; run it again later)',
    );
    expect(waits).toEqual([]);
  });

  it('surfaces any other ARM refusal at once, as the SDK RestError', async () => {
    arm.failNext('PUT', {
      status: 400,
      code: 'FirewallPolicyRuleCollectionGroupInvalid',
      message: 'rejected by the test',
    });
    const error = await applyFirewallDnat(dnat.group, dnat.target, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBe(400);
    expect((error as RestError).code).toBe('FirewallPolicyRuleCollectionGroupInvalid');
    expect(waits).toEqual([]);
  });

  it('is refused with 409 while another group of the same policy is being written, as Azure does', async () => {
    arm.holdOperations = true;
    const sibling = FirewallDnatRules.build(
      { ...cluster, name: 'aks-test-neu', firewall: { ...cluster.firewall, ruleCollectionGroupPriority: 230 } },
      [],
    );
    const noRetry = { ...options(), retry: { maxAttempts: 1 } };
    const first = applyFirewallDnat(dnat.group, dnat.target, noRetry);
    while (!arm.requests.some((r) => r.method === 'PUT')) await new Promise((resolve) => setImmediate(resolve));
    const second = await applyFirewallDnat(sibling.group, sibling.target, noRetry).catch((e: unknown) => e);
    arm.holdOperations = false;
    await first;
    expect((second as RestError).statusCode).toBe(409);
    expect((second as RestError).code).toBe('AnotherOperationInProgress');
  });

  it('never re-sends a write that ARM accepted when following it fails; it says the outcome is unknown', async () => {
    arm.failNext('POLL', { status: 500, code: 'InternalServerError', message: 'status store unavailable' });
    const error = await applyFirewallDnat(dnat.group, dnat.target, options(), { ifNoneMatch: '*' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AcceptedButUnconfirmedError);
    expect((error as Error).message).toBe(
      'PUT was accepted by Azure, then failed or could not be followed (status store unavailable); run edge plan to see the group as it is now',
    );
    expect(arm.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('refuses a group whose name differs from the target', async () => {
    await expect(applyFirewallDnat({ ...dnat.group, name: 'other' }, dnat.target, options())).rejects.toThrow(
      'is named "other" but the target is "aks-gitops-aks-test-weu-dnat"',
    );
    expect(arm.requests).toEqual([]);
  });

  it("lists every group of a policy across pages, and only that policy's", async () => {
    arm.pageSize = 2;
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      arm.seed(`${POLICY_ID}/ruleCollectionGroups/${name}`, { properties: { priority: 300, ruleCollections: [] } });
    arm.seed(`${OTHER_POLICY_ID}/ruleCollectionGroups/z`, { properties: { priority: 300, ruleCollections: [] } });
    const groups = await listRuleCollectionGroups(dnat.target, options());
    expect(groups.map((g) => g.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(groups.every((g) => typeof g.etag === 'string')).toBe(true);
    expect(arm.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('deletes with If-Match and follows the Location header until the group is gone', async () => {
    const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
    await deleteRuleCollectionGroup(dnat.target, etag, options());
    expect(arm.group(GROUP_PATH)).toBeUndefined();
    const [del, ...polls] = arm.requests;
    expect(del.method).toBe('DELETE');
    expect(del.headers['if-match']).toBe(etag);
    expect(polls.map((r) => r.method)).toEqual(polls.map(() => 'GET'));
    expect(polls[0].path).toMatch(/\/operationResults\/[0-9a-f-]{36}$/);
    for (const r of polls) expect(r.headers['if-match']).toBeUndefined();
  });

  it('does not delete a group that changed since it was listed (412)', async () => {
    const etag = arm.seed(GROUP_PATH, { properties: { priority: 220, ruleCollections: [] } });
    arm.touch(GROUP_PATH);
    const error = await deleteRuleCollectionGroup(dnat.target, etag, options()).catch((e: unknown) => e);
    expect((error as RestError).statusCode).toBe(412);
    expect(arm.group(GROUP_PATH)).toBeDefined();
  });
});

describe('ARM endpoint handling', () => {
  const dnat = FirewallDnatRules.build(cluster, sampleEndpoints());

  it('refuses plain http to anything but loopback, before any request', async () => {
    await expect(
      applyFirewallDnat(dnat.group, dnat.target, {
        credential: staticTokenCredential('t'),
        endpoint: 'http://arm.example.com',
      }),
    ).rejects.toThrow('refusing ARM endpoint http://arm.example.com');
  });

  it('sends to a custom https endpoint through a caller-supplied HttpClient', async () => {
    const seen: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      async sendRequest(request) {
        seen.push(request);
        const body = JSON.stringify({
          name: dnat.target.name,
          properties: { priority: 220, provisioningState: 'Succeeded', ruleCollections: [] },
        });
        return {
          request,
          status: 200,
          headers: createHttpHeaders({ 'content-type': 'application/json' }),
          bodyAsText: body,
        };
      },
    };
    const result = await applyFirewallDnat(dnat.group, dnat.target, {
      credential: staticTokenCredential('t'),
      endpoint: 'https://management.example.test/',
      httpClient,
    });
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].url).toBe(`https://management.example.test${GROUP_PATH}?api-version=2025-05-01`);
    expect(seen[0].headers.get('authorization')).toBe('Bearer t');
    expect(result.provisioningState).toBe('Succeeded');
  });
});
