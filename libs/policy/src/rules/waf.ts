import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { namespaceOf } from '../object-identity';
import type { RuleContext } from '../rule-context';
import { PROD_ENVIRONMENT } from './images';
import { asRecords, asString, asStringMap, getPath } from '../unknown-value';

/*
 * Every L7 route sits behind a WAF policy. AGIC: the Ingress names one with
 * `appgw.ingress.kubernetes.io/waf-policy-for-path` (AGIC annotations). Application Gateway for
 * Containers: a `WebApplicationFirewallPolicy` (alb.networking.azure.io) targets the HTTPRoute or
 * the Gateway it attaches to (how-to-waf-gateway-api). An error in prod clusters, a warning
 * elsewhere; a route protected some other way (a WAF in front of an in-cluster gateway) says so
 * with a waiver.
 */

export const AGIC_WAF_ANNOTATION = 'appgw.ingress.kubernetes.io/waf-policy-for-path';
const WAF_KIND = 'WebApplicationFirewallPolicy';
const ALB_GROUP = 'alb.networking.azure.io';

export function checkWaf({ cluster, report }: RuleContext): void {
  const ruleId = cluster.environment === PROD_ENVIRONMENT ? 'l7-waf-in-prod' : 'l7-waf';
  for (const ingress of cluster.byKind.get('Ingress') ?? []) {
    if (asStringMap(ingress.object.metadata.annotations)[AGIC_WAF_ANNOTATION]) continue;
    report(
      ruleId,
      ingress,
      `Ingress is not behind a WAF policy (no ${AGIC_WAF_ANNOTATION} annotation)`,
      `Set a WAF policy: l7.wafPolicyId on the cluster spec or wafPolicyId on the L7Api (annotation ${AGIC_WAF_ANNOTATION}).`,
    );
  }
  // `Kind/namespace/name` of everything a WAF policy targets.
  const protectedTargets = new Set<string>();
  for (const policy of cluster.byKind.get(WAF_KIND) ?? []) {
    if (!policy.object.apiVersion.startsWith(`${ALB_GROUP}/`)) continue;
    const target = getPath(policy.object, 'spec', 'targetRef');
    const kind = asString(getPath(target, 'kind'));
    const name = asString(getPath(target, 'name'));
    if (!kind || !name) continue;
    protectedTargets.add(
      `${kind}/${asString(getPath(target, 'namespace')) ?? namespaceOf(policy.object) ?? ''}/${name}`,
    );
  }
  for (const route of cluster.byKind.get('HTTPRoute') ?? []) {
    if (!route.object.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
    if (isProtected(route, protectedTargets) || reachesNoBackend(route)) continue;
    report(
      ruleId,
      route,
      'HTTPRoute is not behind a WAF policy: no WebApplicationFirewallPolicy targets it or a Gateway it attaches to',
      'Set l7.wafPolicyId on the cluster spec (or wafPolicyId on the L7Api); for an in-cluster gateway behind another WAF, waive this rule with the reason.',
    );
  }
}

/** A route whose rules only redirect (no backendRefs) serves nothing a WAF would guard. */
function reachesNoBackend(route: ManifestDocument): boolean {
  const rules = asRecords(getPath(route.object, 'spec', 'rules'));
  return rules.length > 0 && rules.every((rule) => asRecords(rule.backendRefs).length === 0);
}

function isProtected(route: ManifestDocument, targets: ReadonlySet<string>): boolean {
  const namespace = namespaceOf(route.object) ?? '';
  if (targets.has(`HTTPRoute/${namespace}/${route.object.metadata.name}`)) return true;
  const parents = asRecords(getPath(route.object, 'spec', 'parentRefs'));
  return (
    parents.length > 0 &&
    parents.every(
      (p) =>
        (p.kind ?? 'Gateway') === 'Gateway' &&
        targets.has(`Gateway/${asString(p.namespace) ?? namespace}/${String(p.name)}`),
    )
  );
}
