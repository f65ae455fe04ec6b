import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CDN_PATH, CdnEmulator } from './cdn-emulator';

/**
 * A small stand-in for ARM's Microsoft.Network/firewallPolicies/ruleCollectionGroups, enough for the
 * real SDK client to run its whole flow over HTTP:
 * - PUT  .../ruleCollectionGroups/<name>  -> 201, `Azure-AsyncOperation: https://<host>/.../operations/<id>`
 * - GET  .../operations/<id>              -> `{"status":"InProgress"}` `inProgressPolls` times, then "Succeeded"
 * - GET  .../ruleCollectionGroups/<name>  -> 200 with the stored group, or 404 `NotFound`
 * Every request is recorded raw (path, query, headers, body text) for assertions.
 *
 * It serves plain http but writes https URLs into Azure-AsyncOperation, as ARM (behind TLS) would;
 * the client's loopback HttpClient downgrades them again.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const EMULATED_API_VERSION = '2025-05-01';

const GROUP_PATH = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/firewallPolicies\/[^/]+\/ruleCollectionGroups\/([^/]+)$/;
const OPERATION_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Network\/locations\/[^/]+\/operations\/([^/]+)$/;

type Json = Record<string, unknown>;

export class ArmEmulator {
  readonly requests: RecordedRequest[] = [];
  /** How many times an operation reports InProgress before Succeeded. */
  inProgressPolls = 1;
  /** Makes the next PUT fail with this ARM error. */
  nextPutError?: { status: number; code: string; message: string };
  /** Microsoft.Cdn (Front Door) resources: see cdn-emulator.ts. */
  readonly cdn = new CdnEmulator();
  private readonly groups = new Map<string, Json>();
  private readonly operations = new Map<string, { groupPath: string; remaining: number }>();
  private server?: http.Server;

  /** Starts on a free port of 127.0.0.1 and returns `http://127.0.0.1:<port>`. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this.endpoint;
  }

  get endpoint(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  /** Puts a group in place as if someone had created it earlier. */
  seed(groupPath: string, body: Json): void {
    this.groups.set(groupPath, this.stored(groupPath, body, 'Succeeded'));
  }

  group(groupPath: string): Json | undefined {
    return this.groups.get(groupPath);
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const method = req.method ?? '';
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': randomUUID(), ...headers });
      res.end(JSON.stringify(payload));
    };
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });

    if (CDN_PATH.test(url.pathname)) {
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return error(401, 'AuthenticationFailed', 'missing bearer token');
      return this.cdn.handle(method, url, req.headers.host ?? '', body, send);
    }
    if (url.searchParams.get('api-version') !== EMULATED_API_VERSION) return error(400, 'InvalidApiVersionParameter', `api-version ${url.searchParams.get('api-version')} is not supported`);
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return error(401, 'AuthenticationFailed', 'missing bearer token');

    const op = OPERATION_PATH.exec(url.pathname);
    if (op && method === 'GET') {
      const state = this.operations.get(op[2]);
      if (!state) return error(404, 'OperationNotFound', `operation ${op[2]} not found`);
      if (state.remaining > 0) {
        state.remaining--;
        return send(200, { status: 'InProgress' });
      }
      const group = this.groups.get(state.groupPath);
      if (group) (group.properties as Json).provisioningState = 'Succeeded';
      return send(200, { status: 'Succeeded' });
    }

    const g = GROUP_PATH.exec(url.pathname);
    if (!g) return error(404, 'InvalidResourceType', `no route for ${method} ${url.pathname}`);
    if (method === 'GET') {
      const group = this.groups.get(url.pathname);
      return group ? send(200, group) : error(404, 'NotFound', `Resource ${url.pathname} not found.`);
    }
    if (method !== 'PUT') return error(405, 'MethodNotAllowed', method);
    if (this.nextPutError) {
      const e = this.nextPutError;
      this.nextPutError = undefined;
      return error(e.status, e.code, e.message);
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(body) as Json;
    } catch {
      return error(400, 'InvalidRequestContent', 'body is not JSON');
    }
    const priority = (parsed.properties as Json | undefined)?.priority;
    if (typeof priority !== 'number' || priority < 100 || priority > 65000) return error(400, 'InvalidPriority', `priority ${priority}`);
    if (parsed.name !== undefined && parsed.name !== g[1]) return error(400, 'InvalidResourceName', `body name ${parsed.name} != ${g[1]}`);

    const stored = this.stored(url.pathname, parsed, 'Updating');
    this.groups.set(url.pathname, stored);
    const opId = randomUUID();
    this.operations.set(opId, { groupPath: url.pathname, remaining: this.inProgressPolls });
    const subscription = url.pathname.split('/')[2];
    const asyncUrl = `https://${req.headers.host}/subscriptions/${subscription}/providers/Microsoft.Network/locations/westeurope/operations/${opId}?api-version=${EMULATED_API_VERSION}`;
    return send(201, stored, { 'azure-asyncoperation': asyncUrl });
  }

  /**
   * The resource as the emulator returns it. It adds an empty `sourceIpGroups` to each rule: whether
   * ARM echoes empty lists for this resource is not confirmed, and doing so here keeps the client's
   * read-back comparison honest about `[]` versus absent.
   */
  private stored(groupPath: string, body: Json, provisioningState: string): Json {
    const props = structuredClone((body.properties ?? {}) as Json);
    for (const c of (props.ruleCollections ?? []) as Json[]) {
      for (const r of (c.rules ?? []) as Json[]) r.sourceIpGroups ??= [];
    }
    return {
      id: groupPath,
      name: groupPath.split('/').pop(),
      type: 'Microsoft.Network/FirewallPolicies/RuleCollectionGroups',
      etag: randomUUID(),
      properties: { ...props, provisioningState },
    };
  }
}
