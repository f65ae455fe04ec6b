import type { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { RetryOptions } from './arm-retry';
import { isLoopbackHttpEndpoint, loopbackHttpClient } from './local-arm';

export interface ArmClientOptions {
  credential: TokenCredential;
  /**
   * ARM endpoint; defaults to https://management.azure.com. `http://127.0.0.1:<port>` (or
   * localhost, [::1]) is accepted for local stand-ins; any other plain-http endpoint is refused.
   */
  endpoint?: string;
  httpClient?: HttpClient;
  /** Poll interval of long-running operations; the SDK default (2 s) unless the server sends Retry-After. */
  updateIntervalInMs?: number;
  /** How 409 (another operation in progress), 429 and 5xx answers are retried (arm-retry.ts). */
  retry?: RetryOptions;
}

/**
 * An optimistic-concurrency condition on one write (ARM RPC "ETags for Resources"): `ifMatch` with
 * the etag read before, so a group someone changed since is not overwritten (412); `ifNoneMatch: '*'`
 * when creating, so a group someone created since is not overwritten (412).
 */
export type WriteCondition = { ifMatch: string } | { ifNoneMatch: '*' };

/**
 * A `NetworkManagementClient` for one subscription: the Firewall Policy's, which in hub-and-spoke is
 * the hub's, not the cluster's. The SDK's retry policies are off (`maxRetries: 0`): arm-retry.ts
 * retries whole calls with bounds of its own.
 *
 * `condition` goes on the PUT or DELETE of `conditionPath` only. The SDK's operation options
 * (`requestOptions.customHeaders`) would also put it on every poll of the long-running operation and
 * on its final GET of the resource, whose etag has changed by then: a conditional GET that fails.
 */
export async function createNetworkClient(
  subscriptionId: string,
  options: ArmClientOptions,
  condition?: { path: string; condition: WriteCondition },
): Promise<NetworkManagementClient> {
  // Loaded on first use: the SDK costs ~250 ms to require, and synth only needs the types.
  const { NetworkManagementClient } = await import('@azure/arm-network');
  const { endpoint, httpClient } = armTransport(options);
  const client = new NetworkManagementClient(options.credential, subscriptionId, {
    endpoint,
    httpClient,
    retryOptions: { maxRetries: 0 },
  });
  if (condition) client.pipeline.addPolicy(conditionPolicy(condition.path, condition.condition));
  return client;
}

/**
 * The endpoint and HTTP client every ARM client of aks-gitops uses: https only, except a loopback
 * http endpoint (the local ARM emulator), reached through a client that rewrites to http.
 */
export function armTransport(options: ArmClientOptions): {
  endpoint: string | undefined;
  httpClient: ArmClientOptions['httpClient'];
} {
  let endpoint = options.endpoint?.replace(/\/+$/, '');
  let httpClient = options.httpClient;
  if (endpoint !== undefined && isLoopbackHttpEndpoint(endpoint)) {
    httpClient = loopbackHttpClient(endpoint, httpClient);
    endpoint = `https:${endpoint.slice('http:'.length)}`;
  } else if (endpoint !== undefined && !endpoint.startsWith('https://')) {
    throw new Error(
      `refusing ARM endpoint ${endpoint}: a bearer token may only travel over https (plain http is allowed for 127.0.0.1, localhost and [::1])`,
    );
  }
  return { endpoint, httpClient };
}

function conditionPolicy(path: string, condition: WriteCondition): PipelinePolicy {
  return {
    name: 'aksGitopsWriteCondition',
    sendRequest(request, next) {
      if ((request.method === 'PUT' || request.method === 'DELETE') && new URL(request.url).pathname === path) {
        if ('ifMatch' in condition) request.headers.set('If-Match', condition.ifMatch);
        else request.headers.set('If-None-Match', condition.ifNoneMatch);
      }
      return next(request);
    },
  };
}
