import { ConfigError } from '@aks-gitops/cluster-model';
import type { AcceptClaim, CallClaim, PodPort, WorkloadRecord } from './cluster-claims';

/** A call with the workload it reaches and the ports it may use. */
export interface ResolvedCall {
  readonly call: CallClaim;
  readonly target: WorkloadRecord;
  readonly ports: PodPort[];
}

/** What resolving calls reads of a cluster's registry. */
export interface CallBook {
  readonly cluster: { readonly name: string };
  readonly calls: readonly CallClaim[];
  readonly accepts: readonly AcceptClaim[];
  readonly knownApps?: ReadonlySet<string>;
  workloadsOf(app: string): WorkloadRecord[];
}

/** The workload a call reaches and the ports it may use; throws a ConfigError naming the caller's field. */
export function resolveCall(registry: CallBook, call: CallClaim): { target: WorkloadRecord; ports: PodPort[] } {
  const cluster = registry.cluster.name;
  const fail = (problem: string, fix: string) =>
    new ConfigError({ cluster, app: call.caller.app, field: call.field, problem, fix });
  const candidates = registry.workloadsOf(call.targetApp);
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

/**
 * Resolves every call (declared or replayed, in registry order, so a run that replays claims
 * fails with the error a full run gives) and checks consent both ways: a call from A to B needs B
 * to accept A, and B accepting A needs A to call B wherever A is deployed. Consent given to an
 * app that is not deployed on this cluster is inert: B may list A once for every cluster.
 */
export function resolveCalls(registry: CallBook): ResolvedCall[] {
  const cluster = registry.cluster.name;
  const resolved: ResolvedCall[] = [];
  const wired = new Map<string, string>();
  for (const call of registry.calls) {
    const { target, ports } = resolveCall(registry, call);
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
  // One set of consents rather than a scan of every consent per call (quadratic in the fleet).
  const consent = (app: string, workload: string, from: string) => JSON.stringify([app, workload, from]);
  const given = new Set(registry.accepts.map((a) => consent(a.app, a.workload, a.from)));
  for (const { call, target } of resolved) {
    if (target.app !== call.caller.app && !given.has(consent(target.app, target.name, call.caller.app))) {
      throw new ConfigError({
        cluster,
        app: call.caller.app,
        field: call.field,
        problem: `calls ${target.app}/${target.name}, which does not accept calls from ${call.caller.app}`,
        fix: `the owners of ${target.app} add '${call.caller.app}' to acceptCallsFrom of workload ${target.name} (apps/${target.app}/src/index.ts), or remove the call`,
      });
    }
  }
  for (const a of registry.accepts) {
    if (registry.knownApps && !registry.knownApps.has(a.from)) {
      throw new ConfigError({
        cluster,
        app: a.app,
        field: a.field,
        problem: `accepts calls from app "${a.from}", which does not exist`,
        fix: `name an app under apps/ (${[...registry.knownApps].sort().join(', ')}), or remove it`,
      });
    }
    if (registry.workloadsOf(a.from).length === 0) continue; // not deployed on this cluster: nothing to allow
    if (!resolved.some((r) => r.call.caller.app === a.from && r.target.app === a.app && r.target.name === a.workload)) {
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
