import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CDN_PATH, CdnEmulator } from './cdn-emulator';

/**
 * A small stand-in for ARM's Microsoft.Network/firewallPolicies/ruleCollectionGroups, enough for the
 * real SDK client to run its whole flow over HTTP, answering the way the ARM resource provider
 * contract says (Azure/azure-resource-manager-rpc v1.0/Addendum.md; see docs/azure-facts.md):
 * - PUT    .../ruleCollectionGroups/<name>  -> 201 (created) or 200 (updated) with the new etag and
 *          `Azure-AsyncOperation`; 412 when `If-Match` names another etag (or the group is missing),
 *          412 when `If-None-Match: *` and the group exists
 * - DELETE .../ruleCollectionGroups/<name>  -> 202 with `Location`; 204 when it does not exist;
 *          412 on an `If-Match` mismatch
 * - GET    .../operations/<id>              -> `{"status":"InProgress"}` `inProgressPolls` times, then "Succeeded"
 * - GET    .../operationResults/<id>        -> 202 `inProgressPolls` times, then 204 (the DELETE is done)
 * - GET    .../ruleCollectionGroups/<name>  -> 200 with the stored group and its etag, or 404 `NotFound`
 * - GET    .../ruleCollectionGroups         -> the policy's groups, `pageSize` a page, with `nextLink`
 * While a write to a policy's group is in progress, any other write to the same policy gets 409
 * `AnotherOperationInProgress` (Azure updates one group of a policy at a time). Scripted failures
 * (`failNext`) answer like ARM's throttling and conflicts, with `Retry-After`.
 * Every request is recorded raw (path, query, headers, body text) for assertions.
 *
 * It serves plain http but writes https URLs into Azure-AsyncOperation and Location, as ARM (behind
 * TLS) would; the client's loopback HttpClient downgrades them again.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ScriptedError {
  status: number;
  code: string;
  message: string;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
}

export const EMULATED_API_VERSION = '2025-05-01';

const POLICY_PATH =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/firewallPolicies\/[^/]+)\/ruleCollectionGroups$/;
const GROUP_PATH =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/firewallPolicies\/[^/]+)\/ruleCollectionGroups\/([^/]+)$/;
const OPERATION_PATH =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Network\/locations\/[^/]+\/(operations|operationResults)\/([^/]+)$/;

type Json = Record<string, unknown>;

interface Operation {
  groupPath: string;
  kind: 'put' | 'delete';
  remaining: number;
}

export class ArmEmulator {
  readonly requests: RecordedRequest[] = [];
  /** How many times an operation reports InProgress before it completes. */
  inProgressPolls = 1;
  /** While true, every operation stays in progress (to hold a policy busy in a test). */
  holdOperations = false;
  /** Runs once before the next PUT or DELETE is handled, e.g. someone editing the group meanwhile. */
  beforeNextWrite?: () => void;
  /** Groups per page of a list. */
  pageSize = 100;
  private readonly scripted: Array<{ method: string; error: ScriptedError }> = [];
  /** Microsoft.Cdn (Front Door) resources: see cdn-emulator.ts. */
  readonly cdn = new CdnEmulator();
  private readonly groups = new Map<string, Json>();
  private readonly operations = new Map<string, Operation>();
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

  /** Forgets every group, operation, scripted failure and recorded request. */
  reset(): void {
    this.requests.length = 0;
    this.scripted.length = 0;
    this.groups.clear();
    this.operations.clear();
    this.inProgressPolls = 1;
    this.pageSize = 100;
    this.holdOperations = false;
    this.beforeNextWrite = undefined;
  }

  /** The next `times` requests with this method (GET, PUT, DELETE on a group or list path; POLL: a poll of an operation) fail so. */
  failNext(method: string, error: ScriptedError, times = 1): void {
    for (let i = 0; i < times; i++) this.scripted.push({ method, error });
  }

  /** Puts a group in place as if someone had created it earlier; returns its etag. */
  seed(groupPath: string, body: Json): string {
    const stored = this.stored(groupPath, body, 'Succeeded');
    this.groups.set(groupPath, stored);
    return stored.etag as string;
  }

  /** Someone else edits the group in the portal: same content, new etag. */
  touch(groupPath: string): void {
    const g = this.groups.get(groupPath);
    if (g) g.etag = randomUUID();
  }

  group(groupPath: string): Json | undefined {
    return this.groups.get(groupPath);
  }

  groupPaths(): string[] {
    return [...this.groups.keys()].sort();
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const method = req.method ?? '';
    this.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ms-request-id': randomUUID(),
        ...headers,
      });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      send(status, { error: { code, message } }, headers);

    if (CDN_PATH.test(url.pathname)) {
      if (!/^Bearer \S+$/.test(req.headers.authorization ?? ''))
        return error(401, 'AuthenticationFailed', 'missing bearer token');
      return this.cdn.handle(method, url, req.headers.host ?? '', body, send);
    }
    if (url.searchParams.get('api-version') !== EMULATED_API_VERSION)
      return error(
        400,
        'InvalidApiVersionParameter',
        `api-version ${url.searchParams.get('api-version')} is not supported`,
      );
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? ''))
      return error(401, 'AuthenticationFailed', 'missing bearer token');

    const op = OPERATION_PATH.exec(url.pathname);
    if (op && method === 'GET') {
      const scriptedPoll = this.scripted.findIndex((s) => s.method === 'POLL');
      if (scriptedPoll >= 0) {
        const { error: e } = this.scripted.splice(scriptedPoll, 1)[0];
        return error(
          e.status,
          e.code,
          e.message,
          e.retryAfter === undefined ? {} : { 'retry-after': String(e.retryAfter) },
        );
      }
      return this.poll(op[3], send, error);
    }

    const list = POLICY_PATH.exec(url.pathname);
    const g = GROUP_PATH.exec(url.pathname);
    if (!list && !g) return error(404, 'InvalidResourceType', `no route for ${method} ${url.pathname}`);

    const scripted = this.scripted.findIndex((s) => s.method === method);
    if (scripted >= 0) {
      const { error: e } = this.scripted.splice(scripted, 1)[0];
      return error(
        e.status,
        e.code,
        e.message,
        e.retryAfter === undefined ? {} : { 'retry-after': String(e.retryAfter) },
      );
    }

    if (list) {
      if (method !== 'GET') return error(405, 'MethodNotAllowed', method);
      const all = [...this.groups.entries()].filter(([p]) => p.startsWith(`${list[1]}/`)).map(([, v]) => v);
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + this.pageSize);
      const next =
        skip + this.pageSize < all.length
          ? `https://${req.headers.host}${url.pathname}?api-version=${EMULATED_API_VERSION}&$skiptoken=${skip + this.pageSize}`
          : undefined;
      return send(200, next ? { value: page, nextLink: next } : { value: page });
    }

    if ((method === 'PUT' || method === 'DELETE') && this.beforeNextWrite) {
      const hook = this.beforeNextWrite;
      this.beforeNextWrite = undefined;
      hook();
    }
    const groupPath = url.pathname;
    const policyPath = (g as RegExpExecArray)[1];
    const existing = this.groups.get(groupPath);
    // RFC 9110 preconditions, as the ARM RPC's ETag table applies them to PUT and DELETE.
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    const preconditionFailed = () =>
      error(
        412,
        'PreconditionFailed',
        `The condition on ${groupPath} was not met: its etag is ${existing ? existing.etag : '(none: it does not exist)'}.`,
      );
    if (ifMatch !== undefined && (!existing || (ifMatch !== '*' && ifMatch !== existing.etag))) {
      // A DELETE of a group that is already gone succeeds whatever the condition (RPC table, note ***).
      if (!(method === 'DELETE' && !existing)) return preconditionFailed();
    }
    if (ifNoneMatch === '*' && existing && method !== 'GET') return preconditionFailed();

    if (method === 'GET') {
      return existing ? send(200, existing) : error(404, 'NotFound', `Resource ${groupPath} not found.`);
    }
    if (method !== 'PUT' && method !== 'DELETE') return error(405, 'MethodNotAllowed', method);
    if (this.busy(policyPath)) {
      return error(
        409,
        'AnotherOperationInProgress',
        `Another operation on this or dependent resource is in progress: Firewall Policy ${policyPath} is being updated.`,
      );
    }
    const subscription = groupPath.split('/')[2];
    const opId = randomUUID();

    if (method === 'DELETE') {
      if (!existing) return send(204, undefined);
      this.operations.set(opId, { groupPath, kind: 'delete', remaining: this.inProgressPolls });
      (existing.properties as Json).provisioningState = 'Deleting';
      const location = `https://${req.headers.host}/subscriptions/${subscription}/providers/Microsoft.Network/locations/westeurope/operationResults/${opId}?api-version=${EMULATED_API_VERSION}`;
      return send(202, undefined, { location });
    }

    let parsed: Json;
    try {
      parsed = JSON.parse(body) as Json;
    } catch {
      return error(400, 'InvalidRequestContent', 'body is not JSON');
    }
    const priority = (parsed.properties as Json | undefined)?.priority;
    if (typeof priority !== 'number' || priority < 100 || priority > 65000)
      return error(400, 'InvalidPriority', `priority ${priority}`);
    const name = (g as RegExpExecArray)[2];
    if (parsed.name !== undefined && parsed.name !== name)
      return error(400, 'InvalidResourceName', `body name ${parsed.name} != ${name}`);

    const stored = this.stored(groupPath, parsed, 'Updating');
    this.groups.set(groupPath, stored);
    this.operations.set(opId, { groupPath, kind: 'put', remaining: this.inProgressPolls });
    const asyncUrl = `https://${req.headers.host}/subscriptions/${subscription}/providers/Microsoft.Network/locations/westeurope/operations/${opId}?api-version=${EMULATED_API_VERSION}`;
    return send(existing ? 200 : 201, stored, { 'azure-asyncoperation': asyncUrl });
  }

  private poll(
    id: string,
    send: (status: number, payload: unknown) => void,
    error: (status: number, code: string, message: string) => void,
  ): void {
    const state = this.operations.get(id);
    if (!state) return error(404, 'OperationNotFound', `operation ${id} not found`);
    if (state.remaining > 0 || this.holdOperations) {
      state.remaining = Math.max(0, state.remaining - 1);
      return state.kind === 'put' ? send(200, { status: 'InProgress' }) : send(202, undefined);
    }
    this.operations.delete(id);
    if (state.kind === 'delete') {
      this.groups.delete(state.groupPath);
      return send(204, undefined);
    }
    const group = this.groups.get(state.groupPath);
    if (group) (group.properties as Json).provisioningState = 'Succeeded';
    return send(200, { status: 'Succeeded' });
  }

  private busy(policyPath: string): boolean {
    return [...this.operations.values()].some((o) => o.groupPath.startsWith(`${policyPath}/`));
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
