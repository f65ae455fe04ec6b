// Over 300 lines on purpose: the registry is the one mutable object of a cluster's render, and its
// write methods, read-only views, claims replay (claimsOf/addClaims) and finalize() share private
// state whose invariants are easiest to check in one place; the checks themselves live in
// call-consent.ts, claim-conflicts.ts, shared-frontend.ts and address-allocation.ts.
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { type ResolvedCall, resolveCall, resolveCalls } from './call-consent';
import { checkFrontendClaims, checkRouteClaims } from './claim-conflicts';
import type {
  AcceptClaim,
  AppClaims,
  CallClaim,
  EgressClaim,
  FirewallEndpoint,
  IdentityClaim,
  LoadBalancerClaim,
  PodPort,
  PrivateLinkClaim,
  RouteClaim,
  WorkloadRecord,
} from './cluster-claims';
import { GATEWAY_CLAIM_APP, checkSharedFrontends } from './shared-frontend';
import { AUTO_ADDRESS_PENDING, allocateAddresses } from './address-allocation';
import type { AddressClaim, AllocationState } from './address-allocation';

export * from './cluster-claims';

/**
 * Everything the apps of one cluster declare that other apps or cluster-wide artifacts depend on:
 * routes, load balancer frontends, firewall ports, calls between apps. Constructs register here
 * while apps are declared; `finalize()` then checks conflicts across apps and wires calls.
 */
export class ClusterRegistry {
  private readonly workloadsByKey = new Map<string, WorkloadRecord>();
  /** Workloads by app, so resolving a call does not scan the whole fleet. */
  private readonly byApp = new Map<string, WorkloadRecord[]>();
  private readonly callClaims: CallClaim[] = [];
  private readonly acceptClaims: AcceptClaim[] = [];
  /**
   * Every app of the repository (deployed here or not), so consent given to an app that does not
   * exist (a typo) is an error. Unset in tests that build a registry by hand: not checked.
   */
  knownApps?: ReadonlySet<string>;
  /** Each call resolved once by `finalize()`, in registry order. */
  private resolved?: ResolvedCall[];
  private readonly routeClaims: RouteClaim[] = [];
  private readonly loadBalancerClaims: LoadBalancerClaim[] = [];
  private readonly firewallEndpointClaims: FirewallEndpoint[] = [];
  private readonly privateLinkClaims: PrivateLinkClaim[] = [];
  private readonly identityClaims: IdentityClaim[] = [];
  private readonly egressClaims: EgressClaim[] = [];
  /** Dedicated frontend addresses of L4Services; `'auto'` ones are allocated by `finalize()`. */
  private addressClaims: AddressClaim[] = [];
  /** The cluster's allocations.json before this synth (synth sets it; absent: nothing allocated yet). */
  previousAllocations?: AllocationState;
  /** The cluster's allocations.json after `finalize()`. */
  allocations?: AllocationState;
  private finalizers: Array<() => void> = [];

  constructor(readonly cluster: ClusterSpec) {}

  /** Every declared workload, by `<app>/<name>`. */
  get workloads(): ReadonlyMap<string, WorkloadRecord> {
    return this.workloadsByKey;
  }
  /** Calls between apps, in declaration order. */
  get calls(): readonly CallClaim[] {
    return this.callClaims;
  }
  /** The callers each workload accepts (see AcceptClaim). */
  get accepts(): readonly AcceptClaim[] {
    return this.acceptClaims;
  }
  /** L7 routes (host and path prefix) and the workload each goes to. */
  get routes(): readonly RouteClaim[] {
    return this.routeClaims;
  }
  /** Internal load balancer ports (frontend IP, port, protocol) and their owners. */
  get loadBalancers(): readonly LoadBalancerClaim[] {
    return this.loadBalancerClaims;
  }
  /** Ports published on the Azure Firewall by DNAT. */
  get firewallEndpoints(): readonly FirewallEndpoint[] {
    return this.firewallEndpointClaims;
  }
  /** Frontend IPs that create a Private Link Service; services sharing a frontend share its PLS. */
  get privateLinks(): readonly PrivateLinkClaim[] {
    return this.privateLinkClaims;
  }
  /** ServiceAccounts that use workload identity. */
  get identities(): readonly IdentityClaim[] {
    return this.identityClaims;
  }
  /** Egress to addresses outside the cluster (calls between apps are in `calls`). */
  get egress(): readonly EgressClaim[] {
    return this.egressClaims;
  }
  /** L4Services' dedicated frontend addresses (explicit, or `'auto'`: allocated by `finalize()`). */
  get addresses(): readonly AddressClaim[] {
    return this.addressClaims;
  }

  /** A workload of an app; other apps call it by app (and workload) name. */
  registerWorkload(w: WorkloadRecord): void {
    this.workloadsByKey.set(`${w.app}/${w.name}`, w);
    const list = this.byApp.get(w.app);
    if (list) list.push(w);
    else this.byApp.set(w.app, [w]);
  }
  /** A call from one workload to another app; resolved and checked for consent by `finalize()`. */
  registerCall(call: CallClaim): void {
    this.callClaims.push(call);
  }
  /** A callee's consent to calls from another app. */
  registerAccept(accept: AcceptClaim): void {
    this.acceptClaims.push(accept);
  }
  /** A host and path prefix routed to a workload; `finalize()` rejects a route claimed twice. */
  registerRoute(route: RouteClaim): void {
    this.routeClaims.push(route);
  }
  /** A port on an internal load balancer frontend; `finalize()` rejects a port claimed twice. */
  claimLoadBalancerPort(claim: LoadBalancerClaim): void {
    this.loadBalancerClaims.push(claim);
  }
  /** A port published on the Azure Firewall by DNAT to an internal load balancer. */
  registerFirewallEndpoint(endpoint: FirewallEndpoint): void {
    this.firewallEndpointClaims.push(endpoint);
  }
  /** A Private Link Service on a frontend IP; `finalize()` rejects two on one frontend. */
  registerPrivateLink(claim: PrivateLinkClaim): void {
    this.privateLinkClaims.push(claim);
  }
  /** A ServiceAccount federated with a user-assigned identity. */
  registerIdentity(claim: IdentityClaim): void {
    this.identityClaims.push(claim);
  }
  /** A destination outside the cluster a workload may reach. */
  registerEgress(claim: EgressClaim): void {
    this.egressClaims.push(claim);
  }
  /** An L4Service's own frontend address; an `'auto'` one is allocated by `finalize()` (address-allocation.ts). */
  registerAddress(claim: AddressClaim): void {
    this.addressClaims.push(claim);
  }
  /** The address of an L4Service's dedicated frontend (an `'auto'` one: after `finalize()`). */
  addressOf(app: string, workload: string): string | undefined {
    const ip = this.addressClaims.find((a) => a.app === app && a.workload === workload)?.ip;
    return ip === AUTO_ADDRESS_PENDING ? undefined : ip;
  }

  /** Namespaces of apps deployed on this cluster (the baseline creates them). */
  get namespaces(): Set<string> {
    return new Set([...this.workloads.values()].map((w) => w.namespace));
  }

  /** Namespaces that host L7 routes and so may attach to the shared Gateway (gateway-api clusters). */
  get gatewayNamespaces(): Set<string> {
    if (this.cluster.l7.kind !== 'gateway-api') return new Set();
    return new Set(this.routes.map((r) => this.workloads.get(`${r.app}/${r.workload}`)?.namespace ?? r.app));
  }

  /**
   * The claims of each of `apps`, in declaration order, for replay by a later run (see AppClaims).
   * One pass over the registry for all of them: per-app filtering would be quadratic in the fleet.
   */
  claimsOf(apps: Iterable<string>, deployed: (app: string) => boolean): Map<string, AppClaims> {
    type Mutable = {
      [K in keyof AppClaims]-?: NonNullable<AppClaims[K]> extends readonly (infer T)[] ? T[] : AppClaims[K];
    };
    const out = new Map<string, Mutable>();
    for (const app of apps) {
      out.set(app, {
        deployed: deployed(app),
        workloads: (this.byApp.get(app) ?? []).map((w) => ({
          name: w.name,
          namespace: w.namespace,
          selector: w.selector,
          ports: w.ports,
        })),
        calls: [],
        accepts: [],
        routes: [],
        loadBalancers: [],
        firewallEndpoints: [],
        privateLinks: [],
        identities: [],
        egress: [],
        addresses: [],
      });
    }
    for (const c of this.calls)
      out.get(c.caller.app)?.calls.push({
        callerWorkload: c.caller.name,
        targetApp: c.targetApp,
        targetWorkload: c.targetWorkload,
        ports: c.ports,
        field: c.field,
      });
    for (const a of this.accepts) out.get(a.app)?.accepts.push(a);
    for (const r of this.routes) out.get(r.app)?.routes.push(r);
    for (const l of this.loadBalancers) out.get(l.app)?.loadBalancers.push(l);
    for (const e of this.firewallEndpoints) out.get(e.app)?.firewallEndpoints.push(e);
    for (const p of this.privateLinks) out.get(p.app)?.privateLinks.push(p);
    for (const i of this.identities) out.get(i.app)?.identities.push(i);
    for (const e of this.egress) out.get(e.app)?.egress.push(e);
    for (const a of this.addresses) out.get(a.app)?.addresses.push(a);
    return out;
  }

  /**
   * Registers an app's claims without declaring it. Its calls are not wired again (its folder is
   * not rendered), but its routes, frontends, firewall ports and privateLinks take part in
   * `finalize()`'s cross-app checks exactly as if it had been declared.
   */
  addClaims(app: string, claims: AppClaims): void {
    const records = new Map<string, WorkloadRecord>();
    for (const w of claims.workloads) {
      const record: WorkloadRecord = {
        app,
        name: w.name,
        namespace: w.namespace,
        selector: w.selector,
        ports: w.ports,
      };
      records.set(w.name, record);
      this.registerWorkload(record);
    }
    for (const c of claims.calls) {
      const caller = records.get(c.callerWorkload);
      if (!caller)
        throw new Error(`internal: replayed claims of ${app} call from unknown workload ${c.callerWorkload}`);
      this.callClaims.push({
        caller,
        targetApp: c.targetApp,
        targetWorkload: c.targetWorkload,
        ports: c.ports,
        field: c.field,
      });
    }
    this.acceptClaims.push(...claims.accepts);
    this.routeClaims.push(...claims.routes);
    this.loadBalancerClaims.push(...claims.loadBalancers);
    this.firewallEndpointClaims.push(...claims.firewallEndpoints);
    this.privateLinkClaims.push(...claims.privateLinks);
    this.identityClaims.push(...(claims.identities ?? []));
    this.egressClaims.push(...(claims.egress ?? []));
    this.addressClaims.push(...(claims.addresses ?? []));
  }

  /** Runs after every app is declared: for wiring that needs other apps (e.g. callee ports). */
  onFinalize(fn: () => void): void {
    this.finalizers.push(fn);
  }

  workloadsOf(app: string): WorkloadRecord[] {
    return [...(this.byApp.get(app) ?? [])];
  }

  /** The workload a call reaches and the ports it may use; throws a ConfigError naming the caller's field. */
  resolveCall(call: CallClaim): { target: WorkloadRecord; ports: PodPort[] } {
    return resolveCall(this, call);
  }

  /** Cross-app checks plus late wiring. Throws the first ConfigError, naming both apps. */
  finalize(): void {
    this.allocateAutoAddresses();
    const l7 = this.cluster.l7;
    const gatewayFrontend =
      l7.kind === 'gateway-api' && l7.frontend
        ? this.cluster.sharedFrontends?.find((f) => f.name === l7.frontend)
        : undefined;
    if (l7.kind === 'gateway-api' && gatewayFrontend && !this.loadBalancers.some((l) => l.app === GATEWAY_CLAIM_APP)) {
      // The in-cluster gateway's Service listens on 443 of its shared frontend (cluster-spec l7.frontend).
      this.loadBalancerClaims.unshift({
        app: GATEWAY_CLAIM_APP,
        workload: l7.gateway.name,
        ip: gatewayFrontend.address,
        port: 443,
        protocol: 'TCP',
        field: 'l7.frontend',
        frontend: gatewayFrontend.name,
      });
    }
    checkRouteClaims(this.cluster.name, this.routes);
    checkFrontendClaims(this.cluster.name, this.loadBalancers, this.privateLinks);
    checkSharedFrontends(this);
    this.resolved = resolveCalls(this);
    for (const fn of this.finalizers) fn();
    this.finalizers = [];
  }

  /**
   * Gives every `'auto'` address its address (address-allocation.ts) and puts it into the claims
   * that carry the frontend IP, before any check reads them.
   */
  private allocateAutoAddresses(): void {
    const { assigned, state } = allocateAddresses(this.cluster, this.addressClaims, this.previousAllocations);
    this.allocations = state;
    if (assigned.size === 0) return;
    const ipOf = (app: string, workload: string, ip: string): string =>
      ip === AUTO_ADDRESS_PENDING ? (assigned.get(`${app}/${workload}`) ?? ip) : ip;
    this.addressClaims = this.addressClaims.map((a) => ({ ...a, ip: ipOf(a.app, a.workload, a.ip) }));
    const lbs = this.loadBalancerClaims.map((l) => ({ ...l, ip: ipOf(l.app, l.workload, l.ip) }));
    this.loadBalancerClaims.splice(0, lbs.length, ...lbs);
    const fws = this.firewallEndpointClaims.map((f) => ({ ...f, ilbIp: ipOf(f.app, f.service, f.ilbIp) }));
    this.firewallEndpointClaims.splice(0, fws.length, ...fws);
    const pls = this.privateLinkClaims.map((p) => ({ ...p, ip: ipOf(p.app, p.workload, p.ip) }));
    this.privateLinkClaims.splice(0, pls.length, ...pls);
  }

  /** The calls that reach workload `app/workload`, resolved (after `finalize()`). */
  callsTo(app: string, workload: string): Array<{ call: CallClaim; ports: PodPort[] }> {
    if (!this.resolved) throw new Error('internal: callsTo() before finalize()');
    return this.resolved
      .filter((r) => r.target.app === app && r.target.name === workload)
      .map(({ call, ports }) => ({ call, ports }));
  }
}
