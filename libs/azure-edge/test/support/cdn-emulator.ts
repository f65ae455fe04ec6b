import { randomUUID } from 'node:crypto';

/**
 * The Microsoft.Cdn part of the local ARM stand-in (Front Door Standard/Premium), enough for the real
 * `@azure/arm-cdn` client to run its whole flow over HTTP:
 * - PUT    <resource>    -> 201 with `Azure-AsyncOperation`; a child PUT before its parent is 404
 * - GET    <resource>    -> 200 with the stored resource, or 404 `NotFound`
 * - GET    <collection>  -> 200 `{ value: [...] }` (the direct children, e.g. `.../originGroups`)
 * - GET    .../providers/Microsoft.Cdn/profiles -> 200 `{ value: [...] }`, the profiles of the subscription
 *          (or of the resource group)
 * - DELETE <resource>    -> 202 with `Azure-AsyncOperation`; the resource and its children go away
 * - GET    operationresults/<id> -> `InProgress` `inProgressPolls` times, then `Succeeded`
 */
export const EMULATED_CDN_API_VERSION = '2024-02-01';

export const CDN_PATH =
  /^\/subscriptions\/[^/]+\/(resourceGroups\/[^/]+\/providers\/Microsoft\.Cdn\/profiles(\/|$)|providers\/Microsoft\.Cdn\/(operationresults\/|profiles$))/;
/** `GET /subscriptions/<s>/providers/Microsoft.Cdn/profiles` (every profile of the subscription) or of one resource group. */
const PROFILE_LIST = /^\/subscriptions\/([^/]+)\/(?:resourceGroups\/([^/]+)\/)?providers\/Microsoft\.Cdn\/profiles$/;
const COLLECTIONS = new Set([
  'afdEndpoints',
  'secrets',
  'customDomains',
  'originGroups',
  'origins',
  'routes',
  'securityPolicies',
  'ruleSets',
]);
const TYPES: Record<string, string> = {
  profiles: 'Microsoft.Cdn/profiles',
  afdEndpoints: 'Microsoft.Cdn/profiles/afdendpoints',
  secrets: 'Microsoft.Cdn/profiles/secrets',
  customDomains: 'Microsoft.Cdn/profiles/customdomains',
  originGroups: 'Microsoft.Cdn/profiles/origingroups',
  origins: 'Microsoft.Cdn/profiles/origingroups/origins',
  routes: 'Microsoft.Cdn/profiles/afdendpoints/routes',
  securityPolicies: 'Microsoft.Cdn/profiles/securitypolicies',
  ruleSets: 'Microsoft.Cdn/profiles/rulesets',
};

type Json = Record<string, unknown>;
type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

export class CdnEmulator {
  inProgressPolls = 1;
  /** Makes the next PUT fail with this ARM error. */
  nextPutError?: { status: number; code: string; message: string };
  private readonly resources = new Map<string, Json>();
  private readonly operations = new Map<string, number>();

  /** Forgets every resource and operation. */
  reset(): void {
    this.resources.clear();
    this.operations.clear();
    this.nextPutError = undefined;
  }

  /** Puts a resource in place as if someone had created it earlier (body as ARM takes it). */
  seed(path: string, body: Json): void {
    this.resources.set(path, this.stored(path, body));
  }

  resource(path: string): Json | undefined {
    return this.resources.get(path);
  }

  /** Every stored resource path, sorted. */
  paths(): string[] {
    return [...this.resources.keys()].sort();
  }

  handle(method: string, url: URL, host: string, body: string, send: Send): void {
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    if (url.searchParams.get('api-version') !== EMULATED_CDN_API_VERSION)
      return error(
        400,
        'InvalidApiVersionParameter',
        `api-version ${url.searchParams.get('api-version')} is not supported`,
      );
    const path = url.pathname;
    const op = /\/operationresults\/([^/]+)$/.exec(path);
    if (op) {
      const remaining = this.operations.get(op[1]);
      if (remaining === undefined) return error(404, 'OperationNotFound', op[1]);
      if (remaining > 0) {
        this.operations.set(op[1], remaining - 1);
        return send(200, { status: 'InProgress' });
      }
      return send(200, { status: 'Succeeded' });
    }
    const list = PROFILE_LIST.exec(path);
    if (list && method === 'GET') {
      const value = [...this.resources.entries()]
        .filter(([p]) => {
          const m =
            /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Cdn\/profiles\/[^/]+$/.exec(p);
          return m !== null && m[1] === list[1] && (list[2] === undefined || m[2] === list[2]);
        })
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, r]) => r);
      return send(200, { value });
    }
    const segments = path.split('/');
    const last = segments[segments.length - 1];
    if (method === 'GET' && COLLECTIONS.has(last)) {
      const prefix = `${path}/`;
      const value = [...this.resources.entries()]
        .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, r]) => r);
      return send(200, { value });
    }
    if (method === 'GET') {
      const r = this.resources.get(path);
      return r ? send(200, r) : error(404, 'NotFound', `Resource ${path} not found.`);
    }
    const parent = segments.slice(0, -2).join('/');
    const isProfile = segments[segments.length - 2] === 'profiles';
    if (method === 'PUT') {
      if (this.nextPutError) {
        const e = this.nextPutError;
        this.nextPutError = undefined;
        return error(e.status, e.code, e.message);
      }
      if (!isProfile && !this.resources.has(parent))
        return error(404, 'ParentResourceNotFound', `parent ${parent} does not exist`);
      let parsed: Json;
      try {
        parsed = JSON.parse(body) as Json;
      } catch {
        return error(400, 'InvalidRequestContent', 'body is not JSON');
      }
      const stored = this.stored(path, parsed);
      this.resources.set(path, stored);
      return send(201, stored, { 'azure-asyncoperation': this.operation(host, segments[2]) });
    }
    if (method === 'DELETE') {
      if (!this.resources.has(path)) return send(204, '');
      for (const p of [...this.resources.keys()]) if (p === path || p.startsWith(`${path}/`)) this.resources.delete(p);
      return send(202, '', { 'azure-asyncoperation': this.operation(host, segments[2]) });
    }
    return error(405, 'MethodNotAllowed', method);
  }

  private operation(host: string, subscription: string): string {
    const id = randomUUID();
    this.operations.set(id, this.inProgressPolls);
    return `https://${host}/subscriptions/${subscription}/providers/Microsoft.Cdn/operationresults/${id}?api-version=${EMULATED_CDN_API_VERSION}`;
  }

  private stored(path: string, body: Json): Json {
    const segments = path.split('/');
    const { properties, ...top } = structuredClone(body) as Json & { properties?: Json };
    return {
      id: path,
      name: segments[segments.length - 1],
      type: TYPES[segments[segments.length - 2]] ?? 'Microsoft.Cdn/unknown',
      ...top,
      properties: { ...(properties ?? {}), provisioningState: 'Succeeded', deploymentStatus: 'NotStarted' },
    };
  }
}
