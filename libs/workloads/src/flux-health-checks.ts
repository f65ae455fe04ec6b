import { AGC_GATEWAY_CLASS } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

/**
 * One entry of a Flux Kustomization's `spec.healthCheckExprs` (kustomize-controller v1, Flux 2.5+):
 * CEL over the whole object (`metadata`, `spec`, `status` are its top-level fields). With `wait: true`
 * the controller reads every applied object of this kind through these expressions instead of
 * kstatus: first `inProgress`, then `failed`, then `current`; none true, or an error (a field not
 * there yet), means "not ready yet" until `timeout`. An object whose `status.observedGeneration`
 * differs from `metadata.generation` is in progress whatever the expressions say.
 * (fluxcd/kustomize-controller docs/spec/v1/kustomizations.md "Health check expressions";
 * fluxcd/pkg runtime/cel StatusEvaluator.)
 */
export interface FluxHealthCheckExpr {
  readonly apiVersion: string;
  readonly kind: string;
  readonly current: string;
  readonly failed?: string;
}

/**
 * A condition of `list` that is `status` for the object's current generation. The controllers set
 * `observedGeneration` on each condition (a field, not always present): a condition written for an
 * older spec says nothing about this one. Standard CEL only (`has` on a map key), no optional types.
 */
function condition(list: string, type: string, status: 'True' | 'False', extra = ''): string {
  return (
    `${list}.exists(c, c.type == '${type}' && c.status == '${status}'${extra}` +
    ` && (!has(c.observedGeneration) || c.observedGeneration == metadata.generation))`
  );
}

/**
 * Gateway API HTTPRoute: kstatus finds no top-level conditions on it and calls it ready as soon as it
 * is applied. Ready means every parent (Gateway listener) it attaches to accepted it and none reports
 * an unresolved reference (`ResolvedRefs` is not required to be written, so only its False counts);
 * failed means a Gateway refused it (no listener for its host, a namespace the listener does not
 * allow, ...), which no retry fixes. ResolvedRefs=False stays "in progress": the backend Service is
 * applied in the same reconciliation and the controller may look before it exists.
 */
const HTTP_ROUTE: FluxHealthCheckExpr = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  current:
    'status.parents.size() > 0 && status.parents.all(p, ' +
    `${condition('p.conditions', 'Accepted', 'True')} && !${condition('p.conditions', 'ResolvedRefs', 'False')})`,
  failed: `status.parents.exists(p, ${condition('p.conditions', 'Accepted', 'False')})`,
};

/**
 * Application Gateway for Containers policies (alb.networking.azure.io/v1): their CRDs default the
 * status to `Accepted: Unknown` ("Waiting for controller"), which kstatus reads as ready. Ready
 * means the ALB Controller accepted the policy for this generation; failed means it refused it for a
 * reason other than its target not existing yet (the Service comes in the same reconciliation).
 */
function agcPolicy(kind: string): FluxHealthCheckExpr {
  return {
    apiVersion: 'alb.networking.azure.io/v1',
    kind,
    current: condition('status.conditions', 'Accepted', 'True'),
    failed: condition('status.conditions', 'Accepted', 'False', " && c.reason != 'TargetNotFound'"),
  };
}

/** The custom resources an L7Api creates on an AGC cluster besides its HTTPRoute (see l7-api.ts). */
const AGC_POLICIES = ['BackendTLSPolicy', 'HealthCheckPolicy', 'WebApplicationFirewallPolicy'].map(agcPolicy);

/**
 * The health check expressions of an app's Kustomization on `cluster`, so that `wait: true` covers
 * the custom resources the app's folder holds where Flux's default (kstatus) cannot tell:
 *
 * - an app with an L7Api on a `gateway-api` cluster: its HTTPRoute, and on AGC its HealthCheckPolicy,
 *   BackendTLSPolicy and WebApplicationFirewallPolicy (an entry only applies to objects of its kind
 *   that the Kustomization applied, so an http-only API simply has no BackendTLSPolicy to read);
 * - nothing else needs one: Deployments, StatefulSets, Services, PDBs, HPAs and the other built-in
 *   kinds are read by kstatus (rollout complete, replicas ready, LoadBalancer address assigned);
 *   Ingress (AGIC clusters) is a built-in kind kstatus calls ready once applied, and AGIC reports
 *   problems only as events; a SecretProviderClass has no status at all (its CRD's status is an
 *   empty object): a Key Vault object it cannot fetch stops the pods that mount it from starting,
 *   which the Deployment's or StatefulSet's rollout check reports.
 *
 * Sorted by apiVersion and kind: same input, same bytes.
 */
export function appHealthCheckExprs(cluster: ClusterSpec, hasL7Api: boolean): FluxHealthCheckExpr[] {
  if (cluster.l7.kind !== 'gateway-api' || !hasL7Api) return [];
  const exprs = [HTTP_ROUTE, ...(cluster.l7.gatewayClassName === AGC_GATEWAY_CLASS ? AGC_POLICIES : [])];
  return exprs
    .map((e) => ({ ...e }))
    .sort((a, b) => (a.apiVersion + '/' + a.kind < b.apiVersion + '/' + b.kind ? -1 : 1));
}
