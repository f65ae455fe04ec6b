import { ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { GATEWAY_CLAIM_APP, checkSharedFrontends, describeFrontend } from './shared-frontend';
import { AUTO_ADDRESS_PENDING, allocateAddresses } from './address-allocation';
import type { AddressClaim, AllocationState } from './address-allocation';

export type Protocol = 'TCP' | 'UDP';

/** A port a workload's pods listen on, as other pods and NetworkPolicies see it. */
export interface PodPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * What the registry knows about each declared workload, for cross-app wiring and checks. Plain
 * data: a record can be replayed from a previous run's claims (see `AppClaims`).
 */
export interface WorkloadRecord {
  readonly app: string;
  readonly name: string;
  readonly namespace: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly PodPort[];
}

export interface CallClaim {
  readonly caller: WorkloadRecord;
  readonly targetApp: string;
  readonly targetWorkload?: string;
  readonly ports?: readonly number[];
  readonly field: string;
}

/**
 * A callee's consent: workload `workload` of app `app` accepts calls from app `from`. Without it a
 * call from `from` is an error, so the callee's owners review who may reach them (in their own
 * folder, where the allow rule is written).
 */
export interface AcceptClaim {
  readonly app: string;
  readonly workload: string;
  readonly from: string;
  readonly field: string;
}

export interface RouteClaim {
  readonly app: string;
  readonly workload: string;
  readonly host: string;
  readonly path: string;
  readonly field: string;
  /**
   * The API's own listener certificate for this host (L7Api `certificate`); absent when the host
   * is served with the cluster's shared listener certificate. On gateway-api clusters the baseline
   * syncs it from Key Vault and adds a listener for the host.
   */
  readonly certificate?: { readonly name: string; readonly dnsNames: readonly string[] };
  /** The WAF policy in front of this route (the app's own, or the cluster's), when there is one. */
  readonly wafPolicyId?: string;
}

/**
 * A ServiceAccount federated with a user-assigned identity (Azure workload identity): the IaC team
 * creates the federated credential (issuer = the cluster's OIDC issuer, subject
 * `system:serviceaccount:<namespace>:<serviceAccount>`) and, for `keyVaultSecrets`, the role
 * assignment on the cluster's Key Vault.
 */
export interface IdentityClaim {
  readonly app: string;
  readonly workload: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly clientId: string;
  /** Whether it reads Key Vault secrets through the Secrets Store CSI driver. */
  readonly keyVaultSecrets: boolean;
}

export interface LoadBalancerClaim {
  readonly app: string;
  readonly workload: string;
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly field: string;
  /** The shared frontend (`sharedFrontends[].name`) this port is on; absent on a dedicated frontend. */
  readonly frontend?: string;
  /** How clients reach it (L4Service exposure mode). */
  readonly exposure?: 'private' | 'public-via-firewall';
  /** The container port behind the Service port. */
  readonly targetPort?: number;
  /** Who may connect (the Service's loadBalancerSourceRanges), for the traffic map. */
  readonly sourceRanges?: readonly string[];
}

/** A destination outside the cluster a workload may reach (its NetworkPolicy egress), for the traffic map. */
export interface EgressClaim {
  readonly app: string;
  readonly workload: string;
  /** A CIDR, or a description such as `public addresses (Entra ID)`. */
  readonly destination: string;
  /** `TCP 443`, ... */
  readonly ports: readonly string[];
}

/** A port published on the Azure Firewall by DNAT to an internal load balancer. */
export interface FirewallEndpoint {
  readonly app: string;
  readonly service: string;
  readonly namespace: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly firewallPublicIp: string;
  readonly firewallPort: number;
  readonly ilbIp: string;
  readonly servicePort: number;
  readonly sourceAddresses: readonly string[];
}

/**
 * One app's contribution to one cluster's registry, as plain JSON-safe data: everything other apps
 * and the cluster-wide folders (platform, azure, flux) need from it. Declaring the app produces
 * exactly these claims, so a synth that renders only some apps can replay the others' claims
 * (recorded by an earlier run from the same sources) instead of loading and declaring them.
 */
export interface AppClaims {
  /** Whether the app declared anything on this cluster (it gets a folder and a Flux Kustomization). */
  readonly deployed: boolean;
  readonly workloads: readonly Omit<WorkloadRecord, 'app'>[];
  readonly calls: readonly (Omit<CallClaim, 'caller'> & { readonly callerWorkload: string })[];
  /** The callers each of its workloads accepts (see AcceptClaim). */
  readonly accepts: readonly AcceptClaim[];
  readonly routes: readonly RouteClaim[];
  readonly loadBalancers: readonly LoadBalancerClaim[];
  readonly firewallEndpoints: readonly FirewallEndpoint[];
  readonly privateLinks: readonly PrivateLinkClaim[];
  readonly identities: readonly IdentityClaim[];
  readonly egress: readonly EgressClaim[];
  /** Its L4Services' dedicated frontend addresses (explicit, or allocated for `'auto'`). */
  readonly addresses?: readonly AddressClaim[];
}

export interface PrivateLinkClaim {
  readonly app: string;
  readonly workload: string;
  readonly ip: string;
  readonly field: string;
}

/**
 * Everything the apps of one cluster declare that other apps or cluster-wide artifacts depend on:
 * routes, load balancer frontends, firewall ports, calls between apps. Constructs register here
 * while apps are declared; `finalize()` then checks conflicts across apps and wires calls.
 */
export class ClusterRegistry {
  readonly workloads = new Map<string, WorkloadRecord>();
  /** Workloads by app, so resolving a call does not scan the whole fleet. */
  private readonly byApp = new Map<string, WorkloadRecord[]>();
  readonly calls: CallClaim[] = [];
  readonly accepts: AcceptClaim[] = [];
  /**
   * Every app of the repository (deployed here or not), so consent given to an app that does not
   * exist (a typo) is an error. Unset in tests that build a registry by hand: not checked.
   */
  knownApps?: ReadonlySet<string>;
  /** Each call resolved once by `finalize()`, in registry order. */
  private resolved?: Array<{ call: CallClaim; target: WorkloadRecord; ports: PodPort[] }>;
  readonly routes: RouteClaim[] = [];
  readonly loadBalancers: LoadBalancerClaim[] = [];
  readonly firewallEndpoints: FirewallEndpoint[] = [];
  /** Frontend IPs that create a Private Link Service; services sharing a frontend share its PLS. */
  readonly privateLinks: PrivateLinkClaim[] = [];
  /** ServiceAccounts that use workload identity. */
  readonly identities: IdentityClaim[] = [];
  /** Egress to addresses outside the cluster (calls between apps are in `calls`). */
  readonly egress: EgressClaim[] = [];
  /** Dedicated frontend addresses of L4Services; `'auto'` ones are allocated by `finalize()`. */
  addresses: AddressClaim[] = [];
  /** The cluster's allocations.json before this synth (synth sets it; absent: nothing allocated yet). */
  previousAllocations?: AllocationState;
  /** The cluster's allocations.json after `finalize()`. */
  allocations?: AllocationState;
  private finalizers: Array<() => void> = [];

  constructor(readonly cluster: ClusterSpec) {}

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
      this.addWorkload(record);
    }
    for (const c of claims.calls) {
      const caller = records.get(c.callerWorkload);
      if (!caller)
        throw new Error(`internal: replayed claims of ${app} call from unknown workload ${c.callerWorkload}`);
      this.calls.push({
        caller,
        targetApp: c.targetApp,
        targetWorkload: c.targetWorkload,
        ports: c.ports,
        field: c.field,
      });
    }
    this.accepts.push(...claims.accepts);
    this.routes.push(...claims.routes);
    this.loadBalancers.push(...claims.loadBalancers);
    this.firewallEndpoints.push(...claims.firewallEndpoints);
    this.privateLinks.push(...claims.privateLinks);
    this.identities.push(...(claims.identities ?? []));
    this.egress.push(...(claims.egress ?? []));
    this.addresses.push(...(claims.addresses ?? []));
  }

  /** The address of an L4Service's dedicated frontend (an `'auto'` one: after `finalize()`). */
  addressOf(app: string, workload: string): string | undefined {
    const ip = this.addresses.find((a) => a.app === app && a.workload === workload)?.ip;
    return ip === AUTO_ADDRESS_PENDING ? undefined : ip;
  }

  addWorkload(w: WorkloadRecord): void {
    this.workloads.set(`${w.app}/${w.name}`, w);
    const list = this.byApp.get(w.app);
    if (list) list.push(w);
    else this.byApp.set(w.app, [w]);
  }

  /** Runs after every app is declared: for wiring that needs other apps (e.g. callee ports). */
  onFinalize(fn: () => void): void {
    this.finalizers.push(fn);
  }

  workloadsOf(app: string): WorkloadRecord[] {
    return [...(this.byApp.get(app) ?? [])];
  }

  resolveCall(call: CallClaim): { target: WorkloadRecord; ports: PodPort[] } {
    const cluster = this.cluster.name;
    const fail = (problem: string, fix: string) =>
      new ConfigError({ cluster, app: call.caller.app, field: call.field, problem, fix });
    const candidates = this.workloadsOf(call.targetApp);
    if (candidates.length === 0) {
      throw fail(
        `calls app "${call.targetApp}", which is not deployed on this cluster`,
        `deploy ${call.targetApp} to ${cluster} too, or skip the call on this cluster`,
      );
    }
    let target: WorkloadRecord | undefined;
    if (call.targetWorkload) {
      target = candidates.find((w) => w.name === call.targetWorkload);
      if (!target)
        throw fail(
          `names workload "${call.targetWorkload}" of app ${call.targetApp}, which has only ${candidates.map((w) => w.name).join(', ')}`,
          'name one of those workloads',
        );
    } else if (candidates.length === 1) {
      target = candidates[0];
    } else {
      throw fail(
        `app ${call.targetApp} has several workloads (${candidates.map((w) => w.name).join(', ')})`,
        `write { app: '${call.targetApp}', workload: '<one of them>' }`,
      );
    }
    // Checked before the ports, so a self-call is reported as such whatever ports it names.
    if (target.app === call.caller.app && target.name === call.caller.name) {
      throw fail('calls itself', 'remove the call; a workload needs no policy to reach itself');
    }
    let ports = [...target.ports];
    if (call.ports) {
      for (const p of call.ports) {
        if (!target.ports.some((tp) => tp.port === p)) {
          throw fail(
            `port ${p} is not a port of ${target.app}/${target.name} (it has ${target.ports.map((tp) => tp.port).join(', ')})`,
            'name a container port the callee listens on, or omit ports to allow all of them',
          );
        }
      }
      ports = ports.filter((tp) => call.ports?.includes(tp.port));
    }
    return { target, ports };
  }

  /** Cross-app checks plus late wiring. Throws the first ConfigError, naming both apps. */
  finalize(): void {
    const cluster = this.cluster.name;
    this.allocateAutoAddresses();
    const routeOwners = new Map<string, RouteClaim>();
    for (const r of this.routes) {
      const key = `${r.host}${r.path}`;
      const other = routeOwners.get(key);
      if (other && (other.app !== r.app || other.workload !== r.workload)) {
        throw new ConfigError({
          cluster,
          app: r.app,
          field: r.field,
          problem: `host ${r.host} path ${r.path} is already routed to ${other.app}/${other.workload}`,
          fix: 'give each API its own host or path prefix',
        });
      }
      routeOwners.set(key, r);
    }
    // One host has one listener, so one certificate: two APIs sharing a host (different paths)
    // must agree on it, or one of them would be served with the other's certificate.
    const hostCertificates = new Map<string, RouteClaim>();
    for (const r of this.routes) {
      const other = hostCertificates.get(r.host);
      if (other && other.certificate?.name !== r.certificate?.name) {
        const show = (c: RouteClaim) =>
          c.certificate ? `its own certificate "${c.certificate.name}"` : "the cluster's listener certificate";
        throw new ConfigError({
          cluster,
          app: r.app,
          field: r.field,
          problem: `host ${r.host} is served with ${show(r)}, but ${other.app}/${other.workload} serves the same host with ${show(other)}; one host has one listener and one certificate`,
          fix: 'use the same certificate for every API on this host, or give this API its own host',
        });
      }
      if (!other) hostCertificates.set(r.host, r);
    }
    const l7 = this.cluster.l7;
    const gatewayFrontend =
      l7.kind === 'gateway-api' && l7.frontend
        ? this.cluster.sharedFrontends?.find((f) => f.name === l7.frontend)
        : undefined;
    if (l7.kind === 'gateway-api' && gatewayFrontend && !this.loadBalancers.some((l) => l.app === GATEWAY_CLAIM_APP)) {
      // The in-cluster gateway's Service listens on 443 of its shared frontend (cluster-spec l7.frontend).
      this.loadBalancers.unshift({
        app: GATEWAY_CLAIM_APP,
        workload: l7.gateway.name,
        ip: gatewayFrontend.address,
        port: 443,
        protocol: 'TCP',
        field: 'l7.frontend',
        frontend: gatewayFrontend.name,
      });
    }
    const lbOwners = new Map<string, LoadBalancerClaim>();
    for (const lb of this.loadBalancers) {
      const key = `${lb.ip}:${lb.port}/${lb.protocol}`;
      const other = lbOwners.get(key);
      if (other) {
        const shared = other.frontend ? other : lb.frontend ? lb : undefined;
        const where = shared
          ? `${lb.port}/${lb.protocol} on ${describeFrontend(shared)}`
          : `${lb.ip}:${lb.port}/${lb.protocol}`;
        throw new ConfigError({
          cluster,
          app: lb.app,
          field: lb.field,
          problem: `${where} is already claimed by ${other.app}/${other.workload}`,
          fix:
            lb.frontend || other.frontend
              ? `give ${lb.app} another port, or move one of the two apps to another frontend (frontendAssignments in the cluster spec)`
              : 'use another internal IP, or another port on the shared IP',
        });
      }
      lbOwners.set(key, lb);
    }
    const plsOwners = new Map<string, { app: string; workload: string }>();
    for (const pl of this.privateLinks) {
      const other = plsOwners.get(pl.ip);
      if (other) {
        throw new ConfigError({
          cluster,
          app: pl.app,
          field: pl.field,
          problem: `frontend ${pl.ip} already gets a Private Link Service from ${other.app}/${other.workload}; services sharing a frontend share its PLS`,
          fix: 'declare privateLink on one of the services only',
        });
      }
      plsOwners.set(pl.ip, pl);
    }
    checkSharedFrontends(this);
    this.resolved = this.checkCalls();
    for (const fn of this.finalizers) fn();
    this.finalizers = [];
  }

  /**
   * Gives every `'auto'` address its address (address-allocation.ts) and puts it into the claims
   * that carry the frontend IP, before any check reads them.
   */
  private allocateAutoAddresses(): void {
    const { assigned, state } = allocateAddresses(this.cluster, this.addresses, this.previousAllocations);
    this.allocations = state;
    if (assigned.size === 0) return;
    const ipOf = (app: string, workload: string, ip: string): string =>
      ip === AUTO_ADDRESS_PENDING ? (assigned.get(`${app}/${workload}`) ?? ip) : ip;
    this.addresses = this.addresses.map((a) => ({ ...a, ip: ipOf(a.app, a.workload, a.ip) }));
    const lbs = this.loadBalancers.map((l) => ({ ...l, ip: ipOf(l.app, l.workload, l.ip) }));
    this.loadBalancers.splice(0, lbs.length, ...lbs);
    const fws = this.firewallEndpoints.map((f) => ({ ...f, ilbIp: ipOf(f.app, f.service, f.ilbIp) }));
    this.firewallEndpoints.splice(0, fws.length, ...fws);
    const pls = this.privateLinks.map((p) => ({ ...p, ip: ipOf(p.app, p.workload, p.ip) }));
    this.privateLinks.splice(0, pls.length, ...pls);
  }

  /** The calls that reach workload `app/workload`, resolved (after `finalize()`). */
  callsTo(app: string, workload: string): Array<{ call: CallClaim; ports: PodPort[] }> {
    if (!this.resolved) throw new Error('internal: callsTo() before finalize()');
    return this.resolved
      .filter((r) => r.target.app === app && r.target.name === workload)
      .map(({ call, ports }) => ({ call, ports }));
  }

  /**
   * Resolves every call (declared or replayed, in registry order, so a run that replays claims
   * fails with the error a full run gives) and checks consent both ways: a call from A to B needs B
   * to accept A, and B accepting A needs A to call B wherever A is deployed. Consent given to an
   * app that is not deployed on this cluster is inert: B may list A once for every cluster.
   */
  private checkCalls(): Array<{ call: CallClaim; target: WorkloadRecord; ports: PodPort[] }> {
    const cluster = this.cluster.name;
    const resolved: Array<{ call: CallClaim; target: WorkloadRecord; ports: PodPort[] }> = [];
    const wired = new Map<string, string>();
    for (const call of this.calls) {
      const { target, ports } = this.resolveCall(call);
      const key = `${call.caller.app}/${call.caller.name}->${target.app}/${target.name}`;
      const first = wired.get(key);
      if (first) {
        throw new ConfigError({
          cluster,
          app: call.caller.app,
          field: call.field,
          problem: `calls ${target.app}/${target.name} again (already called in ${first})`,
          fix: 'list each callee once; use ports: [...] to choose which of its ports to allow',
        });
      }
      wired.set(key, call.field);
      resolved.push({ call, target, ports });
    }
    // Consent after every call resolved, so a call's own mistakes (unknown app, port, duplicate) are reported first.
    for (const { call, target } of resolved) {
      if (
        target.app !== call.caller.app &&
        !this.accepts.some((a) => a.app === target.app && a.workload === target.name && a.from === call.caller.app)
      ) {
        throw new ConfigError({
          cluster,
          app: call.caller.app,
          field: call.field,
          problem: `calls ${target.app}/${target.name}, which does not accept calls from ${call.caller.app}`,
          fix: `the owners of ${target.app} add '${call.caller.app}' to acceptCallsFrom of workload ${target.name} (apps/${target.app}/src/index.ts), or remove the call`,
        });
      }
    }
    for (const a of this.accepts) {
      if (this.knownApps && !this.knownApps.has(a.from)) {
        throw new ConfigError({
          cluster,
          app: a.app,
          field: a.field,
          problem: `accepts calls from app "${a.from}", which does not exist`,
          fix: `name an app under apps/ (${[...this.knownApps].sort().join(', ')}), or remove it`,
        });
      }
      if (this.workloadsOf(a.from).length === 0) continue; // not deployed on this cluster: nothing to allow
      if (
        !resolved.some((r) => r.call.caller.app === a.from && r.target.app === a.app && r.target.name === a.workload)
      ) {
        throw new ConfigError({
          cluster,
          app: a.app,
          field: a.field,
          problem: `accepts calls from ${a.from}, but ${a.from} does not call ${a.app}/${a.workload} on this cluster`,
          fix: `remove '${a.from}' from acceptCallsFrom (consent is for callers that call), or add calls: ['${a.app}'] to ${a.from}`,
        });
      }
    }
    return resolved;
  }
}
