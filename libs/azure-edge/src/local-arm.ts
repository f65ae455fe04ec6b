import type { AccessToken, TokenCredential } from '@azure/identity';
import type { HttpClient, PipelineRequest } from '@azure/core-rest-pipeline';

/**
 * Talking plain http to an ARM stand-in on this machine (tests, local emulators).
 *
 * The SDK's bearer-token policy refuses to put a token on any non-https URL, even with
 * `allowInsecureConnection`. Rather than removing that policy (the request would then go out
 * without the Authorization header real ARM needs), the client is pointed at
 * `https://<loopback>:<port>` and this HttpClient, the last hop of the pipeline, downgrades the
 * scheme for that exact host only. The URL is restored afterwards because the long-running-operation
 * poller reads `request.url` again. Only loopback hosts qualify, so a mistyped endpoint can never
 * send a token over the network in clear text.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHttpEndpoint(endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

export function loopbackHttpClient(endpoint: string, inner: HttpClient = defaultHttpClient()): HttpClient {
  const host = new URL(endpoint).host;
  return {
    async sendRequest(request: PipelineRequest) {
      const url = new URL(request.url);
      if (url.protocol !== 'https:' || url.host !== host) return inner.sendRequest(request);
      const original = { url: request.url, allowInsecureConnection: request.allowInsecureConnection };
      request.url = `http:${request.url.slice('https:'.length)}`;
      request.allowInsecureConnection = true;
      try {
        return await inner.sendRequest(request);
      } finally {
        request.url = original.url;
        request.allowInsecureConnection = original.allowInsecureConnection;
      }
    },
  };
}

/** A credential that always returns the same token: for local ARM stand-ins only. */
export function staticTokenCredential(token: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

/**
 * Loaded on first use: synth imports this library for the DNAT rules and should not pay for the
 * SDK's HTTP stack, which only `edge plan|apply` and the tests need.
 */
function defaultHttpClient(): HttpClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline')).createDefaultHttpClient();
}
