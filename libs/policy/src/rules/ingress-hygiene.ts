import type { ManifestDocument } from '@aks-gitops/cluster-model';
import type { RuleContext } from '../rule-context';
import { asArray, asRecord, asRecords, asString, asStringMap, getPath, show } from '../unknown-value';
import { AGIC_SSL_CERTIFICATE_ANNOTATION, isHttpsRedirectRule } from './tls';

/*
 * An L7 entry point is only as tight as its loosest host. `ingress-tls` makes sure TLS exists; these
 * rules close what stays open beside it: the plain-HTTP listener AGIC creates next to the HTTPS one
 * (unless ssl-redirect turns it into a redirect), hosts the certificate does not cover, catch-all
 * routes (wildcard, missing host, default backend) that publish a service under any name, and
 * objects addressed to a controller that is not the cluster's WAF front door, which then either
 * serve nothing or, worse, are picked up by another controller without the WAF.
 *
 * Plain-HTTP listeners of a Gateway are judged by `gateway-listener-tls` (rules/tls.ts): an HTTP
 * listener may only carry routes that redirect to https.
 */

export const AGIC_SSL_REDIRECT_ANNOTATION = 'appgw.ingress.kubernetes.io/ssl-redirect';
/** The pre-IngressClass way to pick a controller; still honoured by AGIC and most controllers. */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** What AGIC answers to in the legacy annotation: its controller value, not the IngressClass name. */
export const AGIC_LEGACY_CLASS_VALUE = 'azure/application-gateway';

export function checkIngressHygiene(context: RuleContext): void {
  for (const ingress of context.cluster.byKind.get('Ingress') ?? []) {
    checkSslRedirect(context, ingress);
    checkTlsCoversHosts(context, ingress);
    checkIngressHosts(context, ingress);
    checkDefaultBackend(context, ingress);
    checkIngressClass(context, ingress);
  }
  for (const route of context.cluster.byKind.get('HTTPRoute') ?? []) checkRouteHostnames(context, route);
  for (const gateway of context.cluster.byKind.get('Gateway') ?? []) checkGatewayClass(context, gateway);
}

function hasCertificate(ingress: ManifestDocument): boolean {
  const certificate = asStringMap(ingress.object.metadata.annotations)[AGIC_SSL_CERTIFICATE_ANNOTATION];
  return (
    asArray(getPath(ingress.object, 'spec', 'tls')).length > 0 || (certificate !== undefined && certificate !== '')
  );
}

function checkSslRedirect({ report }: RuleContext, ingress: ManifestDocument): void {
  // Without a certificate `ingress-tls` already fails the Ingress; a redirect to nowhere adds nothing.
  if (!hasCertificate(ingress)) return;
  const value = asStringMap(ingress.object.metadata.annotations)[AGIC_SSL_REDIRECT_ANNOTATION];
  if (value === 'true') return;
  report(
    'ingress-ssl-redirect',
    ingress,
    `Ingress has a certificate but ${AGIC_SSL_REDIRECT_ANNOTATION} is ${show(value)}, so its hosts are also served over plain HTTP on port 80`,
    `Annotate the Ingress with ${AGIC_SSL_REDIRECT_ANNOTATION}: "true" (HTTP requests then get a 301 to https).`,
  );
}

/** Hosts the Ingress routes: each rule's host ('' for a rule without one). */
function ruleHosts(ingress: ManifestDocument): string[] {
  return asRecords(getPath(ingress.object, 'spec', 'rules')).map((rule) => asString(rule.host) ?? '');
}

/** TLS host matching as in the Ingress API: exact, or `*.example.com` covering exactly one more label. */
function tlsCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === tlsHost.slice(2);
}

function checkTlsCoversHosts({ report }: RuleContext, ingress: ManifestDocument): void {
  // With only the AGIC annotation the App Gateway listener certificate serves every host of the
  // Ingress; which names it holds is decided in Key Vault, out of this gate's sight.
  const tls = asRecords(getPath(ingress.object, 'spec', 'tls'));
  if (tls.length === 0) return;
  const tlsHosts = tls.flatMap((entry) =>
    asArray(entry.hosts).filter((host): host is string => typeof host === 'string'),
  );
  const uncovered = [
    ...new Set(
      ruleHosts(ingress).filter((host) => host !== '' && !tlsHosts.some((tlsHost) => tlsCovers(tlsHost, host))),
    ),
  ];
  if (uncovered.length === 0) return;
  report(
    'ingress-tls-covers-hosts',
    ingress,
    `host${uncovered.length === 1 ? '' : 's'} ${uncovered.map((host) => show(host)).join(', ')} ${uncovered.length === 1 ? 'is' : 'are'} routed but not listed in spec.tls hosts ${show(tlsHosts)}, so ${uncovered.length === 1 ? 'it is' : 'they are'} served without a matching certificate`,
    'Add every routed host to spec.tls[].hosts (with a certificate that holds it), or remove the rule.',
  );
}

function hostProblem(host: string): string | undefined {
  if (host === '') return 'has no host, so it matches every host name the front door receives';
  if (host.includes('*')) return `has the wildcard host ${show(host)}, so it answers for names nobody reviewed`;
  return undefined;
}

function checkIngressHosts({ report }: RuleContext, ingress: ManifestDocument): void {
  ruleHosts(ingress).forEach((host, index) => {
    const problem = hostProblem(host);
    if (problem)
      report(
        'ingress-explicit-host',
        ingress,
        `spec.rules[${index}] ${problem}`,
        'Set an explicit, fully qualified host on every Ingress rule.',
      );
  });
}

function checkRouteHostnames({ report }: RuleContext, route: ManifestDocument): void {
  // A route that only redirects to https serves nothing, so it may answer for every host.
  const rules = asRecords(getPath(route.object, 'spec', 'rules'));
  if (rules.length > 0 && rules.every(isHttpsRedirectRule)) return;
  const hostnames = asArray(getPath(route.object, 'spec', 'hostnames'));
  if (hostnames.length === 0) {
    report(
      'ingress-explicit-host',
      route,
      'HTTPRoute has no spec.hostnames, so it matches every host name of the listeners it attaches to',
      'List the explicit host names the route serves in spec.hostnames.',
    );
    return;
  }
  hostnames.forEach((hostname, index) => {
    const problem = hostProblem(typeof hostname === 'string' ? hostname : '');
    if (problem)
      report(
        'ingress-explicit-host',
        route,
        `spec.hostnames[${index}] ${problem}`,
        'List explicit, fully qualified host names in spec.hostnames.',
      );
  });
}

function checkDefaultBackend({ report }: RuleContext, ingress: ManifestDocument): void {
  const defaultBackend =
    asRecord(getPath(ingress.object, 'spec', 'defaultBackend')) ?? asRecord(getPath(ingress.object, 'spec', 'backend'));
  if (!defaultBackend) return;
  const rules = ruleHosts(ingress).length;
  report(
    'ingress-default-backend',
    ingress,
    `Ingress has a default backend${rules === 0 ? ' and no rules' : ''}: it receives every request no rule matches, whatever the host`,
    'Remove spec.defaultBackend and route explicit hosts and paths in spec.rules.',
  );
}

function checkIngressClass({ cluster, report }: RuleContext, ingress: ManifestDocument): void {
  const l7 = cluster.spec?.l7;
  if (!l7) return;
  const legacy = asStringMap(ingress.object.metadata.annotations)[LEGACY_INGRESS_CLASS_ANNOTATION];
  const className =
    asString(getPath(ingress.object, 'spec', 'ingressClassName')) ??
    (legacy === AGIC_LEGACY_CLASS_VALUE && l7.kind === 'agic' ? l7.ingressClassName : legacy);
  if (l7.kind === 'gateway-api') {
    report(
      'ingress-class',
      ingress,
      `cluster ${cluster.name} serves L7 through the Gateway API (GatewayClass ${show(l7.gatewayClassName)}), but this Ingress asks for IngressClass ${show(className)}`,
      'Use an HTTPRoute on the shared Gateway (L7Api does this on gateway-api clusters) instead of an Ingress.',
    );
    return;
  }
  if (className === l7.ingressClassName) return;
  report(
    'ingress-class',
    ingress,
    `IngressClass is ${show(className)}, not the cluster's Application Gateway class ${show(l7.ingressClassName)}, so the WAF front door does not serve it${className === undefined ? ' (the cluster default class decides)' : ''}`,
    `Set spec.ingressClassName: ${l7.ingressClassName}.`,
  );
}

function checkGatewayClass({ cluster, report }: RuleContext, gateway: ManifestDocument): void {
  const l7 = cluster.spec?.l7;
  if (!l7 || !gateway.object.apiVersion.startsWith('gateway.networking.k8s.io/')) return;
  const className = asString(getPath(gateway.object, 'spec', 'gatewayClassName'));
  if (l7.kind === 'gateway-api' && className === l7.gatewayClassName) return;
  report(
    'gateway-class',
    gateway,
    l7.kind === 'agic'
      ? `cluster ${cluster.name} serves L7 through AGIC (IngressClass ${show(l7.ingressClassName)}), but this Gateway asks for GatewayClass ${show(className)}`
      : `GatewayClass is ${show(className)}, not the cluster's own ${show(l7.gatewayClassName)}`,
    l7.kind === 'agic'
      ? "Expose the service through an Ingress of the cluster's IngressClass (L7Api does this on agic clusters)."
      : `Set spec.gatewayClassName: ${l7.gatewayClassName}.`,
  );
}
