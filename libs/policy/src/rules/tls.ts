import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { gatewayKey } from '../cluster-index';
import { namespaceOf } from '../object-identity';
import type { RuleContext } from '../rule-context';
import {
  asArray,
  asRecord,
  asRecords,
  asString,
  asStringMap,
  getPath,
  show,
  type UnknownRecord,
} from '../unknown-value';

/*
 * Every L7 entry point terminates TLS. The certificate comes from Key Vault (AGIC listener
 * certificate, or a Secrets Store CSI synced Secret for a Gateway), never from git.
 */

export const AGIC_SSL_CERTIFICATE_ANNOTATION = 'appgw.ingress.kubernetes.io/appgw-ssl-certificate';

export function checkTls(context: RuleContext): void {
  checkIngresses(context);
  checkGatewayListeners(context);
  checkHttpRouteSectionNames(context);
}

function checkIngresses({ cluster, report }: RuleContext): void {
  for (const document of cluster.byKind.get('Ingress') ?? []) {
    const tls = asArray(getPath(document.object, 'spec', 'tls'));
    const certificate = asStringMap(document.object.metadata.annotations)[AGIC_SSL_CERTIFICATE_ANNOTATION];
    if (tls.length > 0 || (certificate !== undefined && certificate !== '')) continue;
    report(
      'ingress-tls',
      document,
      `Ingress serves plain HTTP: no spec.tls and no ${AGIC_SSL_CERTIFICATE_ANNOTATION} annotation`,
      `Annotate the Ingress with ${AGIC_SSL_CERTIFICATE_ANNOTATION}: <listener certificate name> (or add spec.tls).`,
    );
  }
}

/** A rule that only sends the client to https and never reaches a backend. */
export function isHttpsRedirectRule(rule: UnknownRecord): boolean {
  if (asArray(rule.backendRefs).length > 0) return false;
  return asRecords(rule.filters).some(
    (filter) => filter.type === 'RequestRedirect' && getPath(filter, 'requestRedirect', 'scheme') === 'https',
  );
}

function attachesTo(route: ManifestDocument, gatewayNamespace: string, gatewayName: string, listener: string): boolean {
  const routeNamespace = namespaceOf(route.object);
  return asRecords(getPath(route.object, 'spec', 'parentRefs')).some(
    (parent) =>
      (parent.kind ?? 'Gateway') === 'Gateway' &&
      parent.name === gatewayName &&
      (asString(parent.namespace) ?? routeNamespace) === gatewayNamespace &&
      // A parentRef without sectionName attaches to every listener, this one included.
      (parent.sectionName === undefined || parent.sectionName === listener),
  );
}

function checkGatewayListeners({ cluster, report }: RuleContext): void {
  for (const gateway of cluster.byKind.get('Gateway') ?? []) {
    if (!gateway.object.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
    const namespace = namespaceOf(gateway.object) ?? '';
    const routes = cluster.httpRoutesByGateway.get(gatewayKey(namespace, gateway.object.metadata.name)) ?? [];
    for (const listener of asRecords(getPath(gateway.object, 'spec', 'listeners'))) {
      const name = asString(listener.name) ?? '<unnamed>';
      const protocol = listener.protocol;
      const tls = asRecord(listener.tls) ?? {};
      if (protocol === 'HTTPS' || protocol === 'TLS') {
        // Passthrough hands the TLS session to the backend unopened, so there is no certificate here.
        if (protocol === 'TLS' && tls.mode === 'Passthrough') continue;
        if (asArray(tls.certificateRefs).length > 0) continue;
        report(
          'gateway-listener-tls',
          gateway,
          `listener "${name}" (${String(protocol)}) has no tls.certificateRefs`,
          `Reference the Key Vault-synced certificate Secret in listener "${name}" tls.certificateRefs.`,
        );
        continue;
      }
      if (protocol === 'HTTP') {
        const attached = routes.filter((route) => attachesTo(route, namespace, gateway.object.metadata.name, name));
        const redirectOnly =
          attached.length > 0 &&
          attached.every((route) => {
            const rules = asRecords(getPath(route.object, 'spec', 'rules'));
            return rules.length > 0 && rules.every(isHttpsRedirectRule);
          });
        if (redirectOnly) continue;
      }
      report(
        'gateway-listener-tls',
        gateway,
        `listener "${name}" uses protocol ${show(protocol)} without TLS${protocol === 'HTTP' ? ' and its routes do not only redirect to https' : ''}`,
        `Make listener "${name}" HTTPS with tls.certificateRefs, or attach only HTTPRoutes whose rules redirect to https.`,
      );
    }
  }
}

function checkHttpRouteSectionNames({ cluster, report }: RuleContext): void {
  for (const route of cluster.byKind.get('HTTPRoute') ?? []) {
    const parents = asRecords(getPath(route.object, 'spec', 'parentRefs'));
    if (parents.length === 0) {
      report(
        'httproute-section-name',
        route,
        'HTTPRoute has no parentRefs',
        'Add a parentRef to the shared Gateway with sectionName set to its HTTPS listener.',
      );
      continue;
    }
    for (const parent of parents) {
      if (typeof parent.sectionName === 'string' && parent.sectionName !== '') continue;
      report(
        'httproute-section-name',
        route,
        `parentRef to ${String(parent.kind ?? 'Gateway')} ${show(parent.name)} has no sectionName, so it attaches to every listener (plain HTTP ones too)`,
        "Set sectionName to the Gateway's HTTPS listener.",
      );
    }
  }
}
